package io.huitong.hub.exchange;

import io.huitong.hub.StartupException;
import io.huitong.hub.exchange.impl.DefaultExchange;
import io.huitong.hub.exchange.route.ExchangeDefinitions;
import io.huitong.hub.signing.Signing;
import io.huitong.hub.storage.Storage;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.util.List;
import java.util.UUID;

/**
 * The exchange bus (数据交换) of this hub: its hosted front-exchange nodes, their relay and receivers, routes, table
 * adapters, and what operators see of it. Everything the bus does to data runs on its own threads; the methods here
 * serve the admin API and may be called on an event loop.
 */
public interface Exchange {

  /**
   * Starts the bus: keys and certificates for each hosted node, the table triggers and sinks of the definitions,
   * the Kafka topics, then the relay and one receiver per hosted node. Blocking: call from a start-up thread.
   */
  static Exchange start(Vertx vertx, Storage storage, Signing signing, String bootstrap, ExchangeConfig config,
                        ExchangeDefinitions definitions, MeterRegistry metrics, String memberName) throws StartupException {
    return DefaultExchange.start(vertx, storage, signing, bootstrap, config, definitions, metrics, memberName);
  }

  NodeRegistry nodes();

  /** Every route in force, each with its {@code origin}: {@code file} or {@code api}. */
  List<JsonObject> routes();

  /** Adds or replaces an API route; {@code HT-ROUTE-INVALID} or {@code HT-ROUTE-FROM-FILE}. */
  Uni<JsonObject> putRoute(String routeId, JsonObject definition);

  Uni<Void> deleteRoute(String routeId);

  /** Sent messages, newest first, filtered by state, sending node and route (each may be null). */
  Uni<JsonArray> messages(MessageState state, String node, String route, int limit);

  /** One sent message with its receipts and its envelope; {@code HT-MESSAGE-NOT-FOUND}. */
  Uni<JsonObject> message(UUID messageId);

  /**
   * Sends a DEAD message (or one rejected as EXPIRED) again: same message id, a fresh expiry and signature, attempts
   * from zero. {@code HT-MESSAGE-NOT-REPLAYABLE} for any other state.
   */
  Uni<JsonObject> replay(UUID messageId);

  /** What the hosted nodes refused or could not route, newest first, filtered by node and code (each may be null). */
  Uni<JsonArray> rejections(String node, RejectCode code, int limit);

  /** Per node and per route: counts by state, records, lag and throughput over the last minute. */
  Uni<JsonObject> stats();

  /** Stops the relay and the receivers and closes their Kafka clients; blocking. */
  void stop();
}
