package io.huitong.hub.bus;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigType;
import io.huitong.config.Validator;

/**
 * Kafka: an external cluster when {@code kafka.bootstrap} is set, otherwise an in-process KRaft broker whose log
 * directory is {@code <data-dir>/kafka}.
 *
 * @param bootstrap      external bootstrap servers, empty for the embedded broker
 * @param embeddedPort   the embedded broker's client port on 127.0.0.1
 * @param controllerPort the embedded broker's KRaft controller port on 127.0.0.1
 */
public record BusConfig(String bootstrap, int embeddedPort, int controllerPort) {
  public static final String BOOTSTRAP = "kafka.bootstrap";
  public static final String EMBEDDED_PORT = "kafka.embedded.port";
  public static final String CONTROLLER_PORT = "kafka.embedded.controller-port";

  public static void declare(ConfigDef def) {
    def.section("kafka", "Kafka, the transport of the exchange bus.")
        .define(BOOTSTRAP, ConfigType.STRING, "", Validator.matching("|[A-Za-z0-9.\\-]+:[0-9]{1,5}(,[A-Za-z0-9.\\-]+:[0-9]{1,5})*",
                "empty, or comma-separated host:port pairs"),
            "External cluster as host:port[,host:port...]; empty runs an in-process KRaft broker under <data-dir>/kafka.")
        .section("kafka.embedded", "The in-process broker, used when kafka.bootstrap is empty.")
        .define(EMBEDDED_PORT, ConfigType.INT, 19092, Validator.between(1, 65535),
            "Client port of the embedded broker on 127.0.0.1; a second hub can share it through kafka.bootstrap.")
        .define(CONTROLLER_PORT, ConfigType.INT, 19093, Validator.between(1, 65535),
            "KRaft controller port of the embedded broker on 127.0.0.1.");
  }

  public static BusConfig from(Config c) {
    return new BusConfig(c.getString(BOOTSTRAP), c.getInt(EMBEDDED_PORT), c.getInt(CONTROLLER_PORT));
  }

  public boolean embedded() {
    return bootstrap.isEmpty();
  }
}
