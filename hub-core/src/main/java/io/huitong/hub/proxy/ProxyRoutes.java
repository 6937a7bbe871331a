package io.huitong.hub.proxy;

import io.huitong.hub.http.HubError;
import io.huitong.hub.http.JsonBody;
import io.huitong.hub.http.QueryParams;
import io.huitong.hub.ops.AdminRoutes;
import io.huitong.hub.proxy.impl.AuditRoutes;
import io.huitong.hub.proxy.impl.DefaultProxy;
import io.huitong.hub.proxy.impl.StatsRoutes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import java.util.function.Supplier;

/**
 * The data proxy's HTTP API. For consumers, signed: {@code /api/v1/services/{serviceId}} (the calls) and
 * {@code /api/v1/service-applications} (applying for a service). For operators, under
 * {@code /api/v1/admin/proxy/}: services, consumers, applications and their decisions, connector health,
 * statistics and alarms, the call audit and its check. The
 * operator guard of {@link AdminRoutes} runs first on the admin part.
 */
public final class ProxyRoutes {
  public static final String SERVICES = "/api/v1/services";
  public static final String APPLICATIONS = "/api/v1/service-applications";
  private static final String P = AdminRoutes.PREFIX + "/proxy";
  /** Decisions are taken with the one operator token; the audit log of admin requests says from where. */
  private static final String OPERATOR = "operator";
  private static final int MAX_PAGE = 1000;

  private final Supplier<DataProxy> started;
  private final long maxBodySize;

  /** @param started the proxy once start-up has opened it, null before */
  public ProxyRoutes(Supplier<DataProxy> started, long maxBodySize) {
    this.started = started;
    this.maxBodySize = maxBodySize;
  }

  private DataProxy proxy() {
    DataProxy p = started.get();
    if (p == null) {
      throw HubError.NOT_READY.exception("The data proxy is available once the database is up");
    }
    return p;
  }

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodySize);
    router.get(SERVICES + "/:serviceId").handler(ctx -> proxy().call(ctx));
    router.post(SERVICES + "/:serviceId").handler(body).handler(ctx -> proxy().call(ctx));
    router.post(APPLICATIONS).handler(body).respond(ctx -> proxy().apply(ctx));
    router.get(APPLICATIONS).respond(ctx -> proxy().ownApplications(ctx).map(list -> new JsonObject().put("applications", list)));

    router.get(P + "/services").respond(ctx -> Uni.createFrom().item(new JsonObject().put("services", proxy().services())));
    router.get(P + "/services/:serviceId").respond(ctx -> Uni.createFrom().item(proxy().service(ctx.pathParam("serviceId"))));
    router.put(P + "/services/:serviceId").handler(body).respond(this::putService);
    router.delete(P + "/services/:serviceId").respond(ctx -> proxy().deleteService(ctx.pathParam("serviceId"))
        .invoke(() -> ctx.response().setStatusCode(204)));
    router.get(P + "/consumers").respond(ctx -> Uni.createFrom().item(new JsonObject().put("consumers", proxy().consumers())));
    router.post(P + "/consumers").handler(body).respond(ctx -> proxy().createConsumer(JsonBody.of(ctx).object())
        .invoke(() -> ctx.response().setStatusCode(201)));
    router.patch(P + "/consumers/:appKey").handler(body)
        .respond(ctx -> proxy().updateConsumer(ctx.pathParam("appKey"), JsonBody.of(ctx).object()));
    router.post(P + "/consumers/:appKey/secret").respond(ctx -> proxy().rotateSecret(ctx.pathParam("appKey")));
    router.get(P + "/applications").respond(ctx -> proxy().applications(QueryParams.stringParam(ctx, "state"),
            QueryParams.stringParam(ctx, "appKey"), (int) QueryParams.longParam(ctx, "limit", 100, 1, MAX_PAGE))
        .map(list -> new JsonObject().put("applications", list)));
    router.post(P + "/applications/:id/approve").handler(body)
        .respond(ctx -> proxy().approve(id(ctx), optionalObject(ctx), OPERATOR));
    router.post(P + "/applications/:id/reject").handler(body)
        .respond(ctx -> proxy().reject(id(ctx), optionalObject(ctx), OPERATOR));
    router.post(P + "/applications/:id/revoke").respond(ctx -> proxy().revoke(id(ctx), OPERATOR));
    router.get(P + "/connectors").respond(ctx -> proxy().connectors());
    new StatsRoutes(() -> started.get() instanceof DefaultProxy p ? p.alarms() : null, maxBodySize).mount(router);
    new AuditRoutes(() -> started.get() instanceof DefaultProxy p ? p.audit() : null).mount(router);
  }

  private Uni<JsonObject> putService(RoutingContext ctx) {
    JsonObject definition = JsonBody.of(ctx).object();
    String id = ctx.pathParam("serviceId");
    if (definition.containsKey("id") && !id.equals(definition.getValue("id"))) {
      throw HubError.SERVICE_INVALID.exception("The body's id '" + definition.getValue("id") + "' is not the path's '" + id + "'");
    }
    return proxy().putService(definition.put("id", id));
  }

  private static JsonObject optionalObject(RoutingContext ctx) {
    return ctx.body().length() == 0 ? new JsonObject() : JsonBody.of(ctx).object();
  }

  private static long id(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw HubError.APPLICATION_NOT_FOUND.exception("'" + ctx.pathParam("id") + "' is not an application id");
    }
  }
}
