package io.huitong.hub.proxy.impl;

import static io.huitong.hub.proxy.impl.Calls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.config.Secret;
import io.huitong.hub.http.ApiRouter;
import io.huitong.hub.http.Drain;
import io.huitong.hub.http.HttpConfig;
import io.huitong.hub.http.Problems;
import io.huitong.hub.ops.AdminRoutes;
import io.huitong.hub.ops.OperatorAuth;
import io.huitong.hub.proxy.AuditCommand;
import io.huitong.hub.proxy.ProxyConfig;
import io.huitong.hub.storage.PgLocation;
import io.huitong.hub.storage.ScratchDatabase;
import io.huitong.hub.storage.Storage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;
import io.vertx.mutiny.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The call audit against the machine's PostgreSQL (a fresh database for the class): two members, each with its own
 * Vert.x and pool, append to one chain at once; the check finds it intact, then finds each kind of tampering by
 * someone who disabled the append-only trigger; with the trigger on, changes are refused. The admin routes run on a
 * real HTTP server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CallAuditIT {
  private static final String TOKEN = "t".repeat(32);
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final byte[] KEY = new byte[32];
  /** Calls each member records. */
  private static final int CALLS = 20_000;

  private final ProxyConfig config = new ProxyConfig("", Duration.ofMinutes(5), 0, 5, Duration.ofSeconds(10), 2,
      Duration.ofMillis(50), Duration.ofMillis(5), 1000, Duration.ofSeconds(10), "", 2000);
  private final HttpClient http = HttpClient.newHttpClient();
  private final Vertx memberA = Vertx.vertx();
  private final Vertx memberB = Vertx.vertx();
  private final Storage storageA = new Storage();
  private final Storage storageB = new Storage();
  private final AtomicInteger refused = new AtomicInteger();
  private ScratchDatabase database;
  private CallAudit auditA;
  private CallAudit auditB;
  private HttpServer admin;

  @BeforeAll
  void start() throws Exception {
    database = ScratchDatabase.create("audit", "proxy");
    PgLocation location = database.location();
    storageA.open(memberA, location, 4);
    storageB.open(memberB, location, 4);
    auditA = CallAudit.start(memberA, storageA, KEY, "member-a", config).await().atMost(LIMIT);
    auditB = CallAudit.start(memberB, storageB, KEY, "member-b", config).await().atMost(LIMIT);

    Problems problems = new Problems(new SimpleMeterRegistry());
    Router router = ApiRouter.create(memberA, problems, new Drain(problems), List.of(
        r -> r.route(AdminRoutes.PREFIX + "/*").handler(new OperatorAuth(Secret.of(TOKEN))),
        new AuditRoutes(() -> auditA)::mount));
    admin = memberA.createHttpServer().requestHandler(router).listenAndAwait(0, "127.0.0.1");
  }

  @AfterAll
  void stop() throws Exception {
    for (Storage storage : List.of(storageA, storageB)) {
      storage.close().await().atMost(LIMIT);
    }
    memberA.closeAndAwait();
    memberB.closeAndAwait();
    if (database != null) {
      database.close();
    }
  }

  @Test
  @Order(1)
  void twoMembersWritingAtOnceMakeOneIntactChain() throws Exception {
    long began = System.nanoTime();
    CountDownLatch fed = new CountDownLatch(2);
    feed(memberA, auditA, "app-a", fed);
    feed(memberB, auditB, "app-b", fed);
    assertTrue(fed.await(LIMIT.toSeconds(), TimeUnit.SECONDS), "both members recorded their calls");
    Uni.combine().all().unis(auditA.close(), auditB.close()).discardItems().await().atMost(LIMIT);
    double seconds = (System.nanoTime() - began) / 1e9;
    System.out.printf("call audit: %d records from two members written in %.2f s, %.0f records/s%n",
        2 * CALLS, seconds, 2 * CALLS / seconds);

    assertEquals(0, refused.get());
    assertEquals(2L * CALLS, scalar("SELECT count(*) FROM proxy.call_audit"));
    assertEquals(2L * CALLS, scalar("SELECT max(seq) FROM proxy.call_audit"));
    assertEquals(2L * CALLS, scalar("SELECT seq FROM proxy.call_audit_head"));
    assertEquals(2L, scalar("SELECT count(DISTINCT member) FROM proxy.call_audit"));
    assertIntact();
    assertEquals(AuditCommand.EXIT_INTACT, verifyCommand(new ByteArrayOutputStream()));
  }

  /**
   * Records {@link #CALLS} calls on {@code member}'s event loop, a hundred a millisecond while fewer than five
   * batches wait, so that the feed measures the audit rather than its refusals.
   */
  private void feed(Vertx member, CallAudit audit, String consumer, CountDownLatch done) {
    AtomicInteger recorded = new AtomicInteger();
    member.setPeriodic(1, id -> {
      for (int i = 0; i < 100 && recorded.get() < CALLS && audit.queued() < 5 * config.auditBatch(); i++) {
        audit.record(call("household", consumer, 200, 2)).subscribe().with(ok -> { }, e -> refused.incrementAndGet());
        recorded.incrementAndGet();
      }
      if (recorded.get() == CALLS) {
        member.cancelTimer(id);
        done.countDown();
      }
    });
  }

  @Test
  @Order(2)
  void withTheTriggerOnRowsCannotBeChangedOrRemoved() {
    SQLException update = assertThrows(SQLException.class, () -> execute("UPDATE proxy.call_audit SET status = 500 WHERE seq = 5"));
    assertTrue(update.getMessage().contains("append-only"), update.getMessage());
    assertThrows(SQLException.class, () -> execute("DELETE FROM proxy.call_audit WHERE seq = 5"));
    assertThrows(SQLException.class, () -> execute("TRUNCATE proxy.call_audit"));
    assertThrows(SQLException.class, () -> execute("UPDATE proxy.call_audit_head SET seq = seq - 1"));
    assertThrows(SQLException.class, () -> execute("DELETE FROM proxy.call_audit_head"));
  }

  @Test
  @Order(3)
  void anEditedRowIsReportedAtItsSequence() throws Exception {
    execute("CREATE TABLE proxy.edited AS SELECT * FROM proxy.call_audit WHERE seq = 1234");
    tamper("UPDATE proxy.call_audit SET consumer = 'app-z' WHERE seq = 1234");
    assertBroken(1234, "edited", 1233);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(AuditCommand.EXIT_BROKEN, verifyCommand(err));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("broken at seq 1234: edited"), err.toString(StandardCharsets.UTF_8));
    tamper("UPDATE proxy.call_audit c SET consumer = e.consumer FROM proxy.edited e WHERE c.seq = e.seq");
    assertIntact();
  }

  @Test
  @Order(4)
  void aDeletedRowIsReportedAtItsSequence() throws Exception {
    execute("CREATE TABLE proxy.kept AS SELECT * FROM proxy.call_audit WHERE seq = 30001");
    tamper("DELETE FROM proxy.call_audit WHERE seq = 30001");
    assertBroken(30001, "deleted", 30000);
    execute("INSERT INTO proxy.call_audit SELECT * FROM proxy.kept");
    assertIntact();
  }

  @Test
  @Order(5)
  void swappedRowsAreReportedAsReordered() throws Exception {
    tamper("UPDATE proxy.call_audit SET seq = -1 WHERE seq = 500");
    tamper("UPDATE proxy.call_audit SET seq = 500 WHERE seq = 502");
    tamper("UPDATE proxy.call_audit SET seq = 502 WHERE seq = -1");
    assertBroken(500, "reordered", 499);
    tamper("UPDATE proxy.call_audit SET seq = -1 WHERE seq = 500");
    tamper("UPDATE proxy.call_audit SET seq = 500 WHERE seq = 502");
    tamper("UPDATE proxy.call_audit SET seq = 502 WHERE seq = -1");
    assertIntact();
  }

  @Test
  @Order(6)
  void rowsCutOffTheEndAreReported() throws Exception {
    tamper("DELETE FROM proxy.call_audit WHERE seq = " + 2 * CALLS);
    assertBroken(2 * CALLS, "deleted", 2 * CALLS - 1);
  }

  @Test
  @Order(7)
  void recordsAreListedNewestFirstByConsumerWithoutPersonalData() throws Exception {
    JsonArray records = get(AuditRoutes.AUDIT + "?consumer=app-b&service=household&limit=3").getJsonArray("records");
    assertEquals(3, records.size());
    JsonObject newest = records.getJsonObject(0);
    assertTrue(newest.getLong("seq") > records.getJsonObject(1).getLong("seq"));
    assertEquals("app-b", newest.getString("consumer"));
    assertEquals(Set.of("seq", "at", "member", "requestId", "consumer", "service", "status", "code", "latencyMicros",
        "requestSm3", "responseSm3", "source", "cache", "remoteAddress", "mac"), newest.fieldNames());
    HttpResponse<String> bad = send("GET", AuditRoutes.AUDIT + "?from=yesterday");
    assertEquals(400, bad.statusCode());
    assertEquals("HT-BAD-REQUEST", new JsonObject(bad.body()).getString("code"));
  }

  private void assertIntact() throws Exception {
    JsonObject report = verify();
    assertEquals(true, report.getBoolean("ok"), report.encode());
    assertEquals(2L * CALLS, report.getLong("checked"));
    assertEquals(null, report.getValue("firstBroken"));
  }

  private void assertBroken(long seq, String problem, long checked) throws Exception {
    JsonObject report = verify();
    assertEquals(false, report.getBoolean("ok"), report.encode());
    assertEquals(new JsonObject().put("seq", seq).put("problem", problem), report.getJsonObject("firstBroken"));
    assertEquals(checked, report.getLong("checked"));
  }

  /** {@code scripts/hub audit verify} against the admin server of this test. */
  private int verifyCommand(ByteArrayOutputStream err) {
    HttpConfig hub = new HttpConfig("127.0.0.1", admin.actualPort(), 1024, Duration.ofMinutes(1), Duration.ofSeconds(1));
    return AuditCommand.verify(hub, Secret.of(TOKEN), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private JsonObject verify() throws Exception {
    HttpResponse<String> response = send("POST", AuditRoutes.AUDIT + "/verify");
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private JsonObject get(String path) throws Exception {
    HttpResponse<String> response = send("GET", path);
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.actualPort() + path))
        .header("Authorization", "Bearer " + TOKEN).timeout(LIMIT)
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Runs {@code statement} as someone who first disables the append-only trigger. */
  private void tamper(String statement) throws SQLException {
    execute("BEGIN; ALTER TABLE proxy.call_audit DISABLE TRIGGER call_audit_append_only; " + statement
        + "; ALTER TABLE proxy.call_audit ENABLE TRIGGER call_audit_append_only; COMMIT");
  }

  private void execute(String statement) throws SQLException {
    try (Connection c = database.connect(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private long scalar(String query) throws SQLException {
    try (Connection c = database.connect(); Statement s = c.createStatement();
         ResultSet r = s.executeQuery(query)) {
      r.next();
      return r.getLong(1);
    }
  }
}
