package io.huitong.hub.proxy;

import io.huitong.config.Secret;
import io.huitong.hub.http.HttpConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code huitong-hub audit verify}: asks the running hub to check the call audit chain
 * ({@code POST /api/v1/admin/proxy/audit/verify}) and prints its report. It goes through the hub rather than to the
 * database because the chain's key is derived from the master key the hub holds, and because the default
 * PostgreSQL is embedded in the hub's process and runs only while the hub does.
 */
public final class AuditCommand {
  public static final int EXIT_INTACT = 0;
  public static final int EXIT_BROKEN = 1;
  public static final int EXIT_UNREACHABLE = 3;
  /** Checking takes about a second per 50,000 records; a chain of tens of millions still fits. */
  private static final Duration LIMIT = Duration.ofMinutes(30);

  private AuditCommand() {
  }

  /** Prints the report; exit {@value #EXIT_INTACT} when intact, {@value #EXIT_BROKEN} with the broken seq otherwise. */
  public static int verify(HttpConfig http, Secret operatorToken, PrintStream out, PrintStream err) {
    String host = http.host().equals("0.0.0.0") ? "127.0.0.1" : http.host();
    URI uri = URI.create("http://" + host + ":" + http.port() + "/api/v1/admin/proxy/audit/verify");
    HttpResponse<String> response;
    try {
      response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
          HttpRequest.newBuilder(uri).timeout(LIMIT).header("Authorization", "Bearer " + operatorToken.reveal())
              .POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      err.println("huitong: the hub does not answer at " + uri + " (start it with scripts/hub start): " + e);
      return EXIT_UNREACHABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EXIT_UNREACHABLE;
    }
    JsonObject report;
    try {
      report = new JsonObject(response.body());
    } catch (DecodeException e) {
      report = null;
    }
    if (response.statusCode() != 200 || report == null) {
      err.println("huitong: the hub answered " + response.statusCode() + " to " + uri + ": " + response.body());
      return EXIT_UNREACHABLE;
    }
    out.println(report.encodePrettily());
    if (report.getBoolean("ok", false)) {
      out.println("call audit intact: " + report.getLong("checked") + " records checked");
      return EXIT_INTACT;
    }
    JsonObject broken = report.getJsonObject("firstBroken");
    err.println("call audit broken at seq " + broken.getLong("seq") + ": " + broken.getString("problem") + " ("
        + report.getLong("checked") + " records intact before it)");
    return EXIT_BROKEN;
  }
}
