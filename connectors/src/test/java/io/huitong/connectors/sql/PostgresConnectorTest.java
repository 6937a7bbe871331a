package io.huitong.connectors.sql;

import io.vertx.core.json.JsonObject;

/** The SQL connector against the machine's PostgreSQL: 127.0.0.1:5432, database test, role postgres, trust auth. */
class PostgresConnectorTest extends SqlConnectorContract {

  @Override
  String kind() {
    return "postgresql";
  }

  @Override
  JsonObject connection() {
    return new JsonObject().put("host", "127.0.0.1").put("port", 5432).put("database", "test").put("user", "postgres");
  }

  @Override
  String requiredFlag() {
    return "HUITONG_REQUIRE_MACHINE_PG";
  }

  @Override
  String bytesType() {
    return "BYTEA";
  }

  @Override
  String bytesLiteral() {
    return "'\\x0001ff'::bytea";
  }

  @Override
  String sessionQuery() {
    return "SELECT pg_backend_pid() AS session";
  }

  @Override
  String slowQuery() {
    return "SELECT pg_sleep(2)";
  }
}
