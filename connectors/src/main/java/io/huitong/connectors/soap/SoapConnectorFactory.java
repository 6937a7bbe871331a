package io.huitong.connectors.soap;

import io.huitong.connector.Connector;
import io.huitong.connector.ConnectorFactory;
import io.huitong.connector.ConnectorSettings;
import io.vertx.mutiny.core.Vertx;

/** Builds {@link SoapConnector}s: kind {@code soap}. */
public final class SoapConnectorFactory implements ConnectorFactory {

  @Override
  public String kind() {
    return "soap";
  }

  @Override
  public Connector create(Vertx vertx, String id, ConnectorSettings settings) {
    return SoapConnector.create(vertx, id, settings);
  }
}
