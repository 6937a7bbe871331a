package io.huitong.hub.cluster;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigType;
import io.huitong.config.Validator;
import java.util.List;

/**
 * The Hazelcast member behind the Vert.x cluster manager. With no members listed the hub is a cluster of one;
 * listing another hub's {@code host:port} makes this one join it over TCP-IP (multicast is never used).
 *
 * @param name    cluster name; members with another name never join
 * @param host    interface the member binds and advertises
 * @param port    member port
 * @param members other members to join, as host:port
 */
public record ClusterConfig(String name, String host, int port, List<String> members) {
  public static final String NAME = "cluster.name";
  public static final String HOST = "cluster.host";
  public static final String PORT = "cluster.port";
  public static final String MEMBERS = "cluster.members";

  public static void declare(ConfigDef def) {
    def.section("cluster", "The Hazelcast cluster the hub's members form (TCP-IP join, multicast off).")
        .define(NAME, ConfigType.STRING, "huitong", Validator.matching("[A-Za-z0-9._-]{1,64}", "1 to 64 letters, digits, dots, hyphens and underscores"),
            "Cluster name; only members with the same name join each other.")
        .define(HOST, ConfigType.STRING, "127.0.0.1", Validator.nonEmpty(), "Interface the member binds and advertises to the others.")
        .define(PORT, ConfigType.INT, 5701, Validator.between(1, 65535), "Port of this member.")
        .define(MEMBERS, ConfigType.LIST, List.of(), Validator.each(Validator.hostAndPort()),
            "Other members to join as host:port; empty makes a cluster of one.");
  }

  public static ClusterConfig from(Config c) {
    return new ClusterConfig(c.getString(NAME), c.getString(HOST), c.getInt(PORT), c.getList(MEMBERS));
  }
}
