package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.hub.Eventually;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness is 503 while any component is not up, and says which. Here the configured Kafka cluster does not
 * answer (nothing listens at its address): the member serves, is alive, and is not ready, and says so per component.
 */
class ReadinessIT {

  @Test
  void memberWhoseKafkaDoesNotAnswerIsLiveButNotReady(@TempDir Path dir) throws Exception {
    try (HubProcess hub = HubProcess.embedded(dir, "no-kafka")) {
      int[] nothingListens = HubProcess.freePorts(1);
      hub.env.remove("HUB_KAFKA_EMBEDDED_PORT");
      hub.env.remove("HUB_KAFKA_EMBEDDED_CONTROLLER_PORT");
      hub.env.put("HUB_KAFKA_BOOTSTRAP", "127.0.0.1:" + nothingListens[0]);
      hub.start();

      Eventually.holds("the database is up and Kafka has been found not to answer", Duration.ofSeconds(60), () -> {
        JsonObject components = new JsonObject(hub.get("/health/ready").body()).getJsonObject("components");
        return "UP".equals(components.getJsonObject("postgres").getString("status"))
            && "DOWN".equals(components.getJsonObject("kafka").getString("status"));
      });
      assertEquals(200, hub.get("/health/live").statusCode());
      HttpResponse<String> ready = hub.get("/health/ready");
      assertEquals(503, ready.statusCode(), ready.body());
      JsonObject body = new JsonObject(ready.body());
      assertEquals("DOWN", body.getString("status"));
      JsonObject components = body.getJsonObject("components");
      assertEquals("DOWN", components.getJsonObject("kafka").getString("status"));
      assertEquals("UP", components.getJsonObject("cluster").getString("status"));
      assertTrue(!ready.body().contains("127.0.0.1"), "public readiness does not disclose addresses: " + ready.body());

      hub.sigterm();
      assertEquals(0, hub.awaitExit(Duration.ofSeconds(60)), hub.stderr());
    }
  }
}
