package io.huitong.hub.proxy.impl;

import io.huitong.hub.http.OnContext;
import io.huitong.hub.http.HubError;
import io.huitong.hub.proxy.ProxyCall;
import io.huitong.hub.proxy.ProxyConfig;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call audit (调用审计): every call through the proxy becomes a row of {@code proxy.call_audit}, chained with
 * HMAC-SM3 ({@link CallChain}). {@link #record} queues the row and completes once the row is committed, so no
 * answered call is ever missing from the chain, whatever crashes; the rows of many concurrent calls share one
 * commit: a timer writes what is queued every {@code proxy.audit.flush-interval}, and a full batch
 * ({@code proxy.audit.max-batch}) is written at once.
 *
 * <p>One chain for the cluster: a member appends a batch in one transaction that first locks the chain's head
 * ({@code proxy.call_audit_head}, {@code SELECT ... FOR UPDATE}), links the batch after it, inserts it and moves the
 * head. Members wait for each other only for that transaction, and one chain keeps the check simple: one sequence
 * without gaps, one head that says where it must end. (Per-member chains would spare the lock but make a deleted
 * member's whole chain, and its head, something the check has to be told about.)
 *
 * <p>When the database is behind or away, queued rows are kept and written again after a pause; once ten batches
 * are waiting, {@link #record} fails and the proxy refuses the call (503) rather than answer it unaudited. The calls
 * whose batch failed are answered 503 as well, while their rows stay queued to be written on the next try: the
 * department may have acted on them.
 *
 * <p>Threads: {@link #record} runs on any event loop; the queue is the only state it shares. Writing happens on the
 * one context the audit was started on, and linking a batch (the HMACs) on a worker.
 */
public final class CallAudit {
  private static final Logger LOG = LoggerFactory.getLogger(CallAudit.class);
  /** Batches that may wait in memory before calls are refused. */
  static final int BUFFERED_BATCHES = 10;
  /** After a failed write, how long the timer leaves the database alone. */
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
  public static final int MAX_PAGE = 1000;
  private static final String INSERT = "INSERT INTO proxy.call_audit (" + AuditRow.COLUMNS + ")"
      + " SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],"
      + " $7::integer[], $8::text[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],"
      + " $15::bytea[])";
  private static final String RECENT = "SELECT " + AuditRow.COLUMNS + " FROM proxy.call_audit"
      + " WHERE ($1::text IS NULL OR service = $1) AND ($2::text IS NULL OR consumer = $2)"
      + " AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)"
      + " ORDER BY seq DESC LIMIT $5";

  private final Vertx vertx;
  private final Context context;
  private final Storage storage;
  private final CallChain chain;
  private final String member;
  private final int maxBatch;
  private final ConcurrentLinkedDeque<Pending> queue = new ConcurrentLinkedDeque<>();
  private final AtomicInteger queued = new AtomicInteger();
  private volatile boolean closed;
  private long timer;
  // Confined to the context:
  private boolean flushing;
  private long pausedUntil;
  private CompletableFuture<Void> closing;

  private CallAudit(Vertx vertx, Storage storage, CallChain chain, String member, int maxBatch) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.storage = storage;
    this.chain = chain;
    this.member = member;
    this.maxBatch = maxBatch;
    this.pausedUntil = System.nanoTime();
  }

  /** A queued row and the call waiting for its commit. */
  private record Pending(AuditRow row, CompletableFuture<Void> committed) {
  }

  /**
   * Checks that the audit table is there and starts the flush timer.
   *
   * @param key    the chain's HMAC-SM3 key, {@code master.derive("proxy/call-audit")} in the hub
   * @param member this member's name, written in each of its rows
   */
  public static Uni<CallAudit> start(Vertx vertx, Storage storage, byte[] key, String member, ProxyConfig config) {
    return storage.pool().chain(pool -> pool.query("SELECT seq FROM proxy.call_audit_head").execute())
        .map(head -> {
          CallAudit audit = new CallAudit(vertx, storage, new CallChain(key), member, config.auditBatch());
          audit.context.runOnContext(() ->
              audit.timer = vertx.setPeriodic(config.auditFlushInterval().toMillis(), id -> audit.flush()));
          return audit;
        });
  }

  /**
   * Queues {@code call} for the chain; completes when its row is committed. Fails with {@link HubError#NOT_READY} when
   * {@value #BUFFERED_BATCHES} batches are already waiting, and with {@link HubError#SHUTTING_DOWN} once closed.
   */
  public Uni<Void> record(ProxyCall call) {
    if (closed) {
      return Uni.createFrom().failure(HubError.SHUTTING_DOWN.exception("The call audit is closed"));
    }
    int waiting = queued.incrementAndGet();
    if (waiting > maxBatch * BUFFERED_BATCHES) {
      queued.decrementAndGet();
      return Uni.createFrom().failure(HubError.NOT_READY.exception("The call audit cannot keep up with the calls"));
    }
    Pending pending = new Pending(AuditRow.of(call, member), new CompletableFuture<>());
    queue.offerLast(pending);
    if (waiting % maxBatch == 0) {
      context.runOnContext(this::flush);
    }
    return OnContext.resume(() -> pending.committed);
  }

  /** Records queued and not yet written. */
  int queued() {
    return queued.get();
  }

  /** Writes one batch unless one is being written; on the context. */
  private void flush() {
    if (flushing) {
      return;
    }
    if (queued.get() == 0) {
      if (closing != null) {
        closing.complete(null);
      }
      return;
    }
    if (closing == null && System.nanoTime() - pausedUntil < 0) {
      return;
    }
    List<Pending> batch = take();
    if (batch.isEmpty()) {
      // record() counts a row just before it queues it: the count can run ahead of the queue for a moment.
      if (closing != null) {
        context.runOnContext(this::flush);
      }
      return;
    }
    flushing = true;
    write(batch.stream().map(Pending::row).toList()).emitOn(context::runOnContext).subscribe().with(written -> {
      flushing = false;
      batch.forEach(p -> p.committed.complete(null));
      if (closing != null || queued.get() >= maxBatch) {
        flush();
      }
    }, failure -> {
      flushing = false;
      RuntimeException notWritten = HubError.NOT_READY.exception("The call could not be recorded in the audit log");
      batch.forEach(p -> p.committed.completeExceptionally(notWritten));
      if (closing != null) {
        LOG.error("{} call audit records lost on close: {}", batch.size() + queued.get(), failure.toString());
        take().forEach(p -> p.committed.completeExceptionally(notWritten));
        closing.complete(null);
        return;
      }
      putBack(batch);
      pausedUntil = System.nanoTime() + RETRY_PAUSE.toNanos();
      LOG.warn("{} call audit records not written, trying again in {} s: {}", queued.get(), RETRY_PAUSE.toSeconds(),
          failure.toString());
    });
  }

  private List<Pending> take() {
    List<Pending> batch = new ArrayList<>(Math.min(maxBatch, queued.get()));
    Pending row;
    while (batch.size() < maxBatch && (row = queue.pollFirst()) != null) {
      batch.add(row);
    }
    queued.addAndGet(-batch.size());
    return batch;
  }

  /** Rows of a failed batch go back to the front, as fresh entries: their callers were answered already. */
  private void putBack(List<Pending> batch) {
    for (int i = batch.size() - 1; i >= 0; i--) {
      queue.offerFirst(new Pending(batch.get(i).row, new CompletableFuture<>()));
    }
    queued.addAndGet(batch.size());
  }

  /** Appends {@code batch} to the chain in one transaction that holds the head locked. */
  private Uni<Void> write(List<AuditRow> batch) {
    return storage.pool().chain(pool -> pool.withTransaction(tx -> lockHead(tx)
        .chain(head -> context.executeBlocking(
            () -> chain.link(head.getLong("seq"), head.getBuffer("mac").getBytes(), batch), false))
        .call(linked -> tx.preparedQuery(INSERT).execute(AuditRow.columns(linked)))
        .call(linked -> {
          AuditRow last = linked.get(linked.size() - 1);
          return tx.preparedQuery("UPDATE proxy.call_audit_head SET seq = $1, mac = $2")
              .execute(Tuple.of(last.seq(), Buffer.buffer(last.mac())));
        })))
        .replaceWithVoid();
  }

  private static Uni<Row> lockHead(SqlConnection tx) {
    return tx.query("SELECT seq, mac FROM proxy.call_audit_head FOR UPDATE").execute()
        .map(rows -> rows.iterator().next());
  }

  /**
   * The newest rows, newest first, of one service and one consumer when given, at or after {@code from} and before
   * {@code to} when given.
   *
   * @param limit at most {@value #MAX_PAGE}
   */
  public Uni<JsonObject> recent(String service, String consumer, Instant from, Instant to, int limit) {
    Tuple args = Tuple.tuple(Arrays.asList(service, consumer, from == null ? null : from.atOffset(ZoneOffset.UTC),
        to == null ? null : to.atOffset(ZoneOffset.UTC), Math.min(limit, MAX_PAGE)));
    return storage.pool().chain(pool -> pool.preparedQuery(RECENT).execute(args)).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(AuditRow.read(r).toJson()));
      return new JsonObject().put("records", out);
    });
  }

  /** Checks the whole chain: see {@link ChainVerifier#verify()}. */
  public Uni<JsonObject> verify() {
    return new ChainVerifier(storage, context, chain).verify();
  }

  /** Stops the timer and writes everything queued; calls recorded from now on are refused. */
  public Uni<Void> close() {
    CompletableFuture<Void> drained = new CompletableFuture<>();
    context.runOnContext(() -> {
      closed = true;
      vertx.cancelTimer(timer);
      closing = drained;
      flush();
    });
    return Uni.createFrom().completionStage(drained);
  }
}
