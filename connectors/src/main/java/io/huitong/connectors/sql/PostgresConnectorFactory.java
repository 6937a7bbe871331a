package io.huitong.connectors.sql;

/** Kind {@code postgresql}: a PostgreSQL database through the reactive pg client. */
public final class PostgresConnectorFactory extends SqlConnectorFactory {

  public PostgresConnectorFactory() {
    super(SqlDialect.POSTGRESQL);
  }
}
