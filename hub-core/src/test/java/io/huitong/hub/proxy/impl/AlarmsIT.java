package io.huitong.hub.proxy.impl;

import static io.huitong.hub.proxy.impl.Calls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.config.Secret;
import io.huitong.hub.Eventually;
import io.huitong.hub.http.ApiRouter;
import io.huitong.hub.http.Drain;
import io.huitong.hub.http.Problems;
import io.huitong.hub.ops.AdminRoutes;
import io.huitong.hub.ops.OperatorAuth;
import io.huitong.hub.proxy.ProxyConfig;
import io.huitong.hub.storage.ScratchDatabase;
import io.huitong.hub.storage.Storage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;
import io.vertx.mutiny.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Alarms against the machine's PostgreSQL (a fresh database for the class) with a real webhook receiver and the
 * admin routes on a real HTTP server: calls fed to {@link CallStats} every 50 ms, rules evaluated every 200 ms.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlarmsIT {
  private static final String TOKEN = "t".repeat(32);
  private static final Duration LIMIT = Duration.ofSeconds(30);

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<JsonObject> delivered = new CopyOnWriteArrayList<>();
  /** Of every ten calls of app-a to social-insurance, how many fail with 503. */
  private final AtomicInteger failingInTen = new AtomicInteger();
  /** Calls of app-b to household per 50 ms. */
  private final AtomicInteger appBPerTick = new AtomicInteger(1);
  private final Storage storage = new Storage();
  private ScratchDatabase database;
  private Alarms alarms;
  private HttpServer webhook;
  private HttpServer admin;
  private long feeder;

  @BeforeAll
  void start() throws Exception {
    database = ScratchDatabase.create("alarms", "proxy");
    storage.open(vertx, database.location(), 4);

    webhook = vertx.createHttpServer().requestHandler(req -> req.body().subscribe().with(body -> {
      delivered.add(new JsonObject(body.toString()));
      req.response().setStatusCode(204).endAndForget();
    })).listenAndAwait(0, "127.0.0.1");

    CallStats stats = new CallStats(new SimpleMeterRegistry(), Duration.ofMillis(100), 600, 1000, System::currentTimeMillis);
    ProxyConfig config = new ProxyConfig("", Duration.ofMinutes(5), 0, 5, Duration.ofSeconds(10), 2,
        Duration.ofMillis(50), Duration.ofMillis(5), 1000, Duration.ofMillis(200),
        "http://127.0.0.1:" + webhook.actualPort() + "/alarms", 2000);
    List<AlarmRule> declared = List.of(
        AlarmRule.parse(new JsonObject("""
            {"id": "hrss-errors", "metric": "error-rate", "scope": {"department": "hrss"}, "window": "1s",
             "threshold": 0.2, "min-calls": 10, "clear-ratio": 0.5}""")),
        AlarmRule.parse(new JsonObject("""
            {"id": "consumer-burst", "metric": "consumer-frequency", "scope": {"service": "household"}, "window": "1s",
             "threshold": 4, "min-calls": 10, "warm-up": 3, "smoothing": 0.3}""")));
    alarms = Alarms.start(vertx, storage, stats, config, declared).await().atMost(LIMIT);

    feeder = vertx.setPeriodic(50, id -> {
      for (int i = 0; i < 2; i++) {
        int n = (int) (System.nanoTime() / 1000 % 10);
        stats.record(call("social-insurance", "hrss", "632801", "app-a", n < failingInTen.get() ? 503 : 200, 3000));
      }
      for (int i = 0; i < appBPerTick.get(); i++) {
        stats.record(call("household", "public-security", "320100", "app-b", 200, 8000));
      }
    });

    StatsRoutes routes = new StatsRoutes(() -> alarms, 64 * 1024);
    Problems problems = new Problems(new SimpleMeterRegistry());
    Router router = ApiRouter.create(vertx, problems, new Drain(problems), List.of(
        r -> r.route(AdminRoutes.PREFIX + "/*").handler(new OperatorAuth(Secret.of(TOKEN))), routes::mount));
    admin = vertx.createHttpServer().requestHandler(router).listenAndAwait(0, "127.0.0.1");
  }

  @AfterAll
  void stop() throws Exception {
    vertx.cancelTimer(feeder);
    if (alarms != null) {
      alarms.close().await().atMost(LIMIT);
    }
    storage.close().await().atMost(LIMIT);
    vertx.closeAndAwait();
    if (database != null) {
      database.close();
    }
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.actualPort() + path))
        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject get(String path) throws Exception {
    HttpResponse<String> response = send("GET", path, null);
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  /** The alarm of {@code ruleId} in the admin API's list, or null. */
  private JsonObject listed(String state, String ruleId) throws Exception {
    JsonArray list = get(AdminRoutes.PREFIX + "/proxy/alarms?state=" + state).getJsonArray("alarms");
    return list.stream().map(JsonObject.class::cast).filter(a -> a.getString("ruleId").equals(ruleId)).findFirst().orElse(null);
  }

  private JsonObject webhookEvent(String alarmId, String state) {
    return delivered.stream().filter(e -> e.getString("alarmId").equals(alarmId) && e.getString("state").equals(state))
        .findFirst().orElse(null);
  }

  @Test
  void anErrorRateAboveTheThresholdRaisesAndClears() throws Exception {
    failingInTen.set(5);
    JsonObject raised = Eventually.found("hrss-errors RAISED in the admin API", LIMIT,
        () -> listed("RAISED", "hrss-errors"));
    assertEquals("social-insurance", raised.getString("key"));
    assertTrue(raised.getDouble("raisedValue") > 0.2, raised.encode());
    String alarmId = raised.getString("alarmId");
    JsonObject event = Eventually.found("the webhook's RAISED", LIMIT, () -> webhookEvent(alarmId, "RAISED"));
    assertEquals("error-rate", event.getString("metric"));
    assertEquals(0.2, event.getDouble("threshold"));

    JsonObject byDepartment = get(AdminRoutes.PREFIX + "/proxy/stats?by=department&window=10s");
    JsonObject hrss = byDepartment.getJsonArray("rows").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("key").equals("hrss")).findFirst().orElseThrow();
    assertTrue(hrss.getLong("errors") > 0 && hrss.getDouble("p95Ms") > 0, hrss.encode());

    failingInTen.set(0);
    JsonObject cleared = Eventually.found("hrss-errors CLEARED in the admin API", LIMIT, () -> {
      JsonObject a = listed("CLEARED", "hrss-errors");
      return a != null && a.getString("alarmId").equals(alarmId) ? a : null;
    });
    assertTrue(cleared.getDouble("clearedValue") < 0.1, cleared.encode());
    assertEquals("CLEARED", Eventually.found("the webhook's CLEARED", LIMIT, () -> webhookEvent(alarmId, "CLEARED"))
        .getString("state"));
  }

  @Test
  void aConsumersJumpOverItsUsualRateRaisesConsumerFrequency() throws Exception {
    Eventually.found("app-b's usual rate warmed up", LIMIT, () -> {
      JsonObject usual = get(AdminRoutes.PREFIX + "/proxy/alarm-rules/consumer-burst").getJsonObject("usualRates")
          .getJsonObject("app-b");
      return usual != null && usual.getInteger("intervals") >= 3 ? usual : null;
    });
    appBPerTick.set(10);
    try {
      JsonObject raised = Eventually.found("consumer-burst RAISED", LIMIT, () -> listed("RAISED", "consumer-burst"));
      assertEquals("app-b", raised.getString("key"));
      assertTrue(raised.getDouble("raisedValue") > 4, raised.encode());
      Eventually.found("the webhook's RAISED", LIMIT, () -> webhookEvent(raised.getString("alarmId"), "RAISED"));
    } finally {
      appBPerTick.set(1);
    }
  }

  @Test
  void rulesAreKeptThroughTheAdminApiWithProblemsNamingTheField() throws Exception {
    String rules = AdminRoutes.PREFIX + "/proxy/alarm-rules";
    HttpResponse<String> bad = send("PUT", rules + "/slow", "{\"metric\": \"p95-latency\", \"threshold\": -1}");
    assertEquals(422, bad.statusCode());
    JsonObject problem = new JsonObject(bad.body());
    assertEquals("HT-ALARM-RULE-INVALID", problem.getString("code"));
    assertEquals("threshold", problem.getString("field"));

    assertEquals(409, send("PUT", rules + "/hrss-errors", "{\"metric\": \"error-rate\", \"threshold\": 0.5}").statusCode());
    assertEquals("HT-ALARM-RULE-NOT-FOUND", new JsonObject(send("DELETE", rules + "/none", null).body()).getString("code"));

    HttpResponse<String> put = send("PUT", rules + "/slow", "{\"metric\": \"p95-latency\", \"threshold\": 800, \"window\": \"30s\"}");
    assertEquals(200, put.statusCode(), put.body());
    assertEquals("api", get(rules + "/slow").getString("origin"));
    assertEquals(3, get(rules).getJsonArray("rules").size());
    assertEquals(1, Long.parseLong(sql("SELECT count(*) FROM proxy.alarm_rule WHERE definition->>'metric' = 'p95-latency'")));
    assertEquals(204, send("DELETE", rules + "/slow", null).statusCode());
    assertEquals(404, send("GET", rules + "/slow", null).statusCode());

    assertEquals(400, send("GET", AdminRoutes.PREFIX + "/proxy/stats?by=node", null).statusCode());
    assertEquals(401, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.actualPort()
        + AdminRoutes.PREFIX + "/proxy/stats")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  private String sql(String query) throws Exception {
    try (Connection c = database.connect();
         Statement s = c.createStatement(); var rs = s.executeQuery(query)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
