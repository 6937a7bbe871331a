package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code HUB_PG_URL} replaces the embedded database with the machine's own PostgreSQL on 5432 (which .ci/run makes
 * sure is running): the hub migrates its schemas there and starts no server of its own.
 */
class ExternalPostgresIT {
  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String USER = "postgres";

  private boolean databaseCreated;
  private final String database = "huitong_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @BeforeEach
  void createDatabase() throws Exception {
    // A developer's machine may have no PostgreSQL of its own; CI's has one, and .ci/run makes this test mandatory.
    boolean required = "1".equals(System.getenv("HUITONG_REQUIRE_MACHINE_PG"));
    if (!required) {
      try (java.net.Socket probe = new java.net.Socket()) {
        probe.connect(new java.net.InetSocketAddress("127.0.0.1", 5432), 2000);
      } catch (java.io.IOException none) {
        org.junit.jupiter.api.Assumptions.abort("no PostgreSQL on 127.0.0.1:5432");
      }
    }
    try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, ""); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    databaseCreated = true;
  }

  @AfterEach
  void dropDatabase() throws Exception {
    if (!databaseCreated) {
      return;
    }
    try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, ""); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  @Test
  void hubRunsOnTheMachinesPostgres(@TempDir Path dir) throws Exception {
    try (HubProcess hub = HubProcess.embedded(dir, "external-pg")) {
      hub.env.remove("HUB_PG_EMBEDDED_PORT");
      hub.env.put("HUB_PG_URL", "postgresql://" + USER + "@127.0.0.1:5432/" + database);
      hub.start().awaitReady(Duration.ofSeconds(60));

      JsonObject postgres = new JsonObject(hub.get("/health/ready").body()).getJsonObject("components").getJsonObject("postgres");
      assertEquals("UP", postgres.getString("status"));
      assertFalse(postgres.getBoolean("embedded"));
      assertFalse(Files.exists(hub.dataDir().resolve("pg")), "no embedded server when an external one is configured");

      try (Connection c = DriverManager.getConnection(SERVER + database, USER, "");
           Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT count(*) FROM ops.audit_log WHERE action = 'hub.started'")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getInt(1));
      }
      hub.sigterm();
      assertEquals(0, hub.awaitExit(Duration.ofSeconds(60)), hub.stderr());
    }
  }
}
