package io.huitong.hub.devices;

import io.huitong.hub.http.HubError;
import io.huitong.hub.http.JsonBody;
import io.huitong.hub.http.QueryParams;
import io.huitong.hub.ops.AdminRoutes;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import java.util.function.Supplier;

/**
 * The device registry's admin API under {@code /api/v1/admin/}, behind the operator guard of {@link AdminRoutes}
 * (which also records every request in the audit log). Handlers run on the event loop.
 */
public final class DevicesRoutes {
  private static final String P = AdminRoutes.PREFIX + "/devices";
  private static final int MAX_PAGE = 1000;

  private final Supplier<Devices> started;
  private final long maxBodySize;

  public DevicesRoutes(Supplier<Devices> started, long maxBodySize) {
    this.started = started;
    this.maxBodySize = maxBodySize;
  }

  private Devices devices() {
    Devices d = started.get();
    if (d == null) {
      throw HubError.NOT_READY.exception("The device registry is available once the database is up");
    }
    return d;
  }

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodySize);
    router.post(P).handler(body).respond(ctx -> devices().register(JsonBody.of(ctx).object())
        .invoke(() -> ctx.response().setStatusCode(201)));
    router.get(P).respond(ctx -> devices().list(QueryParams.stringParam(ctx, "hall"))
        .map(list -> new JsonObject().put("devices", list)));
    router.get(P + "/:id").respond(ctx -> devices().get(ctx.pathParam("id")));
    router.delete(P + "/:id").respond(ctx -> devices().delete(ctx.pathParam("id"))
        .invoke(() -> ctx.response().setStatusCode(204)));
    router.post(P + "/:id/commands").handler(body).respond(ctx -> devices().command(ctx.pathParam("id"),
        JsonBody.of(ctx).object()).invoke(() -> ctx.response().setStatusCode(202)));
    router.get(AdminRoutes.PREFIX + "/device-alarms").respond(ctx -> devices()
        .alarms("raised".equals(QueryParams.stringParam(ctx, "state")),
            (int) QueryParams.longParam(ctx, "limit", 100, 1, MAX_PAGE))
        .map(list -> new JsonObject().put("alarms", list)));
  }
}
