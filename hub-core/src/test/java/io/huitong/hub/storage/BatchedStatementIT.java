package io.huitong.hub.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A batched statement that returns rows, over the machine's PostgreSQL: each caller gets the rows of its own
 * statement although many share a transaction, and a statement sees the ones before it in its batch, so of two
 * compare-and-set updates of one row only the first succeeds. (AuditLogIT covers refused rows and callers' contexts.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchedStatementIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final int ROWS = 300;
  /** Moves a counter on only from the value the caller read, as a refresh token's rotation does. */
  private static final String ADVANCE = "UPDATE counter SET n = n + 1, xid = txid_current() WHERE id = $1 AND n = $2"
      + " RETURNING id, n";

  private final Vertx vertx = Vertx.vertx();
  private final Storage storage = new Storage();
  private ScratchDatabase database;
  private BatchedStatement advances;

  @BeforeAll
  void start() throws Exception {
    database = ScratchDatabase.create("batched", "ops");
    database.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, xid BIGINT)");
    database.execute("INSERT INTO counter (id, n) SELECT i, 0 FROM generate_series(1, " + ROWS + ") i");
    storage.open(vertx, database.location(), 2);
    advances = new BatchedStatement(storage, ADVANCE);
  }

  @AfterAll
  void stop() throws Exception {
    storage.close().await().atMost(LIMIT);
    vertx.closeAndAwait();
    database.close();
  }

  @Test
  void eachCallerGetsTheRowsOfItsOwnStatementThoughManyShareATransaction() throws Exception {
    List<Uni<RowSet<Row>>> answers = new ArrayList<>();
    for (int id = 1; id <= ROWS; id++) {
      answers.add(advances.execute(Tuple.of(id, 0)).memoize().indefinitely());
    }
    answers.forEach(a -> a.subscribe().with(x -> { }, x -> { }));
    for (int id = 1; id <= ROWS; id++) {
      RowSet<Row> rows = answers.get(id - 1).await().atMost(LIMIT);
      assertEquals(1, rows.size(), "counter " + id + " moved once");
      Row row = rows.iterator().next();
      assertEquals(id, row.getInteger("id"), "the caller of counter " + id + " got another statement's row");
      assertEquals(1, row.getInteger("n"));
    }

    Set<Long> transactions = new TreeSet<>();
    try (Connection c = database.connect(); Statement s = c.createStatement();
         ResultSet rows = s.executeQuery("SELECT xid FROM counter WHERE id <= " + ROWS)) {
      while (rows.next()) {
        transactions.add(rows.getLong(1));
      }
    }
    assertTrue(transactions.size() < ROWS, ROWS + " statements made at once took " + transactions.size() + " transactions");
  }

  @Test
  void ofTwoCompareAndSetUpdatesOfOneRowInOneBatchOnlyTheFirstSucceeds() throws Exception {
    database.execute("INSERT INTO counter (id, n) VALUES (1001, 10), (1002, 10), (1003, 10)");
    // The first call goes at once; the next three wait for it and then go together.
    List<Uni<RowSet<Row>>> answers = new ArrayList<>();
    for (int id : new int[] {1002, 1001, 1001, 1003}) {
      answers.add(advances.execute(Tuple.of(id, 10)).memoize().indefinitely());
    }
    answers.forEach(a -> a.subscribe().with(x -> { }, x -> { }));
    List<Integer> moved = new ArrayList<>();
    for (Uni<RowSet<Row>> answer : answers) {
      moved.add(answer.await().atMost(LIMIT).size());
    }
    assertEquals(List.of(1, 1, 0, 1), moved, "the second update of counter 1001 found it moved on already");
  }
}
