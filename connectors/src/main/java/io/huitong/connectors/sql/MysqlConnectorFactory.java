package io.huitong.connectors.sql;

/** Kind {@code mysql}: a MySQL or MariaDB database through the reactive MySQL client. */
public final class MysqlConnectorFactory extends SqlConnectorFactory {

  public MysqlConnectorFactory() {
    super(SqlDialect.MYSQL);
  }
}
