package io.huitong.hub.proxy.impl;

import io.huitong.hub.proxy.impl.AlarmRule.Metric;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * One alarm (告警) of a rule for one key: raised when the key's value crossed the threshold, cleared once it stayed
 * below the clear level for a window (or its rule was removed or changed, with no value).
 *
 * @param clearedAt    null while raised
 * @param clearedValue null while raised, and when the rule went away
 */
public record Alarm(UUID alarmId, String ruleId, Metric metric, String key, double threshold, Instant raisedAt,
                    double raisedValue, Instant clearedAt, Double clearedValue) {

  /** RAISED or CLEARED. */
  public enum State { RAISED, CLEARED }

  public State state() {
    return clearedAt == null ? State.RAISED : State.CLEARED;
  }

  Alarm cleared(Instant at, Double value) {
    return new Alarm(alarmId, ruleId, metric, key, threshold, raisedAt, raisedValue, at, value);
  }

  /** What the webhook receives for this alarm's latest change of state. */
  public JsonObject event() {
    boolean raised = state() == State.RAISED;
    return new JsonObject().put("alarmId", alarmId.toString()).put("ruleId", ruleId).put("metric", metric.label())
        .put("key", key).put("state", state().name()).put("value", raised ? raisedValue : clearedValue)
        .put("threshold", threshold).put("at", (raised ? raisedAt : clearedAt).toString());
  }
}
