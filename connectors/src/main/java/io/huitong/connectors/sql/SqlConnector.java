package io.huitong.connectors.sql;

import io.huitong.connector.ConnectorException;
import io.huitong.connector.ConnectorException.Failure;
import io.huitong.connector.ConnectorSettings;
import io.huitong.connectors.OperationConnector;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import io.vertx.sqlclient.data.Numeric;
import java.lang.reflect.Array;
import java.time.Duration;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A department database (部门数据库), PostgreSQL or MySQL/MariaDB, read and written through a pool of connections
 * with parameterized statements only: each operation's SQL names its parameters ({@code :idNumber}), which are bound
 * from the input and never pasted into the text. Settings and the mapping of column values: docs/connectors.md.
 */
public final class SqlConnector extends OperationConnector<SqlConnector.Statement> {
  private static final Set<String> SETTINGS = Set.of("host", "port", "database", "user", "password-env", "pool-size",
      "timeout", "operations");
  private static final Set<String> OPERATION_SETTINGS = Set.of("sql", "result", "types", "idempotent");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** What an operation returns. */
  enum Result {
    /** Every row: {@code {"rows": [...]}}. */
    ROWS,
    /** The first row as an object, or NOT_FOUND when there is none. */
    ROW,
    /** How many rows the statement changed: {@code {"updated": n}}. */
    UPDATE
  }

  /** One operation, compiled from its settings. */
  record Statement(NamedStatement statement, Result result, Map<String, ParameterType> types) {
  }

  private final SqlDialect dialect;
  private final Pool pool;

  private SqlConnector(String id, SqlDialect dialect, Duration timeout, Map<String, Compiled<Statement>> operations,
                       Pool pool) {
    super(id, dialect.kind(), timeout, operations);
    this.dialect = dialect;
    this.pool = pool;
  }

  static SqlConnector create(Vertx vertx, String id, ConnectorSettings settings, SqlDialect dialect) {
    if (settings.json().containsKey("password")) {
      throw settings.invalid("password", "is not allowed: secrets stay out of configuration files; name the "
          + "environment variable holding it with password-env");
    }
    settings.allowOnly(SETTINGS);
    Duration timeout = settings.duration("timeout", DEFAULT_TIMEOUT);
    Map<String, Compiled<Statement>> operations = compileOperations(settings, op -> compile(op, dialect));
    SqlConnectOptions connect = dialect.connectOptions(timeout)
        .setHost(settings.string("host"))
        .setPort(settings.integer("port", dialect.defaultPort(), 1, 65_535))
        .setDatabase(settings.string("database"))
        .setUser(settings.string("user"))
        .setPassword(password(settings));
    PoolOptions poolOptions = new PoolOptions()
        .setMaxSize(settings.integer("pool-size", 8, 1, 1_000))
        .setConnectionTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setName("connector-" + id);
    Pool pool = dialect.builder().with(poolOptions).connectingTo(connect).using(vertx).build();
    return new SqlConnector(id, dialect, timeout, operations, pool);
  }

  /** The password from the environment variable {@code password-env} names; empty without one (trust auth). */
  private static String password(ConnectorSettings settings) {
    if (!settings.json().containsKey("password-env")) {
      return "";
    }
    String value = System.getenv(settings.string("password-env"));
    return value == null ? "" : value;
  }

  private static Compiled<Statement> compile(ConnectorSettings op, SqlDialect dialect) {
    op.allowOnly(OPERATION_SETTINGS);
    String sql = op.string("sql");
    boolean select = sql.stripLeading().regionMatches(true, 0, "SELECT", 0, 6);
    Result result;
    try {
      result = Result.valueOf(op.string("result", select ? "rows" : "update").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw op.invalid("result", "must be rows, row or update");
    }
    NamedStatement statement;
    try {
      statement = NamedStatement.parse(sql, dialect);
    } catch (NamedStatement.InvalidStatement e) {
      throw op.invalid("sql", e.getMessage());
    }
    Map<String, ParameterType> types = new HashMap<>();
    if (op.json().containsKey("types")) {
      ConnectorSettings declared = op.section("types");
      for (String parameter : declared.json().fieldNames()) {
        if (!statement.parameters().contains(parameter)) {
          throw declared.invalid(parameter, "is not a parameter of the statement");
        }
        try {
          types.put(parameter, ParameterType.named(declared.string(parameter)));
        } catch (IllegalArgumentException e) {
          throw declared.invalid(parameter, "must be one of date, time, timestamp, timestamptz, uuid, bytes");
        }
      }
    }
    return new Compiled<>(new Statement(statement, result, Map.copyOf(types)), op.bool("idempotent", select));
  }

  @Override
  protected Uni<JsonObject> call(Statement op, JsonObject input) {
    Tuple parameters = Tuple.tuple();
    for (String parameter : op.statement().parameters()) {
      if (!input.containsKey(parameter)) {
        throw new ConnectorException(Failure.BAD_REQUEST, "parameter '" + parameter + "' is missing");
      }
      parameters.addValue(parameter(input.getValue(parameter), op.types().get(parameter), parameter));
    }
    return pool.preparedQuery(op.statement().sql()).execute(parameters).map(rows -> result(op.result(), rows));
  }

  /** The input value as bound: converted to its declared type, if any. */
  private static Object parameter(Object value, ParameterType type, String name) {
    if (type == null || value == null) {
      return value;
    }
    try {
      return type.convert(value.toString());
    } catch (RuntimeException e) {
      throw new ConnectorException(Failure.BAD_REQUEST,
          "parameter '" + name + "' is not a " + type.name().toLowerCase(Locale.ROOT));
    }
  }

  private static JsonObject result(Result result, RowSet<Row> rows) {
    switch (result) {
      case UPDATE:
        return new JsonObject().put("updated", rows.rowCount());
      case ROW:
        if (rows.size() == 0) {
          throw new ConnectorException(Failure.NOT_FOUND, "no row matches");
        }
        return json(rows.iterator().next());
      default:
        JsonArray all = new JsonArray();
        rows.forEach(row -> all.add(json(row)));
        return new JsonObject().put("rows", all);
    }
  }

  private static JsonObject json(Row row) {
    JsonObject object = new JsonObject();
    for (int i = 0; i < row.size(); i++) {
      object.put(row.getColumnName(i), json(row.getValue(i)));
    }
    return object;
  }

  /**
   * A column value as JSON: numbers, strings, booleans and JSON as they are, dates and times as ISO-8601 text, bytes
   * as base64, arrays as arrays, anything else as its text.
   */
  private static Object json(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof JsonObject
        || value instanceof JsonArray) {
      return value;
    }
    if (value instanceof Numeric numeric) {
      return numeric.bigDecimalValue();
    }
    if (value instanceof Number) {
      return value;
    }
    if (value instanceof Buffer bytes) {
      return Base64.getEncoder().encodeToString(bytes.getBytes());
    }
    if (value instanceof TemporalAccessor || value instanceof UUID) {
      return value.toString();
    }
    if (value.getClass().isArray()) {
      JsonArray array = new JsonArray();
      for (int i = 0; i < Array.getLength(value); i++) {
        array.add(json(Array.get(value, i)));
      }
      return array;
    }
    return value.toString();
  }

  @Override
  protected ConnectorException translate(Throwable failure) {
    if (failure instanceof DatabaseException e) {
      Failure kind = dialect.classify(e);
      return new ConnectorException(kind, "the database refused the statement (SQLSTATE " + e.getSqlState()
          + ", code " + e.getErrorCode() + ")", e);
    }
    return null;
  }

  @Override
  protected Uni<String> probe() {
    return pool.query("SELECT 1").execute().map(rows -> "SELECT 1");
  }

  @Override
  public Uni<Void> close() {
    return pool.close();
  }
}
