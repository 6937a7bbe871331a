package io.huitong.hub.ops.impl;

import io.huitong.hub.ops.AuditEntry;
import io.huitong.hub.ops.AuditEvent;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.storage.BatchedStatement;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link AuditLog} in table {@code ops.audit_log}, written with group commit ({@link BatchedStatement}): in a burst
 * (a city logging in, most of it answered 503, each answer audited) the commits and round trips are per batch instead
 * of per event, and a lone event is written at once. Each event's {@code Uni} still completes only once its row is
 * committed.
 */
public final class PgAuditLog implements AuditLog {
  private static final String INSERT = "INSERT INTO ops.audit_log "
      + "(node, actor, action, target, outcome, request_id, remote_address, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
  private static final String PAGE = "SELECT id, occurred_at, node, actor, action, target, outcome, request_id, "
      + "remote_address, detail FROM ops.audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2";

  private final Storage storage;
  private final String node;
  private final BatchedStatement inserts;

  public PgAuditLog(Storage storage, String node) {
    this.storage = storage;
    this.node = node;
    this.inserts = new BatchedStatement(storage, INSERT);
  }

  @Override
  public Uni<Void> record(AuditEvent e) {
    Tuple values = Tuple.tuple(List.of(node, e.actor(), e.action()))
        .addString(e.target()).addString(e.outcome()).addString(e.requestId()).addString(e.remoteAddress())
        .addValue(e.detail() == null ? new JsonObject() : e.detail());
    return inserts.execute(values).replaceWithVoid();
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
