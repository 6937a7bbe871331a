package io.huitong.kioskbridge;

import io.smallrye.mutiny.Uni;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The kiosk bridge: {@link BridgeConfig#instances()} verticles serving {@code /ws} and the pages under
 * {@code /kiosk/} on one port, and one consumer of {@link BusAddresses#KIOSK_DELIVER} that hands published frames
 * to the devices connected here. Hub-core deploys it in-process; an edge process that joined the cluster can
 * deploy it the same way.
 */
public final class KioskBridge {
  private final Vertx vertx;
  private final Sessions sessions = new Sessions();
  private final List<BridgeVerticle> verticles = new CopyOnWriteArrayList<>();
  private volatile String deployment;
  private volatile MessageConsumer<JsonObject> deliveries;

  private KioskBridge(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Deploys the verticles and listens; fails if the port is taken. */
  public static Uni<KioskBridge> deploy(Vertx vertx, BridgeConfig config) {
    KioskBridge bridge = new KioskBridge(vertx);
    // Presence reports name this cluster member, so that the others can mark its devices offline if it dies.
    String member = vertx.getDelegate() instanceof VertxInternal internal && internal.isClustered()
        ? internal.getClusterManager().getNodeId() : null;
    bridge.deliveries = vertx.eventBus().<JsonObject>consumer(BusAddresses.KIOSK_DELIVER);
    bridge.deliveries.handler(m -> bridge.sessions.deliver(m.body()));
    return bridge.deliveries.completionHandler()
        .chain(() -> Uni.createFrom().completionStage(() -> vertx.getDelegate().deployVerticle(() -> {
          BridgeVerticle verticle = new BridgeVerticle(config, bridge.sessions, member);
          bridge.verticles.add(verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(config.instances())).toCompletionStage()))
        .map(id -> {
          bridge.deployment = id;
          return bridge;
        });
  }

  /** The port it listens on (the configured one, or the one the system chose for port 0). */
  public int port() {
    return verticles.get(0).actualPort();
  }

  /** Devices connected and authenticated on this bridge. */
  public int devices() {
    return sessions.size();
  }

  public Uni<Void> close() {
    Uni<Void> undeploy = deployment == null ? Uni.createFrom().voidItem() : vertx.undeploy(deployment);
    return undeploy.chain(() -> deliveries.unregister());
  }
}
