package io.huitong.hub.proxy.impl;

import io.huitong.config.ConfigException;
import io.huitong.config.ConfigType;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.JsonBody;
import io.huitong.hub.http.QueryParams;
import io.huitong.hub.ops.AdminRoutes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The proxy's statistics and alarms in the admin API ({@code /api/v1/admin/proxy/...}): call statistics of this
 * member by service, department, region or consumer; the alarm history of all members; the alarm rules. The
 * operator guard of {@link AdminRoutes} runs first; every handler answers JSON or a problem.
 */
public final class StatsRoutes {
  private static final String P = AdminRoutes.PREFIX + "/proxy";

  private final Supplier<Alarms> started;
  private final long maxBodySize;

  /** @param started the alarms once start-up has opened the database, null before */
  public StatsRoutes(Supplier<Alarms> started, long maxBodySize) {
    this.started = started;
    this.maxBodySize = maxBodySize;
  }

  private Alarms alarms() {
    Alarms a = started.get();
    if (a == null) {
      throw HubError.NOT_READY.exception("Proxy statistics are available once the database is up");
    }
    return a;
  }

  public void mount(Router router) {
    router.get(P + "/stats").respond(this::stats);
    router.get(P + "/alarms").respond(ctx -> alarms().alarms(state(ctx),
        (int) QueryParams.longParam(ctx, "limit", 100, 1, Alarms.MAX_PAGE)));
    router.get(P + "/alarm-rules").respond(ctx -> Uni.createFrom().item(alarms().rules()));
    router.get(P + "/alarm-rules/:ruleId").respond(ctx -> Uni.createFrom().item(alarms().rule(ctx.pathParam("ruleId"))));
    router.put(P + "/alarm-rules/:ruleId").handler(BodyHandler.create(false).setBodyLimit(maxBodySize))
        .respond(ctx -> alarms().putRule(ctx.pathParam("ruleId"), JsonBody.of(ctx).object()));
    router.delete(P + "/alarm-rules/:ruleId").respond(ctx -> alarms().deleteRule(ctx.pathParam("ruleId"))
        .invoke(() -> ctx.response().setStatusCode(204)));
  }

  private Uni<JsonObject> stats(RoutingContext ctx) {
    String by = QueryParams.stringParam(ctx, "by");
    String window = QueryParams.stringParam(ctx, "window");
    Duration span;
    try {
      span = ConfigType.parseDuration("window", window == null ? "5m" : window);
    } catch (ConfigException e) {
      throw HubError.BAD_REQUEST.exception("Query parameter 'window' must be a duration such as 30s or 5m");
    }
    try {
      return Uni.createFrom().item(alarms().stats().snapshot(by == null ? "service" : by, span));
    } catch (IllegalArgumentException e) {
      throw HubError.BAD_REQUEST.exception("Query parameter " + e.getMessage());
    }
  }

  /** {@code RAISED}, {@code CLEARED}, or null for {@code all} and when absent. */
  private static Alarm.State state(RoutingContext ctx) {
    String state = QueryParams.stringParam(ctx, "state");
    if (state == null || state.equalsIgnoreCase("all")) {
      return null;
    }
    try {
      return Alarm.State.valueOf(state.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw HubError.BAD_REQUEST.exception("Query parameter 'state' must be RAISED, CLEARED or all");
    }
  }
}
