package io.huitong.connector;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * One configured department system. Implementations are non-blocking and safe to call from any event loop; every
 * invocation ends within the connector's timeout, with a result or a {@link ConnectorException}.
 */
public interface Connector {

  /** The identifier it was declared under, e.g. {@code hrss-soap}. */
  String id();

  /** Its factory's kind, e.g. {@code soap}. */
  String kind();

  /** The operations it offers, by name. */
  Map<String, ConnectorOperation> operations();

  /**
   * Runs one operation. The input holds the operation's named parameters; the result is a JSON object (a list of
   * rows or elements is wrapped in an object by the connector, as its documentation says).
   *
   * @throws ConnectorException (as the failure of the Uni) naming why the call did not produce a result
   */
  Uni<JsonObject> invoke(String operation, JsonObject input);

  /** A cheap probe of the department system: reachable or not, and how long the probe took. Never fails. */
  Uni<ConnectorHealth> health();

  /** Releases pooled connections. */
  Uni<Void> close();

  /** The operation, or a {@link ConnectorException.Failure#BAD_REQUEST} naming the connector and the operation. */
  default ConnectorOperation operation(String name) {
    ConnectorOperation op = operations().get(name);
    if (op == null) {
      throw new ConnectorException(
          ConnectorException.Failure.BAD_REQUEST, "connector '" + id() + "' has no operation '" + name + "'");
    }
    return op;
  }
}
