package io.huitong.hub.it;

import static io.huitong.hub.it.Jdbc.count;
import static io.huitong.hub.it.Jdbc.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.hub.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import io.huitong.crypto.Sm2;
import io.huitong.crypto.Sm2KeyPair;
import io.huitong.crypto.x509.CertificateAuthority;
import io.huitong.crypto.x509.CertificateProfile;
import io.huitong.crypto.x509.Sm2Certificate;
import io.huitong.exchange.EnvelopeJson;
import io.huitong.exchange.ExchangeEnvelope;
import io.huitong.exchange.ExchangeRecord;
import io.huitong.exchange.MessageIds;
import io.huitong.exchange.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator of the exchange bus sees and does, on one hub hosting two nodes with short retry settings: a
 * route added through the admin API with a transformation, messages that get no receipt going RETRY_WAIT and DEAD,
 * a replay, records refused one by one with their codes, the admin API's answers to bad requests, and an outside
 * node's hand-made envelopes arriving out of order, going back, and expired.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExchangeOperationsIT {
  private static final String TABLE = "(id bigint PRIMARY KEY, issue_no text NOT NULL, step int NOT NULL, handler text)";

  private HubProcess hub;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("exchange.yaml"), """
        table-sources:
          - node: dept-a
            table: case_source
            issue-column: issue_no
            type: CASE_STEP
            schema: case-step
        table-sinks:
          - node: dept-b
            type: CASE_STEP
            table: case_target
            key-columns: [id]
        """);
    hub = HubProcess.embedded(dir, "hub-ops");
    hub.env.put("HUB_EXCHANGE_NODES", "dept-a,dept-b");
    hub.env.put("HUB_EXCHANGE_DEFINITIONS", "exchange.yaml");
    hub.env.put("HUB_EXCHANGE_RECEIPT_TIMEOUT", "1s");
    hub.env.put("HUB_EXCHANGE_RETRY_INITIAL_BACKOFF", "200ms");
    hub.env.put("HUB_EXCHANGE_RETRY_MAX_ATTEMPTS", "3");
    hub.start().awaitReady(Duration.ofMinutes(3));
    try (Connection c = hub.database()) {
      execute(c, "CREATE TABLE case_source " + TABLE);
    }
    Eventually.holds("the table source capturing", Duration.ofSeconds(30), () -> json(hub.admin("GET", "/exchange/stats", null))
        .getJsonArray("tableSources").getJsonObject(0).getBoolean("ready"));
  }

  @AfterAll
  void stop() throws Exception {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  @Order(1)
  void aRouteAddedThroughTheApiCarriesRecordsAndItsTransformation() throws Exception {
    HttpResponse<String> put = hub.admin("PUT", "/exchange/routes/a-to-b", new JsonObject()
        .put("senders", new JsonArray().add("dept-a")).put("receivers", new JsonArray().add("dept-b"))
        .put("when", new JsonObject().put("field", "step").put("lessThan", 100))
        .put("transforms", new JsonArray().add(new JsonObject().put("constant", new JsonObject().put("handler", "hub")))));
    assertEquals(200, put.statusCode(), put.body());
    JsonArray routes = json(hub.admin("GET", "/exchange/routes", null)).getJsonArray("routes");
    assertEquals("api", routes.getJsonObject(0).getString("origin"));
    try (Connection c = hub.database()) {
      // The sink's table does not exist yet: the receiver keeps the records in Kafka and sends no receipt.
      execute(c, "INSERT INTO case_source SELECT g, 'ISSUE-' || (g % 7), 1, 'clerk' FROM generate_series(1, 50) g");
    }
    Eventually.holds("messages DEAD after 3 attempts without a receipt", Duration.ofMinutes(1), () ->
        !messages("dead").isEmpty());
    JsonObject dead = messages("dead").getJsonObject(0);
    assertEquals(3, dead.getInteger("attempts"));
    assertTrue(dead.getString("lastError").startsWith("no receipt within"), dead.encode());

    HttpResponse<String> notDead = hub.admin("POST", "/exchange/messages/" + dead.getString("messageId") + "/replay", null);
    assertEquals(200, notDead.statusCode(), notDead.body());
    assertEquals(409, hub.admin("POST", "/exchange/messages/" + dead.getString("messageId") + "/replay", null).statusCode(),
        "a message no longer DEAD cannot be replayed");

    try (Connection c = hub.database()) {
      execute(c, "CREATE TABLE case_target (id bigint PRIMARY KEY, issue_no text NOT NULL,"
          + " step int NOT NULL CHECK (step < 50), handler text)");
      Eventually.holds("all 50 rows applied", Duration.ofMinutes(1), () -> count(c, "SELECT count(*) FROM case_target") == 50);
      assertEquals(50, count(c, "SELECT count(*) FROM case_target WHERE handler = 'hub'"), "the route's constant step");
    }
    Eventually.holds("every message PROCESSED", Duration.ofMinutes(1), () -> messages(null).stream()
        .allMatch(m -> "PROCESSED".equals(((JsonObject) m).getString("state"))));
    String metrics = hub.get("/metrics").body();
    assertTrue(metrics.contains("huitong_exchange_records_total{direction=\"received\",node=\"dept-b\",outcome=\"APPLIED\",} 50.0"),
        "each record counted once as applied");
    assertTrue(metrics.contains("huitong_exchange_messages_total{node=\"dept-a\",route=\"a-to-b\",state=\"DEAD\",}"));
    assertTrue(metrics.contains("huitong_exchange_messages_total{node=\"dept-a\",route=\"a-to-b\",state=\"PROCESSED\",}"));
  }

  @Test
  @Order(2)
  void recordsThatDoNotFitAreRefusedOneByOneWithTheirCodes() throws Exception {
    try (Connection c = hub.database()) {
      // Step 60 breaks the target's CHECK: SCHEMA_INVALID for that record alone, its neighbours apply.
      execute(c, "UPDATE case_source SET step = CASE WHEN id = 2 THEN 60 ELSE 3 END WHERE id IN (1, 2, 3)");
      // A row the target lost: its update is UNKNOWN_ISSUE.
      execute(c, "DELETE FROM case_target WHERE id = 4");
      execute(c, "UPDATE case_source SET step = 4 WHERE id = 4");
      // Step 200 matches no route: the sender lists it as NO_ROUTE.
      execute(c, "UPDATE case_source SET step = 200 WHERE id = 5");
      Eventually.holds("the refusals listed", Duration.ofMinutes(1), () -> codes().size() == 3);
      assertEquals(2, count(c, "SELECT count(*) FROM case_target WHERE id IN (1, 3) AND step = 3"));
      assertEquals(1, count(c, "SELECT count(*) FROM case_target WHERE id = 2 AND step = 1"));
    }
    JsonArray rejected = codes();
    assertTrue(rejected.contains("SCHEMA_INVALID") && rejected.contains("UNKNOWN_ISSUE") && rejected.contains("NO_ROUTE"),
        rejected.encode());
    Eventually.holds("a REJECTED message with a reject code", Duration.ofMinutes(1), () ->
        messages("rejected").stream().anyMatch(m -> ((JsonObject) m).getString("rejectCode") != null));
  }

  @Test
  @Order(3)
  void badRequestsGetProblemsWithStableCodes() throws Exception {
    assertProblem(hub.admin("PUT", "/exchange/routes/bad", new JsonObject().put("receivers", new JsonArray())
        .put("color", "red")), 422, "HT-ROUTE-INVALID");
    assertProblem(hub.admin("GET", "/exchange/messages/01a2016c-b6d6-780c-8114-8804ef494023", null), 404, "HT-MESSAGE-NOT-FOUND");
    assertProblem(hub.admin("GET", "/exchange/messages?state=LOST", null), 400, "HT-BAD-REQUEST");
    assertProblem(hub.admin("GET", "/exchange/nodes/nobody", null), 404, "HT-EXCHANGE-NODE-NOT-FOUND");
    assertProblem(hub.admin("DELETE", "/exchange/routes/nobody", null), 404, "HT-ROUTE-NOT-FOUND");
    JsonObject own = json(hub.admin("GET", "/exchange/nodes/dept-a", null));
    assertProblem(hub.admin("PUT", "/exchange/nodes/dept-a", new JsonObject().put("signCertificate", own.getString("signCertificate"))
        .put("encryptCertificate", own.getString("encryptCertificate"))), 409, "HT-EXCHANGE-NODE-LOCAL");
    assertProblem(hub.admin("PUT", "/exchange/nodes/dept-c", new JsonObject().put("signCertificate", own.getString("signCertificate"))
        .put("encryptCertificate", own.getString("encryptCertificate"))), 422, "HT-CERTIFICATE-INVALID");
    assertProblem(hub.admin("PUT", "/exchange/nodes/dept-c", new JsonObject().put("signCertificate", "not pem")
        .put("encryptCertificate", "not pem")), 400, "HT-MALFORMED-PEM");
  }

  @Test
  @Order(4)
  void anOutsideNodesRecordsWaitForTheirPredecessorsAndNeverMoveAnIssueBack() throws Exception {
    // Department X runs its own front node: its own CA and keys; the operator registers its certificates.
    Sm2KeyPair caKeys = Sm2.generateKeyPair();
    Instant now = Instant.now();
    CertificateAuthority ca = CertificateAuthority.createRoot(caKeys, "CN=Dept X CA", now.minus(Duration.ofHours(2)),
        now.plus(Duration.ofDays(2)));
    Sm2KeyPair signKeys = Sm2.generateKeyPair();
    Sm2Certificate cert = ca.issue(signKeys.publicKey(), "CN=dept-x,O=Dept X", CertificateAuthority.randomSerial(),
        now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), CertificateProfile.SIGNING);
    Sm2Certificate encryptCert = ca.issue(Sm2.generateKeyPair().publicKey(), "CN=dept-x,O=Dept X",
        CertificateAuthority.randomSerial(), now.minusSeconds(60), now.plus(Duration.ofDays(1)), CertificateProfile.ENCRYPTION);
    assertEquals(200, hub.admin("PUT", "/exchange/nodes/dept-x", new JsonObject().put("signCertificate", cert.toPem())
        .put("encryptCertificate", encryptCert.toPem())).statusCode());
    String ref = "dept-x/" + cert.serial().toString(16);

    // Steps 2 and 3 of issue X-1 arrive before step 1: held, then applied in order once step 1 comes.
    ExchangeSetup.publish(hub, "dept-b", "dept-x", signed(signKeys, ref, null, step(2, 2), step(3, 3)));
    ExchangeSetup.publish(hub, "dept-b", "dept-x", signed(signKeys, ref, null, step(1, 1)));
    try (Connection c = hub.database()) {
      Eventually.holds("issue X-1 at step 3", Duration.ofMinutes(1), () ->
          count(c, "SELECT coalesce(max(step), 0) FROM case_target WHERE issue_no = 'X-1'") == 3);
      assertEquals(0, count(c, "SELECT count(*) FROM exchange.held_record"));
    }
    // A new message carrying an old position of the issue: STATE_CONFLICT, nothing applied.
    ExchangeSetup.publish(hub, "dept-b", "dept-x", signed(signKeys, ref, null, step(2, 9)));
    // A message past its expiry: EXPIRED.
    ExchangeSetup.publish(hub, "dept-b", "dept-x", signed(signKeys, ref, Instant.now().minusSeconds(60), step(4, 4)));
    Eventually.holds("STATE_CONFLICT and EXPIRED listed", Duration.ofMinutes(1), () ->
        codes().contains("STATE_CONFLICT") && codes().contains("EXPIRED"));
    try (Connection c = hub.database()) {
      assertEquals(3, count(c, "SELECT step FROM case_target WHERE id = 1000"), "the issue did not move back or on");
    }
  }

  /** A CASE_STEP record of issue X-1, at {@code sequence}, setting row 1000 to {@code step}. */
  private static ExchangeRecord step(long sequence, int step) {
    return ExchangeRecord.of("X-1", sequence, 1, sequence == 1 ? Operation.INSERT : Operation.UPDATE,
        new JsonObject().put("id", 1000).put("issue_no", "X-1").put("step", step).put("handler", "x").encode()
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static byte[] signed(Sm2KeyPair keys, String ref, Instant expiresAt, ExchangeRecord... records) {
    Instant expiry = expiresAt == null ? Instant.now().plus(Duration.ofHours(1)) : expiresAt;
    Instant created = expiresAt == null ? Instant.now() : expiresAt.minus(Duration.ofMinutes(1));
    ExchangeEnvelope e = new ExchangeEnvelope(MessageIds.next(), null, "CASE_STEP", "case-step", "1.0", "dept-x",
        "dept-b", created, expiry, null, null, List.of(records), null);
    return EnvelopeJson.write(e.sign(keys.privateKey(), ref));
  }

  private static void assertProblem(HttpResponse<String> response, int status, String code) {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    assertEquals(code, new JsonObject(response.body()).getString("code"), response.body());
  }

  private JsonArray codes() throws Exception {
    JsonArray out = new JsonArray();
    json(hub.admin("GET", "/exchange/rejections", null)).getJsonArray("rejections")
        .forEach(r -> out.add(((JsonObject) r).getString("code")));
    return out;
  }

  private JsonArray messages(String state) throws Exception {
    return json(hub.admin("GET", "/exchange/messages?limit=1000" + (state == null ? "" : "&state=" + state), null))
        .getJsonArray("messages");
  }

  private static JsonObject json(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }
}
