package io.huitong.hub.exchange.impl;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;

/**
 * Blocking use of the hub's reactive pool for the exchange's own threads (relay and receivers), which must never be
 * Vert.x threads: each call waits for its statement, so the CPU work between statements (signing, digests, JSON) runs
 * on the calling thread and never in a callback on an event loop.
 */
final class Sql {
  /** A statement that takes longer than this has lost its database. */
  static final Duration STATEMENT_LIMIT = Duration.ofSeconds(60);

  private final SqlConnection connection;

  private Sql(SqlConnection connection) {
    this.connection = connection;
  }

  /** Work done inside one transaction. */
  interface Work<T> {
    T run(Sql sql) throws Exception;
  }

  /**
   * Runs {@code work} in a transaction on a pooled connection: committed if it returns, rolled back if it throws.
   * Plain BEGIN and COMMIT rather than the client's Transaction, which rolls back at the first failed statement
   * and so would undo a {@link #savepoint} that was meant to contain the failure.
   */
  static <T> T inTransaction(Pool pool, Work<T> work) throws Exception {
    SqlConnection c = pool.getConnection().await().atMost(STATEMENT_LIMIT);
    try {
      c.query("BEGIN").execute().await().atMost(STATEMENT_LIMIT);
      try {
        T result = work.run(new Sql(c));
        c.query("COMMIT").execute().await().atMost(STATEMENT_LIMIT);
        return result;
      } catch (Exception | Error e) {
        try {
          c.query("ROLLBACK").execute().await().atMost(STATEMENT_LIMIT);
        } catch (RuntimeException alreadyGone) {
          e.addSuppressed(alreadyGone);
        }
        throw e;
      }
    } finally {
      c.close().await().atMost(STATEMENT_LIMIT);
    }
  }

  /** One statement outside any transaction. */
  static RowSet<Row> once(Pool pool, String statement, Tuple args) {
    return pool.preparedQuery(statement).execute(args).await().atMost(STATEMENT_LIMIT);
  }

  /** Schema and name of {@code table} ({@code name} or {@code schema.name}; {@code public} when no schema). */
  static String[] tableParts(String table) {
    return table.contains(".") ? table.split("\\.", 2) : new String[] {"public", table};
  }

  /** True when {@code table} ({@code name} or {@code schema.name}) exists. */
  static boolean tableExists(Pool pool, String table) {
    return once(pool, "SELECT to_regclass($1) IS NOT NULL", Tuple.of(table)).iterator().next().getBoolean(0);
  }

  RowSet<Row> run(String statement, Tuple args) {
    return connection.preparedQuery(statement).execute(args).await().atMost(STATEMENT_LIMIT);
  }

  void batch(String statement, List<Tuple> rows) {
    if (!rows.isEmpty()) {
      connection.preparedQuery(statement).executeBatch(rows).await().atMost(STATEMENT_LIMIT);
    }
  }

  /** Runs {@code work} so that a failure undoes only its own statements, not the whole transaction. */
  <T> T savepoint(String name, Work<T> work) throws Exception {
    connection.query("SAVEPOINT " + name).execute().await().atMost(STATEMENT_LIMIT);
    try {
      T result = work.run(this);
      connection.query("RELEASE SAVEPOINT " + name).execute().await().atMost(STATEMENT_LIMIT);
      return result;
    } catch (io.vertx.pgclient.PgException e) {
      connection.query("ROLLBACK TO SAVEPOINT " + name).execute().await().atMost(STATEMENT_LIMIT);
      throw e;
    }
  }
}
