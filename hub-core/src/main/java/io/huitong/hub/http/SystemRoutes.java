package io.huitong.hub.http;

import io.huitong.hub.ops.Readiness;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Routes every member serves without authentication: liveness, readiness, Prometheus metrics and the OpenAPI
 * contract.
 */
public final class SystemRoutes {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String OPENAPI = readOpenApi();

  private final Readiness readiness;
  private final PrometheusMeterRegistry metrics;

  public SystemRoutes(Readiness readiness, PrometheusMeterRegistry metrics) {
    this.readiness = readiness;
    this.metrics = metrics;
  }

  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").endAndForget(new JsonObject().put("status", "UP").encode()));
    // 503 until PostgreSQL, Kafka and the cluster all answer, and again while draining.
    router.get("/health/ready").handler(ctx -> readiness.check()
        .emitOn(OnContext.current())
        .subscribe().with(
            status -> ctx.response().setStatusCode("UP".equals(status.getString("status")) ? 200 : 503)
                .putHeader("Content-Type", "application/json").endAndForget(status.encode()),
            ctx::fail));
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", PROMETHEUS_TEXT).endAndForget(metrics.scrape()));
    router.get("/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml").endAndForget(OPENAPI));
  }

  private static String readOpenApi() {
    try (InputStream in = SystemRoutes.class.getResourceAsStream("/openapi.yaml")) {
      if (in == null) {
        throw new IllegalStateException("openapi.yaml is missing from the hub's resources");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
