package io.huitong.connectors.http;

import io.huitong.connector.Connector;
import io.huitong.connector.ConnectorFactory;
import io.huitong.connector.ConnectorSettings;
import io.vertx.mutiny.core.Vertx;

/** Builds {@link HttpConnector}s: kind {@code http}. */
public final class HttpConnectorFactory implements ConnectorFactory {

  @Override
  public String kind() {
    return "http";
  }

  @Override
  public Connector create(Vertx vertx, String id, ConnectorSettings settings) {
    return HttpConnector.create(vertx, id, settings);
  }
}
