package io.huitong.hub.evaluation;

import io.huitong.hub.evaluation.Evaluations.Channel;
import io.huitong.hub.evaluation.Evaluations.Dimension;
import io.huitong.hub.evaluation.Evaluations.RectificationState;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.JsonBody;
import io.huitong.hub.http.QueryParams;
import io.huitong.hub.http.RequestIds;
import io.huitong.hub.identity.Identity.Origin;
import io.huitong.hub.ops.AdminRoutes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;

/**
 * The evaluation API: public {@code /api/v1/evaluations} (portal and evaluator ratings) and
 * {@code /api/v1/evaluations/sms} (the SMS gateway's inbound webhook), and behind the operator guard
 * {@code /api/v1/admin/evaluations/*} (invitations from window systems, rectification tasks, statistics). Handlers
 * run on the event loop and end the response with the {@code Uni}'s item, or fail it with the capability's
 * {@code HubException}.
 */
public final class EvaluationRoutes {
  public static final String PREFIX = "/api/v1/evaluations";
  private static final String ADMIN = AdminRoutes.PREFIX + "/evaluations";
  private static final int MAX_OPERATOR = 64;

  private final Supplier<Evaluations> started;
  private final long maxBodySize;

  /** @param started the capability once start-up has opened it, null before */
  public EvaluationRoutes(Supplier<Evaluations> started, long maxBodySize) {
    this.started = started;
    this.maxBodySize = maxBodySize;
  }

  private Evaluations evaluations() {
    Evaluations e = started.get();
    if (e == null) {
      throw HubError.NOT_READY.exception("Evaluations are available once the database is up");
    }
    return e;
  }

  public void mount(Router router) {
    post(router, PREFIX, 201, (ctx, body) -> {
      Evaluations.Submission s = Evaluations.Submission.fromJson(body.object(), Channel.PORTAL);
      if (s.channel() == Channel.SMS) {
        throw HubError.EVALUATION_INVALID.exception("SMS ratings come through " + PREFIX + "/sms");
      }
      return evaluations().submit(s, origin(ctx, "anonymous")).map(Evaluations.Evaluation::toJson);
    });
    post(router, PREFIX + "/sms", 201, (ctx, body) -> evaluations()
        .submitSms(body.optionalString("phone"), body.optionalString("text"), origin(ctx, "sms-gateway"))
        .map(Evaluations.Evaluation::toJson));
    post(router, ADMIN + "/invitations", 201, (ctx, body) -> evaluations()
        .invite(new Evaluations.Invitation(body.optionalString("caseNumber"), body.optionalString("hall"),
            body.optionalString("window"), body.optionalString("staff"), body.optionalString("department"),
            body.optionalString("phone")), operator(ctx, body))
        .map(v -> new JsonObject().put("caseNumber", body.optionalString("caseNumber")).put("invited", true)));
    router.get(ADMIN + "/rectifications").respond(ctx -> evaluations()
        .rectifications(QueryParams.enumParam(ctx, "state", RectificationState.class),
            "true".equals(QueryParams.stringParam(ctx, "overdue")), (int) QueryParams.longParam(ctx, "limit", 100, 1, 1000))
        .map(list -> new JsonObject().put("rectifications",
            new JsonArray(list.stream().map(Evaluations.Rectification::toJson).toList()))));
    post(router, ADMIN + "/rectifications/:id/handle", 200, (ctx, body) -> evaluations()
        .handle(ctx.pathParam("id"), body.optionalString("note"), operator(ctx, body)).map(Evaluations.Rectification::toJson));
    post(router, ADMIN + "/rectifications/:id/close", 200, (ctx, body) -> evaluations()
        .close(ctx.pathParam("id"), body.optionalString("note"), operator(ctx, body)).map(Evaluations.Rectification::toJson));
    post(router, ADMIN + "/rectifications/:id/reopen", 200, (ctx, body) -> evaluations()
        .reopen(ctx.pathParam("id"), body.optionalString("note"), operator(ctx, body)).map(Evaluations.Rectification::toJson));
    router.get(ADMIN + "/statistics").respond(ctx -> {
      Dimension by = QueryParams.enumParam(ctx, "by", Dimension.class);
      Instant from = time(QueryParams.stringParam(ctx, "from"), Instant.EPOCH);
      Instant to = time(QueryParams.stringParam(ctx, "to"), Instant.parse("9999-12-31T00:00:00Z"));
      return evaluations().statistics(by == null ? Dimension.WINDOW : by, from, to)
          .map(list -> new JsonObject().put("by", (by == null ? Dimension.WINDOW : by).name())
              .put("statistics", new JsonArray(list.stream().map(Evaluations.Statistic::toJson).toList())));
    });
  }

  private static Instant time(String value, Instant fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw HubError.BAD_REQUEST.exception("'from' and 'to' are RFC 3339 times with an offset, such as 2026-12-01T00:00:00+08:00");
    }
  }

  private interface Handler {
    Uni<JsonObject> apply(RoutingContext ctx, JsonBody body);
  }

  private void post(Router router, String path, int status, Handler handler) {
    router.post(path).handler(BodyHandler.create(false).setBodyLimit(maxBodySize))
        .respond(ctx -> handler.apply(ctx, JsonBody.of(ctx)).invoke(() -> ctx.response().setStatusCode(status)));
  }

  /** The operator acting, named in the body ({@code operator}); the shared token alone says only "operator". */
  private static Origin operator(RoutingContext ctx, JsonBody body) {
    String name = body.optionalString("operator");
    if (name != null && (name.isBlank() || name.length() > MAX_OPERATOR || !name.matches("[\\p{L}\\p{N}._@-]+"))) {
      throw HubError.EVALUATION_INVALID.exception("'operator' has 1 to " + MAX_OPERATOR + " letters, digits, . _ @ -");
    }
    return origin(ctx, name == null ? "operator" : "operator:" + name);
  }

  private static Origin origin(RoutingContext ctx, String actor) {
    return new Origin(actor, ctx.get(RequestIds.KEY),
        ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host());
  }
}
