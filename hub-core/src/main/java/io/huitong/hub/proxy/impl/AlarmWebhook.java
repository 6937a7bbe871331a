package io.huitong.hub.proxy.impl;

import io.huitong.config.ConfigException;
import io.huitong.hub.proxy.ProxyConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each raised and cleared alarm as JSON to {@code proxy.alarms.webhook}: each attempt within a timeout, a
 * failure or non-2xx answer retried a few times with backoff, then logged and dropped. Deliveries run on their
 * own and never hold up an evaluation; at most {@value #MAX_PENDING} wait at once, so a dead receiver cannot fill
 * the memory. Two deliveries may arrive out of order; the receiver orders them by {@code at}.
 */
final class AlarmWebhook {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmWebhook.class);
  static final int MAX_PENDING = 1000;
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
  private static final int RETRIES = 3;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

  private final WebClient client;
  private final String url;
  private final AtomicInteger pending = new AtomicInteger();

  private AlarmWebhook(WebClient client, String url) {
    this.client = client;
    this.url = url;
  }

  /** A webhook for {@code url}, or null when it is empty; a URL that is not http(s) names the config key. */
  static AlarmWebhook create(Vertx vertx, String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigException(ProxyConfig.ALARM_WEBHOOK, "expected an http or https URL, got '" + url + "'");
      }
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException(ProxyConfig.ALARM_WEBHOOK, "expected an http or https URL, got '" + url + "'");
    }
    return new AlarmWebhook(WebClient.create(vertx, new WebClientOptions().setUserAgent("huitong-hub-alarms")), url);
  }

  void deliver(JsonObject event) {
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      LOG.warn("Alarm webhook {} is behind by {} deliveries; alarm {} {} not sent", url, MAX_PENDING,
          event.getString("alarmId"), event.getString("state"));
      return;
    }
    Uni.createFrom().deferred(() -> client.postAbs(url).timeout(ATTEMPT_TIMEOUT.toMillis()).sendJsonObject(event))
        .invoke(response -> {
          if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("answered " + response.statusCode());
          }
        })
        .onFailure().retry().withBackOff(FIRST_BACKOFF).atMost(RETRIES)
        .onTermination().invoke(() -> pending.decrementAndGet())
        .subscribe().with(ok -> { }, e -> LOG.warn("Alarm {} {} not delivered to {}: {}", event.getString("alarmId"),
            event.getString("state"), url, e.toString()));
  }

  void close() {
    client.close();
  }
}
