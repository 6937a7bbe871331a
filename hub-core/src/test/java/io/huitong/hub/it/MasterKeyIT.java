package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private keys are sealed under the master key: they survive restarts with it, and a hub given another master key
 * refuses to start rather than fail on every signature later. The key never lands in the database.
 */
class MasterKeyIT {
  private static final String MASTER = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes());
  private static final String OTHER = Base64.getEncoder().encodeToString("fedcba9876543210".getBytes());

  private static HttpResponse<String> post(HubProcess hub, String path, JsonObject body) throws Exception {
    return hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/admin" + path))
        .header("Authorization", "Bearer " + hub.token()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  @Test
  void keysSurviveARestartUnderTheSameMasterKeyOnly(@TempDir Path dir) throws Exception {
    HubProcess first = HubProcess.embedded(dir, "master-key");
    first.env.put("HUB_SIGNING_MASTER_KEY", MASTER);
    String keyId;
    String data = Base64.getEncoder().encodeToString("receipt".getBytes());
    try (HubProcess hub = first.start()) {
      hub.awaitReady(Duration.ofSeconds(90));
      keyId = new JsonObject(post(hub, "/keys", new JsonObject()).body()).getString("keyId");
      hub.sigterm();
      assertEquals(0, hub.awaitExit(Duration.ofSeconds(60)));
    }
    assertFalse(Files.exists(first.dataDir().resolve("master.key")), "a configured master key is not written to disk");

    try (HubProcess hub = first.again().start()) {
      hub.awaitReady(Duration.ofSeconds(90));
      HttpResponse<String> signed = post(hub, "/sign", new JsonObject().put("keyId", keyId).put("data", data));
      assertEquals(200, signed.statusCode(), signed.body());
      hub.sigterm();
      assertEquals(0, hub.awaitExit(Duration.ofSeconds(60)));
    }

    HubProcess wrong = first.again();
    wrong.env.put("HUB_SIGNING_MASTER_KEY", OTHER);
    try (HubProcess hub = wrong.start()) {
      assertEquals(1, hub.awaitExit(Duration.ofSeconds(90)), hub.stderr());
      assertTrue(hub.stderr().contains("signing.master-key: the master key is not the one this database's keys are sealed with"),
          hub.stderr());
    }
  }
}
