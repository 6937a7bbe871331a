package io.huitong.connectors;

import io.huitong.connector.ConnectorException;
import io.huitong.connector.ConnectorException.Failure;
import io.huitong.connector.ConnectorSettings;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.codec.BodyCodec;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** The HTTP client side the HTTP/JSON and SOAP connectors share: pooled connections, timeouts, status codes. */
public final class HttpTransport {
  /** The settings {@link #client} and {@link #timeout} read. */
  private static final Set<String> SETTINGS = Set.of("timeout", "connect-timeout", "max-connections",
      "max-response-bytes");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private HttpTransport() {
  }

  /** The settings a connector over HTTP knows: the transport's and its own. */
  public static Set<String> settingsWith(Set<String> own) {
    Set<String> all = new HashSet<>(SETTINGS);
    all.addAll(own);
    return Set.copyOf(all);
  }

  /** The deadline of one call: {@code timeout}, 5 s by default. */
  public static Duration timeout(ConnectorSettings settings) {
    return settings.duration("timeout", DEFAULT_TIMEOUT);
  }

  /**
   * A client keeping up to {@code max-connections} (default 32) keep-alive connections per department host, giving up
   * on a connection after {@code connect-timeout} (default: the timeout). Redirects are not followed: a department
   * that redirects a machine call is misbehaving, and the answer says so.
   */
  public static WebClient client(Vertx vertx, ConnectorSettings settings) {
    Duration connectTimeout = settings.duration("connect-timeout", timeout(settings));
    WebClientOptions options = new WebClientOptions()
        .setMaxPoolSize(settings.integer("max-connections", 32, 1, 10_000))
        .setKeepAlive(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        .setFollowRedirects(false)
        .setUserAgent("huitong-connector");
    return WebClient.create(vertx, options);
  }

  /**
   * How a response body is read: whole, up to {@code max-response-bytes} (default 16 MiB). The body is the driver's
   * own buffer, not a copy, and failing past the bound keeps a misbehaving department from filling the hub's memory.
   */
  @SuppressWarnings("unchecked")
  public static BodyCodec<io.vertx.core.buffer.Buffer> body(ConnectorSettings settings) {
    int maxBytes = settings.integer("max-response-bytes", 16 * 1024 * 1024, 1024, Integer.MAX_VALUE);
    return BodyCodec.newInstance(new LimitedBody(maxBytes));
  }

  /** An absolute http(s) URL, split for the client. */
  public record Address(boolean ssl, String host, int port, String path) {

    /** The URL in setting {@code key}; its path has no trailing slash. */
    public static Address of(ConnectorSettings settings, String key) {
      return parse(settings.string(key), settings, key);
    }

    public static Address parse(String url, ConnectorSettings settings, String key) {
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw settings.invalid(key, "must be an http or https URL");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawQuery() != null) {
        throw settings.invalid(key, "must be an http or https URL with a host and no query");
      }
      boolean ssl = scheme.equals("https");
      int port = uri.getPort() == -1 ? (ssl ? 443 : 80) : uri.getPort();
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      return new Address(ssl, uri.getHost(), port, path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }
  }

  /**
   * The failure an HTTP status other than 2xx stands for: 404 NOT_FOUND, 408 TIMEOUT, 429 and 5xx UNAVAILABLE (the
   * department is overloaded or broken: trying again later may help), other 4xx REJECTED, anything else
   * BAD_RESPONSE.
   */
  public static ConnectorException statusFailure(int status) {
    Failure failure;
    if (status == 404) {
      failure = Failure.NOT_FOUND;
    } else if (status == 408) {
      failure = Failure.TIMEOUT;
    } else if (status == 429 || status >= 500 && status < 600) {
      failure = Failure.UNAVAILABLE;
    } else if (status >= 400 && status < 500) {
      failure = Failure.REJECTED;
    } else {
      failure = Failure.BAD_RESPONSE;
    }
    return new ConnectorException(failure, "the department answered HTTP " + status);
  }
}
