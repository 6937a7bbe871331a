package io.huitong.hub.http;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.core.AbstractVerticle;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.mutiny.core.http.HttpServer;
import io.vertx.mutiny.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One HTTP server on one event loop. The hub deploys one instance per event loop; Vert.x spreads the connections
 * of the shared port across them.
 */
public final class HttpServerVerticle extends AbstractVerticle {
  private final HttpConfig config;
  private final Function<io.vertx.mutiny.core.Vertx, Router> routes;
  private final Drain drain;
  private HttpServer server;

  public HttpServerVerticle(HttpConfig config, Function<io.vertx.mutiny.core.Vertx, Router> routes, Drain drain) {
    this.config = config;
    this.routes = routes;
    this.drain = drain;
  }

  @Override
  public Uni<Void> asyncStart() {
    Router router = routes.apply(vertx);
    server = vertx.createHttpServer(new HttpServerOptions()
        .setIdleTimeout((int) config.idleTimeout().toSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setCompressionSupported(true));
    // Reached only if the listening socket could not be closed at drain time.
    server.connectionHandler(connection -> {
      if (drain.draining()) {
        connection.closeAndForget();
      }
    });
    server.requestHandler(router::handle);
    // Vert.x 4 binds 0.0.0.0 unless the host is passed to listen() itself.
    return server.listen(config.port(), config.host()).replaceWithVoid();
  }

  /** Stops taking new connections; returns false when only the per-connection refusal is in force. */
  public boolean stopAccepting() {
    return server != null && ListenSocket.close(server.getDelegate());
  }

  /** The port actually bound. */
  public int actualPort() {
    return server.actualPort();
  }
}
