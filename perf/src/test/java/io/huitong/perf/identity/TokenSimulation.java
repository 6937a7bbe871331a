package io.huitong.perf.identity;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;

/**
 * Token requests of an OpenID Connect provider in a closed model, one provider per run (Huitong or Keycloak): each of
 * {@code token.users} virtual users holds its own session's tokens (a line {@code <access>,<refresh>} of the
 * {@code token.tokens} file, after its header line {@code access,refresh}) and calls back to back, first for
 * {@code token.warmup} seconds (default 10), then measured for {@code token.duration} seconds (default 30):
 * <ul>
 *   <li>{@code refresh}: {@code POST token.endpoint} {@code grant_type=refresh_token} (RFC 6749 6), client
 *   authenticated with HTTP Basic; the refresh token the answer carries replaces the user's (rotation);</li>
 *   <li>{@code introspect}: {@code POST token.endpoint} {@code token=<access token>} (RFC 7662), client
 *   authenticated with HTTP Basic; a success is {@code "active": true};</li>
 *   <li>{@code userinfo}: {@code GET token.endpoint} with {@code Authorization: Bearer <access token>} (OIDC Core 5.3);
 *   a success has {@code sub}.</li>
 * </ul>
 * The same access token is verified again and again, so introspection and userinfo measure the provider's
 * verified-token path (its cache, where it has one). Outcomes by status go to {@code token.summary} ({@link Outcomes}).
 *
 * <p>System properties: {@code token.endpoint}, {@code token.mode}, {@code token.tokens}, {@code token.users}
 * (required); {@code token.clientId} and {@code token.clientSecret} (refresh and introspect); the others above.
 */
public final class TokenSimulation extends Simulation {
  private static final String ENDPOINT = Settings.required("token.endpoint");
  private static final String MODE = Settings.required("token.mode");
  private static final String TOKENS = Settings.required("token.tokens");
  private static final int USERS = Integer.parseInt(Settings.required("token.users"));
  private static final String CLIENT_ID = System.getProperty("token.clientId", "");
  private static final String CLIENT_SECRET = System.getProperty("token.clientSecret", "");
  private static final Duration DURATION = Duration.ofSeconds(Integer.getInteger("token.duration", 30));
  private static final Duration WARMUP = Duration.ofSeconds(Integer.getInteger("token.warmup", 10));
  private static final Outcomes OUTCOMES = new Outcomes();

  {
    setUp(scenario(MODE).feed(csv(TOKENS).queue())
        .during(WARMUP).on(call("warm-up"))
        .during(DURATION).on(exec(Outcomes::started).exec(call(MODE)).exec(OUTCOMES::record))
        .injectOpen(atOnceUsers(USERS)))
        .protocols(http.disableWarmUp().disableCaching().acceptHeader("application/json"))
        .maxDuration(WARMUP.plus(DURATION).plusSeconds(120));
  }

  private static ChainBuilder call(String name) {
    HttpRequestActionBuilder request = switch (MODE) {
      case "refresh" -> http(name).post(ENDPOINT).basicAuth(CLIENT_ID, CLIENT_SECRET)
          .formParam("grant_type", "refresh_token").formParam("refresh_token", "#{refresh}")
          .check(status().saveAs("status"), responseTimeInMillis().saveAs("rt"),
              jmesPath("refresh_token").optional().saveAs("refresh"),
              jmesPath("access_token").optional().saveAs("valid"));
      case "introspect" -> http(name).post(ENDPOINT).basicAuth(CLIENT_ID, CLIENT_SECRET)
          .formParam("token", "#{access}")
          .check(status().saveAs("status"), responseTimeInMillis().saveAs("rt"),
              jmesPath("active").ofBoolean().optional().saveAs("valid"));
      case "userinfo" -> http(name).get(ENDPOINT).header("Authorization", "Bearer #{access}")
          .check(status().saveAs("status"), responseTimeInMillis().saveAs("rt"),
              jmesPath("sub").optional().saveAs("valid"));
      default -> throw new IllegalArgumentException("token.mode is refresh, introspect or userinfo, not " + MODE);
    };
    return exec(request);
  }

  @Override
  public void after() {
    OUTCOMES.write(System.getProperty("token.summary", ""));
  }
}
