package io.huitong.hub.proxy.impl;

import static io.huitong.hub.proxy.impl.Calls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The evaluator on a clock the test moves: ten-second slots, one evaluation every ten seconds. */
class AlarmEvaluatorTest {
  private static final long INTERVAL = 10_000;
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private final CallStats stats = new CallStats(new SimpleMeterRegistry(), Duration.ofSeconds(10), 90, 1000, clock::get);
  private final AlarmEvaluator evaluator = new AlarmEvaluator(stats);

  private static AlarmRule rule(String json) {
    return AlarmRule.parse("rule", new JsonObject(json));
  }

  /** Records {@code ok} good and {@code failed} failed calls of app-a mid-interval, then evaluates at its end. */
  private List<Alarm> interval(AlarmRule rule, int ok, int failed) {
    clock.addAndGet(INTERVAL / 2);
    for (int i = 0; i < ok; i++) {
      stats.record(call("social-insurance", "app-a", 200, 5));
    }
    for (int i = 0; i < failed; i++) {
      stats.record(call("social-insurance", "app-a", 503, 5));
    }
    clock.addAndGet(INTERVAL / 2);
    return evaluator.evaluate(List.of(rule));
  }

  @Test
  void anAlarmClearsOnlyBelowTheClearLevelForAWholeWindow() {
    AlarmRule rule = rule("{\"metric\": \"error-rate\", \"threshold\": 0.1, \"clear-ratio\": 0.5, \"window\": \"30s\","
        + " \"min-calls\": 10}");
    clock.set(clock.get() / INTERVAL * INTERVAL);
    List<Alarm> raised = interval(rule, 80, 20);
    assertEquals(1, raised.size());
    assertEquals(Alarm.State.RAISED, raised.get(0).state());
    assertEquals("social-insurance", raised.get(0).key());
    assertEquals(0.2, raised.get(0).raisedValue(), 1e-9);

    // 8%: under the threshold but above the clear level (5%) keeps it raised however long it lasts.
    for (int i = 0; i < 6; i++) {
      assertEquals(List.of(), interval(rule, 92, 8));
    }
    // 0%: the first evaluation below the clear level starts the count; it clears 30 s (a window) later.
    for (int i = 0; i < 3; i++) {
      assertEquals(List.of(), interval(rule, 100, 0));
    }
    List<Alarm> cleared = interval(rule, 100, 0);
    assertEquals(1, cleared.size());
    assertEquals(Alarm.State.CLEARED, cleared.get(0).state());
    assertEquals(raised.get(0).alarmId(), cleared.get(0).alarmId());
    assertEquals(0.0, cleared.get(0).clearedValue());
  }

  @Test
  void tooFewCallsRaiseNothing() {
    AlarmRule rule = rule("{\"metric\": \"error-rate\", \"threshold\": 0.1, \"min-calls\": 10}");
    assertEquals(List.of(), interval(rule, 0, 9));
    assertEquals(1, interval(rule, 0, 1).size());
  }

  @Test
  void theUsualRateIsAnAverageThatLeavesOutTheJumpItAlarmsOn() {
    AlarmRule rule = rule("{\"metric\": \"consumer-frequency\", \"threshold\": 3, \"window\": \"30s\", \"min-calls\": 1,"
        + " \"warm-up\": 3, \"smoothing\": 0.5}");
    clock.set(clock.get() / INTERVAL * INTERVAL);
    evaluator.evaluate(List.of(rule));
    // Before the warm-up a jump raises nothing.
    assertEquals(List.of(), interval(rule, 10, 0));
    assertEquals(List.of(), interval(rule, 100, 0));
    for (int i = 0; i < 12; i++) {
      assertEquals(List.of(), interval(rule, 10, 0), "interval " + i);
    }
    JsonObject usual = evaluator.usualRates().get("rule").getJsonObject("app-a");
    assertTrue(usual.getInteger("intervals") >= 3, usual.encode());
    // EWMA(0.5) of 1, 10, then 1/s: the early jump has faded out of the usual rate.
    assertEquals(1.0, usual.getDouble("callsPerSecond"), 0.1);

    List<Alarm> raised = interval(rule, 100, 0);
    assertEquals(1, raised.size());
    assertEquals("app-a", raised.get(0).key());
    assertTrue(raised.get(0).raisedValue() > 3, raised.toString());
    for (int i = 0; i < 3; i++) {
      assertEquals(List.of(), interval(rule, 100, 0));
    }
    double before = evaluator.usualRates().get("rule").getJsonObject("app-a").getDouble("callsPerSecond");
    Alarm cleared = null;
    for (int i = 0; i < 10 && cleared == null; i++) {
      List<Alarm> changes = interval(rule, 10, 0);
      cleared = changes.isEmpty() ? null : changes.get(0);
    }
    assertEquals(Alarm.State.CLEARED, cleared.state());
    assertEquals(before, evaluator.usualRates().get("rule").getJsonObject("app-a").getDouble("callsPerSecond"), 0.05,
        "the raised intervals stayed out of the usual rate");
  }

  @Test
  void aRemovedRuleClearsItsAlarmsWithoutAValue() {
    AlarmRule rule = rule("{\"metric\": \"p95-latency\", \"threshold\": 1, \"min-calls\": 1}");
    assertEquals(1, interval(rule, 5, 0).size());
    List<Alarm> cleared = evaluator.evaluate(List.of());
    assertEquals(1, cleared.size());
    assertEquals(Alarm.State.CLEARED, cleared.get(0).state());
    assertNull(cleared.get(0).clearedValue());
    assertEquals(List.of(), evaluator.evaluate(List.of()));
  }
}
