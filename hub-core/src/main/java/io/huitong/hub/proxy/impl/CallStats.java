package io.huitong.hub.proxy.impl;

import io.huitong.hub.proxy.ProxyCall;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Calls, errors and latency of the data proxy on this member, per series (service, department, region, consumer):
 * a micrometer timer {@code huitong.proxy.calls} (Prometheus {@code huitong_proxy_calls_seconds_count/_sum/_max})
 * tagged with the series and the outcome, and rolling windows (by default 90 slots of 10 s, the last 15 minutes)
 * that the admin API and the alarm rules read.
 *
 * <p>Cardinality guard: at most {@code maxSeries} series (default 1000) get their own timers and windows; calls of
 * any further series are counted in one series whose four tags are {@value #OTHER}, and in
 * {@code huitong_proxy_stats_overflow_total}. Services and consumers come from the catalogue, so the bound is only
 * reached through misconfiguration; it keeps Prometheus and this member's memory (some 32 KB per busy series)
 * bounded. A series lives as long as the process.
 *
 * <p>{@link #record} is thread-safe and cheap (a map lookup and a lock per series that only concurrent calls of the
 * same series contend for); it runs on event loops.
 */
public final class CallStats {
  /** The tag value of every dimension of the series that overflowing calls share. */
  public static final String OTHER = "_other";
  public static final int DEFAULT_MAX_SERIES = 1000;
  private static final int MAX_TAG_LENGTH = 64;

  /** A dimension statistics are grouped by. */
  public enum GroupBy {
    SERVICE, DEPARTMENT, REGION, CONSUMER;

    /** Parses {@code service|department|region|consumer}; anything else names {@code field} in the error. */
    public static GroupBy parse(String field, String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException("'" + field + "' must be one of service, department, region, consumer, got '"
            + value + "'");
      }
    }

    String of(SeriesKey key) {
      return switch (this) {
        case SERVICE -> key.service();
        case DEPARTMENT -> key.department();
        case REGION -> key.region();
        case CONSUMER -> key.consumer();
      };
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What the statistics keep apart. */
  public record SeriesKey(String service, String department, String region, String consumer) {
  }

  /** Sums over some series and slots. */
  static final class Totals {
    long calls;
    long serverErrors;
    long clientErrors;
    final LatencyHistogram latency = new LatencyHistogram();

    double errorRate() {
      return calls == 0 ? 0 : (double) serverErrors / calls;
    }
  }

  private static final SeriesKey OVERFLOW = new SeriesKey(OTHER, OTHER, OTHER, OTHER);

  private final MeterRegistry registry;
  private final long slotMillis;
  private final int slots;
  private final int maxSeries;
  private final LongSupplier clock;
  private final Counter overflow;
  private final Map<SeriesKey, Series> series = new ConcurrentHashMap<>();

  /** Ten-second slots over fifteen minutes, at most {@value #DEFAULT_MAX_SERIES} series. */
  public CallStats(MeterRegistry registry) {
    this(registry, Duration.ofSeconds(10), 90, DEFAULT_MAX_SERIES, System::currentTimeMillis);
  }

  /**
   * @param slot      the resolution of the rolling windows
   * @param slots     how many slots are kept: the longest window is {@code slot × slots}
   * @param maxSeries the cardinality guard
   * @param clock     epoch milliseconds
   */
  CallStats(MeterRegistry registry, Duration slot, int slots, int maxSeries, LongSupplier clock) {
    this.registry = registry;
    this.slotMillis = slot.toMillis();
    this.slots = slots;
    this.maxSeries = maxSeries;
    this.clock = clock;
    this.overflow = Counter.builder("huitong.proxy.stats.overflow")
        .description("Proxy calls counted in the _other series because the statistics hold as many series as they may")
        .register(registry);
  }

  /** The longest window the statistics can answer for. */
  public Duration retention() {
    return Duration.ofMillis(slotMillis * slots);
  }

  /** Counts one finished call. Thread-safe. */
  public void record(ProxyCall call) {
    int outcome = call.status() >= 500 ? Series.SERVER_ERROR : call.status() >= 400 ? Series.CLIENT_ERROR : Series.OK;
    long micros = Math.max(0, call.latencyMicros());
    Series s = series(new SeriesKey(tag(call.service()), tag(call.department()), tag(call.region()), tag(call.consumer())));
    s.timer(outcome).record(micros, TimeUnit.MICROSECONDS);
    s.add(clock.getAsLong() / slotMillis, outcome, micros);
  }

  private Series series(SeriesKey key) {
    Series s = series.get(key);
    if (s != null) {
      return s;
    }
    if (series.size() >= maxSeries) {
      overflow.increment();
      return series.computeIfAbsent(OVERFLOW, Series::new);
    }
    return series.computeIfAbsent(key, Series::new);
  }

  private static String tag(String value) {
    if (value == null || value.isBlank()) {
      return "-";
    }
    return value.length() > MAX_TAG_LENGTH ? value.substring(0, MAX_TAG_LENGTH) : value;
  }

  /**
   * Calls, errors and latency percentiles over the last {@code window} (rounded up to whole slots, at most
   * {@link #retention()}), one row per value of {@code groupBy}, ordered by key.
   *
   * @throws IllegalArgumentException naming {@code by} or {@code window} when one is not valid
   */
  public JsonObject snapshot(String groupBy, Duration window) {
    GroupBy by = GroupBy.parse("by", groupBy);
    int n = slotsFor(window);
    double seconds = n * slotMillis / 1000.0;
    JsonArray rows = new JsonArray();
    new TreeMap<>(aggregate(by, n, key -> true, true)).forEach((key, t) -> rows.add(new JsonObject()
        .put("key", key)
        .put("calls", t.calls)
        .put("errors", t.serverErrors)
        .put("clientErrors", t.clientErrors)
        .put("errorRate", round(t.errorRate(), 1e6))
        .put("p50Ms", round(t.latency.percentileMillis(0.50), 1e3))
        .put("p95Ms", round(t.latency.percentileMillis(0.95), 1e3))
        .put("p99Ms", round(t.latency.percentileMillis(0.99), 1e3))
        .put("callsPerSecond", round(t.calls / seconds, 1e3))));
    return new JsonObject().put("by", by.label()).put("windowSeconds", seconds).put("rows", rows);
  }

  private static double round(double value, double scale) {
    return Math.round(value * scale) / scale;
  }

  /** The statistics' clock, epoch milliseconds: alarms measure time with it too. */
  long now() {
    return clock.getAsLong();
  }

  /** Seconds the last {@code n} slots cover up to now (the current slot only in part). */
  double coveredSeconds(int n) {
    long now = clock.getAsLong();
    return Math.max(1, now - (now / slotMillis - n + 1) * slotMillis) / 1000.0;
  }

  /** Slots covering {@code window}: the current, partly filled slot and as many before it as the window needs. */
  int slotsFor(Duration window) {
    if (window == null || window.isNegative() || window.isZero() || window.compareTo(retention()) > 0) {
      throw new IllegalArgumentException("'window' must be more than 0 and at most " + retention().toSeconds() + "s, got "
          + window);
    }
    return (int) Math.max(1, (window.toMillis() + slotMillis - 1) / slotMillis);
  }

  /** Sums of the last {@code n} slots of every series {@code scope} accepts, by {@code by}'s value. */
  Map<String, Totals> aggregate(GroupBy by, int n, Predicate<SeriesKey> scope, boolean latency) {
    long to = clock.getAsLong() / slotMillis;
    Map<String, Totals> out = new HashMap<>();
    series.values().forEach(s -> {
      if (scope.test(s.key)) {
        s.collect(to - n + 1, to, out.computeIfAbsent(by.of(s.key), k -> new Totals()), latency);
      }
    });
    out.values().removeIf(t -> t.calls == 0);
    return out;
  }

  /** Calls since start-up of every series {@code scope} accepts, by {@code by}'s value: per-interval rates are differences. */
  Map<String, Long> callsSinceStart(GroupBy by, Predicate<SeriesKey> scope) {
    Map<String, Long> out = new TreeMap<>();
    series.values().forEach(s -> {
      if (scope.test(s.key)) {
        out.merge(by.of(s.key), s.total(), Long::sum);
      }
    });
    return out;
  }

  /** One series' timers and ring of slots; slot {@code id} (epoch millis / slot width) lives at {@code id % slots}. */
  private final class Series {
    static final int OK = 0;
    static final int CLIENT_ERROR = 1;
    static final int SERVER_ERROR = 2;
    private static final String[] OUTCOMES = {"ok", "client_error", "server_error"};

    final SeriesKey key;
    private final Timer[] timers = new Timer[OUTCOMES.length];
    private final long[] slotIds = new long[slots];
    private final long[][] counts = new long[slots][3];
    private final LatencyHistogram[] latency = new LatencyHistogram[slots];
    private long total;

    /** Registers all three outcomes at once, so that Prometheus sees a zero error count rather than none. */
    Series(SeriesKey key) {
      this.key = key;
      Arrays.fill(slotIds, -1);
      for (int outcome = 0; outcome < OUTCOMES.length; outcome++) {
        timers[outcome] = Timer.builder("huitong.proxy.calls")
            .description("Calls through the data proxy, by service, department, region, consumer and outcome")
            .tags("service", key.service(), "department", key.department(), "region", key.region(),
                "consumer", key.consumer(), "outcome", OUTCOMES[outcome])
            .register(registry);
      }
    }

    Timer timer(int outcome) {
      return timers[outcome];
    }

    synchronized void add(long slotId, int outcome, long micros) {
      int i = (int) (slotId % slots);
      if (slotIds[i] != slotId) {
        slotIds[i] = slotId;
        Arrays.fill(counts[i], 0);
        if (latency[i] != null) {
          latency[i].clear();
        }
      }
      counts[i][outcome]++;
      if (latency[i] == null) {
        latency[i] = new LatencyHistogram();
      }
      latency[i].record(micros);
      total++;
    }

    synchronized void collect(long from, long to, Totals into, boolean withLatency) {
      for (int i = 0; i < slots; i++) {
        if (slotIds[i] >= from && slotIds[i] <= to) {
          into.calls += counts[i][OK] + counts[i][CLIENT_ERROR] + counts[i][SERVER_ERROR];
          into.clientErrors += counts[i][CLIENT_ERROR];
          into.serverErrors += counts[i][SERVER_ERROR];
          if (withLatency) {
            into.latency.add(latency[i]);
          }
        }
      }
    }

    synchronized long total() {
      return total;
    }
  }
}
