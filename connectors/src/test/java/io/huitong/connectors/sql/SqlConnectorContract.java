package io.huitong.connectors.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.huitong.connector.Connector;
import io.huitong.connector.ConnectorException;
import io.huitong.connector.ConnectorException.Failure;
import io.huitong.connector.Connectors;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the SQL connector does against a real database of one kind. Each test works on its own table, created before
 * and dropped after it, so runs never see each other's rows.
 */
@ExtendWith(VertxExtension.class)
abstract class SqlConnectorContract {
  static final Duration WAIT = Duration.ofSeconds(15);

  Vertx vertx;
  String table;
  Connector connector;

  /** The connector kind under test. */
  abstract String kind();

  /** Host, port, database and user of the machine's database. */
  abstract JsonObject connection();

  /** The environment variable that makes an unreachable database a failure rather than a skip. */
  abstract String requiredFlag();

  /** A column type holding bytes. */
  abstract String bytesType();

  /** A statement answering with the id of the server session it ran in, as column {@code session}. */
  abstract String sessionQuery();

  /** A statement that takes two seconds. */
  abstract String slowQuery();

  JsonObject settings(JsonObject operations) {
    return connection().copy().put("timeout", "3s").put("operations", operations);
  }

  Connector connect(JsonObject operations) {
    return Connectors.discover().create(vertx, kind() + "-test", kind(), settings(operations));
  }

  static JsonObject op(String sql, String result) {
    return new JsonObject().put("sql", sql).put("result", result);
  }

  @BeforeEach
  void createTable(io.vertx.core.Vertx shared) {
    vertx = Vertx.newInstance(shared);
    table = "census_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    connector = connect(new JsonObject()
        .put("create", op("CREATE TABLE " + table + " (id_number VARCHAR(18) PRIMARY KEY, household_no VARCHAR(20), "
            + "born DATE, members INT, area NUMERIC(6,2), photo " + bytesType() + ")", "update"))
        .put("drop", op("DROP TABLE " + table, "update"))
        .put("add", op("INSERT INTO " + table + " (id_number, household_no, born, members, area, photo) VALUES "
            + "(:idNumber, :householdNo, :born, :members, :area, :photo)", "update")
            .put("types", new JsonObject().put("born", "date").put("photo", "bytes")))
        .put("household", op("SELECT id_number, household_no, born, members, area, photo FROM " + table
            + " WHERE id_number = :idNumber", "row"))
        .put("all", op("SELECT id_number FROM " + table + " WHERE household_no = :householdNo "
            + "OR household_no = CONCAT(:householdNo, '-x') ORDER BY id_number", "rows"))
        .put("broken", op("SELEC nothing FROM " + table, "rows")));
    if (!connector.health().await().atMost(WAIT).up()) {
      String reason = kind() + " at " + connection().getString("host") + ":" + connection().getValue("port")
          + " is not reachable";
      if ("1".equals(System.getenv(requiredFlag()))) {
        fail(reason + ", and " + requiredFlag() + "=1 requires it");
      }
      Assumptions.abort(reason + " (set " + requiredFlag() + "=1 to make this a failure)");
    }
    connector.invoke("create", new JsonObject()).await().atMost(WAIT);
  }

  @AfterEach
  void dropTable() {
    if (connector != null) {
      connector.invoke("drop", new JsonObject()).onFailure().recoverWithNull().await().atMost(WAIT);
      connector.close().await().atMost(WAIT);
    }
  }

  JsonObject invoke(String operation, JsonObject input) {
    return connector.invoke(operation, input).await().atMost(WAIT);
  }

  ConnectorException failure(Connector target, String operation, JsonObject input) {
    return assertThrows(ConnectorException.class, () -> target.invoke(operation, input).await().atMost(WAIT));
  }

  JsonObject person(String idNumber, String householdNo) {
    return new JsonObject().put("idNumber", idNumber).put("householdNo", householdNo).put("born", "1990-01-02")
        .put("members", 3).put("area", 88.5).put("photo", null);
  }

  @Test
  void writesAndReadsRowsWithTheirValuesAsJson() {
    assertEquals(new JsonObject().put("updated", 1), invoke("add", person("632801199001021234", "H-1")));
    invoke("add", person("632801199001021235", "H-1"));

    JsonObject row = invoke("household", new JsonObject().put("idNumber", "632801199001021234"));

    assertEquals("632801199001021234", row.getString("id_number"));
    assertEquals("H-1", row.getString("household_no"));
    assertEquals("1990-01-02", row.getValue("born"));
    assertEquals(3, row.getInteger("members"));
    assertEquals(88.5, row.getDouble("area"));
    assertTrue(row.containsKey("photo") && row.getValue("photo") == null);
    assertEquals(new JsonObject().put("rows", new JsonArray()
            .add(new JsonObject().put("id_number", "632801199001021234"))
            .add(new JsonObject().put("id_number", "632801199001021235"))),
        invoke("all", new JsonObject().put("householdNo", "H-1")));
  }

  @Test
  void bytesComeBackAsBase64() {
    connector.close().await().atMost(WAIT);
    connector = connect(new JsonObject()
        .put("drop", op("DROP TABLE " + table, "update"))
        .put("photo", op("SELECT photo FROM " + table + " WHERE id_number = :idNumber", "row"))
        .put("add", op("INSERT INTO " + table + " (id_number, photo) VALUES (:idNumber, " + bytesLiteral() + ")",
            "update")));
    invoke("add", new JsonObject().put("idNumber", "1"));

    assertEquals("AAH/", invoke("photo", new JsonObject().put("idNumber", "1")).getString("photo"));
  }

  /** The bytes 00 01 FF as a literal of the bytes type. */
  abstract String bytesLiteral();

  @Test
  void noRowIsNotFoundAndInjectionFindsNothing() {
    invoke("add", person("632801199001021234", "H-1"));

    assertEquals(Failure.NOT_FOUND, failure(connector, "household", new JsonObject().put("idNumber", "nobody")).failure());
    assertEquals(Failure.NOT_FOUND,
        failure(connector, "household", new JsonObject().put("idNumber", "x' OR '1'='1")).failure());
    assertEquals(new JsonArray(), invoke("all", new JsonObject().put("householdNo", "x' OR 1=1 -- ")).getJsonArray("rows"));
  }

  @Test
  void aMissingParameterIsABadRequestNamingIt() {
    ConnectorException e = failure(connector, "household", new JsonObject());

    assertEquals(Failure.BAD_REQUEST, e.failure());
    assertTrue(e.getMessage().contains("'idNumber'"), e.getMessage());
  }

  @Test
  void aConstraintViolationOrBadSqlIsRejected() {
    invoke("add", person("632801199001021234", "H-1"));

    assertEquals(Failure.REJECTED, failure(connector, "add", person("632801199001021234", "H-2")).failure());
    assertEquals(Failure.REJECTED, failure(connector, "broken", new JsonObject()).failure());
  }

  @Test
  void selectsAreIdempotentAndUpdatesAreNot() {
    assertTrue(connector.operations().get("household").idempotent());
    assertFalse(connector.operations().get("add").idempotent());
  }

  @Test
  void reusesThePooledConnection() {
    Connector pooled = Connectors.discover().create(vertx, "pooled", kind(),
        settings(new JsonObject().put("session", op(sessionQuery(), "row"))).put("pool-size", 1));
    List<Uni<JsonObject>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(pooled.invoke("session", new JsonObject()));
    }

    List<JsonObject> sessions = Uni.join().all(calls).andFailFast().await().atMost(WAIT);

    assertEquals(1, sessions.stream().map(s -> s.getValue("session").toString()).distinct().count(), sessions.toString());
    pooled.close().await().atMost(WAIT);
  }

  @Test
  void aStatementThatOutlivesTheTimeoutTimesOut() {
    Connector slow = Connectors.discover().create(vertx, "slow", kind(),
        settings(new JsonObject().put("sleep", op(slowQuery(), "rows"))).put("timeout", "300ms"));

    assertEquals(Failure.TIMEOUT, failure(slow, "sleep", new JsonObject()).failure());
    slow.close().await().atMost(WAIT);
  }

  @Test
  void anUnreachableServerIsUnavailableAndAnUnknownDatabaseMisconfigured() {
    Connector down = Connectors.discover().create(vertx, "down", kind(),
        settings(new JsonObject().put("one", op("SELECT 1", "rows"))).put("port", 1));
    Connector unknown = Connectors.discover().create(vertx, "unknown", kind(),
        settings(new JsonObject().put("one", op("SELECT 1", "rows"))).put("database", "no_such_db_" + table));

    assertEquals(Failure.UNAVAILABLE, failure(down, "one", new JsonObject()).failure());
    assertFalse(down.health().await().atMost(WAIT).up());
    assertEquals(Failure.MISCONFIGURED, failure(unknown, "one", new JsonObject()).failure());
    down.close().await().atMost(WAIT);
    unknown.close().await().atMost(WAIT);
  }

  @Test
  void badSettingsAreMisconfiguredNamingTheKey() {
    JsonObject one = new JsonObject().put("one", op("SELECT 1", "rows"));
    List<String[]> cases = List.of(
        new String[] {"pool-size", settings(one).put("pool-size", 0).encode()},
        new String[] {"password", settings(one).put("password", "hunter2-value").encode()},
        new String[] {"database", settings(one).put("database", "").encode()},
        new String[] {"operations.one.types.day", settings(new JsonObject().put("one", op("SELECT :day", "rows")
            .put("types", new JsonObject().put("day", "weekday")))).encode()},
        new String[] {"operations.one.result", settings(new JsonObject().put("one", op("SELECT 1", "table"))).encode()},
        new String[] {"operations.one.sql", settings(new JsonObject().put("one", op("SELECT ?", "rows"))).encode()},
        new String[] {"operations.one.sql", settings(new JsonObject().put("one", op("SELECT 'a", "rows"))).encode()});
    for (String[] c : cases) {
      ConnectorException e = assertThrows(ConnectorException.class,
          () -> Connectors.discover().create(vertx, "bad", kind(), new JsonObject(c[1])), c[0]);
      assertEquals(Failure.MISCONFIGURED, e.failure(), c[0]);
      assertTrue(e.getMessage().contains("'" + c[0] + "'"), e.getMessage());
      assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
  }
}
