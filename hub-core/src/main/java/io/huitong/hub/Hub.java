package io.huitong.hub;

import io.huitong.config.Config;
import io.huitong.config.Secret;
import io.huitong.hub.appointments.Appointments;
import io.huitong.hub.appointments.AppointmentsConfig;
import io.huitong.hub.appointments.AppointmentsRoutes;
import io.huitong.hub.bus.Bus;
import io.huitong.hub.bus.BusConfig;
import io.huitong.hub.bus.EmbeddedKafkaBroker;
import io.huitong.hub.cases.Cases;
import io.huitong.hub.cases.CasesConfig;
import io.huitong.hub.cases.CasesRoutes;
import io.huitong.hub.cases.CitizenTokens;
import io.huitong.hub.cluster.ClusterConfig;
import io.huitong.hub.cluster.ClusterMembership;
import io.huitong.hub.config.NodeConfig;
import io.huitong.hub.devices.Devices;
import io.huitong.hub.devices.DevicesRoutes;
import io.huitong.hub.evaluation.EvaluationConfig;
import io.huitong.hub.evaluation.EvaluationRoutes;
import io.huitong.hub.evaluation.Evaluations;
import io.huitong.hub.exchange.Exchange;
import io.huitong.hub.exchange.ExchangeConfig;
import io.huitong.hub.exchange.ExchangeRoutes;
import io.huitong.hub.exchange.route.ExchangeDefinitions;
import io.huitong.hub.files.FileUploads;
import io.huitong.hub.files.FilesConfig;
import io.huitong.hub.files.FilesRoutes;
import io.huitong.hub.files.Materials;
import io.huitong.hub.files.MaterialsRoutes;
import io.huitong.hub.files.UploadStore;
import io.huitong.hub.http.ApiRouter;
import io.huitong.hub.http.Drain;
import io.huitong.hub.http.HttpConfig;
import io.huitong.hub.http.HttpServerVerticle;
import io.huitong.hub.http.HubMetricsFactory;
import io.huitong.hub.http.Problems;
import io.huitong.hub.http.SystemRoutes;
import io.huitong.hub.identity.Identity;
import io.huitong.hub.identity.IdentityConfig;
import io.huitong.hub.identity.IdentityRoutes;
import io.huitong.hub.ops.AdminRoutes;
import io.huitong.hub.proxy.DataProxy;
import io.huitong.hub.proxy.KioskQueries;
import io.huitong.hub.proxy.ProxyConfig;
import io.huitong.hub.proxy.ProxyDefinitions;
import io.huitong.hub.proxy.ProxyRoutes;
import io.huitong.hub.queue.QueueConfig;
import io.huitong.hub.queue.QueueRoutes;
import io.huitong.hub.queue.QueueService;
import io.huitong.hub.ops.AuditEvent;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.ops.OperatorToken;
import io.huitong.hub.ops.OpsConfig;
import io.huitong.hub.ops.Readiness;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.signing.Signing;
import io.huitong.hub.signing.SigningConfig;
import io.huitong.hub.signing.SigningRoutes;
import io.huitong.hub.sso.Sso;
import io.huitong.hub.sso.SsoConfig;
import io.huitong.hub.sso.SsoRoutes;
import io.huitong.hub.storage.EmbeddedPostgresServer;
import io.huitong.hub.storage.Migrations;
import io.huitong.hub.storage.PgConfig;
import io.huitong.hub.storage.PgLocation;
import io.huitong.hub.storage.Storage;
import io.huitong.kioskbridge.BridgeConfig;
import io.huitong.kioskbridge.KioskBridge;
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
  private final ExchangeConfig exchangeConfig;
  private final ExchangeDefinitions exchangeDefinitions;
  private final ProxyConfig proxyConfig;
  private final ProxyDefinitions proxyDefinitions;
  private final FilesConfig filesConfig;
  private final IdentityConfig identityConfig;
  private final CasesConfig casesConfig;
  private final AppointmentsConfig appointmentsConfig;
  private final EvaluationConfig evaluationConfig;
  private final QueueConfig queueConfig;
  private final BridgeConfig bridgeConfig;
  private final SsoConfig ssoConfig;
  private final String memberName;

  private final Storage storage = new Storage();
  private final Bus bus = new Bus();
  private final List<HttpServerVerticle> servers = new CopyOnWriteArrayList<>();
  private final ExecutorService starters = Executors.newFixedThreadPool(2, r -> new Thread(r, "hub-starter"));
  private volatile DataDirectory dataDir;
  private volatile EmbeddedPostgresServer embeddedPg;
  private volatile EmbeddedKafkaBroker embeddedKafka;
  private volatile CompletableFuture<PgLocation> database;
  private volatile CompletableFuture<String> broker;
  private volatile Vertx vertx;
  private volatile Drain drain;
  private volatile AuditLog audit;
  private volatile Signing signing;
  private volatile Exchange exchange;
  private volatile DataProxy proxy;
  private volatile FileUploads files;
  private volatile Materials materials;
  private volatile Identity identity;
  private volatile Cases cases;
  private volatile Appointments appointments;
  private volatile Evaluations evaluations;
  private volatile QueueService queue;
  private volatile Devices devices;
  private volatile KioskBridge bridge;
  private volatile KioskQueries kioskQueries;
  private volatile Sso sso;
  private volatile boolean stopping;

  /**
   * @param exchangeDefinitions the exchange definitions file, read and checked with the configuration
   * @param proxyDefinitions    the proxy definitions file, likewise
   */
  public Hub(Config config, ExchangeDefinitions exchangeDefinitions, ProxyDefinitions proxyDefinitions) {
    this.config = config;
    this.node = NodeConfig.from(config);
    this.http = HttpConfig.from(config);
    this.pgConfig = PgConfig.from(config);
    this.busConfig = BusConfig.from(config);
    this.clusterConfig = ClusterConfig.from(config);
    this.exchangeConfig = ExchangeConfig.from(config);
    this.exchangeDefinitions = exchangeDefinitions;
    this.proxyConfig = ProxyConfig.from(config);
    this.proxyDefinitions = proxyDefinitions;
    this.filesConfig = FilesConfig.from(config);
    this.identityConfig = IdentityConfig.from(config);
    this.casesConfig = CasesConfig.from(config);
    this.appointmentsConfig = AppointmentsConfig.from(config);
    this.evaluationConfig = EvaluationConfig.from(config);
    this.queueConfig = QueueConfig.from(config);
    this.bridgeConfig = BridgeConfig.from(config);
    this.ssoConfig = SsoConfig.from(config);
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

  /**
   * Starts every part and returns once this member is ready; on failure, closes what had started. A {@link #stop()}
   * from another thread while this runs makes it give up at the next step.
   */
  public void start() throws StartupException {
    long began = System.nanoTime();
    try {
      dataDir = DataDirectory.acquire(node.dataDir());
      Secret token = OperatorToken.resolve(OpsConfig.from(config), dataDir.root());
      SigningConfig signingConfig = SigningConfig.from(config);
      MasterKey master = MasterKey.load(signingConfig, dataDir.root());
      if (pgConfig.embedded()) {
        // Before the port check: a server a crashed hub left behind still holds the embedded port.
        EmbeddedPostgresServer.stopLeftover(dataDir.resolve("pg"));
      }
      checkPorts();
      guardAgainstBrokerHalt();
      database = startDatabase();
      broker = startBroker();

      ClusterMembership cluster = ClusterMembership.create(clusterConfig, memberName);
      vertx = Vertx.clusteredVertx(vertxOptions(cluster)).await().atMost(COMPONENT_START_LIMIT);
      LOG.info("Network transport: {}", vertx.isNativeTransportEnabled() ? "native (epoll)"
          : "JDK NIO (" + vertx.getDelegate().unavailableNativeTransportCause() + ")");
      giveUpIfStopping();
      PrometheusMeterRegistry metrics = (PrometheusMeterRegistry) BackendRegistries.getDefaultNow();
      Problems problems = new Problems(metrics);
      drain = new Drain(problems);
      audit = AuditLog.create(storage, memberName);
      SystemRoutes system = new SystemRoutes(new Readiness(storage, bus, cluster, drain), metrics);
      AdminRoutes admin = new AdminRoutes(vertx, audit, token, config, http.maxBodySize());
      SigningRoutes signingRoutes = new SigningRoutes(vertx, () -> signing, http.maxBodySize());
      ExchangeRoutes exchangeRoutes = new ExchangeRoutes(() -> exchange, http.maxBodySize());
      ProxyRoutes proxyRoutes = new ProxyRoutes(() -> proxy, http.maxBodySize());
      FilesRoutes filesRoutes = new FilesRoutes(() -> files);
      MaterialsRoutes materialsRoutes = new MaterialsRoutes(() -> materials, http.maxBodySize());
      IdentityRoutes identityRoutes = new IdentityRoutes(() -> identity, http.maxBodySize());
      DevicesRoutes devicesRoutes = new DevicesRoutes(() -> devices, http.maxBodySize());
      CasesRoutes casesRoutes = new CasesRoutes(() -> cases, token, CitizenTokens.of(() -> sso, () -> identity),
          http.maxBodySize());
      AppointmentsRoutes appointmentsRoutes = new AppointmentsRoutes(() -> appointments, http.maxBodySize());
      EvaluationRoutes evaluationRoutes = new EvaluationRoutes(() -> evaluations, http.maxBodySize());
      SsoRoutes ssoRoutes = new SsoRoutes(() -> sso, http.maxBodySize());
      QueueRoutes queueRoutes = new QueueRoutes(() -> queue, audit, token, http.maxBodySize());
      int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
      io.vertx.core.Future<String> deployed = vertx.getDelegate().deployVerticle(() -> {
        // The router tries routes in the order they were added, a path with parameters by a regex match. Sign-on
        // comes right after the operator guard (admin, which its own admin routes need first), before the
        // capabilities with parameters: relying systems call its introspection and userinfo on each of their requests.
        HttpServerVerticle server = new HttpServerVerticle(http,
            v -> ApiRouter.create(v, problems, drain, List.of(system::mount, admin::mount, ssoRoutes::mount,
                signingRoutes::mount, exchangeRoutes::mount, proxyRoutes::mount, filesRoutes::mount,
                materialsRoutes::mount, identityRoutes::mount, casesRoutes::mount, appointmentsRoutes::mount,
                queueRoutes::mount, devicesRoutes::mount, evaluationRoutes::mount)), drain);
        servers.add(server);
        return server;
      }, new DeploymentOptions().setInstances(instances));
      deployed.toCompletionStage().toCompletableFuture().get(COMPONENT_START_LIMIT.toSeconds(), TimeUnit.SECONDS);
      LOG.info("HTTP listening on {}:{} ({} event loops); member {} joined cluster '{}'",
          http.host(), servers.get(0).actualPort(), instances, memberName, clusterConfig.name());

      PgLocation location = database.get(COMPONENT_START_LIMIT.toSeconds(), TimeUnit.SECONDS);
      giveUpIfStopping();
      Migrations.migrateAll(location);
      storage.open(vertx, location, pgConfig.poolSize());
      LOG.info("PostgreSQL {} migrated ({})", location.display(), String.join(", ", Migrations.CAPABILITIES));
      signing = Signing.start(vertx, storage, master, signingConfig);
      giveUpIfStopping();
      proxy = DataProxy.start(vertx, storage, master, cluster.manager().getHazelcastInstance(), proxyConfig,
          proxyDefinitions, metrics, problems, memberName).await().atMost(COMPONENT_START_LIMIT);
      giveUpIfStopping();
      UploadStore uploadStore = UploadStore.local(vertx, filesConfig.storeDirectory(dataDir.root()),
          master, filesConfig.encrypt());
      files = FileUploads.start(vertx, storage, uploadStore, filesConfig, memberName, master, proxy, token)
          .await().atMost(COMPONENT_START_LIMIT);
      materials = Materials.start(vertx, storage, uploadStore, signing, master, filesConfig, memberName,
          dataDir.resolve("exports")).await().atMost(COMPONENT_START_LIMIT);
      identity = Identity.start(vertx, storage, master, audit, identityConfig).await().atMost(COMPONENT_START_LIMIT);
      cases = Cases.start(vertx, storage, master, signing, audit, casesConfig, java.time.Clock.systemUTC())
          .await().atMost(COMPONENT_START_LIMIT);
      appointments = Appointments.start(vertx, storage, master, audit, appointmentsConfig, java.time.Clock.systemUTC(),
          memberName);
      evaluations = Evaluations.start(vertx, storage, master, audit, evaluationConfig, java.time.Clock.systemUTC())
          .await().atMost(COMPONENT_START_LIMIT);
      queue = QueueService.start(vertx, storage, master, queueConfig).await().atMost(COMPONENT_START_LIMIT);
      devices = Devices.start(vertx, storage, audit, cluster.manager().getHazelcastInstance())
          .await().atMost(COMPONENT_START_LIMIT);
      kioskQueries = KioskQueries.start(vertx, () -> proxy).await().atMost(COMPONENT_START_LIMIT);
      if (bridgeConfig.enabled()) {
        bridge = KioskBridge.deploy(vertx, bridgeConfig).await().atMost(COMPONENT_START_LIMIT);
        LOG.info("Kiosk bridge listening on {}:{}", bridgeConfig.host(), bridge.port());
      }
      sso = Sso.start(vertx, storage, master, audit, cluster.manager().getHazelcastInstance(), identity, ssoConfig)
          .await().atMost(COMPONENT_START_LIMIT);
      giveUpIfStopping();
      String bootstrap = broker.get(COMPONENT_START_LIMIT.toSeconds(), TimeUnit.SECONDS);
      exchange = Exchange.start(vertx, storage, signing, bootstrap, exchangeConfig, exchangeDefinitions, metrics, memberName);
      giveUpIfStopping();
      // Last: Kafka's readiness check answers from here on, so the hub reports ready once the exchange bus runs.
      bus.open(bootstrap, busConfig.embedded());

      long millis = Duration.ofNanos(System.nanoTime() - began).toMillis();
      audit.record(AuditEvent.system("hub.started", "ok", new JsonObject()
          .put("startMillis", millis).put("pid", ProcessHandle.current().pid()))).await().atMost(Duration.ofSeconds(30));
      LOG.info("Hub {} started in {} ms", memberName, millis);
    } catch (StartupException e) {
      closeAll();
      throw e;
    } catch (ExecutionException e) {
      closeAll();
      throw new StartupException(e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      closeAll();
      throw new StartupException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
    } finally {
      starters.shutdown();
    }
  }

  /** True once {@link #stop()} was asked for. */
  public boolean stopping() {
    return stopping;
  }

  private void giveUpIfStopping() throws StartupException {
    if (stopping) {
      throw new StartupException("stopped while starting");
    }
  }

  /**
   * Graceful stop: refuse new connections, let requests in flight finish within {@code http.drain-timeout}, record
   * the stop, then close the database pool, Kafka, the cluster membership and the embedded servers. Safe to call
   * more than once and after a failed start.
   */
  public void stop() {
    synchronized (this) {
      if (stopping) {
        return;
      }
      stopping = true;
    }
    quietly("draining HTTP", this::drainHttp);
    closeAll();
    LOG.info("Hub {} stopped", memberName);
  }

  private void drainHttp() {
    Drain drain = this.drain;
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
  }

  /**
   * Closes whatever has been opened, each part on its own so one failure does not keep the rest open. Waits first
   * for embedded servers still starting, so none is left running. Safe to call again.
   */
  private synchronized void closeAll() {
    Exchange ex = exchange;
    exchange = null;
    if (ex != null) {
      quietly("exchange bus", ex::stop);
    }
    Evaluations ev = evaluations;
    evaluations = null;
    if (ev != null) {
      quietly("evaluation", () -> ev.close().await().atMost(Duration.ofSeconds(10)));
    }
    KioskBridge kb = bridge;
    bridge = null;
    if (kb != null) {
      quietly("kiosk bridge", () -> kb.close().await().atMost(Duration.ofSeconds(10)));
    }
    KioskQueries kq = kioskQueries;
    kioskQueries = null;
    if (kq != null) {
      quietly("kiosk queries", () -> kq.close().await().atMost(Duration.ofSeconds(10)));
    }
    Devices dv = devices;
    devices = null;
    if (dv != null) {
      quietly("device registry", () -> dv.close().await().atMost(Duration.ofSeconds(10)));
    }
    Cases ca = cases;
    cases = null;
    if (ca != null) {
      quietly("cases", () -> ca.close().await().atMost(Duration.ofSeconds(10)));
    }
    Appointments ap = appointments;
    appointments = null;
    if (ap != null) {
      quietly("appointments", () -> ap.close().await().atMost(Duration.ofSeconds(10)));
    }
    QueueService qs = queue;
    queue = null;
    if (qs != null) {
      quietly("queue service", () -> qs.close().await().atMost(Duration.ofSeconds(10)));
    }
    Sso so = sso;
    sso = null;
    if (so != null) {
      quietly("sso", () -> so.close().await().atMost(Duration.ofSeconds(10)));
    }
    Identity id = identity;
    identity = null;
    if (id != null) {
      quietly("identity", () -> id.close().await().atMost(Duration.ofSeconds(10)));
    }
    Materials ma = materials;
    materials = null;
    if (ma != null) {
      quietly("materials", () -> ma.close().await().atMost(Duration.ofSeconds(10)));
    }
    FileUploads fu = files;
    files = null;
    if (fu != null) {
      quietly("file uploads", () -> fu.close().await().atMost(Duration.ofSeconds(10)));
    }
    DataProxy dp = proxy;
    proxy = null;
    if (dp != null) {
      quietly("data proxy", () -> dp.close().await().atMost(Duration.ofSeconds(30)));
    }
    quietly("database pool", () -> storage.close().await().atMost(Duration.ofSeconds(10)));
    quietly("Kafka admin client", bus::close);
    Vertx v = vertx;
    vertx = null;
    if (v != null) {
      quietly("Vert.x and the cluster membership", () -> v.close().await().atMost(Duration.ofSeconds(30)));
    }
    quietly("the embedded servers' start", this::awaitStarters);
    EmbeddedKafkaBroker kafka = embeddedKafka;
    embeddedKafka = null;
    if (kafka != null) {
      quietly("embedded Kafka", kafka::close);
    }
    EmbeddedPostgresServer pg = embeddedPg;
    embeddedPg = null;
    if (pg != null) {
      quietly("embedded PostgreSQL", pg::close);
    }
    DataDirectory dir = dataDir;
    dataDir = null;
    if (dir != null) {
      quietly("data directory lock", dir::close);
    }
  }

  private void awaitStarters() throws Exception {
    for (CompletableFuture<?> starting : java.util.Arrays.asList(database, broker)) {
      if (starting != null) {
        try {
          starting.get(COMPONENT_START_LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException failedToStart) {
          // nothing to close: start() reports the failure
        }
      }
    }
  }

  private CompletableFuture<PgLocation> startDatabase() {
    if (!pgConfig.embedded()) {
      return CompletableFuture.completedFuture(PgLocation.parse(pgConfig.url(), pgConfig.password()));
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        String password = SecretFile.readOrCreate(dataDir.resolve("pg-password"), () -> SecretFile.randomToken(24));
        embeddedPg = EmbeddedPostgresServer.start(dataDir.resolve("pg"), pgConfig.embeddedPort(),
            dataDir.resolve("logs").resolve("postgres.log"), password);
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
    if (bridgeConfig.enabled()) {
      Ports.requireFree(BridgeConfig.PORT, bridgeConfig.host(), bridgeConfig.port());
    }
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
        .setPreferNativeTransport(true)
        .setClusterManager(cluster.manager())
        .setEventBusOptions(new EventBusOptions().setHost(clusterConfig.host()).setClusterPublicHost(clusterConfig.host()))
        .setFileSystemOptions(new FileSystemOptions().setFileCacheDir(dataDir.resolve("vertx-cache").toString()))
        .setMetricsOptions(HubMetricsFactory.options(new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))));
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
