package io.huitong.hub.proxy.impl;

import io.huitong.hub.proxy.impl.AlarmRule.Metric;
import io.huitong.hub.proxy.impl.CallStats.GroupBy;
import io.huitong.hub.proxy.impl.CallStats.Totals;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decides, at each evaluation, which alarms rise and which clear: state per rule and key, hysteresis, and the usual
 * rate of each consumer. Not thread-safe: one Vert.x context calls it. Time is the statistics' clock.
 */
final class AlarmEvaluator {
  private final CallStats stats;
  private final Map<String, RuleState> states = new HashMap<>();

  AlarmEvaluator(CallStats stats) {
    this.stats = stats;
  }

  /** The state of one key under one rule. */
  private static final class KeyState {
    Alarm raised;
    /** When the value last went below the clear level while raised; null while above. */
    Long belowSince;
    final Baseline baseline = new Baseline();
  }

  /**
   * A consumer's usual rate: an EWMA of its per-interval call rates. An interval joins the average only once it has
   * left the rule's window, and only if the alarm was raised neither then nor now: the jump an alarm is about must
   * not become the usual rate before the alarm could see it.
   */
  private static final class Baseline {
    private final ArrayDeque<double[]> pending = new ArrayDeque<>();
    double rate;
    int samples;

    void offer(long at, double perSecond, boolean raised) {
      pending.add(new double[] {at, perSecond, raised ? 1 : 0});
    }

    void mature(long windowStart, boolean raised, double smoothing) {
      while (!pending.isEmpty() && pending.peek()[0] <= windowStart) {
        double[] s = pending.poll();
        if (s[2] == 0 && !raised) {
          rate = samples == 0 ? s[1] : rate + smoothing * (s[1] - rate);
          samples++;
        }
      }
    }
  }

  private static final class RuleState {
    final AlarmRule rule;
    final Map<String, KeyState> keys = new HashMap<>();
    Map<String, Long> lastTotals;
    long lastAt;

    RuleState(AlarmRule rule) {
      this.rule = rule;
    }
  }

  /** Evaluates every rule now and returns the alarms that were raised or cleared by it. */
  List<Alarm> evaluate(Collection<AlarmRule> rules) {
    long now = stats.now();
    List<Alarm> changes = new ArrayList<>();
    Map<String, AlarmRule> byId = new HashMap<>();
    rules.forEach(r -> byId.put(r.id(), r));
    // A rule removed or changed takes its alarms with it: they were about a threshold no longer in force.
    states.values().removeIf(state -> {
      if (state.rule.equals(byId.get(state.rule.id()))) {
        return false;
      }
      state.keys.values().forEach(k -> {
        if (k.raised != null) {
          changes.add(k.raised.cleared(Instant.ofEpochMilli(now), null));
        }
      });
      return true;
    });
    for (AlarmRule rule : byId.values()) {
      evaluate(states.computeIfAbsent(rule.id(), id -> new RuleState(rule)), now, changes);
    }
    return changes;
  }

  /**
   * The usual rate of every consumer under each consumer-frequency rule: {@code {ruleId: {consumer: {callsPerSecond,
   * intervals}}}}, {@code intervals} counting the evaluations that built it (the rule's warm-up needs that many).
   */
  Map<String, JsonObject> usualRates() {
    Map<String, JsonObject> out = new HashMap<>();
    states.forEach((ruleId, state) -> {
      if (state.rule.metric() == Metric.CONSUMER_FREQUENCY) {
        JsonObject consumers = new JsonObject();
        state.keys.forEach((consumer, k) -> consumers.put(consumer, new JsonObject()
            .put("callsPerSecond", Math.round(k.baseline.rate * 1000) / 1000.0).put("intervals", k.baseline.samples)));
        out.put(ruleId, consumers);
      }
    });
    return out;
  }

  private void evaluate(RuleState state, long now, List<Alarm> changes) {
    AlarmRule rule = state.rule;
    int slots = stats.slotsFor(rule.window());
    Map<String, Totals> totals = stats.aggregate(rule.by(), slots, rule.scope()::accepts, rule.metric() == Metric.P95_LATENCY);
    Set<String> keys = new HashSet<>(totals.keySet());
    state.keys.forEach((key, k) -> {
      if (k.raised != null) {
        keys.add(key);
      }
    });
    boolean frequency = rule.metric() == Metric.CONSUMER_FREQUENCY;
    if (frequency) {
      keys.addAll(sampleRates(state, now));
    }
    double seconds = stats.coveredSeconds(slots);
    for (String key : keys) {
      KeyState k = state.keys.computeIfAbsent(key, x -> new KeyState());
      Totals t = totals.getOrDefault(key, new Totals());
      double value = switch (rule.metric()) {
        case ERROR_RATE -> t.errorRate();
        case P95_LATENCY -> t.latency.percentileMillis(0.95);
        // The usual rate is floored at one call per window: an idle consumer's first calls are not an infinite jump.
        case CONSUMER_FREQUENCY -> t.calls / seconds / Math.max(k.baseline.rate, 1 / seconds);
      };
      boolean measurable = t.calls >= rule.minCalls() && (!frequency || k.baseline.samples >= rule.warmUp());
      if (k.raised == null) {
        if (measurable && value > rule.threshold()) {
          k.raised = new Alarm(UUID.randomUUID(), rule.id(), rule.metric(), key, rule.threshold(),
              Instant.ofEpochMilli(now), value, null, null);
          k.belowSince = null;
          changes.add(k.raised);
        }
      } else if (measurable && value >= rule.threshold() * rule.clearRatio()) {
        k.belowSince = null;
      } else {
        // Too few calls to measure counts as below: traffic that stopped cannot keep an alarm raised.
        k.belowSince = k.belowSince == null ? now : k.belowSince;
        if (now - k.belowSince >= rule.window().toMillis()) {
          changes.add(k.raised.cleared(Instant.ofEpochMilli(now), value));
          k.raised = null;
          k.belowSince = null;
        }
      }
      if (frequency) {
        k.baseline.mature(now - rule.window().toMillis(), k.raised != null, rule.smoothing());
      }
    }
  }

  /** Offers each consumer's call rate since the last evaluation to its baseline; returns the consumers seen. */
  private Set<String> sampleRates(RuleState state, long now) {
    Map<String, Long> totals = stats.callsSinceStart(GroupBy.CONSUMER, state.rule.scope()::accepts);
    if (state.lastTotals != null && now > state.lastAt) {
      double seconds = (now - state.lastAt) / 1000.0;
      totals.forEach((key, calls) -> {
        KeyState k = state.keys.computeIfAbsent(key, x -> new KeyState());
        k.baseline.offer(now, (calls - state.lastTotals.getOrDefault(key, 0L)) / seconds, k.raised != null);
      });
    }
    state.lastTotals = totals;
    state.lastAt = now;
    return totals.keySet();
  }
}
