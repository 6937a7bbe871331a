package io.huitong.hub.config;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigType;
import io.huitong.config.Validator;
import java.nio.file.Path;

/**
 * Keys that belong to the hub process as a whole: where it keeps its state, what it calls itself, how much it logs.
 *
 * @param dataDir  directory of all state: embedded database and broker, generated keys and tokens, logs
 * @param nodeName this member's name in the cluster, the audit log and log lines
 * @param logLevel  level of the hub's own loggers
 * @param accessLog whether every HTTP request is logged
 */
public record NodeConfig(Path dataDir, String nodeName, String logLevel, boolean accessLog) {
  public static final String DATA_DIR = "data-dir";
  public static final String NODE_NAME = "node-name";
  public static final String LOG_LEVEL = "log.level";
  public static final String LOG_ACCESS = "log.access";

  static void declare(ConfigDef def) {
    def.define(DATA_DIR, ConfigType.STRING, "data", Validator.nonEmpty(),
            "Directory of all state: embedded PostgreSQL and Kafka, generated tokens and keys, logs (relative to the working directory).")
        .define(NODE_NAME, ConfigType.STRING, "", Validator.matching("|[A-Za-z0-9][A-Za-z0-9._-]{0,62}",
                "empty, or up to 63 letters, digits, dots, hyphens and underscores"),
            "Name of this member in the cluster, the audit log and log lines; empty means host and HTTP port.")
        .section("log", "Logging: JSON lines to stdout and to <data-dir>/logs/.")
        .define(LOG_LEVEL, ConfigType.STRING, "INFO", Validator.oneOf("TRACE", "DEBUG", "INFO", "WARN", "ERROR"),
            "Level of the hub's own loggers; third-party libraries stay at WARN.")
        .define(LOG_ACCESS, ConfigType.BOOLEAN, true, Validator.any(),
            "Log one line per HTTP request (method, path, status, time taken, request id).");
  }

  public static NodeConfig from(Config c) {
    return new NodeConfig(Path.of(c.getString(DATA_DIR)), c.getString(NODE_NAME), c.getString(LOG_LEVEL),
        c.getBoolean(LOG_ACCESS));
  }
}
