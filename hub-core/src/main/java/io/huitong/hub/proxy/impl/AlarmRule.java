package io.huitong.hub.proxy.impl;

import io.huitong.config.ConfigException;
import io.huitong.config.ConfigType;
import io.huitong.hub.proxy.impl.CallStats.GroupBy;
import io.huitong.hub.proxy.impl.CallStats.SeriesKey;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;

/**
 * A threshold over the call statistics of this member, evaluated separately for every value of {@code by} among the
 * calls {@code scope} selects. Rules come from the {@code alarms:} list of the proxy definitions file and from the
 * admin API, in the same JSON shape (see docs/proxy-alarms.md).
 *
 * @param id         1 to 64 letters, digits and {@code . _ -}
 * @param metric     what is measured
 * @param by         the dimension whose values get alarms of their own (consumer-frequency: always consumer)
 * @param scope      which calls count; a null field accepts any value
 * @param window     the span each value is measured over, and how long it must stay below the clear level to clear
 * @param threshold  error-rate: a fraction (0..1]; p95-latency: milliseconds; consumer-frequency: a factor over the
 *                   consumer's usual rate
 * @param minCalls   fewer calls than this in the window never raise an alarm
 * @param clearRatio a raised alarm clears once the value stays below {@code threshold × clearRatio} for a window
 * @param warmUp     consumer-frequency: intervals that must build the usual rate before an alarm can be raised
 * @param smoothing  consumer-frequency: weight of each new interval in the usual rate (EWMA)
 */
public record AlarmRule(String id, Metric metric, GroupBy by, Scope scope, Duration window, double threshold,
                        long minCalls, double clearRatio, int warmUp, double smoothing) {
  private static final String ID_PATTERN = "[A-Za-z0-9._-]{1,64}";
  private static final Set<String> FIELDS =
      Set.of("id", "metric", "by", "scope", "window", "threshold", "min-calls", "clear-ratio", "warm-up", "smoothing");
  private static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
  private static final long DEFAULT_MIN_CALLS = 20;
  private static final double DEFAULT_CLEAR_RATIO = 0.8;
  private static final int DEFAULT_WARM_UP = 10;
  private static final double DEFAULT_SMOOTHING = 0.1;

  /** What a rule measures. */
  public enum Metric {
    ERROR_RATE("error-rate"), P95_LATENCY("p95-latency"), CONSUMER_FREQUENCY("consumer-frequency");

    private final String label;

    Metric(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** Which calls a rule counts: every non-null field must equal the call's value. */
  public record Scope(String service, String department, String region, String consumer) {
    public static final Scope ANY = new Scope(null, null, null, null);

    boolean accepts(SeriesKey key) {
      return (service == null || service.equals(key.service()))
          && (department == null || department.equals(key.department()))
          && (region == null || region.equals(key.region()))
          && (consumer == null || consumer.equals(key.consumer()));
    }

    JsonObject toJson() {
      JsonObject json = new JsonObject();
      if (service != null) {
        json.put("service", service);
      }
      if (department != null) {
        json.put("department", department);
      }
      if (region != null) {
        json.put("region", region);
      }
      if (consumer != null) {
        json.put("consumer", consumer);
      }
      return json;
    }
  }

  /** Parses a rule whose id is in the object. */
  public static AlarmRule parse(JsonObject json) {
    Object id = json.getValue("id");
    if (!(id instanceof String s) || !s.matches(ID_PATTERN)) {
      throw new AlarmRuleException(String.valueOf(id), "id", "must be 1 to 64 letters, digits and . _ -");
    }
    return parse(s, json);
  }

  /**
   * Parses a rule with the given id (the admin API's path); an {@code id} in the object must agree.
   *
   * @throws AlarmRuleException naming the first field that is missing, unknown or out of range
   */
  public static AlarmRule parse(String id, JsonObject json) {
    if (id == null || !id.matches(ID_PATTERN)) {
      throw new AlarmRuleException(String.valueOf(id), "id", "must be 1 to 64 letters, digits and . _ -");
    }
    Fields f = new Fields(id, json);
    for (String name : json.fieldNames()) {
      if (!FIELDS.contains(name)) {
        throw f.error(name, "is not a field of an alarm rule; expected one of " + FIELDS);
      }
    }
    if (json.containsKey("id") && !id.equals(json.getValue("id"))) {
      throw f.error("id", "must be the id in the path, '" + id + "', or left out");
    }
    Metric metric = f.metric();
    boolean frequency = metric == Metric.CONSUMER_FREQUENCY;
    GroupBy by = f.by(frequency);
    double threshold = f.number("threshold", null, 0, metric == Metric.ERROR_RATE ? 1 : Double.MAX_VALUE);
    if (threshold <= 0) {
      throw f.error("threshold", "must be more than 0");
    }
    if (!frequency && (json.containsKey("warm-up") || json.containsKey("smoothing"))) {
      throw f.error(json.containsKey("warm-up") ? "warm-up" : "smoothing", "applies to consumer-frequency rules only");
    }
    double clearRatio = f.number("clear-ratio", DEFAULT_CLEAR_RATIO, 0, 1);
    double smoothing = f.number("smoothing", DEFAULT_SMOOTHING, 0, 1);
    if (clearRatio <= 0 || smoothing <= 0) {
      throw f.error(clearRatio <= 0 ? "clear-ratio" : "smoothing", "must be more than 0 and at most 1");
    }
    return new AlarmRule(id, metric, by, f.scope(), f.window(), threshold,
        f.whole("min-calls", DEFAULT_MIN_CALLS, 0, Integer.MAX_VALUE), clearRatio,
        (int) f.whole("warm-up", DEFAULT_WARM_UP, 1, 10_000), smoothing);
  }

  /** The rule in the shape {@link #parse} reads, every field written out. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("metric", metric.label()).put("by", by.label())
        .put("scope", scope.toJson()).put("window", window.toMillis() + "ms").put("threshold", threshold)
        .put("min-calls", minCalls).put("clear-ratio", clearRatio);
    if (metric == Metric.CONSUMER_FREQUENCY) {
      json.put("warm-up", warmUp).put("smoothing", smoothing);
    }
    return json;
  }

  /** Reads the fields of one rule, each error naming the rule and the field. */
  private record Fields(String id, JsonObject json) {
    AlarmRuleException error(String field, String message) {
      return new AlarmRuleException(id, field, message);
    }

    Metric metric() {
      Object v = json.getValue("metric");
      for (Metric m : Metric.values()) {
        if (m.label().equals(v)) {
          return m;
        }
      }
      throw error("metric", "must be one of error-rate, p95-latency, consumer-frequency, got " + describe(v));
    }

    GroupBy by(boolean frequency) {
      Object v = json.getValue("by");
      if (v == null) {
        return frequency ? GroupBy.CONSUMER : GroupBy.SERVICE;
      }
      GroupBy by;
      try {
        by = GroupBy.parse("by", v instanceof String s ? s : "");
      } catch (IllegalArgumentException e) {
        throw error("by", "must be one of service, department, region, consumer, got " + describe(v));
      }
      if (frequency && by != GroupBy.CONSUMER) {
        throw error("by", "must be consumer (or left out) for consumer-frequency");
      }
      return by;
    }

    Scope scope() {
      Object v = json.getValue("scope");
      if (v == null) {
        return Scope.ANY;
      }
      if (!(v instanceof JsonObject s)) {
        throw error("scope", "must be an object with any of service, department, region, consumer");
      }
      for (String name : s.fieldNames()) {
        if (!Arrays.asList("service", "department", "region", "consumer").contains(name)) {
          throw error("scope." + name, "is not a dimension; expected service, department, region or consumer");
        }
        if (!(s.getValue(name) instanceof String value) || value.isBlank()) {
          throw error("scope." + name, "must be a non-empty string");
        }
      }
      return new Scope(s.getString("service"), s.getString("department"), s.getString("region"), s.getString("consumer"));
    }

    Duration window() {
      Object v = json.getValue("window");
      if (v == null) {
        return DEFAULT_WINDOW;
      }
      Duration d;
      try {
        d = ConfigType.parseDuration("window", v);
      } catch (ConfigException e) {
        throw error("window", "must be a duration such as 500ms, 30s or 5m, got " + describe(v));
      }
      if (d.isZero()) {
        throw error("window", "must be more than 0");
      }
      return d;
    }

    /** A number from min to max; a required one when {@code fallback} is null. */
    double number(String field, Double fallback, double min, double max) {
      Object v = json.getValue(field);
      if (v == null) {
        if (fallback == null) {
          throw error(field, "is required");
        }
        return fallback;
      }
      if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < min || n.doubleValue() > max) {
        throw error(field, "must be a number from " + format(min) + " to " + format(max) + ", got " + describe(v));
      }
      return n.doubleValue();
    }

    long whole(String field, long fallback, long min, long max) {
      Object v = json.getValue(field);
      if (v == null) {
        return fallback;
      }
      if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min || ((Number) v).longValue() > max) {
        throw error(field, "must be a whole number from " + min + " to " + max + ", got " + describe(v));
      }
      return ((Number) v).longValue();
    }

    private static String format(double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : d == Double.MAX_VALUE ? "any" : Double.toString(d);
    }

    private static String describe(Object v) {
      return v == null ? "nothing" : v instanceof String s ? "'" + s + "'" : v.toString();
    }
  }
}
