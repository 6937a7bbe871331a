package io.huitong.connector;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The connector factories on the class path, by kind. */
public final class Connectors {

  private final Map<String, ConnectorFactory> factories;

  private Connectors(Map<String, ConnectorFactory> factories) {
    this.factories = factories;
  }

  /** Every factory {@link ServiceLoader} finds with this class's loader. */
  public static Connectors discover() {
    Map<String, ConnectorFactory> found = new TreeMap<>();
    for (ConnectorFactory factory : ServiceLoader.load(ConnectorFactory.class, Connectors.class.getClassLoader())) {
      ConnectorFactory previous = found.putIfAbsent(factory.kind(), factory);
      if (previous != null) {
        throw new IllegalStateException("two connector factories of kind '" + factory.kind() + "': "
            + previous.getClass().getName() + " and " + factory.getClass().getName());
      }
    }
    return new Connectors(Map.copyOf(found));
  }

  /** The kinds that can be declared. */
  public Set<String> kinds() {
    return new TreeSet<>(factories.keySet());
  }

  /**
   * Builds the connector {@code id} of the given kind.
   *
   * @throws ConnectorException with {@link ConnectorException.Failure#MISCONFIGURED} for an unknown kind or bad
   *     settings
   */
  public Connector create(Vertx vertx, String id, String kind, JsonObject settings) {
    ConnectorFactory factory = factories.get(kind);
    if (factory == null) {
      throw new ConnectorException(ConnectorException.Failure.MISCONFIGURED,
          "connector '" + id + "': unknown kind '" + kind + "' (known: " + String.join(", ", kinds()) + ")");
    }
    return factory.create(vertx, id, settings);
  }
}
