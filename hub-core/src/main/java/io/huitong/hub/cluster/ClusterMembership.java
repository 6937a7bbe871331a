package io.huitong.hub.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * This hub's membership of the Hazelcast cluster behind the Vert.x cluster manager. The maps and semaphores Vert.x
 * needs come from {@code cluster.xml}; the network (TCP-IP join to the configured members, multicast and phone-home
 * off, a fixed port on the configured interface) from {@link ClusterConfig}.
 */
public final class ClusterMembership {
  private final HazelcastClusterManager manager;

  private ClusterMembership(HazelcastClusterManager manager) {
    this.manager = manager;
  }

  public static ClusterMembership create(ClusterConfig config, String memberName) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(config.name());
    hz.setInstanceName(memberName);
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    // The hub leaves the cluster in its own orderly shutdown, after its HTTP server has drained.
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.local.localAddress", config.host());
    hz.setProperty("hazelcast.socket.bind.any", "false");
    // With nobody listed to join there is nothing to wait for before forming a cluster of one.
    hz.setProperty("hazelcast.wait.seconds.before.join", config.members().isEmpty() ? "0" : "2");
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.port()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(config.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(config.members()).addMember(config.host() + ":" + config.port());
    return new ClusterMembership(new HazelcastClusterManager(hz));
  }

  /** The cluster manager to hand to Vert.x. */
  public HazelcastClusterManager manager() {
    return manager;
  }

  /** Readiness of the cluster: this member is running, and how many members it sees. Cheap: reads local state. */
  public JsonObject health() {
    HazelcastInstance hz = manager.getHazelcastInstance();
    if (hz == null || !hz.getLifecycleService().isRunning()) {
      return new JsonObject().put("status", "STARTING");
    }
    return new JsonObject().put("status", "UP").put("members", hz.getCluster().getMembers().size());
  }
}
