package io.huitong.connectors.simulator;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Faults to inject into one department's answers, REST and SOAP alike, as set through {@code PUT /_sim/faults}.
 *
 * @param department  a department's name, or {@code *} for every department without settings of its own
 * @param latencyMs   delay before each answer
 * @param jitterMs    up to this much more delay, drawn from the simulator's seeded random source
 * @param errorRate   share of requests (0 to 1) answered with an error: {@code errorStatus} and a JSON body for REST,
 *                    a Server/Receiver fault for SOAP
 * @param errorStatus the HTTP status of an injected REST error, 400 to 599
 * @param down        when true, every request's connection is closed without an answer, as a crashed system would
 */
public record FaultSettings(String department, long latencyMs, long jitterMs, double errorRate, int errorStatus,
                            boolean down) {
  public static final String EVERY_DEPARTMENT = "*";
  private static final long MAX_DELAY_MS = 60_000;
  private static final Set<String> KEYS = Set.of("department", "latencyMs", "jitterMs", "errorRate", "errorStatus", "down");

  /** Reads settings, naming the first field that is missing, unknown or out of range. */
  public static FaultSettings fromJson(JsonObject json, Set<String> departments) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown field " + key + "; expected one of " + KEYS);
      }
    }
    String department = string(json, "department");
    if (department == null || !(department.equals(EVERY_DEPARTMENT) || departments.contains(department))) {
      throw new IllegalArgumentException("department must be * or one of " + departments);
    }
    long latency = number(json, "latencyMs", 0, 0, MAX_DELAY_MS).longValue();
    long jitter = number(json, "jitterMs", 0, 0, MAX_DELAY_MS).longValue();
    double rate = number(json, "errorRate", 0, 0, 1).doubleValue();
    int status = number(json, "errorStatus", 503, 400, 599).intValue();
    Object down = json.getValue("down", false);
    if (!(down instanceof Boolean)) {
      throw new IllegalArgumentException("down must be true or false");
    }
    return new FaultSettings(department, latency, jitter, rate, status, (Boolean) down);
  }

  public JsonObject toJson() {
    return new JsonObject().put("department", department).put("latencyMs", latencyMs).put("jitterMs", jitterMs)
        .put("errorRate", errorRate).put("errorStatus", errorStatus).put("down", down);
  }

  private static String string(JsonObject json, String key) {
    Object value = json.getValue(key);
    return value instanceof String s ? s : null;
  }

  private static Number number(JsonObject json, String key, long fallback, double min, double max) {
    Object value = json.getValue(key, fallback);
    if (!(value instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max
        || (max > 1 && n.doubleValue() != Math.rint(n.doubleValue()))) {
      throw new IllegalArgumentException(key + " must be a number from " + fmt(min) + " to " + fmt(max)
          + (max > 1 ? " without a fraction" : ""));
    }
    return n;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }
}
