package io.huitong.hub.storage;

import io.huitong.hub.http.OnContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One prepared statement run in batches: while one batch is in flight, the calls made meanwhile wait and then go
 * together as the next batch, one round trip and one transaction for all of them. For a write that is group commit
 * (one commit, one WAL flush); for a read, one round trip and one wake-up of the server instead of one a call. A lone
 * call goes at once, so batching adds no delay on a quiet hub; under load the round trips, and the commits, are per
 * batch instead of per call. Each call's {@code Uni} completes, on its caller's context, only once its batch is done
 * (committed), with the rows its own statement returned.
 *
 * <p>A batch the database refuses (a row it cannot take, a deadlock with another writer) rolls back as a whole, so
 * each of its statements is then tried on its own: one cannot take the others with it. A lost connection fails the
 * batch as it is.
 */
public final class BatchedStatement {
  /** Most statements in one transaction; the rest go in the next. */
  private static final int MAX_BATCH = 256;
  /** Most statements waiting; past it (the database far behind or down) a call fails at once. */
  private static final int MAX_QUEUED = 100_000;

  private final Storage storage;
  private final String sql;
  /** Statements not yet in a batch; guarded by itself, as is {@link #running}. */
  private final ArrayDeque<Pending> queued = new ArrayDeque<>();
  private boolean running;

  private record Pending(Tuple values, CompletableFuture<RowSet<Row>> done) {
  }

  public BatchedStatement(Storage storage, String sql) {
    this.storage = storage;
    this.sql = sql;
  }

  /** Runs the statement with {@code values} in the next batch; its rows once that batch is committed. */
  public Uni<RowSet<Row>> execute(Tuple values) {
    return OnContext.resume(() -> {
      CompletableFuture<RowSet<Row>> done = new CompletableFuture<>();
      boolean start;
      synchronized (queued) {
        if (queued.size() >= MAX_QUEUED) {
          done.completeExceptionally(new IllegalStateException(MAX_QUEUED + " statements already wait for the database"));
          return done;
        }
        queued.add(new Pending(values, done));
        start = !running;
        running = true;
      }
      if (start) {
        runNext();
      }
      return done;
    });
  }

  /** Runs what is queued as one batch, then the next, until the queue is empty. */
  private void runNext() {
    List<Pending> batch = new ArrayList<>();
    synchronized (queued) {
      while (batch.size() < MAX_BATCH && !queued.isEmpty()) {
        batch.add(queued.poll());
      }
      if (batch.isEmpty()) {
        running = false;
        return;
      }
    }
    List<Tuple> tuples = batch.stream().map(Pending::values).toList();
    storage.pool().chain(pool -> pool.preparedQuery(sql).executeBatch(tuples)).subscribe().with(
        results -> {
          // The next batch goes out before this one's callers go on, and whatever they do cannot stop the batches.
          runNext();
          RowSet<Row> own = results;
          for (Pending p : batch) {
            p.done().complete(own);
            own = own.next();
          }
        },
        failed -> {
          runNext();
          if (batch.size() > 1 && failed instanceof PgException) {
            batch.forEach(this::runAlone);
          } else {
            batch.forEach(p -> p.done().completeExceptionally(failed));
          }
        });
  }

  private void runAlone(Pending p) {
    storage.pool().chain(pool -> pool.preparedQuery(sql).execute(p.values()))
        .subscribe().with(p.done()::complete, p.done()::completeExceptionally);
  }
}
