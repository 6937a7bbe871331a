package io.huitong.connectors.sql;

import io.huitong.connector.Connector;
import io.huitong.connector.ConnectorFactory;
import io.huitong.connector.ConnectorSettings;
import io.vertx.mutiny.core.Vertx;

/** Builds {@link SqlConnector}s for one database dialect; the subclasses exist for {@link java.util.ServiceLoader}. */
abstract class SqlConnectorFactory implements ConnectorFactory {
  private final SqlDialect dialect;

  SqlConnectorFactory(SqlDialect dialect) {
    this.dialect = dialect;
  }

  @Override
  public final String kind() {
    return dialect.kind();
  }

  @Override
  public final Connector create(Vertx vertx, String id, ConnectorSettings settings) {
    return SqlConnector.create(vertx, id, settings, dialect);
  }
}
