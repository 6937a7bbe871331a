package io.huitong.hub.proxy;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.ext.web.RoutingContext;

/**
 * The consumers the data proxy registers (接入应用), as other capabilities need them: to know who signed a request
 * and whether an app key names a consumer. Answers on the caller's event loop.
 */
public interface ConsumerRegistry {

  /**
   * The app key of the consumer that signed {@code ctx}'s request as for a proxy call (docs/proxy.md: signature,
   * timestamp, nonce), enabled and calling from an address it may call from. The body, if any, must have been read.
   * Fails with the proxy's 401 ({@code HT-SIGNATURE-*}, {@code HT-APP-KEY-UNKNOWN}, {@code HT-TIMESTAMP-STALE},
   * {@code HT-NONCE-REPLAYED}) or 403 ({@code HT-CONSUMER-DISABLED}, {@code HT-IP-NOT-ALLOWED}).
   */
  Uni<String> authenticate(RoutingContext ctx);

  /** Whether a consumer is registered under {@code appKey}, on any member. */
  Uni<Boolean> exists(String appKey);
}
