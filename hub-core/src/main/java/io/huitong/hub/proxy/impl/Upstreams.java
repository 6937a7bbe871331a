package io.huitong.hub.proxy.impl;

import io.huitong.config.ConfigException;
import io.huitong.connector.Connector;
import io.huitong.connector.ConnectorException;
import io.huitong.connector.ConnectorException.Failure;
import io.huitong.connector.ConnectorOperation;
import io.huitong.connector.Connectors;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.proxy.ConnectorDeclaration;
import io.huitong.hub.proxy.ProxyConfig;
import io.huitong.hub.proxy.ProxyDefinitions;
import io.huitong.hub.proxy.ServiceDefinition;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The department systems behind the services: one connector and one circuit breaker per declared connector, and the
 * policy of a call. A service's sources are tried in order (data centre first, department fallback); a source is
 * skipped while its circuit is open, tried again after a timeout or an unavailable answer (only for idempotent
 * operations of idempotent kinds, at most {@code proxy.retry.max-attempts} times with doubling back-off), and left
 * for the next source when it fails that way or holds no record. A refusal of the input ends the call: another
 * source would refuse it too.
 */
final class Upstreams {
  private static final Logger LOG = LoggerFactory.getLogger(Upstreams.class);

  /** An answer and the connector it came from. */
  record Answer(JsonObject output, String source) {
  }

  private final Vertx vertx;
  private final ProxyConfig config;
  private final Map<String, Connector> connectors;
  private final Map<String, CircuitBreaker> breakers;

  private Upstreams(Vertx vertx, ProxyConfig config, Map<String, Connector> connectors) {
    this.vertx = vertx;
    this.config = config;
    this.connectors = Map.copyOf(connectors);
    Map<String, CircuitBreaker> b = new LinkedHashMap<>();
    connectors.keySet().forEach(id -> b.put(id, new CircuitBreaker(config.breakerThreshold(), config.breakerOpen())));
    this.breakers = Map.copyOf(b);
  }

  /**
   * Builds every declared connector; none is contacted yet.
   *
   * @throws ConfigException naming {@code proxy.definitions} for an unknown kind or a bad setting
   */
  static Upstreams create(Vertx vertx, ProxyConfig config, ProxyDefinitions definitions) {
    Connectors factories = Connectors.discover();
    Map<String, Connector> built = new LinkedHashMap<>();
    try {
      for (ConnectorDeclaration d : definitions.connectors().values()) {
        built.put(d.id(), factories.create(vertx, d.id(), d.kind(), d.settings()));
      }
    } catch (ConnectorException e) {
      built.values().forEach(c -> c.close().subscribe().with(ok -> { }, err -> { }));
      throw new ConfigException(ProxyConfig.DEFINITIONS, e.getMessage());
    }
    return new Upstreams(vertx, config, built);
  }

  /** The ids of the declared connectors. */
  java.util.Set<String> ids() {
    return connectors.keySet();
  }

  /** Answers {@code input} from the service's first source that can. */
  Uni<Answer> call(ServiceDefinition service, JsonObject input) {
    return trySource(service, input, 0, new ArrayList<>());
  }

  private Uni<Answer> trySource(ServiceDefinition service, JsonObject input, int index, List<ConnectorException> failures) {
    if (index == service.sources().size()) {
      return Uni.createFrom().failure(giveUp(service, failures));
    }
    ServiceDefinition.Source source = service.sources().get(index);
    Connector connector = connectors.get(source.connector());
    CircuitBreaker breaker = breakers.get(source.connector());
    if (connector == null) {
      failures.add(new ConnectorException(Failure.UNAVAILABLE, "connector " + source.connector() + " is not declared"));
      return trySource(service, input, index + 1, failures);
    }
    ConnectorOperation operation;
    try {
      operation = connector.operation(source.operation());
    } catch (ConnectorException e) {
      failures.add(e);
      return trySource(service, input, index + 1, failures);
    }
    int attempts = service.kind().idempotent() && operation.idempotent() ? config.retryAttempts() : 1;
    return attempt(connector, breaker, source.operation(), input, 1, attempts)
        .map(output -> new Answer(output, connector.id()))
        .onFailure(ConnectorException.class).recoverWithUni(e -> {
          ConnectorException failure = (ConnectorException) e;
          if (failure.failure() == Failure.REJECTED || failure.failure() == Failure.BAD_REQUEST) {
            return Uni.createFrom().failure(toHubError(failure, service));
          }
          failures.add(failure);
          return trySource(service, input, index + 1, failures);
        });
  }

  private Uni<JsonObject> attempt(Connector connector, CircuitBreaker breaker, String operation, JsonObject input,
                                  int attempt, int attempts) {
    if (!breaker.allow()) {
      return Uni.createFrom().failure(new ConnectorException(Failure.UNAVAILABLE,
          "the circuit of connector " + connector.id() + " is open"));
    }
    return connector.invoke(operation, input)
        .onItem().invoke(breaker::succeeded)
        .onFailure().recoverWithUni(e -> {
          ConnectorException failure = e instanceof ConnectorException ce ? ce
              : new ConnectorException(Failure.UNAVAILABLE, String.valueOf(e.getMessage()), e);
          if (failure.failure().isTransient() || failure.failure() == Failure.BAD_RESPONSE) {
            breaker.failed();
          } else {
            // The department answered (no record, or a refusal): it is up.
            breaker.succeeded();
          }
          if (!failure.failure().isTransient() || attempt >= attempts) {
            return Uni.createFrom().failure(failure);
          }
          long backoff = config.retryBackoff().toMillis() << (attempt - 1);
          return delay(backoff).chain(() -> attempt(connector, breaker, operation, input, attempt + 1, attempts));
        });
  }

  private Uni<Void> delay(long millis) {
    return Uni.createFrom().emitter(e -> vertx.setTimer(Math.max(1, millis), id -> e.complete(null)));
  }

  /** The error for a call no source could answer: no record only when every source said so. */
  private static HubException giveUp(ServiceDefinition service, List<ConnectorException> failures) {
    boolean allNotFound = !failures.isEmpty() && failures.stream().allMatch(f -> f.failure() == Failure.NOT_FOUND);
    if (allNotFound) {
      return HubError.RECORD_NOT_FOUND.exception("No source of " + service.id() + " holds a record for this input");
    }
    boolean timeouts = failures.stream().anyMatch(f -> f.failure() == Failure.TIMEOUT);
    boolean unavailable = failures.stream().anyMatch(f -> f.failure() == Failure.UNAVAILABLE);
    String detail = "No source of " + service.id() + " answered: " + String.join("; ",
        failures.stream().map(Throwable::getMessage).toList());
    if (unavailable || failures.isEmpty()) {
      return HubError.UPSTREAM_UNAVAILABLE.exception(detail);
    }
    return timeouts ? HubError.UPSTREAM_TIMEOUT.exception(detail) : HubError.UPSTREAM_BAD_RESPONSE.exception(detail);
  }

  private static HubException toHubError(ConnectorException e, ServiceDefinition service) {
    LOG.debug("Service {}: {}", service.id(), e.getMessage());
    return HubError.UPSTREAM_REJECTED.exception(e.getMessage());
  }

  /** Each connector's health probe and circuit state. */
  Uni<JsonObject> health() {
    List<Uni<JsonObject>> probes = new ArrayList<>();
    connectors.forEach((id, c) -> probes.add(c.health().map(h -> new JsonObject().put("connector", id)
        .put("kind", c.kind()).put("up", h.up()).put("latencyMillis", h.latencyMillis()).put("detail", h.detail())
        .put("circuit", breakers.get(id).state().name()))));
    if (probes.isEmpty()) {
      return Uni.createFrom().item(new JsonObject().put("connectors", new io.vertx.core.json.JsonArray()));
    }
    return Uni.join().all(probes).andFailFast()
        .map(list -> new JsonObject().put("connectors", new io.vertx.core.json.JsonArray(new ArrayList<>(list))));
  }

  /** Whether a failed call may be answered from a stale cache entry: only when the department side failed. */
  static boolean upstreamDown(Throwable failure) {
    return failure instanceof HubException e && (e.error() == HubError.UPSTREAM_UNAVAILABLE
        || e.error() == HubError.UPSTREAM_TIMEOUT || e.error() == HubError.UPSTREAM_BAD_RESPONSE);
  }

  Uni<Void> close() {
    List<Uni<Void>> closing = connectors.values().stream().map(c -> c.close()
        .onFailure().invoke(e -> LOG.warn("Connector {} did not close cleanly: {}", c.id(), e.toString()))
        .onFailure().recoverWithNull()).toList();
    return closing.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(closing).andCollectFailures().replaceWithVoid();
  }
}
