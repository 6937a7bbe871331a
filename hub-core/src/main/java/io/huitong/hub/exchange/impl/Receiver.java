package io.huitong.hub.exchange.impl;

import io.huitong.crypto.CryptoException;
import io.huitong.exchange.EnvelopeException;
import io.huitong.exchange.EnvelopeJson;
import io.huitong.exchange.ExchangeEnvelope;
import io.huitong.exchange.ExchangeRecord;
import io.huitong.exchange.TraceContext;
import io.huitong.hub.exchange.ExchangeNode;
import io.huitong.hub.exchange.MessageState;
import io.huitong.hub.exchange.ReceiptLevel;
import io.huitong.hub.exchange.RejectCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of one hosted node, on a thread of its own: reads the node's topic and, for each envelope,
 * checks it (signature and digests against the sender's registered certificate, decryption, expiry), deduplicates it
 * by message id, applies its records in per-issue order through the node's sink (holding a record whose predecessor
 * has not arrived, refusing one that would move its issue backwards), records receipts for the sender, and only then
 * commits the Kafka offset. All of one envelope's effects commit in one transaction, so a crash at any point either
 * repeats an envelope, which deduplication answers, or loses nothing.
 *
 * <p>Envelopes whose signature does not check out are listed as rejected and get no receipt: their sender is not
 * proven, and a receipt could mark the genuine message of the same id as refused.
 */
final class Receiver implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Receiver.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

  private final NodeKeys node;
  private final Pool pool;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Sinks sinks;
  private final RemoteNodes nodes;
  private final ReceiptWriter receipts;
  private final ExchangeMetrics metrics;
  private final Runnable wakeRelay;
  private volatile boolean running = true;

  Receiver(NodeKeys node, Pool pool, KafkaConsumer<String, byte[]> consumer, Sinks sinks, RemoteNodes nodes,
           ReceiptWriter receipts, ExchangeMetrics metrics, Runnable wakeRelay) {
    this.node = node;
    this.pool = pool;
    this.consumer = consumer;
    this.sinks = sinks;
    this.nodes = nodes;
    this.receipts = receipts;
    this.metrics = metrics;
    this.wakeRelay = wakeRelay;
  }

  void stop() {
    running = false;
    consumer.wakeup();
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(Topics.of(node.id())));
      while (running) {
        try {
          ConsumerRecords<String, byte[]> batch = consumer.poll(POLL);
          for (TopicPartition tp : batch.partitions()) {
            if (!consume(tp, batch.records(tp))) {
              break;
            }
          }
          for (TopicPartition tp : consumer.assignment()) {
            consumer.currentLag(tp).ifPresent(lag -> metrics.consumerLag(node.id(), lag));
          }
        } catch (WakeupException stopping) {
          // stop() woke the poll; the loop condition ends it
        } catch (RuntimeException e) {
          // Kafka unreachable, the group rebalanced under us, ...: nothing committed is lost; poll again.
          LOG.warn("Receiver of node {} failed a poll and will try again: {}", node.id(), e.toString());
          sleep(RETRY_PAUSE);
        }
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /**
   * Handles one partition's records in order, committing each offset after its envelope committed. On a failure
   * (the database gone, say) it seeks back to the failed record so the next poll retries it; false then.
   */
  private boolean consume(TopicPartition tp, List<ConsumerRecord<String, byte[]>> records) {
    for (ConsumerRecord<String, byte[]> r : records) {
      try {
        receive(r.value());
        consumer.commitSync(Map.of(tp, new OffsetAndMetadata(r.offset() + 1)));
      } catch (WakeupException e) {
        throw e;
      } catch (Exception e) {
        LOG.warn("Node {} could not take the envelope at {}@{}; retrying: {}", node.id(), tp, r.offset(), e.toString());
        try {
          consumer.seek(tp, r.offset());
        } catch (IllegalStateException reassigned) {
          // the partition went to another member, which starts from the last committed offset
        }
        sleep(RETRY_PAUSE);
        return false;
      }
    }
    wakeRelay.run();
    return true;
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Checks, deduplicates and applies one envelope. */
  void receive(byte[] raw) throws Exception {
    ExchangeEnvelope envelope;
    try {
      envelope = EnvelopeJson.read(raw);
    } catch (EnvelopeException e) {
      reject(null, null, RejectCode.SCHEMA_INVALID, "the envelope does not parse: " + e.getMessage(), raw);
      return;
    }
    if (!envelope.receiver().equals(node.id())) {
      reject(envelope, null, RejectCode.SCHEMA_INVALID, "the envelope is addressed to " + envelope.receiver(), raw);
      return;
    }
    String problem = authenticate(envelope);
    if (problem != null) {
      reject(envelope, null, RejectCode.SIGNATURE_INVALID, problem, raw);
      return;
    }
    List<byte[]> payloads;
    try {
      payloads = envelope.plaintexts(node.decryptKey());
    } catch (CryptoException e) {
      reject(envelope, null, RejectCode.SIGNATURE_INVALID, "the payloads do not decrypt: " + e.getMessage(), raw);
      return;
    }
    TraceContext trace = TraceContext.parse(envelope.traceparent());
    TraceContext span = trace == null ? TraceContext.newTrace() : trace.child();
    if (ReceiptWriter.TYPE.equals(envelope.type())) {
      Sql.inTransaction(pool, sql -> {
        receipts.take(sql, node.id(), envelope, payloads, span);
        return null;
      });
      return;
    }
    if (envelope.expired(Instant.now()) && !received(envelope)) {
      Sql.inTransaction(pool, sql -> {
        sql.run(REJECTION, Tuple.from(rejectionRow(envelope.sender(), envelope.messageId(), null,
            RejectCode.EXPIRED, "expired at " + envelope.expiresAt(), raw)));
        receipts.send(sql, node, envelope.sender(), List.of(new ReceiptWriter.Receipt(
            envelope.messageId(), ReceiptLevel.BUSINESS, MessageState.REJECTED, RejectCode.EXPIRED,
            "expired at " + envelope.expiresAt())), span);
        return null;
      });
      metrics.records(node.id(), "received", RejectCode.EXPIRED.name(), envelope.records().size());
      return;
    }
    Sql.inTransaction(pool, sql -> {
      apply(sql, envelope, payloads, span);
      return null;
    });
  }

  /** True when this node took the message before: a late re-send of it is a duplicate, not an expired message. */
  private boolean received(ExchangeEnvelope envelope) {
    return Sql.once(pool, "SELECT 1 FROM exchange.inbox WHERE sender = $1 AND message_id = $2",
        Tuple.of(envelope.sender(), envelope.messageId())).size() == 1;
  }

  /** Null when the envelope is signed by its sender's registered key; otherwise why not. */
  private String authenticate(ExchangeEnvelope envelope) {
    ExchangeNode sender = nodes.nodeOrNull(envelope.sender());
    if (sender == null) {
      return "the sender " + envelope.sender() + " is not a registered node";
    }
    ExchangeEnvelope.Check check = envelope.verify(sender.signCertificate().publicKey());
    if (check != ExchangeEnvelope.Check.VALID) {
      // The sender may have been registered again, with a new certificate, on another member.
      ExchangeNode again = nodes.reread(envelope.sender());
      if (again == null || (check = envelope.verify(again.signCertificate().publicKey())) != ExchangeEnvelope.Check.VALID) {
        return "verification against the certificate of " + envelope.sender() + " failed: " + check;
      }
      sender = again;
    }
    Instant made = envelope.createdAt();
    if (made.isBefore(sender.signCertificate().notBefore()) || made.isAfter(sender.signCertificate().notAfter())) {
      return "the sender's certificate was not valid when the envelope was made (" + made + ")";
    }
    return null;
  }

  private void apply(Sql sql, ExchangeEnvelope envelope, List<byte[]> payloads, TraceContext span) throws Exception {
    String sender = envelope.sender();
    UUID messageId = envelope.messageId();
    if (sql.run("INSERT INTO exchange.inbox (message_id, receiver, sender, type, record_count, pending, traceparent)"
            + " VALUES ($1, $2, $3, $4, $5, $5, $6) ON CONFLICT (sender, message_id) DO NOTHING",
        Tuple.of(messageId, node.id(), sender, envelope.type(), envelope.records().size(), span.toString()))
        .rowCount() == 0) {
      duplicate(sql, envelope, span);
      return;
    }
    List<Incoming> arrived = new ArrayList<>(payloads.size());
    for (int i = 0; i < payloads.size(); i++) {
      ExchangeRecord r = envelope.records().get(i);
      arrived.add(new Incoming(messageId, envelope.type(), r.issue(), r.sequence(), r.dataVersion(), r.operation(),
          payloads.get(i)));
    }
    IssueOrder order = IssueOrder.load(sql, node.id(), sender, arrived);
    Decisions decisions = new Decisions(messageId);
    List<Incoming> ready = new ArrayList<>();
    for (Incoming rec : arrived) {
      switch (order.place(rec)) {
        case NEXT -> ready.add(rec);
        case HELD -> order.hold(rec);
        case BEHIND -> decisions.refuse(rec, new Incoming.Refusal(RejectCode.STATE_CONFLICT, "sequence "
            + rec.sequence() + " of issue " + rec.issue() + " was already applied (up to " + order.last(rec.issue()) + ")"));
      }
    }
    ready.addAll(order.release(sql));
    // Consecutive runs of one type go to its sink together; the runs keep the issue order of `ready`.
    for (int from = 0; from < ready.size(); ) {
      int to = from;
      while (to < ready.size() && ready.get(to).type().equals(ready.get(from).type())) {
        to++;
      }
      List<Incoming> run = ready.subList(from, to);
      RecordSink sink = sinks.find(node.id(), sender, run.get(0).type());
      List<Incoming.Refusal> outcome = sink == null ? null : sink.apply(sql, run);
      for (int i = 0; i < run.size(); i++) {
        Incoming rec = run.get(i);
        Incoming.Refusal refusal = sink == null ? new Incoming.Refusal(RejectCode.SCHEMA_INVALID,
            "node " + node.id() + " has no sink for type " + rec.type() + " from " + sender) : outcome.get(i);
        if (refusal == null) {
          decisions.apply(rec);
        } else {
          decisions.refuse(rec, refusal);
        }
      }
      from = to;
    }
    order.save(sql);
    sql.batch(REJECTION, decisions.refused.stream().map(d -> Tuple.from(rejectionRow(sender, d.rec.messageId(), d.rec,
        d.refusal.code(), d.refusal.detail(), null))).toList());
    settle(sql, envelope, decisions.perMessage, span);
    metrics.records(node.id(), "received", "APPLIED", decisions.applied);
    metrics.records(node.id(), "received", "REJECTED", decisions.refused.size());
    metrics.records(node.id(), "received", "HELD", order.heldNow());
  }

  /** What was decided for each message's records in this transaction: how many, and how many refused. */
  private static final class Decisions {
    final Map<UUID, int[]> perMessage = new LinkedHashMap<>();
    final List<Refused> refused = new ArrayList<>();
    long applied;

    Decisions(UUID current) {
      perMessage.put(current, new int[2]);
    }

    void apply(Incoming rec) {
      perMessage.computeIfAbsent(rec.messageId(), k -> new int[2])[0]++;
      applied++;
    }

    void refuse(Incoming rec, Incoming.Refusal refusal) {
      int[] c = perMessage.computeIfAbsent(rec.messageId(), k -> new int[2]);
      c[0]++;
      c[1]++;
      refused.add(new Refused(rec, refusal));
    }

    record Refused(Incoming rec, Incoming.Refusal refusal) {
    }
  }

  /**
   * Counts the records each message got decided here (this one and any whose held records were released), and
   * returns receipts for the messages that are now complete, or a transport receipt for this one if it waits.
   */
  private void settle(Sql sql, ExchangeEnvelope envelope, Map<UUID, int[]> done, TraceContext span) {
    List<ReceiptWriter.Receipt> out = new ArrayList<>();
    for (Map.Entry<UUID, int[]> e : done.entrySet()) {
      int[] c = e.getValue();
      // One statement decides the outcome and, for a rejected message, its code: the first record refused.
      Row r = sql.run("UPDATE exchange.inbox SET pending = pending - $2, rejected = rejected + $3,"
          + " outcome = CASE WHEN pending - $2 = 0 THEN CASE WHEN rejected + $3 = 0 THEN 'PROCESSED' ELSE 'REJECTED' END END,"
          + " code = CASE WHEN pending - $2 = 0 AND rejected + $3 > 0 THEN coalesce((SELECT j.code FROM exchange.rejection j"
          + "   WHERE j.sender = $4 AND j.message_id = $1 ORDER BY j.id LIMIT 1), 'SCHEMA_INVALID') END,"
          + " finished_at = CASE WHEN pending - $2 = 0 THEN now() END"
          + " WHERE sender = $4 AND message_id = $1 RETURNING pending, outcome, code",
          Tuple.of(e.getKey(), c[0], c[1], envelope.sender())).iterator().next();
      if (r.getInteger("pending") > 0) {
        if (e.getKey().equals(envelope.messageId())) {
          out.add(new ReceiptWriter.Receipt(e.getKey(), ReceiptLevel.TRANSPORT, MessageState.SENT, null,
              r.getInteger("pending") + " record(s) wait for earlier records of their issue"));
        }
        continue;
      }
      MessageState outcome = MessageState.valueOf(r.getString("outcome"));
      RejectCode code = r.getString("code") == null ? null : RejectCode.valueOf(r.getString("code"));
      out.add(new ReceiptWriter.Receipt(e.getKey(), ReceiptLevel.DELIVERY, MessageState.DELIVERED, null, null));
      out.add(new ReceiptWriter.Receipt(e.getKey(), ReceiptLevel.BUSINESS, outcome, code,
          outcome == MessageState.REJECTED ? "see the rejected list of " + node.id() : null));
    }
    if (!out.isEmpty()) {
      receipts.send(sql, node, envelope.sender(), out, span);
    }
  }

  /** A message applied before: nothing is applied again; the sender hears DUPLICATE with the first outcome. */
  private void duplicate(Sql sql, ExchangeEnvelope envelope, TraceContext span) {
    Row first = sql.run("UPDATE exchange.inbox SET duplicates = duplicates + 1 WHERE sender = $2 AND message_id = $1"
        + " RETURNING outcome", Tuple.of(envelope.messageId(), envelope.sender())).iterator().next();
    String outcome = first.getString("outcome");
    ReceiptWriter.Receipt receipt = outcome == null
        ? new ReceiptWriter.Receipt(envelope.messageId(), ReceiptLevel.TRANSPORT, MessageState.SENT, RejectCode.DUPLICATE,
            "already received; some records still wait for earlier ones")
        : new ReceiptWriter.Receipt(envelope.messageId(), ReceiptLevel.BUSINESS, MessageState.valueOf(outcome),
            RejectCode.DUPLICATE, "already " + outcome.toLowerCase(java.util.Locale.ROOT) + "; nothing applied again");
    receipts.send(sql, node, envelope.sender(), List.of(receipt), span);
    metrics.records(node.id(), "received", RejectCode.DUPLICATE.name(), envelope.records().size());
  }

  private static final String REJECTION = "INSERT INTO exchange.rejection (receiver, sender, message_id, issue, sequence,"
      + " code, detail, envelope) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

  private List<Object> rejectionRow(String sender, UUID messageId, Incoming rec, RejectCode code, String detail,
                                    byte[] raw) {
    List<Object> row = new ArrayList<>(8);
    row.add(node.id());
    row.add(sender);
    row.add(messageId);
    row.add(rec == null ? null : rec.issue());
    row.add(rec == null ? null : rec.sequence());
    row.add(code.name());
    row.add(detail);
    row.add(raw == null ? null : Buffer.buffer(raw));
    return row;
  }

  /** Lists a whole envelope as rejected, without a receipt. */
  private void reject(ExchangeEnvelope envelope, Incoming rec, RejectCode code, String detail, byte[] raw) {
    LOG.warn("Node {} rejected an envelope ({}{}): {}", node.id(), code,
        envelope == null ? "" : ", message " + envelope.messageId() + " from " + envelope.sender(), detail);
    Sql.once(pool, REJECTION, Tuple.from(rejectionRow(envelope == null ? null : envelope.sender(),
        envelope == null ? null : envelope.messageId(), rec, code, detail, raw)));
    metrics.records(node.id(), "received", code.name(), envelope == null ? 1 : envelope.records().size());
  }

  /** Per-issue order at this node for one sender: positions, held records, and what a new record's place is. */
  private static final class IssueOrder {
    enum Place { NEXT, HELD, BEHIND }

    private final String receiver;
    private final String sender;
    private final Map<String, Long> last = new HashMap<>();
    private final Map<String, Long> changed = new HashMap<>();
    private final List<Incoming> heldNew = new ArrayList<>();

    private IssueOrder(String receiver, String sender) {
      this.receiver = receiver;
      this.sender = sender;
    }

    /** Locks and reads the positions of the issues the records belong to. */
    static IssueOrder load(Sql sql, String receiver, String sender, List<Incoming> records) {
      IssueOrder order = new IssueOrder(receiver, sender);
      String[] issues = records.stream().map(Incoming::issue).distinct().toArray(String[]::new);
      sql.run("SELECT issue, last_sequence FROM exchange.issue_state WHERE receiver = $1 AND sender = $2"
              + " AND issue = ANY($3) FOR UPDATE", Tuple.of(receiver, sender, issues))
          .forEach(r -> order.last.put(r.getString("issue"), r.getLong("last_sequence")));
      return order;
    }

    long last(String issue) {
      return last.getOrDefault(issue, 0L);
    }

    Place place(Incoming rec) {
      long at = last(rec.issue());
      if (rec.sequence() == at + 1) {
        advance(rec);
        return Place.NEXT;
      }
      return rec.sequence() <= at ? Place.BEHIND : Place.HELD;
    }

    private void advance(Incoming rec) {
      last.put(rec.issue(), rec.sequence());
      changed.put(rec.issue(), rec.sequence());
    }

    void hold(Incoming rec) {
      heldNew.add(rec);
    }

    int heldNow() {
      return heldNew.size();
    }

    /**
     * Records held earlier, or in this message, whose predecessors are now applied: they follow in issue order.
     * Held rows released are deleted; those still waiting are stored.
     */
    List<Incoming> release(Sql sql) {
      String[] issues = last.keySet().toArray(String[]::new);
      List<Incoming> candidates = new ArrayList<>(heldNew);
      List<Incoming> stored = new ArrayList<>();
      sql.run("SELECT issue, sequence, message_id, type, data_version, operation, payload FROM exchange.held_record"
              + " WHERE receiver = $1 AND sender = $2 AND issue = ANY($3) FOR UPDATE",
          Tuple.of(receiver, sender, issues)).forEach(r -> stored.add(new Incoming(r.getUUID("message_id"),
          r.getString("type"), r.getString("issue"), r.getLong("sequence"), r.getLong("data_version"),
          io.huitong.exchange.Operation.ofCode(r.getString("operation")), r.getBuffer("payload").getBytes())));
      candidates.addAll(stored);
      candidates.sort(Comparator.comparing(Incoming::issue).thenComparingLong(Incoming::sequence));
      List<Incoming> released = new ArrayList<>();
      for (Incoming c : candidates) {
        if (c.sequence() == last(c.issue()) + 1) {
          advance(c);
          released.add(c);
        }
      }
      List<Tuple> gone = new ArrayList<>();
      for (Incoming s : stored) {
        if (released.contains(s)) {
          gone.add(Tuple.of(receiver, sender, s.issue(), s.sequence()));
        }
      }
      sql.batch("DELETE FROM exchange.held_record WHERE receiver = $1 AND sender = $2 AND issue = $3 AND sequence = $4", gone);
      List<Tuple> keep = new ArrayList<>();
      for (Incoming h : heldNew) {
        if (!released.contains(h)) {
          keep.add(Tuple.from(List.of(receiver, sender, h.issue(), h.sequence(), h.messageId(), h.type(), h.dataVersion(),
              h.operation().code(), Buffer.buffer(h.payload()))));
        }
      }
      sql.batch("INSERT INTO exchange.held_record (receiver, sender, issue, sequence, message_id, type, data_version,"
          + " operation, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING", keep);
      heldNew.removeAll(released);
      return released;
    }

    /** Stores the positions that moved. */
    void save(Sql sql) {
      if (changed.isEmpty()) {
        return;
      }
      String[] issues = changed.keySet().toArray(String[]::new);
      Long[] positions = java.util.Arrays.stream(issues).map(changed::get).toArray(Long[]::new);
      sql.run("INSERT INTO exchange.issue_state (receiver, sender, issue, last_sequence)"
              + " SELECT $1, $2, i, s FROM unnest($3::text[], $4::bigint[]) AS t(i, s)"
              + " ON CONFLICT (receiver, sender, issue) DO UPDATE SET last_sequence = excluded.last_sequence, updated_at = now()",
          Tuple.of(receiver, sender, issues, positions));
    }
  }
}
