package io.huitong.kioskbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A device on a real WebSocket: frames it receives queue up for the test to take. */
final class TestDevice implements AutoCloseable {
  final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  volatile boolean closed;
  private final WebSocket ws;

  private TestDevice(WebSocket ws) {
    this.ws = ws;
    ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
    ws.closeHandler(v -> closed = true);
  }

  static TestDevice connect(Vertx vertx, int port) throws Exception {
    HttpClient client = vertx.createHttpClient();
    // Handlers set as the connection completes, on its event loop, so that no frame arrives before them.
    return client.webSocket(port, "127.0.0.1", BridgeVerticle.WS_PATH).map(TestDevice::new).toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Connects, takes the challenge and says hello as a device of protocol {@code version}; returns once welcomed. */
  static TestDevice hello(Vertx vertx, int port, String deviceId, Long lastSeq, Integer version) throws Exception {
    TestDevice device = connect(vertx, port);
    device.expect("challenge");
    device.send(new JsonObject().put("type", "hello").put("deviceId", deviceId).put("token", "token-" + deviceId)
        .put("lastSeq", lastSeq).put("version", version));
    assertEquals(version == null ? 1 : Math.min(version, 2), device.expect("welcome").getInteger("version"));
    return device;
  }

  void send(JsonObject frame) {
    ws.writeTextMessage(frame.encode());
  }

  JsonObject next() throws InterruptedException {
    JsonObject frame = frames.poll(20, TimeUnit.SECONDS);
    assertNotNull(frame, "no frame within 20 s");
    return frame;
  }

  JsonObject expect(String type) throws InterruptedException {
    JsonObject frame = next();
    assertEquals(type, frame.getString("type"), frame.encode());
    return frame;
  }

  /** Stops reading: what the bridge sends piles up in the sockets' buffers, as with a device that hangs. */
  void pause() {
    ws.pause();
  }

  void resume() {
    ws.resume();
  }

  @Override
  public void close() {
    ws.close();
  }
}
