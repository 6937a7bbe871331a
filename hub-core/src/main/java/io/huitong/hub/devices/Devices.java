package io.huitong.hub.devices;

import com.hazelcast.core.HazelcastInstance;
import io.huitong.hub.devices.impl.PgDevices;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;

/**
 * The device registry. Its event-bus consumers answer the kiosk bridge wherever in the cluster it runs; the methods
 * serve {@link DevicesRoutes}. Uni's complete on a Vert.x context; nothing here blocks an event loop.
 */
public interface Devices {

  /**
   * Registers the bus consumers and watches the cluster's membership, and marks offline the devices held by
   * members no longer in it.
   */
  static Uni<Devices> start(Vertx vertx, Storage storage, AuditLog audit, HazelcastInstance hazelcast) {
    return PgDevices.start(vertx, storage, audit, hazelcast);
  }

  /**
   * Registers a device: {@code {id, kind, hall, window?, name?, consumer?, certificate?}}. Without a certificate
   * the answer carries a new {@code token}, shown this once.
   */
  Uni<JsonObject> register(JsonObject request);

  Uni<JsonArray> list(String hall);

  Uni<JsonObject> get(String id);

  Uni<Void> delete(String id);

  /** Sends {@code {command: reload | reboot | volume, volume?}} to an online device; 409 if it is offline. */
  Uni<JsonObject> command(String id, JsonObject request);

  /** The newest alarms, raised ones only if {@code raisedOnly}. */
  Uni<JsonArray> alarms(boolean raisedOnly, int limit);

  Uni<Void> close();
}
