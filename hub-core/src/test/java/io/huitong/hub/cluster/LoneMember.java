package io.huitong.hub.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.UUID;

/** A real Hazelcast member on loopback that joins nobody: for tests of one capability that needs the cluster. */
public final class LoneMember {
  private LoneMember() {
  }

  /** Starts a member of a cluster of its own, named after {@code test}. */
  public static HazelcastInstance start(String test) {
    Config hz = new Config();
    hz.setClusterName(test + "-" + UUID.randomUUID());
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.local.localAddress", "127.0.0.1");
    hz.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(false);
    return Hazelcast.newHazelcastInstance(hz);
  }
}
