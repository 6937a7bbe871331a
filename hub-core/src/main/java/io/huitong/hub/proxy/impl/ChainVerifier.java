package io.huitong.hub.proxy.impl;

import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the call audit chain: reads the head, then walks the rows up to it in order of seq, a page at a time,
 * recomputing every mac on a worker, and reports the first broken place. Rows appended during the walk lie beyond
 * the head it read and are left for the next check.
 */
final class ChainVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(ChainVerifier.class);
  static final int PAGE = 1000;
  private static final String PAGE_QUERY = "SELECT " + AuditRow.COLUMNS + " FROM proxy.call_audit"
      + " WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3";

  private final Storage storage;
  private final Context context;
  private final CallChain chain;

  ChainVerifier(Storage storage, Context context, CallChain chain) {
    this.storage = storage;
    this.context = context;
    this.chain = chain;
  }

  /**
   * The report: {@code ok}; {@code checked}, the rows found intact before the first broken place; {@code head}, the
   * seq and mac (hex) the chain must end at (worth noting elsewhere: rows cut off together with a rewound head are
   * found only against such a note); {@code firstBroken}, null or its {@code seq} and {@code problem}
   * ({@code edited}, {@code deleted} or {@code reordered}).
   */
  Uni<JsonObject> verify() {
    return storage.pool().chain(pool -> pool.query("SELECT seq, mac FROM proxy.call_audit_head").execute()
        .map(rows -> rows.iterator().next())
        .chain(head -> walk(pool, head.getLong("seq")).map(walk -> report(walk, head))));
  }

  /** Walks page after page until the end or the first break; the pages are read one after the other. */
  private Uni<CallChain.Walk> walk(Pool pool, long headSeq) {
    AtomicReference<CallChain.Walk> at = new AtomicReference<>(CallChain.Walk.start());
    return Multi.createBy().repeating().uni(() -> nextPage(pool, at, headSeq))
        .whilst(more -> more)
        .collect().last()
        .map(ignored -> at.get());
  }

  /** Walks one page; true when there may be more to walk. */
  private Uni<Boolean> nextPage(Pool pool, AtomicReference<CallChain.Walk> at, long headSeq) {
    return pool.preparedQuery(PAGE_QUERY).execute(Tuple.of(at.get().seq(), headSeq, PAGE)).chain(rows -> {
      List<AuditRow> page = new ArrayList<>(rows.size());
      rows.forEach(r -> page.add(AuditRow.read(r)));
      if (page.isEmpty()) {
        return Uni.createFrom().item(false);
      }
      return context.executeBlocking(() -> chain.walk(at.get(), page), false).map(next -> {
        at.set(next);
        return !next.broken() && page.size() == PAGE;
      });
    });
  }

  private static JsonObject report(CallChain.Walk walk, Row head) {
    long headSeq = head.getLong("seq");
    byte[] headMac = head.getBuffer("mac").getBytes();
    CallChain.Walk end = walk;
    if (!end.broken() && end.seq() < headSeq) {
      end = end.broke(end.seq() + 1, CallChain.Problem.DELETED);
    } else if (!end.broken() && !MessageDigest.isEqual(end.mac(), headMac)) {
      end = end.broke(headSeq, CallChain.Problem.EDITED);
    }
    JsonObject report = new JsonObject().put("ok", !end.broken()).put("checked", end.checked())
        .put("head", new JsonObject().put("seq", headSeq).put("mac", HexFormat.of().formatHex(headMac)))
        .put("firstBroken", end.broken()
            ? new JsonObject().put("seq", end.brokenSeq()).put("problem", end.problem().label()) : null);
    if (end.broken()) {
      LOG.warn("The call audit chain is broken at seq {}: {}", end.brokenSeq(), end.problem().label());
    }
    return report;
  }
}
