package io.huitong.hub.ops;

import io.huitong.config.Config;
import io.huitong.config.ConfigException;
import io.huitong.config.Secret;
import io.huitong.hub.config.HubConfiguration;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.http.QueryParams;
import io.huitong.hub.http.RequestIds;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations part of the admin API under {@code /api/v1/admin/}: every request there is authenticated with the
 * operator token and recorded in the audit log, whatever its outcome.
 */
public final class AdminRoutes {
  public static final String PREFIX = "/api/v1/admin";
  private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);
  private static final int MAX_LOGGED_PATH = 200;
  private static final Set<String> CONFIG_MEDIA_TYPES =
      Set.of("application/yaml", "application/x-yaml", "text/yaml", "application/json", "text/plain");

  private final Vertx vertx;
  private final AuditLog audit;
  private final Secret token;
  private final Config running;
  private final long maxBodySize;
  private final AnonymousAuditLimit anonymousLimit = new AnonymousAuditLimit();

  public AdminRoutes(Vertx vertx, AuditLog audit, Secret token, Config running, long maxBodySize) {
    this.vertx = vertx;
    this.audit = audit;
    this.token = token;
    this.running = running;
    this.maxBodySize = maxBodySize;
  }

  /**
   * Adds the guard for everything under the prefix, then the operations routes. A route that reads a body buffers
   * it after the guard, so an unauthenticated client cannot make the hub read one; past {@code http.max-body-size}
   * it is answered 413.
   */
  public void mount(Router router) {
    router.route(PREFIX + "/*")
        .handler(this::auditTrail)
        .handler(new OperatorAuth(token));
    router.get(PREFIX + "/audit").respond(this::auditPage);
    router.get(PREFIX + "/config").respond(ctx -> Uni.createFrom().item(effectiveConfig()));
    router.post(PREFIX + "/config/check")
        .handler(BodyHandler.create(false).setBodyLimit(maxBodySize))
        .respond(this::checkConfig);
  }

  /**
   * Records the request in the audit log once its response has ended; unauthenticated requests within
   * {@link AnonymousAuditLimit}'s bound. Calls {@code next()}.
   */
  private void auditTrail(RoutingContext ctx) {
    ctx.getDelegate().addEndHandler(done -> {
      boolean operator = Boolean.TRUE.equals(ctx.get(OperatorAuth.AUTHENTICATED));
      String remote = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host();
      JsonObject detail = new JsonObject();
      if (!operator) {
        long leftOut = anonymousLimit.admit(remote, System.currentTimeMillis());
        if (leftOut < 0) {
          return;
        }
        if (leftOut > 0) {
          detail.put("unauthenticatedRequestsNotRecorded", leftOut);
        }
      }
      String path = ctx.request().path();
      AuditEvent event = new AuditEvent(operator ? "operator" : "anonymous",
          ctx.request().method() + " " + (path.length() > MAX_LOGGED_PATH ? path.substring(0, MAX_LOGGED_PATH) : path),
          null, Integer.toString(ctx.response().getStatusCode()), ctx.get(RequestIds.KEY), remote, detail);
      audit.record(event).subscribe().with(ok -> { }, e -> LOG.warn("Audit event {} not recorded: {}", event.action(), e.toString()));
    });
    ctx.next();
  }

  private Uni<JsonObject> auditPage(RoutingContext ctx) {
    long before = QueryParams.longParam(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
    int limit = (int) QueryParams.longParam(ctx, "limit", 50, 1, AuditLog.MAX_PAGE);
    return audit.page(before, limit).map(entries -> {
      JsonArray items = new JsonArray();
      entries.forEach(e -> items.add(new JsonObject()
          .put("id", e.id()).put("occurredAt", e.occurredAt().toString()).put("node", e.node())
          .put("actor", e.event().actor()).put("action", e.event().action()).put("target", e.event().target())
          .put("outcome", e.event().outcome()).put("requestId", e.event().requestId())
          .put("remoteAddress", e.event().remoteAddress()).put("detail", e.event().detail())));
      JsonObject page = new JsonObject().put("entries", items);
      if (entries.size() == limit) {
        page.put("next", entries.get(entries.size() - 1).id());
      }
      return page;
    });
  }

  private JsonObject effectiveConfig() {
    JsonArray keys = new JsonArray();
    running.definition().keys().keySet().forEach(path -> keys.add(new JsonObject()
        .put("key", path).put("value", running.display(path)).put("origin", running.originOf(path))));
    return new JsonObject().put("keys", keys);
  }

  /** Checks a configuration document an operator means to deploy; parsing runs on a worker, off the event loop. */
  private Uni<JsonObject> checkConfig(RoutingContext ctx) {
    String type = ctx.parsedHeaders().contentType().value();
    if (!CONFIG_MEDIA_TYPES.contains(type)) {
      throw HubError.UNSUPPORTED_MEDIA_TYPE.exception("Send the configuration as application/yaml or application/json");
    }
    String text = ctx.body().asString();
    return vertx.executeBlocking(Uni.createFrom().item(() -> {
      try {
        Config candidate = HubConfiguration.check("the request body", text == null ? "" : text);
        JsonArray changed = new JsonArray();
        candidate.definition().keys().keySet().stream()
            .filter(k -> !candidate.display(k).equals(running.display(k)))
            .forEach(changed::add);
        return new JsonObject().put("valid", true).put("changed", changed);
      } catch (ConfigException e) {
        throw new HubException(HubError.CONFIG_INVALID, e.getMessage(), Map.of("key", e.key()));
      }
    }), false);
  }
}
