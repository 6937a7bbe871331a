package io.huitong.hub.storage;

import io.huitong.config.Secret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh database on the machine's PostgreSQL (127.0.0.1:5432, role postgres, no password) with one capability's
 * schema migrated, for a test class that drives a capability without a whole hub; dropped on {@link #close()}.
 */
public final class ScratchDatabase implements AutoCloseable {
  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String USER = "postgres";

  private final String name;

  private ScratchDatabase(String name) {
    this.name = name;
  }

  /** Creates {@code huitong_<prefix>_<random>} and brings {@code capability}'s schema to the newest version. */
  public static ScratchDatabase create(String prefix, String capability) throws SQLException {
    ScratchDatabase db = new ScratchDatabase("huitong_" + prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, ""); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db.name);
    }
    Migrations.migrate(db.location(), capability);
    return db;
  }

  public PgLocation location() {
    return new PgLocation("127.0.0.1", 5432, name, USER, Secret.of(""), false);
  }

  /** A JDBC connection to it, as its superuser: for what a test checks or changes behind the hub's back. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(SERVER + name, USER, "");
  }

  /** Runs one statement behind the hub's back, such as altering a row to see that the hub notices. */
  public void execute(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The first column of the first row {@code query} returns, as bytes; null when there is no row. */
  public byte[] bytes(String query) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); java.sql.ResultSet rows = s.executeQuery(query)) {
      return rows.next() ? rows.getBytes(1) : null;
    }
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, ""); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }
}
