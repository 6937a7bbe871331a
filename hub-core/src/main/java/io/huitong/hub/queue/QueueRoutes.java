package io.huitong.hub.queue;

import io.huitong.config.Secret;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.QueryParams;
import io.huitong.hub.http.RequestIds;
import io.huitong.hub.ops.AdminRoutes;
import io.huitong.hub.ops.AuditEvent;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.ops.OperatorAuth;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue API. Under {@code /api/v1/queue/halls/{hall}}: taking a ticket, re-checking in, the snapshot and the
 * event journal are open to ticket machines, kiosks and phones; window actions (call-next, recall, skip, transfer,
 * hold, finish, window state) need the operator token and are written to the audit log. Under {@code /api/v1/admin/queue}, behind the admin guard:
 * halls, queues and windows. Every command goes through {@link QueueService#command}, the code the event bus runs.
 * Handlers run on the event loop and end the response with the {@code Uni}'s item or its HubException.
 */
public final class QueueRoutes {
  public static final String PREFIX = "/api/v1/queue";
  private static final String HALL = PREFIX + "/halls/:hall";
  private static final String ADMIN = AdminRoutes.PREFIX + "/queue";
  private static final Logger LOG = LoggerFactory.getLogger(QueueRoutes.class);

  private final Supplier<QueueService> started;
  private final AuditLog audit;
  private final Secret token;
  private final long maxBodySize;

  /** @param started the service once start-up has opened it, null before */
  public QueueRoutes(Supplier<QueueService> started, AuditLog audit, Secret token, long maxBodySize) {
    this.started = started;
    this.audit = audit;
    this.token = token;
    this.maxBodySize = maxBodySize;
  }

  private QueueService queues() {
    QueueService q = started.get();
    if (q == null) {
      throw HubError.NOT_READY.exception("The queue service is available once the database is up");
    }
    return q;
  }

  public void mount(Router router) {
    router.get(HALL + "/snapshot").respond(ctx -> queues().snapshot(ctx.pathParam("hall")));
    router.get(HALL + "/events").respond(ctx -> queues().events(ctx.pathParam("hall"),
        QueryParams.longParam(ctx, "after", 0, 0, Long.MAX_VALUE),
        (int) QueryParams.longParam(ctx, "limit", QueueService.MAX_EVENTS, 1, QueueService.MAX_EVENTS)));
    command(router, HALL + "/tickets", "take-ticket", 201, false);
    command(router, HALL + "/tickets/:ticket/recheck-in", "recheck-in", 200, false);
    command(router, HALL + "/recheck-in", "recheck-in", 200, false);
    command(router, HALL + "/windows/:window/call-next", "call-next", 200, true);
    command(router, HALL + "/windows/:window/state", "window-state", 200, true);
    for (String action : List.of("recall", "skip", "transfer", "hold", "finish")) {
      command(router, HALL + "/tickets/:ticket/" + action, action, 200, true);
    }

    router.get(ADMIN + "/halls").respond(ctx -> queues().halls().map(JsonArray::new)
        .map(halls -> new JsonObject().put("halls", halls)));
    post(router, ADMIN + "/halls", 201, (ctx, body) -> queues().createHall(body.getString("id"), body.getString("name")));
    post(router, ADMIN + "/halls/:hall/queues", 201, (ctx, body) -> queues().createQueue(ctx.pathParam("hall"),
        body.getString("id"), body.getString("prefix"), body.getString("name")));
    post(router, ADMIN + "/halls/:hall/windows", 201, (ctx, body) -> queues().createWindow(ctx.pathParam("hall"),
        body.getString("id"), body.getValue("number") instanceof Integer n ? n : 0, body.getString("name"),
        strings(body, "queues")));
    router.put(ADMIN + "/halls/:hall/windows/:window/queues")
        .handler(BodyHandler.create(false).setBodyLimit(maxBodySize))
        .respond(ctx -> queues().setWindowQueues(ctx.pathParam("hall"), ctx.pathParam("window"),
            strings(body(ctx), "queues")));
  }

  /**
   * A command route: the body's fields, with the hall, ticket and window from the path and the action from the
   * route, go to {@link QueueService#command}.
   */
  private void command(Router router, String path, String action, int status, boolean operator) {
    if (operator) {
      // A route of its own, ahead of the body handler: an unauthenticated client cannot make the hub read a body.
      router.route(path).handler(new OperatorAuth(token)).handler(ctx -> {
        audited(ctx, action);
        ctx.next();
      });
    }
    router.post(path).handler(BodyHandler.create(false).setBodyLimit(maxBodySize)).respond(ctx -> {
      JsonObject command = body(ctx).put("action", action).put("hall", ctx.pathParam("hall"));
      for (String param : List.of("ticket", "window")) {
        if (ctx.pathParam(param) != null) {
          command.put(param, ctx.pathParam(param));
        }
      }
      return queues().command(command).invoke(() -> ctx.response().setStatusCode(status));
    });
  }

  /** Records the window action in the audit log once its response has ended, whatever its outcome. */
  private void audited(RoutingContext ctx, String action) {
    ctx.getDelegate().addEndHandler(done -> {
      String target = ctx.pathParam("ticket") != null ? ctx.pathParam("ticket") : ctx.pathParam("window");
      AuditEvent event = new AuditEvent("operator", "queue." + action, target,
          Integer.toString(ctx.response().getStatusCode()), ctx.get(RequestIds.KEY),
          ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host(),
          new JsonObject().put("hall", ctx.pathParam("hall")));
      audit.record(event).subscribe().with(ok -> { }, e -> LOG.warn("Audit event {} not recorded: {}", event.action(), e.toString()));
    });
  }

  private interface Handler {
    Uni<JsonObject> apply(RoutingContext ctx, JsonObject body);
  }

  private void post(Router router, String path, int status, Handler handler) {
    Function<RoutingContext, Uni<JsonObject>> respond = ctx -> handler.apply(ctx, body(ctx))
        .invoke(() -> ctx.response().setStatusCode(status));
    router.post(path).handler(BodyHandler.create(false).setBodyLimit(maxBodySize)).respond(respond);
  }

  /** The JSON object body; an empty body is an empty object. */
  private static JsonObject body(RoutingContext ctx) {
    String text = ctx.body().asString();
    if (text == null || text.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw HubError.QUEUE_INPUT_INVALID.exception("The body must be a JSON object");
    }
  }

  private static List<String> strings(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof JsonArray array) || array.stream().anyMatch(v -> !(v instanceof String))) {
      throw HubError.QUEUE_INPUT_INVALID.exception("Field '" + field + "' must be an array of ids");
    }
    return array.stream().map(String.class::cast).toList();
  }
}
