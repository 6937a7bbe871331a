package io.huitong.hub.it;

import static io.huitong.hub.it.Jdbc.execute;
import static io.huitong.hub.it.Jdbc.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.huitong.hub.Eventually;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Killing the relay: two members of one cluster host node dept-a over a shared database and broker; the one holding
 * the relay lease is killed in the middle of a run, the other takes the lease over when it lapses, and every change
 * still reaches dept-b's table exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExchangeFailoverIT {
  private static final int ROWS = 30_000;
  private static final String TABLE = "(id bigint PRIMARY KEY, issue_no text NOT NULL, step int NOT NULL, note text)";
  private static final String CHECKSUM = "SELECT count(*), md5(string_agg(id || '|' || issue_no || '|' || step || '|' || note,"
      + " ',' ORDER BY id))";

  private final List<HubProcess> hubs = new ArrayList<>();

  // After each test, not all: the test's temporary directory is removed when it ends, and a member's embedded
  // PostgreSQL still writing into it made that removal fail.
  @AfterEach
  void stop() throws Exception {
    for (HubProcess hub : hubs) {
      hub.close();
    }
  }

  @Test
  void whenTheRelaysMemberDiesAnotherTakesOverAndNothingIsLostOrDoubled(@TempDir Path dir) throws Exception {
    Files.writeString(Files.createDirectories(dir.resolve("a2")).resolve("exchange.yaml"), SOURCE);
    Files.writeString(Files.createDirectories(dir.resolve("a3")).resolve("exchange.yaml"), SOURCE);
    Files.writeString(Files.createDirectories(dir.resolve("b")).resolve("exchange.yaml"), """
        table-sinks:
          - node: dept-b
            type: CASE_STEP
            table: case_target
            key-columns: [id]
        """);
    // hub-a1 holds the cluster's database and broker and hosts no node; hub-a2 and hub-a3 both host dept-a.
    HubProcess a1 = started(HubProcess.embedded(dir.resolve("a1"), "hub-a1"));
    HubProcess a2 = started(sender(HubProcess.joining(a1, dir.resolve("a2"), "hub-a2")));
    HubProcess a3 = started(sender(HubProcess.joining(a1, dir.resolve("a3"), "hub-a3")));
    HubProcess b = HubProcess.embedded(dir.resolve("b"), "hub-b");
    b.env.remove("HUB_KAFKA_EMBEDDED_PORT");
    b.env.remove("HUB_KAFKA_EMBEDDED_CONTROLLER_PORT");
    b.env.put("HUB_KAFKA_BOOTSTRAP", "127.0.0.1:" + a1.env.get("HUB_KAFKA_EMBEDDED_PORT"));
    b.env.put("HUB_CLUSTER_NAME", "department-b");
    b.env.put("HUB_EXCHANGE_NODES", "dept-b");
    b.env.put("HUB_EXCHANGE_DEFINITIONS", "exchange.yaml");
    started(b);

    ExchangeSetup.register(b, a2, "dept-a");
    ExchangeSetup.register(a2, b, "dept-b");
    try (Connection a = a1.database(); Connection t = b.database()) {
      execute(a, "CREATE TABLE case_source " + TABLE);
      execute(t, "CREATE TABLE case_target " + TABLE);
      ExchangeSetup.countWrites(t, "case_target");
    }
    Eventually.holds("the source capturing and the sink open", Duration.ofSeconds(30), () ->
        a2.adminJson("GET", "/exchange/stats", null).getJsonArray("tableSources").getJsonObject(0).getBoolean("ready")
            && b.adminJson("GET", "/exchange/stats", null).getJsonArray("tableSinks").getJsonObject(0).getBoolean("ready"));

    try (Connection a = a1.database()) {
      for (int from = 1; from <= ROWS; from += 1000) {
        execute(a, "INSERT INTO case_source SELECT g, 'ISSUE-' || (g % 1000), 1, md5(g::text) FROM generate_series("
            + from + ", " + (from + 999) + ") g");
      }
    }
    Eventually.holds("a fifth applied", Duration.ofMinutes(3), () -> ExchangeSetup.writes(b) >= ROWS / 5);
    String relay;
    try (Connection a = a1.database()) {
      relay = row(a, "SELECT owner FROM exchange.relay_lease WHERE sender = 'dept-a'");
    }
    HubProcess holder = relay.equals("hub-a2") ? a2 : a3;
    holder.kill();

    Eventually.holds("every row applied", Duration.ofMinutes(5), () -> ExchangeSetup.writes(b) >= ROWS);
    try (Connection a = a1.database(); Connection t = b.database()) {
      assertEquals(row(a, CHECKSUM + " FROM case_source"), row(t, CHECKSUM + " FROM case_target"));
      assertEquals(Integer.toString(ROWS), row(t, "SELECT count(*) FROM applied"), "each row applied once");
      assertEquals("0", row(t, "SELECT count(*) FROM exchange.rejection"));
      assertNotEquals(relay, row(a, "SELECT owner FROM exchange.relay_lease WHERE sender = 'dept-a'"),
          "the surviving member relays now");
    }
    HubProcess survivor = holder == a2 ? a3 : a2;
    Eventually.holds("every message PROCESSED", Duration.ofMinutes(3), () -> {
      JsonObject sent = survivor.adminJson("GET", "/exchange/stats", null).getJsonObject("nodes")
          .getJsonObject("dept-a").getJsonObject("sent");
      return sent.getLong("processed", 0L) == ROWS && sent.size() == 1;
    });
  }

  private static final String SOURCE = """
      table-sources:
        - node: dept-a
          table: case_source
          issue-column: issue_no
          type: CASE_STEP
          schema: case-step
      routes:
        - id: a-to-b
          senders: [dept-a]
          receivers: [dept-b]
      """;

  private static HubProcess sender(HubProcess hub) {
    hub.env.put("HUB_EXCHANGE_NODES", "dept-a");
    hub.env.put("HUB_EXCHANGE_DEFINITIONS", "exchange.yaml");
    // A lapsed lease is taken over within seconds; unanswered messages are sent again within a minute.
    hub.env.put("HUB_EXCHANGE_RELAY_LEASE", "3s");
    hub.env.put("HUB_EXCHANGE_RECEIPT_TIMEOUT", "60s");
    hub.env.put("HUB_EXCHANGE_RETRY_INITIAL_BACKOFF", "1s");
    return hub;
  }

  private HubProcess started(HubProcess hub) throws Exception {
    hubs.add(0, hub);
    hub.start().awaitReady(Duration.ofMinutes(3));
    return hub;
  }
}
