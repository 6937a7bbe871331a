package io.huitong.hub.proxy.impl;

import io.huitong.hub.http.HubError;
import io.huitong.hub.http.QueryParams;
import io.huitong.hub.ops.AdminRoutes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;

/**
 * The call audit in the admin API: {@code POST /api/v1/admin/proxy/audit/verify} checks the chain and answers its
 * report (200 whether intact or not: {@code ok} says which); {@code GET /api/v1/admin/proxy/audit} lists the newest
 * records. The operator guard of {@link AdminRoutes} runs first; every handler answers JSON or a problem.
 */
public final class AuditRoutes {
  public static final String AUDIT = AdminRoutes.PREFIX + "/proxy/audit";
  private static final int MAX_FILTER_LENGTH = 128;

  private final Supplier<CallAudit> started;

  /** @param started the call audit once start-up has opened the database, null before */
  public AuditRoutes(Supplier<CallAudit> started) {
    this.started = started;
  }

  private CallAudit audit() {
    CallAudit a = started.get();
    if (a == null) {
      throw HubError.NOT_READY.exception("The call audit is available once the database is up");
    }
    return a;
  }

  public void mount(Router router) {
    router.post(AUDIT + "/verify").respond(ctx -> audit().verify());
    router.get(AUDIT).respond(this::recent);
  }

  private Uni<JsonObject> recent(RoutingContext ctx) {
    return audit().recent(text(ctx, "service"), text(ctx, "consumer"), instant(ctx, "from"), instant(ctx, "to"),
        (int) QueryParams.longParam(ctx, "limit", 100, 1, CallAudit.MAX_PAGE));
  }

  private static String text(RoutingContext ctx, String name) {
    String value = QueryParams.stringParam(ctx, name);
    if (value != null && value.length() > MAX_FILTER_LENGTH) {
      throw HubError.BAD_REQUEST.exception("Query parameter '" + name + "' is longer than " + MAX_FILTER_LENGTH);
    }
    return value;
  }

  private static Instant instant(RoutingContext ctx, String name) {
    String value = QueryParams.stringParam(ctx, name);
    try {
      return value == null ? null : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw HubError.BAD_REQUEST.exception("Query parameter '" + name + "' must be an instant such as 2025-01-31T08:00:00Z");
    }
  }
}
