package io.huitong.hub.it;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A hall device on a real WebSocket to a hub's kiosk bridge (JDK client); frames it receives queue up. */
final class KioskDevice implements AutoCloseable {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  volatile boolean closed;
  private volatile boolean silent;
  private final WebSocket ws;
  private final java.util.concurrent.ScheduledExecutorService heart =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kiosk-device-heartbeat");
        t.setDaemon(true);
        return t;
      });

  private KioskDevice(int port) throws Exception {
    ws = CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              frames.add(new JsonObject(text.toString()));
              text.setLength(0);
            }
            socket.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            closed = true;
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    // A heartbeat a second keeps the device alive under any bridge.heartbeat-interval a test sets.
    heart.scheduleAtFixedRate(() -> {
      if (!silent && !closed) {
        send(new JsonObject().put("type", "heartbeat"));
      }
    }, 1, 1, TimeUnit.SECONDS);
  }

  /** Stops the heartbeats: the device goes silent, as one that lost power would. */
  void silent() {
    silent = true;
  }

  static KioskDevice connect(HubProcess hub) throws Exception {
    return new KioskDevice(hub.bridgePort());
  }

  /** Connects and says hello with a token; returns once welcomed. */
  static KioskDevice hello(HubProcess hub, String deviceId, String token) throws Exception {
    KioskDevice device = connect(hub);
    device.expect("challenge");
    device.send(new JsonObject().put("type", "hello").put("deviceId", deviceId).put("token", token));
    device.expect("welcome");
    return device;
  }

  synchronized void send(JsonObject frame) {
    ws.sendText(frame.encode(), true).join();
  }

  /** The next frame of {@code type}, skipping others (hall events, snapshots); fails after 30 s. */
  JsonObject expect(String type) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      JsonObject frame = frames.poll(1, TimeUnit.SECONDS);
      if (frame != null && type.equals(frame.getString("type"))) {
        return frame;
      }
    }
    throw new AssertionError("no " + type + " frame within 30 s");
  }

  @Override
  public void close() {
    heart.shutdownNow();
    if (!closed) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
  }
}
