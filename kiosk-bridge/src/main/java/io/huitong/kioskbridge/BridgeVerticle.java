package io.huitong.kioskbridge;

import io.huitong.kiosk.KioskCodec;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.core.http.HttpServer;
import io.vertx.mutiny.core.http.ServerWebSocket;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.handler.StaticHandler;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One event loop's share of the bridge: its WebSocket sessions, one {@link HallFeed} per hall they belong to, and a
 * sweep that closes silent devices. Every instance listens on the same port; Vert.x spreads connections over them.
 */
final class BridgeVerticle extends AbstractVerticle {
  static final String WS_PATH = "/ws";
  static final String PAGES = "/kiosk";
  private static final long SWEEP_MILLIS = 1000;

  private final BridgeConfig config;
  private final Sessions sessions;
  /** The cluster member's node id, or null outside a cluster. */
  private final String member;
  private final Map<String, HallFeed> feeds = new HashMap<>();
  private final Set<DeviceSession> open = new LinkedHashSet<>();
  private DeliveryOptions deliveryOptions;
  private Requests requests;
  private HttpServer server;

  BridgeVerticle(BridgeConfig config, Sessions sessions, String member) {
    this.config = config;
    this.sessions = sessions;
    this.member = member;
  }

  @Override
  public Uni<Void> asyncStart() {
    deliveryOptions = new DeliveryOptions().setSendTimeout(config.requestTimeout().toMillis());
    requests = new Requests(vertx.eventBus(), deliveryOptions);
    Context context = vertx.getOrCreateContext().getDelegate();
    Router router = Router.router(vertx);
    router.route(PAGES + "/*").handler(StaticHandler.create("kiosk-pages").setCachingEnabled(false));
    router.get("/").handler(ctx -> ctx.redirect(PAGES + "/").subscribe().with(v -> { }, e -> { }));
    server = vertx.createHttpServer(new HttpServerOptions()
        .setMaxWebSocketFrameSize(KioskCodec.MAX_FRAME_CHARS * 4)
        .setMaxWebSocketMessageSize(KioskCodec.MAX_FRAME_CHARS * 4)
        .setTcpNoDelay(true));
    // Another path is refused before the upgrade (HTTP 404), so there is no WebSocket close handshake to wait for.
    server.webSocketHandshakeHandler(handshake -> {
      if (WS_PATH.equals(handshake.path())) {
        handshake.acceptAndForget();
      } else {
        handshake.rejectAndForget(404);
      }
    });
    server.webSocketHandler(ws -> {
      DeviceSession session = new DeviceSession(this, ws, context);
      open.add(session);
      session.start();
    });
    server.requestHandler(router::handle);
    vertx.setPeriodic(SWEEP_MILLIS, id -> sweep());
    // Vert.x 4 binds 0.0.0.0 unless the host is passed to listen() itself.
    return server.listen(config.port(), config.host()).replaceWithVoid();
  }

  @Override
  public Uni<Void> asyncStop() {
    feeds.values().forEach(HallFeed::close);
    return server == null ? Uni.createFrom().voidItem() : server.close();
  }

  private void sweep() {
    long now = System.nanoTime();
    for (DeviceSession session : Set.copyOf(open)) {
      session.closeIfSilent(now);
    }
  }

  BridgeConfig settings() {
    return config;
  }

  EventBus bus() {
    return vertx.eventBus();
  }

  DeliveryOptions deliveryOptions() {
    return deliveryOptions;
  }

  Sessions sessions() {
    return sessions;
  }

  String member() {
    return member;
  }

  Requests requests() {
    return requests;
  }

  /** The hall's feed on this event loop, opened on first use and again after it ended. */
  HallFeed feed(String hall) {
    HallFeed feed = feeds.get(hall);
    if (feed == null) {
      // Only itself: a failed feed ends before its devices have gone, and the hall may have a fresh one by then.
      feed = new HallFeed(hall, vertx.eventBus(), config, ended -> feeds.remove(hall, ended));
      feeds.put(hall, feed);
      feed.open();
    }
    return feed;
  }

  void closed(DeviceSession session) {
    open.remove(session);
  }

  int actualPort() {
    return server.actualPort();
  }
}
