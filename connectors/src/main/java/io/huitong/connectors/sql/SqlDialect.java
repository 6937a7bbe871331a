package io.huitong.connectors.sql;

import io.huitong.connector.ConnectorException.Failure;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mutiny.mysqlclient.MySQLBuilder;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.ClientBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.SqlConnectOptions;
import java.time.Duration;
import java.util.Set;

/** What differs between the SQL databases the connector speaks to: placeholders, drivers and error codes. */
enum SqlDialect {
  POSTGRESQL("postgresql", 5432) {
    @Override
    SqlConnectOptions connectOptions(Duration timeout) {
      // The server cancels a statement that outlives the call (SQLSTATE 57014) instead of it holding a connection.
      return new PgConnectOptions().setCachePreparedStatements(true)
          .addProperty("statement_timeout", Long.toString(timeout.toMillis()));
    }

    @Override
    ClientBuilder<Pool> builder() {
      return PgBuilder.pool();
    }

    @Override
    Failure classify(DatabaseException e) {
      String state = e.getSqlState() == null ? "" : e.getSqlState();
      if (state.equals("57014")) {
        return Failure.TIMEOUT;
      }
      if (state.startsWith("08") || state.startsWith("40") || state.startsWith("53") || state.startsWith("57P")) {
        return Failure.UNAVAILABLE;
      }
      if (state.startsWith("28") || state.startsWith("3D")) {
        return Failure.MISCONFIGURED;
      }
      return Failure.REJECTED;
    }
  },

  /** MySQL and MariaDB. */
  MYSQL("mysql", 3306) {
    /** Too many connections, lock wait timeout, deadlock, lost or refused connections. */
    private static final Set<Integer> UNAVAILABLE = Set.of(1040, 1205, 1213, 2002, 2003, 2006, 2013);
    /** Access denied, unknown database. */
    private static final Set<Integer> MISCONFIGURED = Set.of(1044, 1045, 1049, 1698);
    /** MariaDB's max_statement_time and MySQL's max_execution_time exceeded. */
    private static final Set<Integer> TIMED_OUT = Set.of(1969, 3024);

    @Override
    SqlConnectOptions connectOptions(Duration timeout) {
      return new MySQLConnectOptions().setCachePreparedStatements(true);
    }

    @Override
    ClientBuilder<Pool> builder() {
      return MySQLBuilder.pool();
    }

    @Override
    Failure classify(DatabaseException e) {
      String state = e.getSqlState() == null ? "" : e.getSqlState();
      if (TIMED_OUT.contains(e.getErrorCode())) {
        return Failure.TIMEOUT;
      }
      if (UNAVAILABLE.contains(e.getErrorCode()) || state.startsWith("08") || state.startsWith("40")) {
        return Failure.UNAVAILABLE;
      }
      if (MISCONFIGURED.contains(e.getErrorCode()) || state.startsWith("28")) {
        return Failure.MISCONFIGURED;
      }
      return Failure.REJECTED;
    }

    @Override
    boolean numberedPlaceholders() {
      return false;
    }

    @Override
    boolean backslashEscapes() {
      return true;
    }
  };

  private final String kind;
  private final int defaultPort;

  SqlDialect(String kind, int defaultPort) {
    this.kind = kind;
    this.defaultPort = defaultPort;
  }

  String kind() {
    return kind;
  }

  int defaultPort() {
    return defaultPort;
  }

  /** The driver's options, before host, database and credentials are set. */
  abstract SqlConnectOptions connectOptions(Duration timeout);

  abstract ClientBuilder<Pool> builder();

  /**
   * What a database error means for the caller: connection and resource trouble is transient, bad credentials or an
   * unknown database are the connector's settings, and anything else (constraints, syntax) refuses the request.
   */
  abstract Failure classify(DatabaseException e);

  /** {@code $1, $2} rather than {@code ?}. */
  boolean numberedPlaceholders() {
    return true;
  }

  /** Whether a backslash escapes the next character inside a quoted string. */
  boolean backslashEscapes() {
    return false;
  }
}
