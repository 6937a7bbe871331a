package io.huitong.connectors.simulator;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One simulator per test class on a free loopback port, and a client that talks to it over a real socket. */
abstract class SimulatorTestBase {
  static final Duration WAIT = Duration.ofSeconds(10);
  static Vertx vertx;
  static DepartmentSimulator simulator;
  static WebClient client;
  static int port;

  @BeforeAll
  static void startSimulator() {
    vertx = Vertx.vertx();
    simulator = DepartmentSimulator.create(vertx, SimulatorOptions.forTests());
    port = simulator.start(0).await().atMost(WAIT);
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  @AfterAll
  static void stopSimulator() {
    client.close();
    simulator.close().await().atMost(WAIT);
    vertx.close().await().atMost(WAIT);
  }

  static <T> T await(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }

  static HttpResponse<Buffer> get(String uri) {
    return await(client.get(uri).send());
  }

  /** The first person who holds a record of {@code department/query}, as the control API lists them. */
  static JsonObject someoneWith(String query) {
    return get("/_sim/people?has=" + query + "&limit=1").bodyAsJsonObject().getJsonArray("people").getJsonObject(0);
  }
}
