package io.huitong.connector;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;

/**
 * Builds connectors of one kind. Implementations are listed in
 * {@code META-INF/services/io.huitong.connector.ConnectorFactory}.
 */
public interface ConnectorFactory {

  /** The kind declared connectors name, e.g. {@code http}. */
  String kind();

  /**
   * Builds a connector from its declared settings. Does not contact the department system: the hub starts even when
   * one is down, and {@link Connector#health()} reports it.
   *
   * @throws ConnectorException with {@link ConnectorException.Failure#MISCONFIGURED} naming the faulty setting
   */
  Connector create(Vertx vertx, String id, ConnectorSettings settings);

  /** Convenience for {@link #create(Vertx, String, ConnectorSettings)} from a JSON object. */
  default Connector create(Vertx vertx, String id, JsonObject settings) {
    return create(vertx, id, new ConnectorSettings(id, settings));
  }
}
