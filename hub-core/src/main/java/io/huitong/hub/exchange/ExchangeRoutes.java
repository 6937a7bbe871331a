package io.huitong.hub.exchange;

import io.huitong.crypto.x509.Sm2Certificate;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.JsonBody;
import io.huitong.hub.http.QueryParams;
import io.huitong.hub.ops.AdminRoutes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The exchange part of the admin API ({@code /api/v1/admin/exchange/...}): nodes and their certificates, routes,
 * sent messages with their receipts and replay, the rejected list, and per-node and per-route statistics. The
 * operator guard of {@link AdminRoutes} runs first; every handler answers JSON or a problem.
 */
public final class ExchangeRoutes {
  private static final String P = AdminRoutes.PREFIX + "/exchange";
  private static final int MAX_PAGE = 1000;

  private final Supplier<Exchange> started;
  private final long maxBodySize;

  /** @param started the bus once start-up has opened it, null before */
  public ExchangeRoutes(Supplier<Exchange> started, long maxBodySize) {
    this.started = started;
    this.maxBodySize = maxBodySize;
  }

  private Exchange exchange() {
    Exchange e = started.get();
    if (e == null) {
      throw HubError.NOT_READY.exception("The exchange bus is available once the database and Kafka are up");
    }
    return e;
  }

  public void mount(Router router) {
    router.get(P + "/nodes").respond(ctx -> exchange().nodes().list().map(nodes -> {
      JsonArray out = new JsonArray();
      nodes.forEach(n -> out.add(nodeJson(n)));
      return new JsonObject().put("nodes", out);
    }));
    router.get(P + "/nodes/:nodeId").respond(ctx -> exchange().nodes().find(ctx.pathParam("nodeId")).map(ExchangeRoutes::nodeJson));
    router.put(P + "/nodes/:nodeId").handler(BodyHandler.create(false).setBodyLimit(maxBodySize)).respond(this::register);
    router.get(P + "/routes").respond(ctx -> Uni.createFrom().item(
        new JsonObject().put("routes", new JsonArray(new java.util.ArrayList<>(exchange().routes())))));
    router.put(P + "/routes/:routeId").handler(BodyHandler.create(false).setBodyLimit(maxBodySize))
        .respond(ctx -> exchange().putRoute(ctx.pathParam("routeId"), JsonBody.of(ctx).object()));
    router.delete(P + "/routes/:routeId").respond(ctx -> exchange().deleteRoute(ctx.pathParam("routeId"))
        .invoke(() -> ctx.response().setStatusCode(204)));
    router.get(P + "/messages").respond(ctx -> exchange().messages(
            QueryParams.enumParam(ctx, "state", MessageState.class), QueryParams.stringParam(ctx, "node"),
            QueryParams.stringParam(ctx, "route"), limit(ctx))
        .map(list -> new JsonObject().put("messages", list)));
    router.get(P + "/messages/:messageId").respond(ctx -> exchange().message(messageId(ctx)));
    router.post(P + "/messages/:messageId/replay").respond(ctx -> exchange().replay(messageId(ctx)));
    router.get(P + "/rejections").respond(ctx -> exchange().rejections(QueryParams.stringParam(ctx, "node"),
        QueryParams.enumParam(ctx, "code", RejectCode.class), limit(ctx)).map(list -> new JsonObject().put("rejections", list)));
    router.get(P + "/stats").respond(ctx -> exchange().stats());
  }

  private Uni<JsonObject> register(RoutingContext ctx) {
    if (!ctx.pathParam("nodeId").matches(ExchangeConfig.NODE_ID_PATTERN)) {
      throw HubError.BAD_REQUEST.exception("A node id is 1 to 64 letters, digits, dots, hyphens and underscores");
    }
    JsonBody body = JsonBody.of(ctx);
    Sm2Certificate sign = Sm2Certificate.fromPem(body.string("signCertificate"));
    Sm2Certificate encrypt = Sm2Certificate.fromPem(body.string("encryptCertificate"));
    return exchange().nodes().register(ctx.pathParam("nodeId"), sign, encrypt).map(ExchangeRoutes::nodeJson);
  }

  private static int limit(RoutingContext ctx) {
    return (int) QueryParams.longParam(ctx, "limit", 100, 1, MAX_PAGE);
  }

  private static UUID messageId(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("messageId"));
    } catch (IllegalArgumentException e) {
      throw HubError.MESSAGE_NOT_FOUND.exception("'" + ctx.pathParam("messageId") + "' is not a message id");
    }
  }

  private static JsonObject nodeJson(ExchangeNode n) {
    return new JsonObject().put("nodeId", n.nodeId()).put("hosted", n.local())
        .put("signCertificate", n.signCertificate().toPem()).put("encryptCertificate", n.encryptCertificate().toPem())
        .put("signCertificateSerial", n.signCertificate().serial().toString(16))
        .put("validUntil", n.signCertificate().notAfter().toString())
        .put("registeredAt", n.registeredAt().toString());
  }
}
