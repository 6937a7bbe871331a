package io.huitong.hub.exchange.impl;

import io.huitong.exchange.EnvelopeJson;
import io.huitong.exchange.ExchangeEnvelope;
import io.huitong.exchange.ExchangeRecord;
import io.huitong.exchange.Operation;
import io.huitong.exchange.TraceContext;
import io.huitong.hub.exchange.ExchangeConfig;
import io.huitong.hub.exchange.ExchangeNode;
import io.huitong.hub.exchange.MessageState;
import io.huitong.hub.exchange.RejectCode;
import io.huitong.hub.exchange.route.Route;
import io.huitong.hub.exchange.route.Router;
import io.huitong.hub.exchange.route.TransformException;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay (交换传输) of the nodes this hub hosts, as two loops on threads of their own, packing and publishing. For
 * each node whose relay lease this member holds it:
 * <ol>
 *   <li>packs outbox rows into signed batch envelopes, one per route, receiver and type, numbering each issue's
 *   records per receiver, and stores them as NEW messages; deleting the rows and storing the messages is one
 *   transaction, so a crash repeats the whole step or none of it;</li>
 *   <li>publishes NEW messages, and retries that are due, to the receiver's topic with an idempotent producer
 *   (acks=all) and marks them SENT once Kafka has acknowledged them; a crash between the two publishes the same
 *   envelope again, which the receiver answers DUPLICATE;</li>
 *   <li>moves SENT messages with no receipt in time to RETRY_WAIT, with exponential backoff and jitter, and to DEAD
 *   after the last attempt.</li>
 * </ol>
 */
final class Relay {
  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
  private static final int PUBLISH_BATCH = 32;
  private static final Duration TIMEOUT_SWEEP = Duration.ofSeconds(1);

  private final Pool pool;
  private final ExchangeConfig config;
  private final Map<String, NodeKeys> hosted;
  private final RouteTable routes;
  private final RemoteNodes remotes;
  private final KafkaProducer<String, byte[]> producer;
  private final Topics topics;
  private final ExchangeMetrics metrics;
  private final String owner;
  private final Map<String, Instant> lastSweep = new ConcurrentHashMap<>();
  private final java.util.Set<String> leased = ConcurrentHashMap.newKeySet();
  private final Loop packer = new Loop("packing", this::packRound);
  private final Loop publisher = new Loop("publishing", this::publishRound);
  private volatile boolean running = true;

  Relay(Pool pool, ExchangeConfig config, Map<String, NodeKeys> hosted, RouteTable routes, RemoteNodes remotes,
        KafkaProducer<String, byte[]> producer, Topics topics, ExchangeMetrics metrics, String owner) {
    this.pool = pool;
    this.config = config;
    this.hosted = hosted;
    this.routes = routes;
    this.remotes = remotes;
    this.producer = producer;
    this.topics = topics;
    this.metrics = metrics;
    this.owner = owner;
  }

  /** The packing loop, for a thread of its own. */
  Runnable packer() {
    return packer;
  }

  /** The publishing loop, for a thread of its own: it runs beside packing, so Kafka's round trips overlap it. */
  Runnable publisher() {
    return publisher;
  }

  /** Asks the relay to publish now (a receipt is waiting, say) rather than at its next poll. */
  void wakeUp() {
    publisher.wake();
  }

  void stop() {
    running = false;
    packer.wake();
    publisher.wake();
  }

  /** Packs for the nodes whose lease this member holds, and keeps the lease. */
  private boolean packRound(NodeKeys node) throws Exception {
    boolean held;
    try {
      held = holdLease(node.id());
    } catch (RuntimeException e) {
      leased.remove(node.id());
      throw e;
    }
    if (!held) {
      leased.remove(node.id());
      return false;
    }
    leased.add(node.id());
    boolean packed = pack(node);
    if (packed) {
      publisher.wake();
    }
    return packed;
  }

  /** Publishes for the leased nodes; once a second also times out unanswered messages and counts the outbox. */
  private boolean publishRound(NodeKeys node) {
    if (!leased.contains(node.id())) {
      return false;
    }
    boolean published = publish(node);
    Instant last = lastSweep.get(node.id());
    if (last == null || Instant.now().isAfter(last.plus(TIMEOUT_SWEEP))) {
      lastSweep.put(node.id(), Instant.now());
      retryUnanswered(node.id());
      metrics.outboxPending(node.id(), Sql.once(pool, "SELECT count(*) FROM exchange.outbox WHERE sender = $1",
          Tuple.of(node.id())).iterator().next().getLong(0));
    }
    return published;
  }

  /** One step of work for one node; true when it found work, so the loop goes on without waiting. */
  private interface Step {
    boolean run(NodeKeys node) throws Exception;
  }

  /** Runs a step over the hosted nodes, round after round, pausing when a round found nothing to do. */
  private final class Loop implements Runnable {
    private final String what;
    private final Step step;
    private final Semaphore wakeUp = new Semaphore(0);

    Loop(String what, Step step) {
      this.what = what;
      this.step = step;
    }

    void wake() {
      wakeUp.release();
    }

    @Override
    public void run() {
      while (running) {
        boolean busy = false;
        for (NodeKeys node : hosted.values()) {
          if (!running) {
            break;
          }
          try {
            busy |= step.run(node);
          } catch (Exception e) {
            if (running) {
              LOG.warn("Relay ({}) for node {} failed and will try again: {}", what, node.id(), e.toString());
              pause(config.pollInterval().multipliedBy(10));
            }
          }
        }
        if (!busy) {
          pause(config.pollInterval());
        }
      }
    }

    private void pause(Duration d) {
      try {
        wakeUp.tryAcquire(d.toMillis(), TimeUnit.MILLISECONDS);
        wakeUp.drainPermits();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
  }

  /** Takes or renews this member's lease on relaying for {@code sender}; false while another member holds it. */
  private boolean holdLease(String sender) {
    return Sql.once(pool, "INSERT INTO exchange.relay_lease (sender, owner, valid_until) VALUES ($1, $2, now() + $3 * interval '1 millisecond')"
            + " ON CONFLICT (sender) DO UPDATE SET owner = $2, valid_until = now() + $3 * interval '1 millisecond'"
            + " WHERE relay_lease.owner = $2 OR relay_lease.valid_until < now() RETURNING owner",
        Tuple.of(sender, owner, config.relayLease().toMillis())).size() == 1;
  }

  /** Packs up to one batch of outbox rows; true if there were any. */
  private boolean pack(NodeKeys node) throws Exception {
    Router router = routes.router();
    int packed = Sql.inTransaction(pool, sql -> {
      // The lease row stays locked until this commits, so no other member can take over mid-pack.
      if (sql.run("SELECT 1 FROM exchange.relay_lease WHERE sender = $1 AND owner = $2 AND valid_until > now()"
          + " FOR UPDATE", Tuple.of(node.id(), owner)).size() == 0) {
        leased.remove(node.id());
        return 0;
      }
      List<Row> rows = new ArrayList<>();
      // Materialized, so the plan locks one batch once; as a sub-select the planner may run it per outbox row.
      sql.run("WITH picked AS MATERIALIZED (SELECT id FROM exchange.outbox WHERE sender = $1"
              + " ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)"
              + " DELETE FROM exchange.outbox o USING picked WHERE o.id = picked.id"
              + " RETURNING o.id, type, schema_name, schema_version, issue, data_version, operation, payload",
          Tuple.of(node.id(), config.batchRecords())).forEach(rows::add);
      if (rows.isEmpty()) {
        return 0;
      }
      rows.sort(java.util.Comparator.comparingLong(r -> r.getLong("id")));
      List<Pending> routed = new ArrayList<>();
      List<Tuple> unrouted = new ArrayList<>();
      for (Row row : rows) {
        route(node, router, row, routed, unrouted);
      }
      sql.batch("INSERT INTO exchange.rejection (receiver, sender, issue, code, detail, envelope) VALUES ($1, $2, $3, $4, $5, $6)",
          unrouted);
      metrics.records(node.id(), "sent", RejectCode.NO_ROUTE.name(), unrouted.size());
      numberPerIssue(sql, node.id(), routed);
      Map<Batch, List<Pending>> batches = new LinkedHashMap<>();
      routed.forEach(p -> batches.computeIfAbsent(p.batch, k -> new ArrayList<>()).add(p));
      List<Tuple> messages = new ArrayList<>();
      for (Map.Entry<Batch, List<Pending>> e : batches.entrySet()) {
        for (List<Pending> chunk : chunks(e.getValue())) {
          messages.add(seal(node, e.getKey(), chunk));
        }
      }
      sql.batch("INSERT INTO exchange.message (message_id, sender, receiver, route_id, type, record_count, envelope,"
          + " traceparent, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'NEW')", messages);
      return rows.size();
    });
    return packed > 0;
  }

  /**
   * Routes one outbox row: a pending record per receiver (the first route naming a receiver takes the record to it,
   * so it is never numbered or applied twice there), or a NO_ROUTE rejection.
   */
  private void route(NodeKeys node, Router router, Row row, List<Pending> routed, List<Tuple> unrouted) {
    byte[] payload = row.getBuffer("payload").getBytes();
    String type = row.getString("type");
    List<Router.Delivery> deliveries;
    try {
      deliveries = router.route(node.id(), type, payload);
    } catch (TransformException e) {
      unrouted.add(rejection(node.id(), row, RejectCode.NO_ROUTE, "a route's transformation failed: " + e.getMessage()));
      return;
    }
    if (deliveries.isEmpty()) {
      unrouted.add(rejection(node.id(), row, RejectCode.NO_ROUTE, "no route takes type " + type + " from " + node.id()));
      return;
    }
    java.util.Set<String> receivers = new java.util.HashSet<>();
    for (Router.Delivery d : deliveries) {
      if (!receivers.add(d.receiver())) {
        continue;
      }
      if (d.route().encrypt() && remotes.nodeOrNull(d.receiver()) == null) {
        unrouted.add(rejection(node.id(), row, RejectCode.NO_ROUTE, "route " + d.route().id()
            + " encrypts to " + d.receiver() + ", which is not a registered node"));
        continue;
      }
      routed.add(new Pending(new Batch(d.route(), d.receiver(), type, row.getString("schema_name"),
          row.getString("schema_version")), row.getString("issue"), row.getLong("data_version"),
          Operation.ofCode(row.getString("operation")), d.payload()));
    }
  }

  private static Tuple rejection(String sender, Row row, RejectCode code, String detail) {
    return Tuple.of(sender, sender, row.getString("issue"), code.name(), detail,
        Buffer.buffer(row.getBuffer("payload").getBytes()));
  }

  /**
   * Gives each record, in outbox order, the next sequence of its issue on its sender-to-receiver link: per receiver
   * one upsert adds each issue's count and returns its new last sequence, from which the records count back.
   */
  private static void numberPerIssue(Sql sql, String sender, List<Pending> records) {
    Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    records.forEach(p -> counts.computeIfAbsent(p.batch.receiver(), r -> new LinkedHashMap<>()).merge(p.issue, 1L, Long::sum));
    Map<String, Map<String, Long>> next = new HashMap<>();
    for (Map.Entry<String, Map<String, Long>> receiver : counts.entrySet()) {
      Map<String, Long> count = receiver.getValue();
      Map<String, Long> first = new HashMap<>();
      sql.run("INSERT INTO exchange.link_sequence (sender, receiver, issue, last_sequence)"
              + " SELECT $1, $2, i, n FROM unnest($3::text[], $4::bigint[]) AS t(i, n)"
              + " ON CONFLICT (sender, receiver, issue) DO UPDATE SET last_sequence = link_sequence.last_sequence + excluded.last_sequence"
              + " RETURNING issue, last_sequence", Tuple.of(sender, receiver.getKey(), count.keySet().toArray(String[]::new),
              count.values().toArray(Long[]::new)))
          .forEach(r -> first.put(r.getString("issue"), r.getLong("last_sequence") - count.get(r.getString("issue")) + 1));
      next.put(receiver.getKey(), first);
    }
    for (Pending p : records) {
      p.sequence = next.get(p.batch.receiver()).merge(p.issue, 1L, Long::sum) - 1;
    }
  }

  /** Splits a batch so no envelope exceeds the configured record count or payload bytes. */
  private List<List<Pending>> chunks(List<Pending> all) {
    List<List<Pending>> out = new ArrayList<>();
    List<Pending> current = new ArrayList<>();
    long bytes = 0;
    for (Pending p : all) {
      if (!current.isEmpty() && (current.size() >= config.batchRecords() || bytes + p.payload.length > config.batchBytes())) {
        out.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(p);
      bytes += p.payload.length;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  /** Builds, encrypts if the route asks, and signs one envelope; returns its message row. */
  private Tuple seal(NodeKeys node, Batch batch, List<Pending> records) {
    List<ExchangeRecord> body = new ArrayList<>(records.size());
    for (Pending p : records) {
      body.add(ExchangeRecord.of(p.issue, p.sequence, p.dataVersion, p.operation, p.payload));
    }
    String traceparent = TraceContext.newTrace().toString();
    ExchangeEnvelope envelope = ExchangeEnvelope.create(batch.type(), batch.schema(), batch.schemaVersion(), node.id(),
        batch.receiver(), body).with(null, Instant.now().plus(config.messageTtl()), traceparent);
    if (batch.route().encrypt()) {
      ExchangeNode receiver = remotes.node(batch.receiver());
      envelope = envelope.encryptFor(receiver.encryptCertificate().publicKey(), receiver.encryptKeyRef());
    }
    byte[] json = EnvelopeJson.write(envelope.sign(node.signKey(), node.node().signKeyRef()));
    return Tuple.from(List.of(envelope.messageId(), node.id(), batch.receiver(), batch.route().id(), batch.type(),
        records.size(), Buffer.buffer(json), traceparent));
  }

  /** Publishes NEW messages and due retries in the order they were made; true if there were any. */
  private boolean publish(NodeKeys node) {
    List<Row> due = new ArrayList<>();
    Sql.once(pool, "SELECT message_id, receiver, route_id, type, record_count, envelope, traceparent, state"
        + " FROM exchange.message WHERE sender = $1 AND (state = 'NEW' OR (state = 'RETRY_WAIT' AND next_attempt_at <= now()))"
        + " ORDER BY publish_order LIMIT $2", Tuple.of(node.id(), PUBLISH_BATCH)).forEach(due::add);
    if (due.isEmpty()) {
      return false;
    }
    List<UUID> sent = new ArrayList<>();
    Map<UUID, String> failed = new LinkedHashMap<>();
    List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
    for (Row m : due) {
      UUID id = m.getUUID("message_id");
      String receiver = m.getString("receiver");
      String topic;
      try {
        topic = topics.ensure(receiver);
      } catch (RuntimeException noTopic) {
        fail(node.id(), id, noTopic.getMessage());
        continue;
      }
      ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, node.id(),
          m.getBuffer("envelope").getBytes());
      record.headers().add(new RecordHeader("type", m.getString("type").getBytes(StandardCharsets.UTF_8)));
      if (m.getString("traceparent") != null) {
        record.headers().add(new RecordHeader("traceparent", m.getString("traceparent").getBytes(StandardCharsets.UTF_8)));
      }
      acks.add(producer.send(record));
      sent.add(id);
      failed.put(id, null);
    }
    producer.flush();
    for (int i = 0; i < acks.size(); i++) {
      try {
        acks.get(i).get();
        failed.remove(sent.get(i));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      } catch (java.util.concurrent.ExecutionException e) {
        failed.put(sent.get(i), e.getCause().toString());
      }
    }
    sent.removeAll(failed.keySet());
    if (!sent.isEmpty()) {
      Sql.once(pool, "UPDATE exchange.message SET state = 'SENT', attempts = attempts + 1, sent_at = now(), updated_at = now(),"
          + " next_attempt_at = CASE WHEN type = 'RECEIPT' THEN NULL ELSE now() + $2 * interval '1 millisecond' END"
          + " WHERE message_id = ANY($1) AND state IN ('NEW', 'RETRY_WAIT')",
          Tuple.of(sent.toArray(UUID[]::new), config.receiptTimeout().toMillis()));
      countByRoute(node.id(), due, sent, MessageState.SENT);
    }
    failed.forEach((id, error) -> fail(node.id(), id, error));
    return true;
  }

  private void countByRoute(String node, List<Row> rows, List<UUID> ids, MessageState state) {
    java.util.Set<UUID> chosen = new java.util.HashSet<>(ids);
    Map<String, long[]> perRoute = new HashMap<>();
    for (Row r : rows) {
      if (chosen.contains(r.getUUID("message_id"))) {
        // Receipts have no route; their records are receipts, not data, so only the messages count.
        long[] c = perRoute.computeIfAbsent(r.getString("route_id"), k -> new long[2]);
        c[0]++;
        c[1] += ReceiptWriter.TYPE.equals(r.getString("type")) ? 0 : r.getInteger("record_count");
      }
    }
    perRoute.forEach((route, c) -> {
      metrics.messages(node, route, state, c[0]);
      metrics.records(node, "sent", state.name(), c[1]);
    });
  }

  /** A failed send: RETRY_WAIT with backoff, or DEAD once the attempts are spent. */
  private void fail(String sender, UUID id, String error) {
    LOG.warn("Message {} from {} was not sent: {}", id, sender, error);
    Sql.once(pool, "UPDATE exchange.message SET attempts = attempts + 1, last_error = $2, updated_at = now(),"
        + " state = CASE WHEN attempts + 1 >= $3 THEN 'DEAD' ELSE 'RETRY_WAIT' END,"
        + " next_attempt_at = now() + " + backoffSql("attempts + 1") + " WHERE message_id = $1"
        + " AND state IN ('NEW', 'RETRY_WAIT')",
        Tuple.of(id, error, config.maxAttempts(), config.initialBackoff().toMillis(), config.maxBackoff().toMillis()));
  }

  /** SENT messages whose receipt is overdue count as a failed attempt. */
  private void retryUnanswered(String sender) {
    var rows = Sql.once(pool, "UPDATE exchange.message SET updated_at = now(),"
            + " last_error = 'no receipt within ' || $2::bigint::text || ' ms',"
            + " state = CASE WHEN attempts >= $3 THEN 'DEAD' ELSE 'RETRY_WAIT' END,"
            + " next_attempt_at = now() + " + backoffSql("attempts")
            + " WHERE sender = $1 AND state = 'SENT' AND next_attempt_at <= now() RETURNING state, route_id",
        Tuple.of(sender, config.receiptTimeout().toMillis(), config.maxAttempts(), config.initialBackoff().toMillis(),
            config.maxBackoff().toMillis()));
    for (Row r : rows) {
      metrics.messages(sender, r.getString("route_id"), MessageState.valueOf(r.getString("state")), 1);
    }
  }

  /** Exponential backoff from parameter $4 (ms), capped at $5 (ms), less a random part of up to a half. */
  private static String backoffSql(String attempts) {
    return "least($4::float8 * power(2, least(" + attempts + " - 1, 30)), $5::float8) * (1 - random() / 2)"
        + " * interval '1 millisecond'";
  }

  /** Which envelope a routed record goes into. */
  private record Batch(Route route, String receiver, String type, String schema, String schemaVersion) {
  }

  /** A routed record waiting for its sequence number. */
  private static final class Pending {
    final Batch batch;
    final String issue;
    final long dataVersion;
    final Operation operation;
    final byte[] payload;
    long sequence;

    Pending(Batch batch, String issue, long dataVersion, Operation operation, byte[] payload) {
      this.batch = batch;
      this.issue = issue;
      this.dataVersion = dataVersion;
      this.operation = operation;
      this.payload = payload;
    }
  }
}
