package io.huitong.hub.ops;

import io.huitong.hub.bus.Bus;
import io.huitong.hub.cluster.ClusterMembership;
import io.huitong.hub.http.Drain;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Whether this member can serve: PostgreSQL answers, Kafka answers, and it is a running cluster member. Each check
 * is a live round trip bounded by {@link #CHECK_TIMEOUT}, so readiness also falls when a component fails later. A
 * member that is draining for shutdown is not ready.
 */
public final class Readiness {
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

  private final io.huitong.hub.storage.Storage storage;
  private final Bus bus;
  private final ClusterMembership cluster;
  private final Drain drain;

  public Readiness(io.huitong.hub.storage.Storage storage, Bus bus, ClusterMembership cluster, Drain drain) {
    this.storage = storage;
    this.bus = bus;
    this.cluster = cluster;
    this.drain = drain;
  }

  /**
   * {@code {"status": "UP"|"DOWN", "components": {"postgres": {...}, "kafka": {...}, "cluster": {...}}}}; each
   * component has a {@code status} of UP, DOWN or STARTING. Completes on a Kafka client thread or the caller's.
   */
  public Uni<JsonObject> check() {
    return Uni.combine().all().unis(storage.health(CHECK_TIMEOUT), bus.health(CHECK_TIMEOUT))
        .asTuple()
        .map(t -> {
          JsonObject components = new JsonObject()
              .put("postgres", t.getItem1())
              .put("kafka", t.getItem2())
              .put("cluster", cluster.health());
          boolean up = !drain.draining() && components.stream()
              .allMatch(e -> "UP".equals(((JsonObject) e.getValue()).getString("status")));
          JsonObject result = new JsonObject().put("status", up ? "UP" : "DOWN").put("components", components);
          if (drain.draining()) {
            result.put("draining", true);
          }
          return result;
        });
  }
}
