package io.huitong.hub.ops.impl;

import io.huitong.hub.http.OnContext;
import io.huitong.hub.ops.AuditEntry;
import io.huitong.hub.ops.AuditEvent;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link AuditLog} in table {@code ops.audit_log}, with group commit: while one write is in flight, the events
 * recorded meanwhile wait and then go in together, one transaction for all of them. A lone event is written at once,
 * so batching adds no delay; in a burst (a city logging in, most of it answered 503, each answer audited) the commits
 * and round trips are per batch instead of per event. Each event's {@code Uni} still completes only once its row is
 * committed.
 */
public final class PgAuditLog implements AuditLog {
  private static final String INSERT = "INSERT INTO ops.audit_log "
      + "(node, actor, action, target, outcome, request_id, remote_address, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
  private static final String PAGE = "SELECT id, occurred_at, node, actor, action, target, outcome, request_id, "
      + "remote_address, detail FROM ops.audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2";
  /** Most events in one transaction; the rest go in the next. */
  private static final int MAX_BATCH = 256;
  /** Most events waiting for a write; past it (the database far behind or down) record() fails at once. */
  private static final int MAX_QUEUED = 100_000;

  private final Storage storage;
  private final String node;
  /** Events recorded and not yet in a write; guarded by itself, as is {@link #writing}. */
  private final ArrayDeque<Pending> queued = new ArrayDeque<>();
  private boolean writing;

  /** An event waiting for its row; {@link OnContext#resume} brings the answer back to its caller's context. */
  private record Pending(Tuple values, CompletableFuture<Void> committed) {
  }

  public PgAuditLog(Storage storage, String node) {
    this.storage = storage;
    this.node = node;
  }

  @Override
  public Uni<Void> record(AuditEvent e) {
    Tuple values = Tuple.tuple(List.of(node, e.actor(), e.action()))
        .addString(e.target()).addString(e.outcome()).addString(e.requestId()).addString(e.remoteAddress())
        .addValue(e.detail() == null ? new JsonObject() : e.detail());
    return OnContext.resume(() -> {
      CompletableFuture<Void> committed = new CompletableFuture<>();
      boolean start;
      synchronized (queued) {
        if (queued.size() >= MAX_QUEUED) {
          committed.completeExceptionally(
              new IllegalStateException(MAX_QUEUED + " audit events already wait for the database"));
          return committed;
        }
        queued.add(new Pending(values, committed));
        start = !writing;
        writing = true;
      }
      if (start) {
        writeNext();
      }
      return committed;
    });
  }

  /** Writes what is queued as one batch, then the next, until the queue is empty. */
  private void writeNext() {
    List<Pending> batch = new ArrayList<>();
    synchronized (queued) {
      while (batch.size() < MAX_BATCH && !queued.isEmpty()) {
        batch.add(queued.poll());
      }
      if (batch.isEmpty()) {
        writing = false;
        return;
      }
    }
    List<Tuple> rows = batch.stream().map(Pending::values).toList();
    storage.pool().chain(pool -> pool.preparedQuery(INSERT).executeBatch(rows)).subscribe().with(
        inserted -> {
          // The next batch goes out before this one's callers go on, and whatever they do cannot stop the writing.
          writeNext();
          batch.forEach(p -> p.committed().complete(null));
        },
        failed -> {
          writeNext();
          if (batch.size() > 1 && failed instanceof PgException) {
            // The database refused a row (say a detail its jsonb cannot hold): that one must not take the others
            // with it, so each is tried on its own. A lost connection fails the batch as it is.
            batch.forEach(this::writeAlone);
          } else {
            batch.forEach(p -> p.committed().completeExceptionally(failed));
          }
        });
  }

  private void writeAlone(Pending p) {
    storage.pool().chain(pool -> pool.preparedQuery(INSERT).execute(p.values()))
        .subscribe().with(inserted -> p.committed().complete(null), p.committed()::completeExceptionally);
  }

  @Override
  public Uni<List<AuditEntry>> page(long beforeId, int limit) {
    return storage.pool()
        .flatMap(pool -> pool.preparedQuery(PAGE).execute(Tuple.of(beforeId, Math.min(limit, MAX_PAGE))))
        .map(rows -> {
          List<AuditEntry> entries = new ArrayList<>();
          for (Row r : rows) {
            entries.add(new AuditEntry(r.getLong("id"), r.getOffsetDateTime("occurred_at").toInstant(),
                r.getString("node"), new AuditEvent(r.getString("actor"), r.getString("action"), r.getString("target"),
                r.getString("outcome"), r.getString("request_id"), r.getString("remote_address"),
                (JsonObject) r.getValue("detail"))));
          }
          return entries;
        });
  }
}
