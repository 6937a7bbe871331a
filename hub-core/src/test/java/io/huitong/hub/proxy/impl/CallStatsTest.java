package io.huitong.hub.proxy.impl;

import static io.huitong.hub.proxy.impl.Calls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallStatsTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private final CallStats stats = new CallStats(registry, Duration.ofSeconds(10), 90, 1000, clock::get);

  private JsonObject row(String by, Duration window, String key) {
    JsonArray rows = stats.snapshot(by, window).getJsonArray("rows");
    for (int i = 0; i < rows.size(); i++) {
      if (rows.getJsonObject(i).getString("key").equals(key)) {
        return rows.getJsonObject(i);
      }
    }
    return null;
  }

  @Test
  void windowsRollOverSlotsAndForgetWhatIsOlderThanTheWindow() {
    for (int i = 0; i < 30; i++) {
      stats.record(call("social-insurance", "app-a", 200, 5));
    }
    clock.addAndGet(Duration.ofMinutes(2).toMillis());
    for (int i = 0; i < 10; i++) {
      stats.record(call("social-insurance", "app-a", 200, 5));
    }
    assertEquals(10, row("service", Duration.ofMinutes(1), "social-insurance").getLong("calls"));
    assertEquals(40, row("service", Duration.ofMinutes(5), "social-insurance").getLong("calls"));
    assertEquals(10.0 / 60, row("service", Duration.ofMinutes(1), "social-insurance").getDouble("callsPerSecond"), 0.001);

    // Past the 15 minutes the ring holds, a slot is reused and its old counts are gone.
    clock.addAndGet(Duration.ofMinutes(14).toMillis());
    assertEquals(10, row("service", Duration.ofMinutes(15), "social-insurance").getLong("calls"));
    clock.addAndGet(Duration.ofMinutes(2).toMillis());
    stats.record(call("social-insurance", "app-a", 200, 5));
    assertEquals(1, row("service", Duration.ofMinutes(15), "social-insurance").getLong("calls"));
  }

  @Test
  void errorsAreCountedApartFromClientErrorsByEachDimension() {
    stats.record(call("social-insurance", "hrss", "632801", "app-a", 200, 1000));
    stats.record(call("social-insurance", "hrss", "632801", "app-a", 503, 1000));
    stats.record(call("social-insurance", "hrss", "632801", "app-b", 404, 1000));
    stats.record(call("household", "public-security", "320100", "app-b", 500, 1000));

    JsonObject hrss = row("department", Duration.ofMinutes(1), "hrss");
    assertEquals(3, hrss.getLong("calls"));
    assertEquals(1, hrss.getLong("errors"));
    assertEquals(1, hrss.getLong("clientErrors"));
    assertEquals(1.0 / 3, hrss.getDouble("errorRate"), 1e-6);
    assertEquals(2, row("consumer", Duration.ofMinutes(1), "app-b").getLong("calls"));
    assertEquals(1, row("region", Duration.ofMinutes(1), "320100").getLong("errors"));
    assertEquals(2, stats.snapshot("service", Duration.ofMinutes(1)).getJsonArray("rows").size());
  }

  @Test
  void percentilesAreWithinTheBucketWidth() {
    for (int ms = 1; ms <= 1000; ms++) {
      stats.record(call("social-insurance", "app-a", 200, ms));
    }
    JsonObject r = row("service", Duration.ofMinutes(1), "social-insurance");
    assertEquals(500, r.getDouble("p50Ms"), 500 * 0.125);
    assertEquals(950, r.getDouble("p95Ms"), 950 * 0.125);
    assertEquals(990, r.getDouble("p99Ms"), 990 * 0.125);
  }

  @Test
  void everyLatencyFallsInABucketAQuarterWide() {
    for (long v = 0; v < 200_000_000L; v = v * 11 / 10 + 1) {
      int b = LatencyHistogram.bucket(v);
      assertTrue(LatencyHistogram.lowerBound(b) <= v, v + " below bucket " + b);
      if (b < LatencyHistogram.BUCKETS - 1) {
        assertTrue(v < LatencyHistogram.upperBound(b), v + " above bucket " + b);
      }
      if (b > 0) {
        assertTrue(LatencyHistogram.upperBound(b) - LatencyHistogram.lowerBound(b) <= LatencyHistogram.lowerBound(b) / 4);
      }
    }
  }

  @Test
  void prometheusSeesTheTimerByDimensionsAndOutcome() {
    stats.record(call("social-insurance", "hrss", "632801", "app-a", 503, 2000));
    String scrape = registry.scrape();
    assertTrue(scrape.contains("huitong_proxy_calls_seconds_count{consumer=\"app-a\",department=\"hrss\","
        + "outcome=\"server_error\",region=\"632801\",service=\"social-insurance\",} 1.0"), scrape);
    assertTrue(scrape.contains("outcome=\"ok\",region=\"632801\",service=\"social-insurance\",} 0.0"), scrape);
  }

  @Test
  void seriesBeyondTheGuardShareOneOtherSeries() {
    CallStats guarded = new CallStats(registry, Duration.ofSeconds(10), 90, 2, clock::get);
    guarded.record(call("a", "app-a", 200, 1));
    guarded.record(call("b", "app-a", 200, 1));
    guarded.record(call("c", "app-a", 200, 1));
    guarded.record(call("d", "app-b", 200, 1));
    JsonArray rows = guarded.snapshot("service", Duration.ofMinutes(1)).getJsonArray("rows");
    assertEquals(3, rows.size());
    assertEquals(CallStats.OTHER, rows.getJsonObject(0).getString("key"));
    assertEquals(2, rows.getJsonObject(0).getLong("calls"));
    assertEquals(2.0, registry.get("huitong.proxy.stats.overflow").counter().count());
  }

  @Test
  void badGroupingOrWindowNamesTheParameter() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> stats.snapshot("node", Duration.ofMinutes(1)))
        .getMessage().startsWith("'by'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> stats.snapshot("service", Duration.ofHours(1)))
        .getMessage().startsWith("'window'"));
  }
}
