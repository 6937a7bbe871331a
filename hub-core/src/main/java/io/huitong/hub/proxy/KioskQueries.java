package io.huitong.hub.proxy;

import io.huitong.hub.http.HubException;
import io.huitong.kioskbridge.BusAddresses;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.eventbus.MessageConsumer;
import java.util.function.Supplier;

/**
 * The data proxy's event-bus address for kiosks ({@code huitong.proxy.kiosk-query}): the kiosk bridge sends
 * {@code {consumer, service, input, deviceId}} and gets the service's output as the consumer would see it, or a
 * failure {@code (status, "HT-...: message")} with the code a signed call would get.
 */
public final class KioskQueries {
  private final MessageConsumer<JsonObject> consumer;

  private KioskQueries(MessageConsumer<JsonObject> consumer) {
    this.consumer = consumer;
  }

  /** @param proxy the proxy once start-up has opened it, null before */
  public static Uni<KioskQueries> start(Vertx vertx, Supplier<DataProxy> proxy) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(BusAddresses.PROXY_KIOSK_QUERY);
    consumer.handler(m -> {
      JsonObject ask = m.body();
      DataProxy p = proxy.get();
      if (p == null) {
        m.fail(503, "HT-NOT-READY: the data proxy is starting");
        return;
      }
      Object input = ask.getValue("input");
      p.query(ask.getString("consumer"), String.valueOf(ask.getValue("service")),
              input instanceof JsonObject object ? object : new JsonObject(), "kiosk:" + ask.getString("deviceId"))
          .subscribe().with(m::reply, failure -> {
            if (failure instanceof HubException e) {
              m.fail(e.error().status(), e.error().code() + ": " + e.getMessage());
            } else {
              m.fail(500, "HT-INTERNAL: the query failed");
            }
          });
    });
    return consumer.completionHandler().replaceWith(new KioskQueries(consumer));
  }

  public Uni<Void> close() {
    return consumer.unregister();
  }
}
