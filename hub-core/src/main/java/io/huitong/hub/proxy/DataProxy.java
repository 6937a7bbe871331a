package io.huitong.hub.proxy;

import com.hazelcast.core.HazelcastInstance;
import io.huitong.hub.http.Problems;
import io.huitong.hub.proxy.impl.DefaultProxy;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.storage.Storage;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.RoutingContext;

/**
 * The data proxy capability: what {@link ProxyRoutes} serves. Calls are answered on the event loop they arrive on;
 * catalogue changes are written to PostgreSQL and reach every member.
 */
public interface DataProxy extends ConsumerRegistry {

  /**
   * Builds the connectors, loads the catalogue and starts the audit log and the alarm rules.
   *
   * @param member this member's name, for the audit chain
   */
  static Uni<DataProxy> start(Vertx vertx, Storage storage, MasterKey master, HazelcastInstance hazelcast,
                              ProxyConfig config, ProxyDefinitions definitions, MeterRegistry registry,
                              Problems problems, String member) {
    return DefaultProxy.start(vertx, storage, master, hazelcast, config, definitions, registry, problems, member);
  }

  /** Answers a consumer's call of a service, errors included, and audits and counts it. */
  void call(RoutingContext ctx);

  /**
   * A catalogue query for a kiosk device on behalf of {@code appKey}, checked, limited, masked and audited as a
   * signed call is; fails with the {@code HubException} a call would be answered with.
   *
   * @param caller what the audit records as the remote address, such as {@code kiosk:<deviceId>}
   */
  Uni<JsonObject> query(String appKey, String serviceId, JsonObject input, String caller);

  /** A signed request of a consumer applying for a service. */
  Uni<JsonObject> apply(RoutingContext ctx);

  /** A signed request of a consumer listing its own applications. */
  Uni<JsonArray> ownApplications(RoutingContext ctx);

  JsonArray services();

  JsonObject service(String id);

  Uni<JsonObject> putService(JsonObject definition);

  Uni<Void> deleteService(String id);

  JsonArray consumers();

  Uni<JsonObject> createConsumer(JsonObject request);

  Uni<JsonObject> updateConsumer(String appKey, JsonObject patch);

  Uni<JsonObject> rotateSecret(String appKey);

  Uni<JsonArray> applications(String state, String appKey, int limit);

  Uni<JsonObject> approve(long id, JsonObject request, String operator);

  Uni<JsonObject> reject(long id, JsonObject request, String operator);

  Uni<JsonObject> revoke(long id, String operator);

  /** Each connector's health and circuit state. */
  Uni<JsonObject> connectors();

  Uni<Void> close();
}
