package io.huitong.connectors.sql;

import io.vertx.core.json.JsonObject;

/** The SQL connector (kind mysql) against the machine's MariaDB: 127.0.0.1:3306, database test, root, no password. */
class MariaDbConnectorTest extends SqlConnectorContract {

  @Override
  String kind() {
    return "mysql";
  }

  @Override
  JsonObject connection() {
    return new JsonObject().put("host", "127.0.0.1").put("port", 3306).put("database", "test").put("user", "root");
  }

  @Override
  String requiredFlag() {
    return "HUITONG_REQUIRE_MACHINE_MARIADB";
  }

  @Override
  String bytesType() {
    return "BLOB";
  }

  @Override
  String bytesLiteral() {
    return "X'0001FF'";
  }

  @Override
  String sessionQuery() {
    return "SELECT CONNECTION_ID() AS session";
  }

  @Override
  String slowQuery() {
    return "SELECT SLEEP(2)";
  }
}
