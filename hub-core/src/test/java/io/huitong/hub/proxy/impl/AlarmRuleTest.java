package io.huitong.hub.proxy.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.hub.proxy.impl.AlarmRule.Metric;
import io.huitong.hub.proxy.impl.AlarmRule.Scope;
import io.huitong.hub.proxy.impl.CallStats.GroupBy;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlarmRuleTest {
  @Test
  void readsEveryFieldAndWritesThemBack() {
    AlarmRule rule = AlarmRule.parse(new JsonObject("""
        {"id": "burst", "metric": "consumer-frequency", "scope": {"department": "hrss"}, "window": "1m",
         "threshold": 5, "min-calls": 50, "clear-ratio": 0.5, "warm-up": 30, "smoothing": 0.2}"""));
    assertEquals(new AlarmRule("burst", Metric.CONSUMER_FREQUENCY, GroupBy.CONSUMER, new Scope(null, "hrss", null, null),
        Duration.ofMinutes(1), 5, 50, 0.5, 30, 0.2), rule);
    assertEquals(rule, AlarmRule.parse(rule.toJson()));
  }

  @Test
  void leavesOutWhatHasADefault() {
    AlarmRule rule = AlarmRule.parse("slow", new JsonObject("{\"metric\": \"p95-latency\", \"threshold\": 800}"));
    assertEquals(new AlarmRule("slow", Metric.P95_LATENCY, GroupBy.SERVICE, Scope.ANY, Duration.ofMinutes(5), 800,
        20, 0.8, 10, 0.1), rule);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no threshold            | {\"metric\": \"error-rate\"}                                             | threshold",
      "unknown metric          | {\"metric\": \"latency\", \"threshold\": 1}                              | metric",
      "rate above one          | {\"metric\": \"error-rate\", \"threshold\": 1.5}                         | threshold",
      "zero threshold          | {\"metric\": \"p95-latency\", \"threshold\": 0}                          | threshold",
      "unknown field           | {\"metric\": \"error-rate\", \"threshold\": 0.1, \"treshold\": 1}        | treshold",
      "unknown dimension       | {\"metric\": \"error-rate\", \"threshold\": 0.1, \"scope\": {\"node\": \"x\"}} | scope.node",
      "scope not an object     | {\"metric\": \"error-rate\", \"threshold\": 0.1, \"scope\": \"hrss\"}    | scope",
      "window in words         | {\"metric\": \"error-rate\", \"threshold\": 0.1, \"window\": \"5 minutes\"} | window",
      "fractional min-calls    | {\"metric\": \"error-rate\", \"threshold\": 0.1, \"min-calls\": 2.5}     | min-calls",
      "clear-ratio above one   | {\"metric\": \"error-rate\", \"threshold\": 0.1, \"clear-ratio\": 2}     | clear-ratio",
      "warm-up of error rate   | {\"metric\": \"error-rate\", \"threshold\": 0.1, \"warm-up\": 3}         | warm-up",
      "frequency by service    | {\"metric\": \"consumer-frequency\", \"threshold\": 3, \"by\": \"service\"} | by",
      "unknown grouping        | {\"metric\": \"error-rate\", \"threshold\": 0.1, \"by\": \"node\"}       | by",
      "zero smoothing          | {\"metric\": \"consumer-frequency\", \"threshold\": 3, \"smoothing\": 0} | smoothing",
      "other id in the body    | {\"id\": \"other\", \"metric\": \"error-rate\", \"threshold\": 0.1}      | id",
  })
  void namesTheFieldAtFault(String name, String json, String field) {
    AlarmRuleException e = assertThrows(AlarmRuleException.class, () -> AlarmRule.parse("rule-1", new JsonObject(json)));
    assertEquals(field, e.field());
    assertTrue(e.getMessage().startsWith("alarm rule 'rule-1': '" + field + "' "), e.getMessage());
  }

  @Test
  void refusesAnIdThatCannotBeAPathSegment() {
    assertEquals("id", assertThrows(AlarmRuleException.class,
        () -> AlarmRule.parse(new JsonObject("{\"id\": \"a/b\", \"metric\": \"error-rate\", \"threshold\": 0.1}"))).field());
  }
}
