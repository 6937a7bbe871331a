package io.huitong.hub.bus;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * The hub's connection to Kafka: where it is and whether it answers. Available once start-up has the bootstrap
 * address (the embedded broker started, or the external one configured).
 */
public final class Bus {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Bus.class);
  private volatile Admin admin;
  private volatile String bootstrap;
  private volatile boolean embedded;

  /** Connects the admin client; called once the broker is reachable in principle. */
  public void open(String bootstrap, boolean embedded) {
    this.bootstrap = bootstrap;
    this.embedded = embedded;
    this.admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.CLIENT_ID_CONFIG, "huitong-health",
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000));
  }

  /**
   * Readiness of Kafka: the cluster describes itself with at least one broker within {@code timeout}. The answer
   * arrives on a Kafka client thread; callers that touch Vert.x objects move back to their context.
   */
  public Uni<JsonObject> health(Duration timeout) {
    Admin a = admin;
    if (a == null) {
      return Uni.createFrom().item(new JsonObject().put("status", "STARTING"));
    }
    DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs((int) timeout.toMillis());
    return Uni.createFrom().completionStage(() -> a.describeCluster(options).nodes().toCompletionStage())
        .map(nodes -> new JsonObject().put("status", nodes.isEmpty() ? "DOWN" : "UP")
            .put("brokers", nodes.size()).put("embedded", embedded))
        .onFailure().invoke(e -> LOG.warn("Kafka {} does not answer: {}", bootstrap, e.toString()))
        .onFailure().recoverWithItem(e -> new JsonObject().put("status", "DOWN"));
  }

  public void close() {
    Admin a = admin;
    admin = null;
    if (a != null) {
      a.close(Duration.ofSeconds(5));
    }
  }
}
