package io.huitong.hub;

import io.huitong.config.Config;
import io.huitong.config.Secret;
import io.huitong.hub.bus.Bus;
import io.huitong.hub.bus.BusConfig;
import io.huitong.hub.bus.EmbeddedKafkaBroker;
import io.huitong.hub.cluster.ClusterConfig;
import io.huitong.hub.cluster.ClusterMembership;
import io.huitong.hub.config.NodeConfig;
import io.huitong.hub.http.ApiRouter;
import io.huitong.hub.http.Drain;
import io.huitong.hub.http.HttpConfig;
import io.huitong.hub.http.HttpServerVerticle;
import io.huitong.hub.http.Problems;
import io.huitong.hub.http.SystemRoutes;
import io.huitong.hub.ops.AdminRoutes;
import io.huitong.hub.ops.AuditEvent;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.ops.OperatorToken;
import io.huitong.hub.ops.OpsConfig;
import io.huitong.hub.ops.Readiness;
import io.huitong.hub.storage.EmbeddedPostgresServer;
import io.huitong.hub.storage.Migrations;
import io.huitong.hub.storage.PgConfig;
import io.huitong.hub.storage.PgLocation;
import io.huitong.hub.storage.Storage;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.mutiny.core.Vertx;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hub member: its embedded or external PostgreSQL and Kafka, its cluster membership, and its HTTP servers.
 *
 * <p>Start-up overlaps the slow parts: the embedded database and broker start on their own threads while the
 * cluster forms, and HTTP serves as soon as the cluster is joined, with {@code /health/ready} answering 503 until
 * PostgreSQL is migrated and Kafka answers. {@link #stop()} drains HTTP before it closes anything else.
 */
public final class Hub {
  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
  private static final Duration COMPONENT_START_LIMIT = Duration.ofMinutes(3);

  private final Config config;
  private final NodeConfig node;
  private final HttpConfig http;
  private final PgConfig pgConfig;
  private final BusConfig busConfig;
  private final ClusterConfig clusterConfig;
  private final String memberName;

  private final Storage storage = new Storage();
  private final Bus bus = new Bus();
  private final List<HttpServerVerticle> servers = new CopyOnWriteArrayList<>();
  private final ExecutorService starters = Executors.newFixedThreadPool(2, r -> new Thread(r, "hub-starter"));
  private DataDirectory dataDir;
  private volatile EmbeddedPostgresServer embeddedPg;
  private volatile EmbeddedKafkaBroker embeddedKafka;
  private Vertx vertx;
  private Drain drain;
  private AuditLog audit;
  private boolean stopped;

  public Hub(Config config) {
    this.config = config;
    this.node = NodeConfig.from(config);
    this.http = HttpConfig.from(config);
    this.pgConfig = PgConfig.from(config);
    this.busConfig = BusConfig.from(config);
    this.clusterConfig = ClusterConfig.from(config);
    this.memberName = memberName(node, http);
  }

  /** The name this member goes by in the cluster, the audit log and log lines. */
  public static String memberName(NodeConfig node, HttpConfig http) {
    if (!node.nodeName().isEmpty()) {
      return node.nodeName();
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "hub";
    }
    return host + "-" + http.port();
  }

  /** Starts every part and returns once this member is ready; on failure, stops what had started. */
  public void start() throws StartupException {
    long began = System.nanoTime();
    try {
      dataDir = DataDirectory.acquire(node.dataDir());
      Secret token = OperatorToken.resolve(OpsConfig.from(config), dataDir.root());
      if (pgConfig.embedded()) {
        // Before the port check: a server a crashed hub left behind still holds the embedded port.
        EmbeddedPostgresServer.stopLeftover(dataDir.resolve("pg"));
      }
      checkPorts();
      guardAgainstBrokerHalt();
      CompletableFuture<PgLocation> database = startDatabase();
      CompletableFuture<String> broker = startBroker();

      ClusterMembership cluster = ClusterMembership.create(clusterConfig, memberName);
      vertx = Vertx.clusteredVertx(vertxOptions(cluster)).await().atMost(COMPONENT_START_LIMIT);
      PrometheusMeterRegistry metrics = (PrometheusMeterRegistry) BackendRegistries.getDefaultNow();
      Problems problems = new Problems(metrics);
      drain = new Drain(problems);
      audit = AuditLog.create(storage, memberName);
      SystemRoutes system = new SystemRoutes(new Readiness(storage, bus, cluster, drain), metrics);
      AdminRoutes admin = new AdminRoutes(vertx, audit, token, config, http.maxBodySize());
      int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
      io.vertx.core.Future<String> deployed = vertx.getDelegate().deployVerticle(() -> {
        HttpServerVerticle server = new HttpServerVerticle(http,
            v -> ApiRouter.create(v, problems, drain, List.of(system::mount, admin::mount)), drain);
        servers.add(server);
        return server;
      }, new DeploymentOptions().setInstances(instances));
      deployed.toCompletionStage().toCompletableFuture().get(COMPONENT_START_LIMIT.toSeconds(), TimeUnit.SECONDS);
      LOG.info("HTTP listening on {}:{} ({} event loops); member {} joined cluster '{}'",
          http.host(), servers.get(0).actualPort(), instances, memberName, clusterConfig.name());

      PgLocation location = database.get(COMPONENT_START_LIMIT.toSeconds(), TimeUnit.SECONDS);
      Migrations.migrateAll(location);
      storage.open(vertx, location, pgConfig.poolSize());
      LOG.info("PostgreSQL {} migrated ({})", location.display(), String.join(", ", Migrations.CAPABILITIES));
      bus.open(broker.get(COMPONENT_START_LIMIT.toSeconds(), TimeUnit.SECONDS), busConfig.embedded());

      long millis = Duration.ofNanos(System.nanoTime() - began).toMillis();
      audit.record(AuditEvent.system("hub.started", "ok", new JsonObject()
          .put("startMillis", millis).put("pid", ProcessHandle.current().pid()))).await().atMost(Duration.ofSeconds(30));
      LOG.info("Hub {} started in {} ms", memberName, millis);
    } catch (StartupException e) {
      stop();
      throw e;
    } catch (ExecutionException e) {
      stop();
      throw new StartupException(e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      stop();
      throw new StartupException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
    } finally {
      starters.shutdown();
    }
  }

  /**
   * Graceful stop: refuse new connections, let requests in flight finish within {@code http.drain-timeout}, record
   * the stop, then close the database pool, Kafka, the cluster membership and the embedded servers. Safe to call
   * more than once and after a failed start.
   */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (vertx != null && drain != null) {
      drain.begin();
      boolean refused = !servers.isEmpty() && servers.get(0).stopAccepting();
      LOG.info("Stopping: {} request(s) in flight, new connections {}", drain.inFlight(),
          refused ? "refused" : "closed as they arrive");
      boolean drained = drain.awaitIdle(vertx, http.drainTimeout())
          .await().atMost(http.drainTimeout().plusSeconds(5));
      if (!drained) {
        LOG.warn("{} request(s) still in flight after {}; closing their connections", drain.inFlight(), http.drainTimeout());
      }
      audit.record(AuditEvent.system("hub.stopped", "ok", new JsonObject().put("drained", drained)))
          .onFailure().invoke(e -> LOG.warn("Stop not recorded in the audit log: {}", e.toString()))
          .onFailure().recoverWithNull()
          .await().atMost(Duration.ofSeconds(10));
    }
    quietly("database pool", () -> storage.close().await().atMost(Duration.ofSeconds(10)));
    quietly("Kafka admin client", bus::close);
    if (vertx != null) {
      quietly("Vert.x and the cluster membership", () -> vertx.close().await().atMost(Duration.ofSeconds(30)));
    }
    if (embeddedKafka != null) {
      quietly("embedded Kafka", embeddedKafka::close);
    }
    if (embeddedPg != null) {
      quietly("embedded PostgreSQL", embeddedPg::close);
    }
    if (dataDir != null) {
      quietly("data directory lock", dataDir::close);
    }
    LOG.info("Hub {} stopped", memberName);
  }

  private CompletableFuture<PgLocation> startDatabase() {
    if (!pgConfig.embedded()) {
      return CompletableFuture.completedFuture(PgLocation.parse(pgConfig.url(), pgConfig.password()));
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        embeddedPg = EmbeddedPostgresServer.start(dataDir.resolve("pg"), pgConfig.embeddedPort(),
            dataDir.resolve("logs").resolve("postgres.log"));
        return embeddedPg.location();
      } catch (java.io.IOException e) {
        throw new IllegalStateException("embedded PostgreSQL did not start: " + e.getMessage()
            + " (see " + dataDir.resolve("logs").resolve("postgres.log") + ")", e);
      }
    }, starters);
  }

  private CompletableFuture<String> startBroker() {
    if (!busConfig.embedded()) {
      return CompletableFuture.completedFuture(busConfig.bootstrap());
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        embeddedKafka = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), busConfig.embeddedPort(),
            busConfig.controllerPort());
        return embeddedKafka.bootstrap();
      } catch (Exception e) {
        throw new IllegalStateException("embedded Kafka did not start: " + e.getMessage(), e);
      }
    }, starters);
  }

  private void checkPorts() throws StartupException {
    Ports.requireFree(HttpConfig.PORT, http.host(), http.port());
    Ports.requireFree(ClusterConfig.PORT, clusterConfig.host(), clusterConfig.port());
    if (pgConfig.embedded()) {
      Ports.requireFree(PgConfig.EMBEDDED_PORT, "127.0.0.1", pgConfig.embeddedPort());
    }
    if (busConfig.embedded()) {
      Ports.requireFree(BusConfig.EMBEDDED_PORT, "127.0.0.1", busConfig.embeddedPort());
      Ports.requireFree(BusConfig.CONTROLLER_PORT, "127.0.0.1", busConfig.controllerPort());
    }
  }

  /**
   * A fatal error inside the in-process broker halts the JVM without shutdown hooks, which would orphan the embedded
   * PostgreSQL. Stop it first, then halt as Kafka asked.
   */
  private void guardAgainstBrokerHalt() {
    Exit.Procedure halt = (status, message) -> {
      LOG.error("Embedded Kafka stopped the process (status {}): {}", status, message);
      if (embeddedPg != null) {
        quietly("embedded PostgreSQL", embeddedPg::close);
      }
      Runtime.getRuntime().halt(status);
    };
    Exit.setHaltProcedure(halt);
    Exit.setExitProcedure(halt);
  }

  private VertxOptions vertxOptions(ClusterMembership cluster) {
    return new VertxOptions()
        .setClusterManager(cluster.manager())
        .setEventBusOptions(new EventBusOptions().setHost(clusterConfig.host()).setClusterPublicHost(clusterConfig.host()))
        .setFileSystemOptions(new FileSystemOptions().setFileCacheDir(dataDir.resolve("vertx-cache").toString()))
        .setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void quietly(String what, Step step) {
    try {
      step.run();
    } catch (Exception e) {
      LOG.warn("Closing {} failed: {}", what, e.toString());
    }
  }
}
