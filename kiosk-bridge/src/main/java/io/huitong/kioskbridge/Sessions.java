package io.huitong.kioskbridge;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authenticated sessions of every verticle of one bridge, by device id: a delivery from the event bus finds its
 * device here, and a device that connects again replaces its older connection. Each session is only touched on its
 * own event loop; this map is the one structure the verticles share.
 */
final class Sessions {
  private final Map<String, DeviceSession> byDevice = new ConcurrentHashMap<>();

  /** Registers the session; returns the one it replaces, if any, for the caller to close on its own loop. */
  DeviceSession put(DeviceSession session) {
    return byDevice.put(session.device().id(), session);
  }

  /** Removes the session if it is still its device's; returns whether it was. */
  boolean remove(DeviceSession session) {
    return byDevice.remove(session.device().id(), session);
  }

  int size() {
    return byDevice.size();
  }

  /**
   * Hands a published frame to the sessions it names: {@code deviceId}, or every device of {@code hall} whose kind
   * is among {@code kinds} (all kinds when absent); or, with {@code revoked} (the reason), closes the session of
   * {@code deviceId}.
   */
  void deliver(JsonObject delivery) {
    String deviceId = delivery.getString("deviceId");
    String revoked = delivery.getString("revoked");
    if (deviceId != null && revoked != null) {
      DeviceSession session = byDevice.get(deviceId);
      if (session != null) {
        session.revoke(revoked);
      }
      return;
    }
    JsonObject frame = delivery.getJsonObject("frame");
    if (frame == null) {
      return;
    }
    if (deviceId != null) {
      DeviceSession session = byDevice.get(deviceId);
      if (session != null && (delivery.getString("hall") == null || delivery.getString("hall").equals(session.device().hall()))) {
        session.deliver(frame);
      }
      return;
    }
    String hall = delivery.getString("hall");
    Set<Object> kinds = delivery.getJsonArray("kinds") == null ? null : Set.copyOf(delivery.getJsonArray("kinds").getList());
    for (DeviceSession session : byDevice.values()) {
      if (session.device().hall().equals(hall) && (kinds == null || kinds.contains(session.device().kind().wire()))) {
        session.deliver(frame);
      }
    }
  }
}
