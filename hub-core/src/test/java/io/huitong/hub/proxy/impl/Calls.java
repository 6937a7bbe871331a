package io.huitong.hub.proxy.impl;

import io.huitong.hub.proxy.ProxyCall;
import java.time.Instant;
import java.util.UUID;

/** Proxy calls for the statistics tests; only the fields statistics read matter. */
final class Calls {
  private Calls() {
  }

  static ProxyCall call(String service, String consumer, int status, long latencyMillis) {
    return call(service, "hrss", "632801", consumer, status, latencyMillis * 1000);
  }

  static ProxyCall call(String service, String department, String region, String consumer, int status, long micros) {
    return new ProxyCall(UUID.randomUUID().toString(), Instant.now(), consumer, service, department, region, "http",
        "BYPASS", status, status < 400 ? "ok" : "HT-ERROR", micros, "0".repeat(64), "0".repeat(64), "127.0.0.1");
  }
}
