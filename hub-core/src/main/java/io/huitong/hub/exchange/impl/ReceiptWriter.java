package io.huitong.hub.exchange.impl;

import io.huitong.exchange.EnvelopeJson;
import io.huitong.exchange.ExchangeEnvelope;
import io.huitong.exchange.ExchangeRecord;
import io.huitong.exchange.Operation;
import io.huitong.exchange.TraceContext;
import io.huitong.hub.exchange.ExchangeConfig;
import io.huitong.hub.exchange.MessageState;
import io.huitong.hub.exchange.ReceiptLevel;
import io.huitong.hub.exchange.RejectCode;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receipts (回执) both ways. A receiving node writes them as signed RECEIPT envelopes into its own message table,
 * in the transaction that decided them, for its relay to publish; each record is one receipt, its issue the id of
 * the message it answers. A sending node takes them in: it keeps every receipt and moves the message forward
 * (never back), and only for receipts signed by the node the message was sent to.
 */
final class ReceiptWriter {
  static final String TYPE = "RECEIPT";
  private static final Logger LOG = LoggerFactory.getLogger(ReceiptWriter.class);
  private static final String SCHEMA = "receipt";
  private static final String SCHEMA_VERSION = "1.0";

  private final ExchangeConfig config;
  private final ExchangeMetrics metrics;

  ReceiptWriter(ExchangeConfig config, ExchangeMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  /**
   * One receipt.
   *
   * @param messageId the message it answers
   * @param level     how far the message got
   * @param outcome   SENT (transport), DELIVERED, PROCESSED or REJECTED
   * @param code      the reject code, or DUPLICATE, or null
   * @param detail    a word for the operator, or null
   */
  record Receipt(UUID messageId, ReceiptLevel level, MessageState outcome, RejectCode code, String detail) {

    JsonObject toJson() {
      return new JsonObject().put("messageId", messageId.toString()).put("level", level.name())
          .put("outcome", outcome.name()).put("code", code == null ? null : code.name()).put("detail", detail);
    }

    static Receipt fromJson(byte[] payload) {
      JsonObject j = new JsonObject(new String(payload, StandardCharsets.UTF_8));
      String code = j.getString("code");
      return new Receipt(UUID.fromString(j.getString("messageId")), ReceiptLevel.valueOf(j.getString("level")),
          MessageState.valueOf(j.getString("outcome")), code == null ? null : RejectCode.valueOf(code),
          j.getString("detail"));
    }
  }

  /** Signs {@code receipts} from hosted node {@code from} to {@code to} and queues them for the relay. */
  void send(Sql sql, NodeKeys from, String to, List<Receipt> receipts, TraceContext span) {
    List<ExchangeRecord> records = new ArrayList<>(receipts.size());
    for (Receipt r : receipts) {
      records.add(ExchangeRecord.of(r.messageId().toString(), r.level().ordinal() + 1, 1, Operation.INSERT,
          r.toJson().encode().getBytes(StandardCharsets.UTF_8)));
    }
    UUID answered = receipts.stream().map(Receipt::messageId).distinct().count() == 1 ? receipts.get(0).messageId() : null;
    ExchangeEnvelope envelope = ExchangeEnvelope.create(TYPE, SCHEMA, SCHEMA_VERSION, from.id(), to, records)
        .with(answered, Instant.now().plus(config.messageTtl()), span.toString())
        .sign(from.signKey(), from.node().signKeyRef());
    sql.run("INSERT INTO exchange.message (message_id, sender, receiver, type, record_count, envelope, traceparent, state)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, 'NEW')",
        Tuple.from(List.of(envelope.messageId(), from.id(), to, TYPE, records.size(),
            Buffer.buffer(EnvelopeJson.write(envelope)), span.toString())));
  }

  /** Takes in a RECEIPT envelope addressed to hosted node {@code node}; a repeated one changes nothing. */
  void take(Sql sql, String node, ExchangeEnvelope envelope, List<byte[]> payloads, TraceContext span) {
    if (sql.run("INSERT INTO exchange.inbox (message_id, receiver, sender, type, record_count, pending, outcome,"
            + " traceparent, finished_at) VALUES ($1, $2, $3, $4, $5, 0, 'PROCESSED', $6, now())"
            + " ON CONFLICT (sender, message_id) DO NOTHING",
        Tuple.of(envelope.messageId(), node, envelope.sender(), TYPE, payloads.size(), span.toString())).rowCount() == 0) {
      return;
    }
    for (byte[] payload : payloads) {
      Receipt r;
      try {
        r = Receipt.fromJson(payload);
      } catch (RuntimeException e) {
        LOG.warn("Node {} ignored a malformed receipt in message {} from {}: {}", node, envelope.messageId(),
            envelope.sender(), e.toString());
        continue;
      }
      sql.run("INSERT INTO exchange.receipt (message_id, level, outcome, code, detail, receipt_id) VALUES ($1, $2, $3, $4, $5, $6)",
          Tuple.of(r.messageId(), r.level().name(), r.outcome().name(), r.code() == null ? null : r.code().name(),
              r.detail(), envelope.messageId()));
      advance(sql, node, envelope.sender(), r);
    }
  }

  /** Moves the answered message forward; receipts never move a message back. */
  private void advance(Sql sql, String node, String receiver, Receipt r) {
    String set;
    String from;
    switch (r.level()) {
      case TRANSPORT -> {
        set = "state = 'SENT', next_attempt_at = NULL";
        from = "('NEW', 'SENT', 'RETRY_WAIT', 'DEAD')";
      }
      case DELIVERY -> {
        set = "state = 'DELIVERED', delivered_at = now(), next_attempt_at = NULL";
        from = "('NEW', 'SENT', 'RETRY_WAIT', 'DEAD')";
      }
      default -> {
        if (!r.outcome().decided()) {
          return;
        }
        set = "state = '" + r.outcome().name() + "', reject_code = $4, finished_at = now(),"
            + " delivered_at = coalesce(delivered_at, now()), next_attempt_at = NULL";
        from = "('NEW', 'SENT', 'DELIVERED', 'RETRY_WAIT', 'DEAD')";
      }
    }
    String code = r.outcome() == MessageState.REJECTED && r.code() != null ? r.code().name() : null;
    for (Row m : sql.run("UPDATE exchange.message SET " + set + ", updated_at = now() WHERE message_id = $1 AND sender = $2"
        + " AND receiver = $3 AND state IN " + from
        + " RETURNING route_id, state", r.level() == ReceiptLevel.BUSINESS ? Tuple.of(r.messageId(), node, receiver, code)
        : Tuple.of(r.messageId(), node, receiver))) {
      metrics.messages(node, m.getString("route_id"), MessageState.valueOf(m.getString("state")), 1);
    }
  }
}
