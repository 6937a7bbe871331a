package io.huitong.kioskbridge;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigType;
import io.huitong.config.Validator;
import java.time.Duration;

/**
 * The kiosk bridge's settings (section {@code bridge}).
 *
 * @param enabled           whether this process runs the bridge
 * @param host              the address its WebSocket and pages listen on
 * @param port              their port
 * @param heartbeatInterval how often devices send a heartbeat
 * @param missedHeartbeats  heartbeats a device may miss before it is counted offline and its connection closed
 * @param replayBuffer      hall events kept per hall for replay on reconnect
 * @param maxReplay         the largest gap replayed from the queue service's log; past it a device gets a snapshot
 * @param requestTimeout    deadline of a request the bridge forwards over the event bus
 * @param closeGrace        how long a closing connection may take to have its close frame written before it is dropped
 * @param instances         bridge verticles, each on its own event loop
 */
public record BridgeConfig(boolean enabled, String host, int port, Duration heartbeatInterval, int missedHeartbeats,
                           int replayBuffer, int maxReplay, Duration requestTimeout, Duration closeGrace,
                           int instances) {
  public static final String ENABLED = "bridge.enabled";
  public static final String HOST = "bridge.host";
  public static final String PORT = "bridge.port";
  public static final String HEARTBEAT_INTERVAL = "bridge.heartbeat-interval";
  public static final String MISSED_HEARTBEATS = "bridge.missed-heartbeats";
  public static final String REPLAY_BUFFER = "bridge.replay-buffer";
  public static final String MAX_REPLAY = "bridge.max-replay";
  public static final String REQUEST_TIMEOUT = "bridge.request-timeout";
  public static final String CLOSE_GRACE = "bridge.close-grace";
  public static final String INSTANCES = "bridge.instances";

  public static void declare(ConfigDef def) {
    def.section("bridge", "The kiosk bridge: the WebSocket for hall devices and the hall pages (see docs/kiosk-bridge.md).")
        .define(ENABLED, ConfigType.BOOLEAN, true, Validator.any(),
            "Whether this process runs the kiosk bridge; a bridge elsewhere in the cluster reaches the queue over the"
                + " event bus all the same.")
        .define(HOST, ConfigType.STRING, "127.0.0.1", Validator.nonEmpty(),
            "Address the bridge's WebSocket (/ws) and pages (/kiosk/) listen on.")
        .define(PORT, ConfigType.INT, 8090, Validator.between(1, 65535),
            "Port of the bridge's WebSocket and pages.")
        .define(HEARTBEAT_INTERVAL, ConfigType.DURATION, "15s", Validator.between(Duration.ofSeconds(1), Duration.ofMinutes(5)),
            "How often devices send a heartbeat; the bridge tells each device in its challenge.")
        .define(MISSED_HEARTBEATS, ConfigType.INT, 3, Validator.between(1, 100),
            "Heartbeat intervals without any frame after which a device is counted offline (an alarm is raised) and"
                + " its connection closed.")
        .define(REPLAY_BUFFER, ConfigType.INT, 1000, Validator.between(1, 1_000_000),
            "Hall events each bridge verticle keeps per hall, replayed to a device that reconnects within them.")
        .define(MAX_REPLAY, ConfigType.INT, 5000, Validator.between(0, 1_000_000),
            "Largest gap (in hall events) a reconnecting device is replayed from the queue service's event log; a"
                + " larger one gets a snapshot of the hall instead.")
        .define(REQUEST_TIMEOUT, ConfigType.DURATION, "5s", Validator.between(Duration.ofMillis(100), Duration.ofMinutes(1)),
            "Deadline of a device's request (queue command, case progress, query) forwarded over the event bus.")
        .define(CLOSE_GRACE, ConfigType.DURATION, "5s", Validator.between(Duration.ofMillis(100), Duration.ofMinutes(1)),
            "How long the bridge waits for the close frame of a connection it closes (a silent or slow device, a"
                + " refused hello) to be written; a device that does not read is then dropped without the handshake.")
        .define(INSTANCES, ConfigType.INT, 0, Validator.between(0, 256),
            "Bridge verticles, each on its own event loop and sharing the port; 0: the number of cores.");
  }

  public static BridgeConfig from(Config c) {
    int instances = c.getInt(INSTANCES) > 0 ? c.getInt(INSTANCES) : Math.max(1, Runtime.getRuntime().availableProcessors());
    return new BridgeConfig(c.getBoolean(ENABLED), c.getString(HOST), c.getInt(PORT), c.getDuration(HEARTBEAT_INTERVAL),
        c.getInt(MISSED_HEARTBEATS), c.getInt(REPLAY_BUFFER), c.getInt(MAX_REPLAY), c.getDuration(REQUEST_TIMEOUT),
        c.getDuration(CLOSE_GRACE), instances);
  }
}
