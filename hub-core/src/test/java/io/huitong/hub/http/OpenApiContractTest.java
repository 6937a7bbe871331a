package io.huitong.hub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.huitong.config.Secret;
import io.huitong.hub.bus.Bus;
import io.huitong.hub.cluster.ClusterConfig;
import io.huitong.hub.cluster.ClusterMembership;
import io.huitong.hub.config.HubConfiguration;
import io.huitong.hub.ops.AdminRoutes;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.ops.Readiness;
import io.huitong.hub.storage.Storage;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.Route;
import io.vertx.mutiny.ext.web.Router;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every route the hub serves is in the OpenAPI contract with its methods, and the contract promises no other. */
class OpenApiContractTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.closeAndAwait();
  }

  @Test
  void contractListsExactlyTheRoutesServed() throws Exception {
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Problems problems = new Problems(metrics);
    Drain drain = new Drain(problems);
    Storage storage = new Storage();
    var config = HubConfiguration.load(null, Map.of());
    ClusterMembership cluster = ClusterMembership.create(ClusterConfig.from(config), "contract-test");
    SystemRoutes system = new SystemRoutes(new Readiness(storage, new Bus(), cluster, drain), metrics);
    AdminRoutes admin = new AdminRoutes(vertx, AuditLog.create(storage, "contract-test"),
        Secret.of("x".repeat(32)), config, 1024);
    io.huitong.hub.signing.SigningRoutes signing = new io.huitong.hub.signing.SigningRoutes(vertx, () -> null, 1024);
    io.huitong.hub.exchange.ExchangeRoutes exchange = new io.huitong.hub.exchange.ExchangeRoutes(() -> null, 1024);
    io.huitong.hub.proxy.ProxyRoutes proxy = new io.huitong.hub.proxy.ProxyRoutes(() -> null, 1024);
    io.huitong.hub.files.FilesRoutes files = new io.huitong.hub.files.FilesRoutes(() -> null);
    io.huitong.hub.files.MaterialsRoutes materials = new io.huitong.hub.files.MaterialsRoutes(() -> null, 1024);
    io.huitong.hub.identity.IdentityRoutes identity = new io.huitong.hub.identity.IdentityRoutes(() -> null, 1024);
    io.huitong.hub.devices.DevicesRoutes devices = new io.huitong.hub.devices.DevicesRoutes(() -> null, 1024);
    io.huitong.hub.cases.CasesRoutes cases = new io.huitong.hub.cases.CasesRoutes(() -> null, Secret.of("x".repeat(32)),
        token -> io.smallrye.mutiny.Uni.createFrom().nullItem(), 1024);
    io.huitong.hub.appointments.AppointmentsRoutes appointments = new io.huitong.hub.appointments.AppointmentsRoutes(() -> null, 1024);
    io.huitong.hub.evaluation.EvaluationRoutes evaluation = new io.huitong.hub.evaluation.EvaluationRoutes(() -> null, 1024);
    io.huitong.hub.sso.SsoRoutes sso = new io.huitong.hub.sso.SsoRoutes(() -> null, 1024);
    io.huitong.hub.queue.QueueRoutes queue = new io.huitong.hub.queue.QueueRoutes(() -> null,
        AuditLog.create(storage, "contract-test"), Secret.of("x".repeat(32)), 1024);
    Router router = ApiRouter.create(vertx, problems, drain,
        List.of(system::mount, admin::mount, signing::mount, exchange::mount, proxy::mount, files::mount,
            materials::mount, identity::mount, cases::mount, appointments::mount, queue::mount, devices::mount,
            sso::mount, evaluation::mount));

    Map<String, TreeSet<String>> served = new TreeMap<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() != null && route.isExactPath() && route.methods() != null && !route.methods().isEmpty()) {
        // Vert.x writes path parameters :name, OpenAPI {name}.
        String path = route.getPath().replaceAll(":([A-Za-z]+)", "{$1}");
        route.methods().forEach(m -> served.computeIfAbsent(path, p -> new TreeSet<>()).add(m.name().toLowerCase()));
      }
    }

    Map<String, TreeSet<String>> documented = new TreeMap<>();
    try (InputStream in = getClass().getResourceAsStream("/openapi.yaml")) {
      JsonNode paths = new ObjectMapper(new YAMLFactory()).readTree(in).get("paths");
      paths.fields().forEachRemaining(p -> p.getValue().fieldNames()
          .forEachRemaining(m -> documented.computeIfAbsent(p.getKey(), k -> new TreeSet<>()).add(m)));
    }
    assertEquals(served, documented);
  }

  @Test
  void contractListsExactlyTheProblemCodesOfTheCatalogue() throws Exception {
    java.util.Set<String> documented = new java.util.TreeSet<>();
    try (InputStream in = getClass().getResourceAsStream("/openapi.yaml")) {
      new ObjectMapper(new YAMLFactory()).readTree(in).at("/components/schemas/Problem/properties/code/enum")
          .forEach(code -> documented.add(code.asText()));
    }
    java.util.Set<String> catalogue = new java.util.TreeSet<>();
    for (HubError e : HubError.values()) {
      catalogue.add(e.code());
    }
    assertEquals(catalogue, documented);
  }
}
