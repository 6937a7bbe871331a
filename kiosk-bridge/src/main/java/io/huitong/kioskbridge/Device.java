package io.huitong.kioskbridge;

import io.huitong.kiosk.DeviceKind;
import io.vertx.core.json.JsonObject;

/**
 * A device as the devices service registered it: what the bridge knows once its hello is authenticated.
 *
 * @param consumer the data-proxy consumer (app key) its convenience queries run as; null if it makes none
 */
public record Device(String id, DeviceKind kind, String hall, String window, String consumer) {

  /** Reads the devices service's answer to {@link BusAddresses#DEVICES_AUTHENTICATE}. */
  static Device fromJson(JsonObject json) {
    DeviceKind kind = DeviceKind.ofWire(json.getString("kind"));
    if (kind == null || json.getString("deviceId") == null || json.getString("hall") == null) {
      throw new IllegalArgumentException("the devices service answered an incomplete device: " + json.encode());
    }
    return new Device(json.getString("deviceId"), kind, json.getString("hall"), json.getString("window"),
        json.getString("consumer"));
  }
}
