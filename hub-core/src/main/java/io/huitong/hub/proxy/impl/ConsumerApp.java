package io.huitong.hub.proxy.impl;

import io.huitong.crypto.Sm2PublicKey;
import io.huitong.hub.proxy.RateLimit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A registered consumer application (接入应用): a portal, a kiosk back end or a department system that calls
 * services. Its secret signs its requests; its optional SM2 key lets it sign with SM2 instead.
 */
record ConsumerApp(String appKey, String name, byte[] secret, Sm2PublicKey sm2Key, IpAllowList ipAllow,
                   RateLimit rateLimit, boolean disabled, Instant createdAt) {

  /** As the admin API shows it: never the secret. */
  JsonObject toJson() {
    JsonObject json = new JsonObject().put("appKey", appKey).put("name", name)
        .put("ipAllow", new JsonArray(ipAllow.written())).put("disabled", disabled)
        .put("sm2PublicKey", sm2Key == null ? null : sm2Key.toPem()).put("createdAt", createdAt.toString());
    if (rateLimit != null) {
      json.put("rateLimit", rateLimit.toString());
    }
    return json;
  }
}
