package io.huitong.perf.identity;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CoreDsl;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * An open-model login burst: {@code identity.rate} new logins a second for {@code identity.duration} seconds
 * (default 10), each {@code POST /api/v1/identity/login} with an account of the credentials file (CSV
 * {@code login,password} after a header, as {@code huitong-hub identity generate} writes it; drawn at random), whatever the pace
 * of the answers. Before it, a warm-up at {@code identity.warmupRate} (default a quarter of the rate) for
 * {@code identity.warmup} seconds (default 5; 0: none) lets the hub's JIT compile the path and Gatling's own JVM
 * start; the warm-up has drained before the burst starts. The burst's outcomes by status (200, 503, ...) go to {@code identity.summary} ({@link Outcomes}).
 *
 * <p>System properties: {@code identity.baseUrl} (required), {@code identity.credentials} (required),
 * {@code identity.rate} (required), the others above. perf/identity.sh runs it.
 */
public final class LoginSimulation extends Simulation {
  private static final String BASE_URL = Settings.required("identity.baseUrl");
  private static final String CREDENTIALS = Settings.required("identity.credentials");
  private static final double RATE = Double.parseDouble(Settings.required("identity.rate"));
  private static final Duration DURATION = Duration.ofSeconds(Integer.getInteger("identity.duration", 10));
  private static final Duration WARMUP = Duration.ofSeconds(Integer.getInteger("identity.warmup", 5));
  private static final double WARMUP_RATE = Double.parseDouble(System.getProperty("identity.warmupRate",
      Double.toString(Math.max(1, RATE / 4))));
  private static final Outcomes OUTCOMES = new Outcomes();
  private static final String[] LINES = lines(CREDENTIALS);

  {
    if (!(RATE > 0)) {
      throw new IllegalArgumentException("identity.rate must be positive");
    }
    PopulationBuilder burst = scenario("burst").exec(login("login", true))
        .injectOpen(constantUsersPerSec(RATE).during(DURATION));
    setUp(WARMUP.isZero() ? burst : scenario("warm-up").exec(login("warm-up", false))
            .injectOpen(constantUsersPerSec(WARMUP_RATE).during(WARMUP)).andThen(burst))
        .protocols(http.baseUrl(BASE_URL).contentTypeHeader("application/json").acceptHeader("application/json")
            .disableWarmUp().disableCaching().shareConnections())
        .maxDuration(WARMUP.plus(DURATION).plusSeconds(120));
  }

  private static ChainBuilder login(String name, boolean measured) {
    ChainBuilder chain = CoreDsl.feed(LoginSimulation::randomAccounts).exec(Outcomes::started)
        .exec(http(name).post("/api/v1/identity/login")
            .body(StringBody("{\"login\": \"#{login}\", \"password\": \"#{password}\"}"))
            // Every status is an outcome to count, not a failure of the run: see Outcomes.
            .check(status().saveAs("status"), responseTimeInMillis().saveAs("rt"),
                jmesPath("id").optional().saveAs("valid")));
    return measured ? chain.exec(OUTCOMES::record) : chain;
  }

  /**
   * Accounts drawn at random from the whole file, for ever. Gatling's csv feeder would hold a million maps; the
   * lines alone are a few dozen MB.
   */
  private static Iterator<Map<String, Object>> randomAccounts() {
    return Stream.generate(() -> {
      String[] fields = LINES[ThreadLocalRandom.current().nextInt(LINES.length)].split(",", 2);
      return Map.<String, Object>of("login", fields[0], "password", fields[1]);
    }).iterator();
  }

  private static String[] lines(String file) {
    try (Stream<String> lines = Files.lines(Path.of(file))) {
      String[] all = lines.skip(1).filter(l -> !l.isBlank()).toArray(String[]::new);
      if (all.length == 0) {
        throw new IllegalArgumentException(file + " lists no account");
      }
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void after() {
    OUTCOMES.write(System.getProperty("identity.summary", ""));
  }
}
