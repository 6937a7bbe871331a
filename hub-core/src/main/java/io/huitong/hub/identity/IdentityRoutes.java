package io.huitong.hub.identity;

import io.huitong.hub.http.HubError;
import io.huitong.hub.http.JsonBody;
import io.huitong.hub.http.RequestIds;
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
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The identity API: public {@code /api/v1/identity/*} (login, registration, password reset by SMS) and, behind the
 * operator guard of {@link AdminRoutes}, {@code /api/v1/admin/identity/*} (disable, unlock with an approver, legal
 * persons). Personal numbers travel only in request bodies, never in URLs. Handlers run on the event loop and end
 * the response with the {@code Uni}'s item, or fail it with the {@code HubException} the capability raised.
 */
public final class IdentityRoutes {
  public static final String PREFIX = "/api/v1/identity";
  private static final String ADMIN = AdminRoutes.PREFIX + "/identity";
  private static final int MAX_OPERATOR = 64;

  private final Supplier<Identity> started;
  private final long maxBodySize;

  /** @param started the capability once start-up has opened it, null before */
  public IdentityRoutes(Supplier<Identity> started, long maxBodySize) {
    this.started = started;
    this.maxBodySize = maxBodySize;
  }

  private Identity identity() {
    Identity i = started.get();
    if (i == null) {
      throw HubError.NOT_READY.exception("Accounts are available once the database is up");
    }
    return i;
  }

  public void mount(Router router) {
    post(router, PREFIX + "/login", 200, (ctx, body) -> identity()
        .authenticate(body.optionalString("login"), body.optionalString("password"), body.optionalString("smsCode"),
            anonymous(ctx))
        .map(Account::toJson));
    post(router, PREFIX + "/registration/sms-code", 202, (ctx, body) -> identity()
        .sendRegistrationCode(body.optionalString("phone"), anonymous(ctx)).map(v -> sent()));
    post(router, PREFIX + "/registration", 201, (ctx, body) -> identity()
        .register(new Identity.Registration(body.optionalString("idNumber"), body.optionalString("name"),
            body.optionalString("phone"), body.optionalString("smsCode"), body.optionalBase64("faceImage"),
            body.optionalString("password")), anonymous(ctx))
        .map(Account::toJson));
    post(router, PREFIX + "/password-reset/sms-code", 202, (ctx, body) -> identity()
        .sendResetCode(body.optionalString("login"), anonymous(ctx)).map(v -> sent()));
    post(router, PREFIX + "/password-reset", 200, (ctx, body) -> identity()
        .resetPassword(body.optionalString("login"), body.optionalString("smsCode"), body.optionalString("newPassword"),
            anonymous(ctx))
        .map(v -> new JsonObject().put("reset", true)));

    router.get(ADMIN + "/accounts/:id").respond(ctx -> identity().find(ctx.pathParam("id")).map(a -> {
      if (a == null) {
        throw HubError.ACCOUNT_NOT_FOUND.exception(null);
      }
      return a.toJson();
    }));
    post(router, ADMIN + "/accounts/:id/disable", 200, (ctx, body) -> identity()
        .disable(ctx.pathParam("id"), body.optionalString("reason"), operator(ctx, body)).map(Account::toJson));
    post(router, ADMIN + "/accounts/:id/unlock-requests", 201, (ctx, body) -> identity()
        .requestUnlock(ctx.pathParam("id"), body.optionalString("reason"), operator(ctx, body))
        .map(r -> new JsonObject().put("id", r.id()).put("accountId", r.accountId())
            .put("requestedBy", r.requestedBy()).put("reason", r.reason())));
    post(router, ADMIN + "/unlock-requests/:id/approve", 200, (ctx, body) -> identity()
        .approveUnlock(ctx.pathParam("id"), operator(ctx, body)).map(Account::toJson));
    post(router, ADMIN + "/legal-persons", 201, (ctx, body) -> identity()
        .createLegalPerson(body.optionalString("creditCode"), body.optionalString("name"),
            body.optionalString("representativeId"), operator(ctx, body))
        .map(Account::toJson));
    post(router, ADMIN + "/legal-persons/:id/delegations", 201, (ctx, body) -> identity()
        .delegate(new Identity.Delegation(ctx.pathParam("id"), body.optionalString("staffId"), items(body),
            time(body, "validFrom"), time(body, "validUntil")), operator(ctx, body))
        .map(d -> new JsonObject().put("legalPersonId", d.legalPersonId()).put("staffId", d.staffId())
            .put("items", new JsonArray(d.items())).put("validFrom", d.validFrom().toString())
            .put("validUntil", d.validUntil().toString())));
    post(router, ADMIN + "/legal-persons/:id/delegations/check", 200, (ctx, body) -> {
      String staff = body.optionalString("staffId");
      String item = body.optionalString("item");
      if (staff == null || item == null) {
        throw HubError.IDENTITY_INPUT_INVALID.exception("Send 'staffId' and 'item'");
      }
      Instant at = body.optionalString("at") == null ? Instant.now() : time(body, "at");
      return identity().mayActFor(ctx.pathParam("id"), staff, item, at)
          .map(allowed -> new JsonObject().put("allowed", allowed).put("at", at.toString()));
    });
  }

  private static List<String> items(JsonBody body) {
    Object items = body.object().getValue("items");
    if (!(items instanceof JsonArray array) || array.stream().anyMatch(i -> !(i instanceof String))) {
      throw HubError.IDENTITY_INPUT_INVALID.exception("Field 'items' must be an array of matter codes");
    }
    return array.stream().map(String.class::cast).toList();
  }

  /** An RFC 3339 time with its offset. */
  private static Instant time(JsonBody body, String field) {
    String value = body.optionalString(field);
    try {
      return OffsetDateTime.parse(value == null ? "" : value).toInstant();
    } catch (DateTimeParseException e) {
      throw HubError.IDENTITY_INPUT_INVALID.exception("Field '" + field
          + "' must be an RFC 3339 time with an offset, such as 2026-01-02T09:30:00+08:00");
    }
  }

  private interface Handler {
    Uni<JsonObject> apply(RoutingContext ctx, JsonBody body);
  }

  private void post(Router router, String path, int status, Handler handler) {
    Function<RoutingContext, Uni<JsonObject>> respond = ctx -> handler.apply(ctx, JsonBody.of(ctx))
        .invoke(() -> ctx.response().setStatusCode(status));
    router.post(path).handler(BodyHandler.create(false).setBodyLimit(maxBodySize)).respond(respond);
  }

  private static JsonObject sent() {
    return new JsonObject().put("sent", true);
  }

  private static Identity.Origin anonymous(RoutingContext ctx) {
    return new Identity.Origin("anonymous", ctx.get(RequestIds.KEY), remote(ctx));
  }

  /**
   * The operator acting, named in the body: the operator token is shared, so the name is what tells a requester
   * from an approver (docs/identity.md says what this does and does not prove).
   */
  private static Identity.Origin operator(RoutingContext ctx, JsonBody body) {
    String name = body.optionalString("operator");
    if (name == null || name.isBlank() || name.length() > MAX_OPERATOR || !name.matches("[\\p{L}\\p{N}._@-]+")) {
      throw HubError.IDENTITY_INPUT_INVALID.exception("Send 'operator', the acting administrator's name (1 to "
          + MAX_OPERATOR + " letters, digits, . _ @ -)");
    }
    return new Identity.Origin("operator:" + name, ctx.get(RequestIds.KEY), remote(ctx));
  }

  private static String remote(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host();
  }
}
