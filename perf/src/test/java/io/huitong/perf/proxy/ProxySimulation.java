package io.huitong.perf.proxy;

import static io.gatling.javaapi.core.CoreDsl.bodyLength;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.huitong.consumer.ConsumerSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GETs of a ~10 KB JSON document through a proxy, in one of two models, after a warm-up of the same model:
 * <ul>
 *   <li>{@code closed}: {@code proxy.users} virtual users (default 1000), each on its own keep-alive connection,
 *   calling one after the other for {@code proxy.duration} seconds: the peak throughput at that concurrency;</li>
 *   <li>{@code open}: {@code proxy.rate} new calls a second whatever the answers' pace, over a shared connection
 *   pool, for {@code proxy.duration} seconds: the latency at that arrival rate. Should more than {@code proxy.users}
 *   calls be in flight at once five times over, the proxy is not keeping up: the run stops early (see {@link #bounded}).</li>
 * </ul>
 * Requests of the warm-up are named {@code warm-up}, those measured {@code document}, so the report keeps them apart.
 * With {@code proxy.appKey} and {@code proxy.appSecret} set, every request is signed as a consumer signs it
 * ({@link ConsumerSignature}: fresh timestamp and nonce each time); without them, requests go unsigned.
 *
 * <p>System properties: {@code proxy.baseUrl} (required, e.g. {@code http://127.0.0.1:8080}), {@code proxy.path}
 * (default the hub's {@code /api/v1/services/bench.document}), {@code proxy.mode}, {@code proxy.users},
 * {@code proxy.rate}, {@code proxy.duration} (default 30), {@code proxy.warmup} (seconds, default 10),
 * {@code proxy.ids} (documents are asked for by a random id from 1 to this, default 100000), {@code proxy.markers}
 * (a directory: the files {@code measured-start} and {@code measured-end} appear there, holding the epoch
 * milliseconds, when the first measured call starts and when the run ends, so a script can sample CPU over just that
 * window; {@code overloaded} when an open run stops early). perf/proxy.sh runs it, once per proxy and model.
 */
public final class ProxySimulation extends Simulation {
  private static final String BASE_URL = required("proxy.baseUrl");
  private static final String PATH = System.getProperty("proxy.path", "/api/v1/services/bench.document");
  private static final String MODE = System.getProperty("proxy.mode", "closed");
  private static final int USERS = Integer.getInteger("proxy.users", 1000);
  private static final double RATE = Double.parseDouble(System.getProperty("proxy.rate", "0"));
  private static final Duration DURATION = Duration.ofSeconds(Integer.getInteger("proxy.duration", 30));
  private static final Duration WARMUP = Duration.ofSeconds(Integer.getInteger("proxy.warmup", 10));
  private static final int IDS = Integer.getInteger("proxy.ids", 100_000);
  private static final String APP_KEY = System.getProperty("proxy.appKey", "");
  private static final String APP_SECRET = System.getProperty("proxy.appSecret", "");
  private static final String MARKERS = System.getProperty("proxy.markers", "");
  private static final AtomicBoolean MEASURING = new AtomicBoolean();
  private static final AtomicBoolean OVERLOADED = new AtomicBoolean();
  private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
  /**
   * Five times the closed model's connections: far beyond what a proxy keeping up needs (nginx at half its peak has
   * a few dozen calls in flight), well above what a stall of the load generator's own (a GC, the scheduler) leaves
   * behind for a moment, and well below the file descriptors of either side.
   */
  private static final int IN_FLIGHT_LIMIT = 5 * USERS;
  /** The simulator's document is about 10 KB; anything much shorter is not it, whatever the status. */
  private static final int MIN_BODY = 8_000;

  {
    boolean open = switch (MODE) {
      case "open" -> true;
      case "closed" -> false;
      default -> throw new IllegalArgumentException("proxy.mode must be closed or open, not " + MODE);
    };
    if (open && !(RATE > 0)) {
      throw new IllegalArgumentException("proxy.mode open needs proxy.rate, calls a second");
    }
    HttpProtocolBuilder protocol = http.baseUrl(BASE_URL)
        .acceptHeader("application/json")
        // Gatling's warm-up request goes to a host on the internet; ours comes from the warm-up phase.
        .disableWarmUp()
        .disableCaching();
    PopulationBuilder warmUp;
    PopulationBuilder measured;
    if (open) {
      // One call per virtual user: without a shared pool each would open (and leave in TIME_WAIT) a connection.
      protocol = protocol.shareConnections();
      // Ramped: Gatling's own JIT and the shared pool need a moment; a cold start at full rate builds a backlog
      // that the pool answers with more connections, which only slows everything further.
      warmUp = scenario("warm-up").exec(bounded(call("warm-up")))
          .injectOpen(rampUsersPerSec(RATE / 10).to(RATE).during(WARMUP));
      measured = scenario("measured").exec(ProxySimulation::markStart).exec(bounded(call("document")))
          .injectOpen(constantUsersPerSec(RATE).during(DURATION));
    } else {
      warmUp = looping("warm-up", WARMUP).injectClosed(constantConcurrentUsers(USERS).during(WARMUP));
      measured = looping("measured", DURATION).injectClosed(constantConcurrentUsers(USERS).during(DURATION));
    }
    setUp(warmUp.andThen(measured))
        .protocols(protocol)
        .assertions(details("document").responseTime().percentile(50.0).gte(0),
            details("document").responseTime().percentile(95.0).gte(0),
            details("document").responseTime().percentile(99.0).gte(0),
            details("document").responseTime().max().gte(0),
            details("document").successfulRequests().count().gte(0L),
            details("document").failedRequests().count().gte(0L))
        .maxDuration(WARMUP.plus(DURATION).plusSeconds(60));
  }

  /**
   * The open model's guard. The shared pool opens a connection for every call while all are busy, so a proxy slower
   * than the arrival rate would see connections pile up until file descriptors run out on one side or the other.
   * Past {@link #IN_FLIGHT_LIMIT} calls in flight in the measured phase the proxy is not keeping up with the rate (its
   * latency grows without bound): the run stops there and leaves an {@code overloaded} marker saying when.
   */
  private static ChainBuilder bounded(ChainBuilder call) {
    return exec(session -> {
      // Judged in the measured phase only: the warm-up's ramp may leave a backlog that a keeping-up proxy clears.
      if (IN_FLIGHT.incrementAndGet() > IN_FLIGHT_LIMIT && MEASURING.get() && OVERLOADED.compareAndSet(false, true)) {
        mark("overloaded");
      }
      return session;
    }).stopLoadGeneratorIf(session -> "more than " + IN_FLIGHT_LIMIT + " calls in flight: the proxy does not keep up with "
        + RATE + " calls a second", session -> OVERLOADED.get())
        .exec(call)
        .exec(session -> {
          IN_FLIGHT.decrementAndGet();
          return session;
        });
  }

  private static ScenarioBuilder looping(String name, Duration duration) {
    String request = name.equals("warm-up") ? "warm-up" : "document";
    ScenarioBuilder scenario = scenario(name);
    if (request.equals("document")) {
      scenario = scenario.exec(ProxySimulation::markStart);
    }
    return scenario.during(duration).on(call(request));
  }

  /** One GET of a random document, signed when an app key is set. */
  private static ChainBuilder call(String name) {
    HttpRequestActionBuilder get = http(name).get("#{uri}")
        // Any status passes the status check so that a refusal fails on its problem document's code instead, which
        // Gatling's error summary then shows (the hub's codes say why: HT-UPSTREAM-TIMEOUT, HT-NOT-READY, ...).
        .check(status().saveAs("status"))
        .checkIf((response, session) -> response.status().code() != 200).then(jmesPath("code").is("none"))
        .checkIf((response, session) -> response.status().code() == 200).then(bodyLength().gte(MIN_BODY));
    if (APP_KEY.isEmpty()) {
      return exec(ProxySimulation::pickDocument).exec(get);
    }
    return exec(session -> sign(pickDocument(session)))
        .exec(get.header(ConsumerSignature.APP_KEY, APP_KEY)
            .header(ConsumerSignature.TIMESTAMP, "#{timestamp}")
            .header(ConsumerSignature.NONCE, "#{nonce}")
            .header(ConsumerSignature.SIGNATURE, "#{signature}"));
  }

  private static Session pickDocument(Session session) {
    return session.set("uri", PATH + "?id=" + ThreadLocalRandom.current().nextInt(1, IDS + 1));
  }

  /** The path and query are signed exactly as sent; a GET has an empty body. */
  private static Session sign(Session session) {
    Map<String, String> headers = ConsumerSignature.headers(APP_KEY, APP_SECRET, "GET", session.getString("uri"), new byte[0]);
    return session.set("timestamp", headers.get(ConsumerSignature.TIMESTAMP))
        .set("nonce", headers.get(ConsumerSignature.NONCE))
        .set("signature", headers.get(ConsumerSignature.SIGNATURE));
  }

  @Override
  public void after() {
    mark("measured-end");
  }

  private static Session markStart(Session session) {
    if (MEASURING.compareAndSet(false, true)) {
      mark("measured-start");
    }
    return session;
  }

  private static void mark(String name) {
    if (MARKERS.isEmpty()) {
      return;
    }
    try {
      Files.writeString(Path.of(MARKERS, name), Long.toString(System.currentTimeMillis()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String required(String property) {
    String value = System.getProperty(property, "");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("Set -D" + property);
    }
    return value;
  }
}
