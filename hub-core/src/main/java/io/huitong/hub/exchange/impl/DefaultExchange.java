package io.huitong.hub.exchange.impl;

import io.huitong.exchange.EnvelopeJson;
import io.huitong.exchange.ExchangeEnvelope;
import io.huitong.hub.StartupException;
import io.huitong.hub.exchange.Exchange;
import io.huitong.hub.exchange.ExchangeConfig;
import io.huitong.hub.exchange.ExchangeNode;
import io.huitong.hub.exchange.MessageState;
import io.huitong.hub.exchange.NodeRegistry;
import io.huitong.hub.exchange.RejectCode;
import io.huitong.hub.exchange.route.ExchangeDefinitions;
import io.huitong.hub.exchange.route.Route;
import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.exchange.route.TableSink;
import io.huitong.hub.exchange.route.TableSource;
import io.huitong.hub.http.HubError;
import io.huitong.hub.signing.KeyPurpose;
import io.huitong.hub.signing.Signing;
import io.huitong.hub.storage.Storage;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The exchange bus over the hub's PostgreSQL pool and plain Kafka clients; see {@link Exchange}. */
public final class DefaultExchange implements Exchange {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultExchange.class);
  /** How often routes are read again and waiting table adapters looked at. */
  private static final Duration RELOAD = Duration.ofSeconds(2);
  private static final Duration THREAD_STOP = Duration.ofSeconds(15);

  private final Vertx vertx;
  private final Pool pool;
  private final ExchangeConfig config;
  private final PgNodeRegistry registry;
  private final Map<String, NodeKeys> hosted;
  private final RouteTable routes;
  private final ExchangeMetrics metrics;
  private final Admin admin;
  private final KafkaProducer<String, byte[]> producer;
  private final WaitingAdapters<TableSource, TableSource> sources;
  private final Sinks sinks;
  private final Topics topics;
  private final Relay relay;
  private final List<Receiver> receivers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private long reloadTimer = -1;

  private DefaultExchange(Vertx vertx, Pool pool, ExchangeConfig config, PgNodeRegistry registry,
                          Map<String, NodeKeys> hosted, RouteTable routes, ExchangeMetrics metrics, Admin admin,
                          KafkaProducer<String, byte[]> producer, WaitingAdapters<TableSource, TableSource> sources, Sinks sinks, String memberName) {
    this.vertx = vertx;
    this.pool = pool;
    this.config = config;
    this.registry = registry;
    this.hosted = hosted;
    this.routes = routes;
    this.metrics = metrics;
    this.admin = admin;
    this.producer = producer;
    this.sources = sources;
    this.sinks = sinks;
    this.topics = new Topics(admin);
    this.relay = new Relay(pool, config, hosted, routes, new RemoteNodes(registry), producer, topics, metrics, memberName);
  }

  /** See {@link Exchange#start}. */
  public static DefaultExchange start(Vertx vertx, Storage storage, Signing signing, String bootstrap,
                                      ExchangeConfig config, ExchangeDefinitions definitions, MeterRegistry registry,
                                      String memberName) throws StartupException {
    Pool pool = storage.pool().await().atMost(Sql.STATEMENT_LIMIT);
    PgNodeRegistry nodes = new PgNodeRegistry(storage, signing);
    Map<String, NodeKeys> hosted = new LinkedHashMap<>();
    for (String id : config.nodes()) {
      ExchangeNode node = nodes.ensureLocal(id).await().atMost(Sql.STATEMENT_LIMIT);
      hosted.put(id, new NodeKeys(node, privateKey(signing, node.signKeyId(), KeyPurpose.SIGN),
          privateKey(signing, node.encryptKeyId(), KeyPurpose.ENCRYPT)));
    }
    for (TableSource source : definitions.tableSources()) {
      requireHosted(hosted, source.node(), "table source on " + source.table());
    }
    for (TableSink sink : definitions.tableSinks()) {
      requireHosted(hosted, sink.node(), "table sink on " + sink.table());
    }
    WaitingAdapters<TableSource, TableSource> sources = new WaitingAdapters<>(definitions.tableSources(),
        TableSource::table, TableSourceAdapter::install);
    sources.openReady(pool, true);
    Sinks sinks = new Sinks(definitions.tableSinks());
    sinks.openReady(pool, true);
    RouteTable routes = new RouteTable(storage, definitions.routes());
    routes.reload().await().atMost(Sql.STATEMENT_LIMIT);
    ExchangeMetrics metrics = new ExchangeMetrics(registry);
    Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.CLIENT_ID_CONFIG, "huitong-exchange-" + memberName));
    DefaultExchange exchange = new DefaultExchange(vertx, pool, config, nodes, hosted, routes, metrics, admin,
        new KafkaProducer<>(producerConfig(bootstrap, memberName), new StringSerializer(), new ByteArraySerializer()),
        sources, sinks, memberName);
    ReceiptWriter receipts = new ReceiptWriter(config, metrics);
    for (NodeKeys node : hosted.values()) {
      exchange.topics.ensure(node.id());
      KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(bootstrap, node.id(), memberName),
          new StringDeserializer(), new ByteArrayDeserializer());
      Receiver receiver = new Receiver(node, pool, consumer, sinks, new RemoteNodes(nodes), receipts, metrics,
          exchange.relay::wakeUp);
      exchange.receivers.add(receiver);
      exchange.threads.add(new Thread(receiver, "exchange-receiver-" + node.id()));
    }
    exchange.threads.add(new Thread(exchange.relay.packer(), "exchange-relay-pack"));
    exchange.threads.add(new Thread(exchange.relay.publisher(), "exchange-relay-publish"));
    exchange.threads.forEach(Thread::start);
    exchange.reloadTimer = vertx.setPeriodic(RELOAD.toMillis(), id -> exchange.reload());
    LOG.info("Exchange bus started: nodes {}, {} route(s), {} table source(s), {} table sink(s)", hosted.keySet(),
        routes.describe().size(), definitions.tableSources().size(), definitions.tableSinks().size());
    return exchange;
  }

  /** Reads the API routes again and opens table adapters whose tables have appeared. */
  private void reload() {
    routes.reload().subscribe().with(ok -> { }, e -> LOG.warn("Routes not reloaded: {}", e.toString()));
    vertx.executeBlocking(() -> {
      sources.openReady(pool, false);
      sinks.openReady(pool, false);
      return null;
    }).subscribe().with(ok -> { }, e -> LOG.warn("Table adapters not checked: {}", e.toString()));
  }

  private static io.huitong.crypto.Sm2PrivateKey privateKey(Signing signing, String keyId, KeyPurpose purpose) {
    int version = signing.vault().describe(keyId).await().atMost(Sql.STATEMENT_LIMIT).currentVersion();
    return signing.vault().privateKey(keyId, version, purpose).await().atMost(Sql.STATEMENT_LIMIT);
  }

  private static void requireHosted(Map<String, NodeKeys> hosted, String node, String what) throws StartupException {
    if (!hosted.containsKey(node)) {
      throw new StartupException("The " + what + " belongs to node " + node + ", which " + ExchangeConfig.NODES
          + " does not list " + hosted.keySet());
    }
  }

  private static Map<String, Object> producerConfig(String bootstrap, String member) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, "huitong-relay-" + member);
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
    c.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
    c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
    return c;
  }

  private static Map<String, Object> consumerConfig(String bootstrap, String node, String member) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "huitong.exchange." + node);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "huitong-receiver-" + node + "-" + member);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
    c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000);
    // A member that dies hands its node's partition to another within seconds, not Kafka's default 45.
    c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
    return c;
  }

  @Override
  public NodeRegistry nodes() {
    return registry;
  }

  @Override
  public List<JsonObject> routes() {
    return routes.describe();
  }

  @Override
  public Uni<JsonObject> putRoute(String routeId, JsonObject definition) {
    Route route;
    try {
      route = Route.parse(definition.copy().put("id", routeId), "");
    } catch (DefinitionException e) {
      return Uni.createFrom().failure(HubError.ROUTE_INVALID.exception(e.getMessage()));
    }
    return routes.put(route).map(Route::toJson);
  }

  @Override
  public Uni<Void> deleteRoute(String routeId) {
    return routes.delete(routeId);
  }

  private static final String MESSAGE_COLUMNS = "message_id, sender, receiver, route_id, type, record_count, state,"
      + " attempts, next_attempt_at, reject_code, last_error, traceparent, created_at, sent_at, delivered_at,"
      + " finished_at, updated_at";

  @Override
  public Uni<JsonArray> messages(MessageState state, String node, String route, int limit) {
    return pool.preparedQuery("SELECT " + MESSAGE_COLUMNS + " FROM exchange.message WHERE type <> 'RECEIPT'"
            + " AND ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR sender = $2)"
            + " AND ($3::text IS NULL OR route_id = $3) ORDER BY publish_order DESC LIMIT $4")
        .execute(Tuple.of(state == null ? null : state.name(), node, route, limit))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(messageJson(r)));
          return out;
        });
  }

  @Override
  public Uni<JsonObject> message(UUID messageId) {
    return pool.preparedQuery("SELECT " + MESSAGE_COLUMNS + ", envelope FROM exchange.message WHERE message_id = $1")
        .execute(Tuple.of(messageId))
        .chain(rows -> {
          if (rows.size() == 0) {
            throw HubError.MESSAGE_NOT_FOUND.exception("No message " + messageId);
          }
          Row m = rows.iterator().next();
          JsonObject out = messageJson(m);
          byte[] envelope = m.getBuffer("envelope").getBytes();
          // An envelope can be megabytes of JSON: decoded on a worker, not the event loop.
          return vertx.executeBlocking(() -> out.put("envelope", new JsonObject(new String(envelope, StandardCharsets.UTF_8))))
              .chain(() -> pool.preparedQuery("SELECT level, outcome, code, detail, receipt_id, received_at FROM exchange.receipt"
                  + " WHERE message_id = $1 ORDER BY received_at")
              .execute(Tuple.of(messageId)).map(receipts -> {
                JsonArray list = new JsonArray();
                receipts.forEach(r -> list.add(new JsonObject().put("level", r.getString("level"))
                    .put("outcome", r.getString("outcome")).put("code", r.getString("code"))
                    .put("detail", r.getString("detail")).put("receiptId", r.getUUID("receipt_id").toString())
                    .put("receivedAt", time(r.getOffsetDateTime("received_at")))));
                return out.put("receipts", list);
              }));
        });
  }

  private static JsonObject messageJson(Row r) {
    return new JsonObject().put("messageId", r.getUUID("message_id").toString()).put("sender", r.getString("sender"))
        .put("receiver", r.getString("receiver")).put("route", r.getString("route_id")).put("type", r.getString("type"))
        .put("records", r.getInteger("record_count")).put("state", r.getString("state"))
        .put("attempts", r.getInteger("attempts")).put("nextAttemptAt", time(r.getOffsetDateTime("next_attempt_at")))
        .put("rejectCode", r.getString("reject_code")).put("lastError", r.getString("last_error"))
        .put("traceparent", r.getString("traceparent")).put("createdAt", time(r.getOffsetDateTime("created_at")))
        .put("sentAt", time(r.getOffsetDateTime("sent_at"))).put("deliveredAt", time(r.getOffsetDateTime("delivered_at")))
        .put("finishedAt", time(r.getOffsetDateTime("finished_at")));
  }

  private static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }

  @Override
  public Uni<JsonObject> replay(UUID messageId) {
    return vertx.executeBlocking(() -> Sql.inTransaction(pool, sql -> {
      Row m = null;
      for (Row r : sql.run("SELECT sender, state, reject_code, envelope FROM exchange.message WHERE message_id = $1 FOR UPDATE",
          Tuple.of(messageId))) {
        m = r;
      }
      if (m == null) {
        throw HubError.MESSAGE_NOT_FOUND.exception("No message " + messageId);
      }
      MessageState state = MessageState.valueOf(m.getString("state"));
      boolean expired = state == MessageState.REJECTED && RejectCode.EXPIRED.name().equals(m.getString("reject_code"));
      if (state != MessageState.DEAD && !expired) {
        throw HubError.MESSAGE_NOT_REPLAYABLE.exception("Message " + messageId + " is " + state);
      }
      NodeKeys sender = hosted.get(m.getString("sender"));
      if (sender == null) {
        throw HubError.MESSAGE_NOT_REPLAYABLE.exception("Node " + m.getString("sender") + " is no longer hosted here");
      }
      ExchangeEnvelope old = EnvelopeJson.read(m.getBuffer("envelope").getBytes());
      ExchangeEnvelope fresh = new ExchangeEnvelope(old.messageId(), old.correlationId(), old.type(), old.schema(),
          old.schemaVersion(), old.sender(), old.receiver(), old.createdAt(), Instant.now().plus(config.messageTtl()),
          old.traceparent(), old.encryption(), old.records(), null).sign(sender.signKey(), sender.node().signKeyRef());
      sql.run("UPDATE exchange.message SET envelope = $2, state = 'NEW', attempts = 0, next_attempt_at = NULL,"
          + " reject_code = NULL, finished_at = NULL, last_error = 'replayed by an operator', updated_at = now()"
          + " WHERE message_id = $1", Tuple.of(messageId, Buffer.buffer(EnvelopeJson.write(fresh))));
      return null;
    })).invoke(relay::wakeUp).chain(() -> message(messageId));
  }

  @Override
  public Uni<JsonArray> rejections(String node, RejectCode code, int limit) {
    return pool.preparedQuery("SELECT id, receiver, sender, message_id, issue, sequence, code, detail, rejected_at"
            + " FROM exchange.rejection WHERE ($1::text IS NULL OR receiver = $1) AND ($2::text IS NULL OR code = $2)"
            + " ORDER BY id DESC LIMIT $3")
        .execute(Tuple.of(node, code == null ? null : code.name(), limit))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(new JsonObject().put("id", r.getLong("id")).put("node", r.getString("receiver"))
              .put("sender", r.getString("sender"))
              .put("messageId", r.getUUID("message_id") == null ? null : r.getUUID("message_id").toString())
              .put("issue", r.getString("issue")).put("sequence", r.getLong("sequence"))
              .put("code", r.getString("code")).put("detail", r.getString("detail"))
              .put("rejectedAt", time(r.getOffsetDateTime("rejected_at")))));
          return out;
        });
  }

  @Override
  public Uni<JsonObject> stats() {
    Uni<JsonObject> sending = pool.query("SELECT sender, coalesce(route_id, '') AS route, state, count(*) AS messages,"
        + " sum(record_count) AS records FROM exchange.message WHERE type <> 'RECEIPT' GROUP BY 1, 2, 3").execute()
        .map(rows -> {
          JsonObject nodes = new JsonObject();
          for (Row r : rows) {
            JsonObject node = node(nodes, r.getString("sender"));
            JsonObject route = child(child(node, "routes"), r.getString("route"));
            String state = r.getString("state").toLowerCase(java.util.Locale.ROOT);
            add(child(route, "messages"), state, r.getLong("messages"));
            add(child(route, "records"), state, r.getLong("records"));
            add(child(node, "sent"), state, r.getLong("records"));
          }
          return nodes;
        });
    return sending.chain(nodes -> pool.query("SELECT receiver, count(*) FILTER (WHERE outcome = 'PROCESSED') AS processed,"
            + " count(*) FILTER (WHERE outcome = 'REJECTED') AS rejected, count(*) FILTER (WHERE outcome IS NULL) AS waiting,"
            + " sum(duplicates) AS duplicates, sum(record_count - pending - rejected) AS applied_records"
            + " FROM exchange.inbox WHERE type <> 'RECEIPT' GROUP BY receiver").execute()
        .map(rows -> {
          for (Row r : rows) {
            node(nodes, r.getString("receiver")).put("received", new JsonObject()
                .put("processedMessages", r.getLong("processed")).put("rejectedMessages", r.getLong("rejected"))
                .put("waitingMessages", r.getLong("waiting")).put("duplicates", r.getLong("duplicates"))
                .put("appliedRecords", r.getLong("applied_records")));
          }
          return nodes;
        }))
        .chain(nodes -> pool.query("SELECT receiver, code, count(*) FROM exchange.rejection GROUP BY 1, 2").execute()
            .map(rows -> {
              rows.forEach(r -> add(child(node(nodes, r.getString(0)), "rejections"), r.getString(1), r.getLong(2)));
              return nodes;
            }))
        .chain(nodes -> pool.preparedQuery("SELECT s.sender, (SELECT count(*) FROM exchange.outbox o WHERE o.sender = s.sender),"
                + " (SELECT min(created_at) FROM exchange.outbox o WHERE o.sender = s.sender),"
                + " (SELECT count(*) FROM exchange.message m WHERE m.sender = s.sender AND m.state = 'NEW'),"
                + " (SELECT coalesce(sum(record_count), 0) FROM exchange.message m WHERE m.sender = s.sender"
                + "   AND m.type <> 'RECEIPT' AND m.sent_at > now() - interval '60 seconds'),"
                + " (SELECT coalesce(sum(record_count), 0) FROM exchange.inbox i WHERE i.receiver = s.sender"
                + "   AND i.type <> 'RECEIPT' AND i.finished_at > now() - interval '60 seconds')"
                + " FROM unnest($1::text[]) AS s(sender)")
            .execute(Tuple.of((Object) hosted.keySet().toArray(String[]::new)))
            .map(rows -> {
              for (Row r : rows) {
                String id = r.getString(0);
                OffsetDateTime oldest = r.getOffsetDateTime(2);
                node(nodes, id).put("lag", new JsonObject().put("outboxRows", r.getLong(1))
                        .put("oldestOutboxRowSeconds", oldest == null ? 0
                            : Duration.between(oldest.toInstant(), Instant.now()).toSeconds())
                        .put("messagesToPublish", r.getLong(3)).put("receiverKafkaLag", metrics.consumerLag(id)))
                    .put("throughput", new JsonObject().put("sentRecordsPerSecond", r.getLong(4) / 60.0)
                        .put("appliedRecordsPerSecond", r.getLong(5) / 60.0));
              }
              return new JsonObject().put("nodes", nodes).put("tableSources", new JsonArray(sources.describe(
                  d -> new JsonObject().put("node", d.node()).put("type", d.type()))))
                  .put("tableSinks", new JsonArray(sinks.describe()));
            }));
  }

  private JsonObject node(JsonObject nodes, String id) {
    JsonObject n = child(nodes, id);
    return n.containsKey("hosted") ? n : n.put("hosted", hosted.containsKey(id));
  }

  private static JsonObject child(JsonObject parent, String key) {
    JsonObject c = parent.getJsonObject(key);
    if (c == null) {
      c = new JsonObject();
      parent.put(key, c);
    }
    return c;
  }

  private static void add(JsonObject counts, String key, Long n) {
    counts.put(key, counts.getLong(key, 0L) + (n == null ? 0 : n));
  }

  @Override
  public void stop() {
    if (reloadTimer >= 0) {
      vertx.cancelTimer(reloadTimer);
    }
    relay.stop();
    receivers.forEach(Receiver::stop);
    for (Thread t : threads) {
      try {
        t.join(THREAD_STOP.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}
