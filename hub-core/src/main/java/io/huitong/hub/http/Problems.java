package io.huitong.hub.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.http.HttpServerResponse;
import io.vertx.mutiny.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that sends errors: every failed request ends here as {@code application/problem+json} (RFC 9457)
 * with a stable {@code code} from {@link HubError}, and is counted by code in {@code hub_http_problems_total}.
 * Runs on the request's event loop.
 */
public final class Problems {
  public static final String MEDIA_TYPE = "application/problem+json";
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  /** The extension a problem carries when the client should wait: sent as the {@code Retry-After} header too. */
  public static final String RETRY_AFTER_SECONDS = "retryAfterSeconds";

  private final MeterRegistry registry;
  private final Map<HubError, Counter> counters = new ConcurrentHashMap<>();

  public Problems(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Ends the response with {@code error}; a response already sent is left alone (the client has its answer). */
  public void send(RoutingContext ctx, HubError error, String detail, Map<String, Object> extensions) {
    HttpServerResponse response = ctx.response();
    JsonObject body = document(ctx, error, detail, extensions);
    if (response.headWritten() || response.ended() || response.closed()) {
      return;
    }
    prepare(response, error, extensions);
    response.endAndForget(body.encode());
  }

  /**
   * The problem document for {@code error}, counted as sent: for a caller that must see the body before sending it
   * (the data proxy audits the digest of every answer) and then calls {@link #prepare}.
   */
  public JsonObject document(RoutingContext ctx, HubError error, String detail, Map<String, Object> extensions) {
    counters.computeIfAbsent(error, e -> Counter.builder("hub_http_problems")
        .description("Problem responses sent, by code").tag("code", e.code()).register(registry)).increment();
    JsonObject body = new JsonObject()
        .put("type", "urn:huitong:problem:" + error.code())
        .put("title", error.title())
        .put("status", error.status())
        .put("detail", detail == null ? error.title() : detail)
        .put("instance", ctx.request().path())
        .put("code", error.code());
    extensions.forEach(body::put);
    String requestId = ctx.get(RequestIds.KEY);
    if (requestId != null) {
      body.put("requestId", requestId);
    }
    return body;
  }

  /** Sets the status and the headers that go with {@code error} and its extensions. */
  public static void prepare(HttpServerResponse response, HubError error, Map<String, Object> extensions) {
    response.setStatusCode(error.status()).putHeader("Content-Type", MEDIA_TYPE);
    switch (error) {
      case UNAUTHORIZED -> response.putHeader("WWW-Authenticate", "Bearer realm=\"huitong-admin\"");
      case UPLOAD_GRANT_MISSING -> response.putHeader("WWW-Authenticate", "Bearer realm=\"huitong-files\"");
      // RFC 6750: a token that is there but does not do tells the client to fetch a new one.
      case UPLOAD_GRANT_INVALID, UPLOAD_GRANT_EXPIRED ->
          response.putHeader("WWW-Authenticate", "Bearer realm=\"huitong-files\", error=\"invalid_token\"");
      // RFC 6750 3.1: a citizen's portal signs the person in again for a new SSO access token.
      case CASE_TOKEN_INVALID -> response.putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      case CASE_TOKEN_SCOPE -> response.putHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"cases\"");
      // A client that keeps its connection would only be refused again: tell it to reconnect elsewhere.
      case SHUTTING_DOWN -> response.putHeader("Connection", "close").putHeader("Retry-After", "5");
      case NOT_READY -> response.putHeader("Retry-After", "5");
      default -> { }
    }
    if (extensions.get(RETRY_AFTER_SECONDS) instanceof Number seconds) {
      response.putHeader("Retry-After", seconds.toString());
    }
  }

  /** Ends the response for a failed routing context: a {@link HubException}, a status Vert.x set, or INTERNAL. */
  public void sendFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HubException e) {
      send(ctx, e.error(), e.getMessage(), e.extensions());
      return;
    }
    if (failure instanceof io.huitong.crypto.CryptoException e) {
      send(ctx, HubError.forCrypto(e.error()), e.getMessage(), Map.of());
      return;
    }
    if (failure instanceof io.huitong.hub.config.DefinitionException e) {
      send(ctx, HubError.BAD_REQUEST, e.getMessage(), Map.of("path", e.path()));
      return;
    }
    if (failure instanceof io.vertx.core.json.DecodeException) {
      send(ctx, HubError.BAD_REQUEST, "The request body is not valid JSON", Map.of());
      return;
    }
    HubError error = HubError.forStatus(ctx.statusCode());
    if (error == HubError.INTERNAL) {
      LOG.error("Request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
      send(ctx, error, "The hub could not complete the request; quote the requestId when reporting it", Map.of());
    } else {
      send(ctx, error, null, Map.of());
    }
  }
}
