package io.huitong.hub.storage;

import io.huitong.config.ConfigException;
import io.huitong.config.Secret;
import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where the hub's database is and how to log in: parsed from {@code pg.url}, or the embedded server's address.
 *
 * @param host     server host
 * @param port     server port
 * @param database database name
 * @param user     role to log in as
 * @param password password, empty for trust authentication
 * @param embedded true when this hub runs the server itself
 */
public record PgLocation(String host, int port, String database, String user, Secret password, boolean embedded) {

  /**
   * Parses {@code postgresql://[user@]host[:port]/database} (a {@code jdbc:} prefix and the {@code postgres} scheme
   * are accepted too). A password inside the URL is refused so that it cannot be printed with the configuration.
   *
   * @throws ConfigException naming {@code pg.url} when the URL is not of that form
   */
  public static PgLocation parse(String url, Secret password) {
    String plain = url.startsWith("jdbc:") ? url.substring(5) : url;
    URI uri;
    try {
      uri = new URI(plain);
    } catch (URISyntaxException e) {
      throw new ConfigException(PgConfig.URL, "expected a URL such as postgresql://user@host:5432/database, got '" + url + "'");
    }
    if (uri.getRawQuery() != null) {
      throw new ConfigException(PgConfig.URL, "expected no query parameters (such as ?sslmode=); the hub would not apply them");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (uri.getHost() == null || path.length() < 2 || path.indexOf('/', 1) >= 0) {
      throw new ConfigException(PgConfig.URL, "expected a URL such as postgresql://user@host:5432/database with a host and a database, got '" + url + "'");
    }
    String user = System.getProperty("user.name");
    if (uri.getUserInfo() != null) {
      if (uri.getUserInfo().contains(":")) {
        throw new ConfigException(PgConfig.URL, "expected no password in the URL; set it with pg.password (HUB_PG_PASSWORD)");
      }
      user = uri.getUserInfo();
    }
    return new PgLocation(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), path.substring(1), user, password, false);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** The address as it may be shown: no password. */
  public String display() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }

  public PgConnectOptions connectOptions() {
    PgConnectOptions options = new PgConnectOptions().setHost(host).setPort(port).setDatabase(database).setUser(user)
        .setCachePreparedStatements(true);
    if (!password.isEmpty()) {
      options.setPassword(password.reveal());
    }
    return options;
  }
}
