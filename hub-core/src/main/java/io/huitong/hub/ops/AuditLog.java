package io.huitong.hub.ops;

import io.huitong.hub.ops.impl.PgAuditLog;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * The audit log (审计日志): an append-only record of who did what to the hub. Methods may be called from any
 * thread; the returned {@code Uni}s complete on a Vert.x context.
 */
public interface AuditLog {
  /** Largest page {@link #page} returns. */
  int MAX_PAGE = 500;

  /** Appends {@code event}; completes once it is committed. */
  Uni<Void> record(AuditEvent event);

  /** Up to {@code limit} entries with ids below {@code beforeId}, newest first ({@code Long.MAX_VALUE} for the newest). */
  Uni<List<AuditEntry>> page(long beforeId, int limit);

  static AuditLog create(Storage storage, String node) {
    return new PgAuditLog(storage, node);
  }
}
