package io.huitong.hub.http;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigType;
import io.huitong.config.Validator;
import java.time.Duration;

/**
 * The HTTP server: where it listens, how large a request body may be, and how long a shutdown waits for requests in
 * flight.
 *
 * @param host         interface to bind
 * @param port         TCP port
 * @param maxBodySize  largest request body the API buffers, in bytes; larger ones get 413
 * @param idleTimeout  a connection idle this long is closed
 * @param drainTimeout on SIGTERM, how long requests in flight may take to finish before connections are closed
 */
public record HttpConfig(String host, int port, long maxBodySize, Duration idleTimeout, Duration drainTimeout) {
  public static final String HOST = "http.host";
  public static final String PORT = "http.port";
  public static final String MAX_BODY_SIZE = "http.max-body-size";
  public static final String IDLE_TIMEOUT = "http.idle-timeout";
  public static final String DRAIN_TIMEOUT = "http.drain-timeout";

  public static void declare(ConfigDef def) {
    def.section("http", "The HTTP server: REST API, health, metrics and the OpenAPI contract.")
        .define(HOST, ConfigType.STRING, "0.0.0.0", Validator.nonEmpty(), "Interface the HTTP server binds.")
        .define(PORT, ConfigType.INT, 8080, Validator.between(1, 65535), "TCP port of the HTTP server.")
        .define(MAX_BODY_SIZE, ConfigType.SIZE, "1MiB", Validator.between(1024, 1L << 30),
            "Largest request body the API accepts; a larger one is answered 413 before it is read.")
        .define(IDLE_TIMEOUT, ConfigType.DURATION, "60s", Validator.between(Duration.ofSeconds(1), Duration.ofHours(1)),
            "A connection idle for this long is closed.")
        .define(DRAIN_TIMEOUT, ConfigType.DURATION, "30s", Validator.between(Duration.ZERO, Duration.ofMinutes(10)),
            "On SIGTERM, how long requests in flight may take to finish before the remaining connections are closed.");
  }

  public static HttpConfig from(Config c) {
    return new HttpConfig(c.getString(HOST), c.getInt(PORT), c.getSize(MAX_BODY_SIZE), c.getDuration(IDLE_TIMEOUT),
        c.getDuration(DRAIN_TIMEOUT));
  }
}
