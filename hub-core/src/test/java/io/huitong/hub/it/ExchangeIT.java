package io.huitong.hub.it;

import static io.huitong.hub.it.Jdbc.execute;
import static io.huitong.hub.it.Jdbc.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.huitong.hub.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exchange bus end to end, on real PostgreSQL and Kafka: two hubs, each hosting one front-exchange node with its
 * own embedded database; hub A's table source sends every change of {@code case_source} through signed, encrypted
 * batch envelopes over A's Kafka to hub B's table sink on {@code case_target}. The receiver's hub and then the
 * sender's hub (relay, broker and database with it) are killed mid-run and restarted; every change still arrives
 * exactly once, in per-issue order. Then a replayed envelope is answered DUPLICATE and a tampered one is rejected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExchangeIT {
  private static final int ROWS = 100_000;
  private static final int ISSUES = 10_000;
  /** Rows whose step advances after they were inserted: later records of the same issue. */
  private static final int UPDATED = 20_000;
  private static final int CHANGES = ROWS + UPDATED;
  private static final Duration RUN_LIMIT = Duration.ofMinutes(8);
  private static final String TABLE = "(id bigint PRIMARY KEY, issue_no text NOT NULL, step int NOT NULL, status text,"
      + " handler text, note text, updated_at timestamptz NOT NULL)";
  private static final String CHECKSUM = "SELECT count(*), md5(coalesce(string_agg(id || '|' || issue_no || '|' || step"
      + " || '|' || status || '|' || handler || '|' || note || '|' || updated_at, ',' ORDER BY id), ''))";

  private HubProcess hubA;
  private HubProcess hubB;

  @BeforeAll
  void start(@TempDir Path tempDir) throws Exception {
    Path dirA = Files.createDirectories(tempDir.resolve("a"));
    Path dirB = Files.createDirectories(tempDir.resolve("b"));
    Files.writeString(dirA.resolve("exchange.yaml"), """
        routes:
          - id: a-to-b
            senders: [dept-a]
            types: [CASE_STEP]
            receivers: [dept-b]
            encrypt: true
        table-sources:
          - node: dept-a
            table: public.case_source
            issue-column: issue_no
            type: CASE_STEP
            schema: case-step
        """);
    Files.writeString(dirB.resolve("exchange.yaml"), """
        table-sinks:
          - node: dept-b
            type: CASE_STEP
            senders: [dept-a]
            table: public.case_target
            key-columns: [id]
        """);
    hubA = exchangeHub(HubProcess.embedded(dirA, "hub-a"), "dept-a");
    hubA.start().awaitReady(Duration.ofMinutes(3));
    hubB = exchangeHub(HubProcess.embedded(dirB, "hub-b"), "dept-b");
    hubB.env.remove("HUB_KAFKA_EMBEDDED_PORT");
    hubB.env.remove("HUB_KAFKA_EMBEDDED_CONTROLLER_PORT");
    hubB.env.put("HUB_KAFKA_BOOTSTRAP", "127.0.0.1:" + hubA.env.get("HUB_KAFKA_EMBEDDED_PORT"));
    hubB.start().awaitReady(Duration.ofMinutes(3));

    // Each operator registers the other department's node by its certificates.
    ExchangeSetup.register(hubB, hubA, "dept-a");
    ExchangeSetup.register(hubA, hubB, "dept-b");
    try (Connection a = hubA.database(); Connection b = hubB.database()) {
      execute(a, "CREATE TABLE case_source " + TABLE);
      execute(b, "CREATE TABLE case_target " + TABLE);
      ExchangeSetup.countWrites(b, "case_target");
    }
    Eventually.holds("both table adapters ready", Duration.ofSeconds(30), () ->
        stats(hubA).getJsonArray("tableSources").getJsonObject(0).getBoolean("ready")
            && stats(hubB).getJsonArray("tableSinks").getJsonObject(0).getBoolean("ready"));
  }

  private static HubProcess exchangeHub(HubProcess hub, String node) {
    hub.env.put("HUB_EXCHANGE_NODES", node);
    hub.env.put("HUB_EXCHANGE_DEFINITIONS", "exchange.yaml");
    hub.env.put("HUB_CLUSTER_NAME", "exchange-" + node);
    // Lost receipts are noticed within seconds rather than minutes, so the run also covers sending again.
    hub.env.put("HUB_EXCHANGE_RECEIPT_TIMEOUT", "60s");
    hub.env.put("HUB_EXCHANGE_RETRY_INITIAL_BACKOFF", "1s");
    return hub;
  }

  @AfterAll
  void stop() throws Exception {
    for (HubProcess hub : new HubProcess[] {hubB, hubA}) {
      if (hub != null) {
        hub.close();
      }
    }
  }

  @Test
  @Order(1)
  void everyChangeArrivesExactlyOnceInIssueOrderThroughReceiverAndSenderCrashes() throws Exception {
    try (Connection a = hubA.database()) {
      a.setAutoCommit(false);
      for (int from = 1; from <= ROWS; from += 1000) {
        execute(a, "INSERT INTO case_source SELECT g, 'ISSUE-' || (g % " + ISSUES + "), 1, 'ACCEPTED', 'clerk-' || (g % 37),"
            + " repeat(md5(g::text), 3), now() FROM generate_series(" + from + ", " + (from + 999) + ") g");
        a.commit();
      }
      // Later steps of the same issues: these must apply after the inserts they follow.
      for (int from = 1; from <= UPDATED; from += 1000) {
        execute(a, "UPDATE case_source SET step = 2, status = 'REVIEWED', updated_at = now()"
            + " WHERE id BETWEEN " + from + " AND " + (from + 999));
        a.commit();
      }
    }

    awaitApplied(CHANGES * 3 / 10);
    hubB.kill();
    hubB = hubB.again();
    hubB.start().awaitReady(Duration.ofMinutes(3));

    awaitApplied(CHANGES * 6 / 10);
    hubA.kill();
    hubA = hubA.again();
    hubA.start().awaitReady(Duration.ofMinutes(3));

    Eventually.holds("every change applied at dept-b", RUN_LIMIT, () -> ExchangeSetup.writes(hubB) >= CHANGES);
    try (Connection a = hubA.database(); Connection b = hubB.database()) {
      assertEquals(row(a, CHECKSUM + " FROM case_source"), row(b, CHECKSUM + " FROM case_target"),
          "target rows and content equal the source");
      assertEquals(Integer.toString(CHANGES), row(b, "SELECT count(*) FROM applied"), "each change applied exactly once");
      assertEquals(Integer.toString(ISSUES), row(b, "SELECT count(*) FROM exchange.issue_state"));
      assertEquals("0", row(b, "SELECT count(*) FROM exchange.rejection"), "nothing refused");
      assertEquals("0", row(b, "SELECT count(*) FROM exchange.held_record"), "nothing left waiting");
      assertEquals("0", row(a, "SELECT count(*) FROM exchange.outbox"), "the outbox is drained");
      // Per-issue order: each issue's last applied sequence at B is the last the relay gave it at A.
      assertEquals(row(a, "SELECT md5(string_agg(issue || '=' || last_sequence, ',' ORDER BY issue))"
              + " FROM exchange.link_sequence"),
          row(b, "SELECT md5(string_agg(issue || '=' || last_sequence, ',' ORDER BY issue)) FROM exchange.issue_state"));
    }
    Eventually.holds("every message PROCESSED at the sender", Duration.ofMinutes(2), () -> {
      JsonObject sent = stats(hubA).getJsonObject("nodes").getJsonObject("dept-a").getJsonObject("sent");
      return sent.size() == 1 && sent.getLong("processed", 0L) == CHANGES;
    });
  }

  @Test
  @Order(2)
  void aReplayedEnvelopeIsAnsweredDuplicateAndAppliedNoSecondTime() throws Exception {
    JsonObject message = anyMessage();
    String before = appliedRows();
    ExchangeSetup.publish(hubA, "dept-b", "dept-a", message.getJsonObject("envelope").encode().getBytes(StandardCharsets.UTF_8));
    String id = message.getString("messageId");
    Eventually.holds("a DUPLICATE receipt for " + id, Duration.ofMinutes(1), () -> hubA.adminJson("GET",
        "/exchange/messages/" + id, null).getJsonArray("receipts").stream()
        .anyMatch(r -> "DUPLICATE".equals(((JsonObject) r).getString("code"))));
    assertEquals(before, appliedRows(), "nothing applied again");
    assertEquals("PROCESSED", hubA.adminJson("GET", "/exchange/messages/" + id, null).getString("state"));
  }

  @Test
  @Order(3)
  void aTamperedEnvelopeIsRejectedAsSignatureInvalidAndListed() throws Exception {
    JsonObject envelope = anyMessage().getJsonObject("envelope");
    String forged = UUID.randomUUID().toString();
    envelope.put("messageId", forged).put("schemaVersion", "9.9");
    String before = appliedRows();
    ExchangeSetup.publish(hubA, "dept-b", "dept-a", envelope.encode().getBytes(StandardCharsets.UTF_8));
    Eventually.holds("the forged message in dept-b's rejected list", Duration.ofMinutes(1), () ->
        hubB.adminJson("GET", "/exchange/rejections?code=SIGNATURE_INVALID", null).getJsonArray("rejections").stream()
            .anyMatch(r -> forged.equals(((JsonObject) r).getString("messageId"))));
    assertEquals(before, appliedRows());
  }

  private JsonObject anyMessage() throws Exception {
    JsonArray list = hubA.adminJson("GET", "/exchange/messages?limit=1&state=processed", null).getJsonArray("messages");
    return hubA.adminJson("GET", "/exchange/messages/" + list.getJsonObject(0).getString("messageId"), null);
  }

  private void awaitApplied(long atLeast) throws Exception {
    Eventually.holds(atLeast + " changes applied at dept-b", RUN_LIMIT, () -> ExchangeSetup.writes(hubB) >= atLeast);
  }

  private String appliedRows() {
    return Long.toString(ExchangeSetup.writes(hubB));
  }

  private static JsonObject stats(HubProcess hub) throws Exception {
    return hub.adminJson("GET", "/exchange/stats", null);
  }
}
