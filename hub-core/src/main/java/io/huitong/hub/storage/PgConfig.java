package io.huitong.hub.storage;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigType;
import io.huitong.config.Secret;
import io.huitong.config.Validator;

/**
 * PostgreSQL: an external server when {@code pg.url} is set, otherwise an embedded server whose data directory is
 * {@code <data-dir>/pg}.
 *
 * @param url          empty for the embedded server, else {@code postgresql://[user@]host[:port]/database}
 * @param password     password for an external server, if it needs one
 * @param poolSize     connections in the reactive pool
 * @param embeddedPort port the embedded server listens on, on 127.0.0.1
 */
public record PgConfig(String url, Secret password, int poolSize, int embeddedPort) {
  public static final String URL = "pg.url";
  public static final String PASSWORD = "pg.password";
  public static final String POOL_SIZE = "pg.pool-size";
  public static final String EMBEDDED_PORT = "pg.embedded.port";

  public static void declare(ConfigDef def) {
    def.section("pg", "PostgreSQL, where every capability keeps its tables, one schema each.")
        .define(URL, ConfigType.STRING, "", Validator.matching("|(jdbc:)?postgres(ql)?://.+",
                "empty, or a URL such as postgresql://user@host:5432/database"),
            "External server as postgresql://[user@]host[:port]/database; empty runs an embedded server under <data-dir>/pg.")
        .define(PASSWORD, ConfigType.SECRET, "", Validator.any(), "Password for the external server, if it asks for one.")
        // A write holds its connection until its commit is flushed to disk. With 8, 64 clients refreshing tokens left
        // a tenth of two cores idle; with 16 the cores were busy and grants 10 to 35% faster (perf/RESULTS.md, identity).
        .define(POOL_SIZE, ConfigType.INT, 16, Validator.between(1, 200), "Connections the hub keeps open to PostgreSQL.")
        .section("pg.embedded", "The embedded server, used when pg.url is empty.")
        .define(EMBEDDED_PORT, ConfigType.INT, 15432, Validator.between(1, 65535),
            "Port of the embedded server on 127.0.0.1; a second hub can share it through pg.url.")
        // Parse the URL now, so a malformed one stops start-up with the key named rather than fail at connect.
        .rule(c -> {
          if (!c.getString(URL).isEmpty()) {
            PgLocation.parse(c.getString(URL), c.getSecret(PASSWORD));
          }
        });
  }

  public static PgConfig from(Config c) {
    return new PgConfig(c.getString(URL), c.getSecret(PASSWORD), c.getInt(POOL_SIZE), c.getInt(EMBEDDED_PORT));
  }

  public boolean embedded() {
    return url.isEmpty();
  }
}
