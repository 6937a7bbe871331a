package io.huitong.connectors;

import io.huitong.connector.Connector;
import io.huitong.connector.ConnectorException;
import io.huitong.connector.ConnectorException.Failure;
import io.huitong.connector.ConnectorHealth;
import io.huitong.connector.ConnectorOperation;
import io.huitong.connector.ConnectorSettings;
import io.netty.channel.ConnectTimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * What every connector kind shares: its declared operations, one deadline per invocation and per health probe, and
 * the translation of any failure into a {@link ConnectorException}. A kind supplies how to run one of its operations
 * ({@link #call}), how to probe the department ({@link #probe}) and how to read its driver's errors
 * ({@link #translate}).
 *
 * @param <O> the kind's compiled form of an operation
 */
public abstract class OperationConnector<O> implements Connector {
  private final String id;
  private final String kind;
  private final Duration timeout;
  private final Map<String, O> compiled;
  private final Map<String, ConnectorOperation> operations;

  protected OperationConnector(String id, String kind, Duration timeout, Map<String, Compiled<O>> operations) {
    this.id = id;
    this.kind = kind;
    this.timeout = timeout;
    Map<String, O> runnable = new LinkedHashMap<>();
    Map<String, ConnectorOperation> described = new LinkedHashMap<>();
    operations.forEach((name, op) -> {
      runnable.put(name, op.operation());
      described.put(name, new ConnectorOperation(name, op.idempotent()));
    });
    this.compiled = Map.copyOf(runnable);
    this.operations = Map.copyOf(described);
  }

  /** An operation compiled from its settings, and whether it may be run twice. */
  public record Compiled<O>(O operation, boolean idempotent) {
  }

  /**
   * Compiles every entry of the {@code operations} setting (at least one) from its settings with {@code compile}.
   */
  public static <O> Map<String, Compiled<O>> compileOperations(
      ConnectorSettings settings, Function<ConnectorSettings, Compiled<O>> compile) {
    ConnectorSettings declared = settings.section("operations");
    if (declared.json().isEmpty()) {
      throw settings.invalid("operations", "must declare at least one operation");
    }
    Map<String, Compiled<O>> compiled = new LinkedHashMap<>();
    for (String name : declared.json().fieldNames()) {
      compiled.put(name, compile.apply(declared.section(name)));
    }
    return compiled;
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final String kind() {
    return kind;
  }

  @Override
  public final Map<String, ConnectorOperation> operations() {
    return operations;
  }

  /** The deadline of one invocation or probe. */
  protected final Duration timeout() {
    return timeout;
  }

  @Override
  public final Uni<JsonObject> invoke(String operation, JsonObject input) {
    O compiledOperation = compiled.get(operation);
    if (compiledOperation == null) {
      return Uni.createFrom().failure(
          new ConnectorException(Failure.BAD_REQUEST, "connector '" + id + "' has no operation '" + operation + "'"));
    }
    JsonObject given = input == null ? new JsonObject() : input;
    return withinTimeout(Uni.createFrom().deferred(() -> call(compiledOperation, given)))
        .onFailure().transform(e -> failure("operation '" + operation + "'", e));
  }

  @Override
  public final Uni<ConnectorHealth> health() {
    return Uni.createFrom().deferred(() -> {
      long start = System.nanoTime();
      return withinTimeout(Uni.createFrom().deferred(this::probe))
          .map(detail -> ConnectorHealth.up(start, detail))
          .onFailure().recoverWithItem(e -> ConnectorHealth.down(start, failure("health probe", e)));
    });
  }

  private <T> Uni<T> withinTimeout(Uni<T> uni) {
    return uni.ifNoItem().after(timeout)
        .failWith(() -> new ConnectorException(Failure.TIMEOUT, "no answer within " + timeout));
  }

  /** Runs one operation; may fail with a {@link ConnectorException} or with the driver's own exception. */
  protected abstract Uni<JsonObject> call(O operation, JsonObject input);

  /** Contacts the department cheaply; the item says what was probed. */
  protected abstract Uni<String> probe();

  /**
   * The kind's reading of a driver exception, or null to fall back on the transport's: timeouts are
   * {@link Failure#TIMEOUT}, anything else that broke the exchange {@link Failure#UNAVAILABLE}.
   */
  protected ConnectorException translate(Throwable failure) {
    return null;
  }

  /** Any failure as a {@link ConnectorException} whose message names the connector and what failed. */
  private ConnectorException failure(String what, Throwable e) {
    ConnectorException known = e instanceof ConnectorException ce ? ce : translate(e);
    if (known == null) {
      Failure failure = e instanceof TimeoutException || e instanceof ConnectTimeoutException
          ? Failure.TIMEOUT : Failure.UNAVAILABLE;
      known = new ConnectorException(failure, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
    return new ConnectorException(known.failure(),
        "connector '" + id + "' (" + kind + ") " + what + ": " + known.getMessage(), known.getCause());
  }
}
