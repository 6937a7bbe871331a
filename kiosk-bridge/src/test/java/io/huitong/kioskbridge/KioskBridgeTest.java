package io.huitong.kioskbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The protocol against a real bridge on a real WebSocket, with {@link FakeQueue} standing in for the queue service
 * and the device registry on the event bus.
 */
class KioskBridgeTest {
  private static final int BUFFER = 5;
  private static final int MAX_REPLAY = 30;
  /** Shorter than the default, so the hung screen's test waits less; a reading test device closes well within it. */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
  private Vertx vertx;
  private FakeQueue queue;
  private KioskBridge bridge;
  private final List<TestDevice> devices = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    queue = new FakeQueue(vertx.getDelegate(), "hall-1");
    bridge = deploy(Duration.ofSeconds(60));
  }

  private KioskBridge deploy(Duration heartbeat) {
    return KioskBridge.deploy(vertx, new BridgeConfig(true, "127.0.0.1", 0, heartbeat, 2, BUFFER,
        MAX_REPLAY, Duration.ofSeconds(5), CLOSE_GRACE, 1)).await().atMost(Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() {
    devices.forEach(TestDevice::close);
    vertx.closeAndAwait();
  }

  private TestDevice hello(String id, Long lastSeq) throws Exception {
    return hello(id, lastSeq, 2);
  }

  private TestDevice hello(String id, Long lastSeq, Integer version) throws Exception {
    TestDevice device = TestDevice.hello(vertx.getDelegate(), bridge.port(), id, lastSeq, version);
    devices.add(device);
    return device;
  }

  /** A device new to the hall: hello without state, then its snapshot. */
  private TestDevice fresh(String id) throws Exception {
    TestDevice device = hello(id, null);
    device.expect("snapshot");
    return device;
  }

  private static List<Long> seqsOf(JsonObject eventsFrame) {
    return eventsFrame.getJsonArray("events").stream().map(e -> ((JsonObject) e).getLong("seq")).toList();
  }

  private static void heartbeat(TestDevice device) {
    device.send(new JsonObject().put("type", "heartbeat"));
  }

  /** The seqs of the next {@code n} hall events, whether they come one per frame or several in one. */
  private static List<Long> seqs(TestDevice device, int n) throws InterruptedException {
    List<Long> seqs = new ArrayList<>();
    while (seqs.size() < n) {
      JsonObject frame = device.next();
      if ("events".equals(frame.getString("type"))) {
        frame.getJsonArray("events").forEach(e -> seqs.add(((JsonObject) e).getLong("seq")));
      } else {
        assertEquals("event", frame.getString("type"), frame.encode());
        seqs.add(frame.getLong("seq"));
      }
    }
    return seqs;
  }

  /** Until the bridge has reported a device offline. */
  private void awaitOffline() throws InterruptedException {
    eventually("the bridge saw the screen go",
        () -> queue.presence.stream().anyMatch(p -> "offline".equals(p.getString("state"))));
  }

  private static List<Long> range(long from, long to) {
    List<Long> list = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      list.add(s);
    }
    return list;
  }

  private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " did not happen within 20 s");
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aDeviceWithoutStateGetsASnapshotThenEveryEventInOrder() throws Exception {
    queue.calls(2);
    TestDevice screen = hello("screen-1", null);
    assertEquals(2, screen.expect("snapshot").getLong("seq"));
    queue.calls(3);
    assertEquals(range(3, 5), seqs(screen, 3));
  }

  @Test
  void aSnapshotOlderThanTheFeedsBufferIsBroughtUpToDateFromTheLog() throws Exception {
    TestDevice first = fresh("screen-1");
    queue.calls(10);
    assertEquals(range(1, 10), seqs(first, 10));
    // Read before the last eight commits and answered after them: the feed's buffer (5) no longer reaches back.
    queue.snapshotSeqBehind = 8;
    TestDevice late = hello("screen-2", null);
    assertEquals(2, late.expect("snapshot").getLong("seq"));
    assertEquals(range(3, 10), seqs(late, 8));
    queue.calls(1);
    assertEquals(List.of(11L), seqs(late, 1), "live after catching up");
  }

  @Test
  void aReconnectingDeviceIsReplayedFromTheBuffer() throws Exception {
    TestDevice screen = fresh("screen-1");
    queue.calls(1);
    assertEquals(List.of(1L), seqs(screen, 1));
    screen.send(new JsonObject().put("type", "ack").put("seq", 1));
    screen.close();
    awaitOffline();
    queue.calls(3);
    TestDevice again = hello("screen-1", 1L);
    assertEquals(range(2, 4), seqs(again, 3));
  }

  @Test
  void aScreenOfflineDuring20CallsGetsAll20InOrderFromTheQueueLog() throws Exception {
    fresh("screen-2");
    TestDevice screen = fresh("screen-1");
    screen.close();
    queue.calls(20);
    TestDevice again = hello("screen-1", 0L);
    assertEquals(range(1, 20), seqsOf(again.expect("events")), "the twenty replayed in one frame");
    queue.calls(1);
    assertEquals(List.of(21L), seqs(again, 1));
  }

  @Test
  void aTransactionsEventsGoOutAsOneFrameAndAPartlyShownOneIsReplayedFromWhereTheDeviceStopped() throws Exception {
    TestDevice screen = fresh("screen-1");
    queue.publishTogether("ticket.called", "window.state", "queue.stats");
    JsonObject frame = screen.expect("events");
    assertEquals(3, frame.getLong("seq"));
    assertEquals(List.of("ticket.called", "window.state", "queue.stats"), frame.getJsonArray("events").stream()
        .map(e -> ((JsonObject) e).getString("type")).toList());
    // The page showed the first two before it went: it resumes with the third, alone.
    screen.send(new JsonObject().put("type", "ack").put("seq", 2));
    screen.close();
    awaitOffline();
    assertEquals(2L, queue.presence.stream().filter(p -> "offline".equals(p.getString("state"))).findFirst()
        .orElseThrow().getLong("ackedSeq"));
    TestDevice again = hello("screen-1", 2L);
    JsonObject third = again.expect("event");
    assertEquals(3, third.getLong("seq"));
    assertEquals("queue.stats", third.getJsonObject("event").getString("type"));
    queue.calls(1);
    assertEquals(List.of(4L), seqs(again, 1));
  }

  @Test
  void aDeviceOfVersion1GetsOneEventPerFrameLiveAndOnReplay() throws Exception {
    TestDevice older = hello("screen-1", null, null);
    older.expect("snapshot");
    TestDevice newer = hello("screen-2", null, 3);
    newer.expect("snapshot");
    queue.publishTogether("ticket.called", "window.state", "queue.stats");
    assertEquals(range(1, 3), seqsOf(newer.expect("events")));
    for (long seq = 1; seq <= 3; seq++) {
      assertEquals(seq, older.expect("event").getLong("seq"));
    }
    older.close();
    awaitOffline();
    queue.publishTogether("ticket.finished", "window.state", "queue.stats");
    assertEquals(range(4, 6), seqsOf(newer.expect("events")));
    TestDevice again = hello("screen-1", 3L, 1);
    for (long seq = 4; seq <= 6; seq++) {
      assertEquals(seq, again.expect("event").getLong("seq"));
    }
  }

  @Test
  void aDeviceWhoseSnapshotIsAheadOfTheFeedSkipsWhatItHasAndTakesTheSharedFrameAfter() throws Exception {
    TestDevice first = hello("screen-1", null);
    assertEquals(0, first.expect("snapshot").getLong("seq"));
    for (int i = 0; i < 3; i++) {
      queue.lose("ticket.taken");
    }
    // The hall's snapshot already holds seq 1 to 3; the bus has not delivered them to the bridge yet.
    TestDevice ahead = hello("screen-2", null);
    assertEquals(3, ahead.expect("snapshot").getLong("seq"));
    queue.deliverLate(1, 3);
    assertEquals(range(1, 3), seqsOf(first.expect("events")));
    queue.publishTogether("ticket.called", "window.state", "queue.stats");
    assertEquals(range(4, 6), seqsOf(first.expect("events")));
    assertEquals(range(4, 6), seqsOf(ahead.expect("events")), "nothing of 1 to 3 again, then the shared frame");
  }

  @Test
  void manyEventsFetchedAfterAGapGoOutInFramesOf32() throws Exception {
    TestDevice screen = fresh("screen-1");
    for (int i = 0; i < 40; i++) {
      queue.lose("ticket.taken");
    }
    queue.calls(1);
    assertEquals(range(1, 32), seqsOf(screen.expect("events")));
    assertEquals(range(33, 41), seqsOf(screen.expect("events")));
  }

  @Test
  void aSingleEventPublishedOnItsOwnIsTakenAsTheQueueOfAnEarlierVersionSendsIt() throws Exception {
    TestDevice screen = fresh("screen-1");
    queue.publishBare("ticket.taken");
    JsonObject frame = screen.expect("event");
    assertEquals(1, frame.getLong("seq"));
    assertEquals("ticket.taken", frame.getJsonObject("event").getString("type"));
  }

  @Test
  void afterTheHallsSnapshotFailsTheNextDeviceOfTheHallStartsAFreshFeed() throws Exception {
    queue.snapshotsToRefuse.set(1);
    BlockingQueue<JsonObject> toFirst = new LinkedBlockingQueue<>();
    WebSocket first = notAnsweringTheClose(toFirst);
    first.sendText(new JsonObject().put("type", "hello").put("deviceId", "screen-1").put("token", "token-screen-1")
        .encode(), true).get(10, TimeUnit.SECONDS);
    eventually("the snapshot refused", () -> queue.snapshotsRefused.get() == 1);
    // The first device's connection outlasts the failed feed by the close grace; the next one is not held by it.
    TestDevice next = hello("screen-2", null);
    assertEquals(0, next.expect("snapshot").getLong("seq"));
    queue.calls(1);
    assertEquals(List.of(1L), seqs(next, 1));
    first.request(2);
    assertEquals("challenge", toFirst.poll(20, TimeUnit.SECONDS).getString("type"));
    assertEquals(DeviceSession.UNAVAILABLE, toFirst.poll(20, TimeUnit.SECONDS).getString("code"));
    first.abort();
  }

  /**
   * A device on the JDK's WebSocket client that reads only what the test asks for: until then it does not answer the
   * bridge's close either, as a device that has hung.
   */
  private WebSocket notAnsweringTheClose(BlockingQueue<JsonObject> frames) throws Exception {
    return HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + bridge.port() + BridgeVerticle.WS_PATH), new WebSocket.Listener() {
          @Override
          public void onOpen(WebSocket ws) {
          }

          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence text, boolean last) {
            frames.add(new JsonObject(text.toString()));
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
  }

  @Test
  void aGapLargerThanMaxReplayGetsASnapshot() throws Exception {
    queue.calls(MAX_REPLAY + 5);
    TestDevice screen = hello("screen-1", 1L);
    assertEquals(MAX_REPLAY + 5, screen.expect("snapshot").getLong("seq"));
  }

  @Test
  void anEventTheBusLostIsFetchedFromTheLog() throws Exception {
    TestDevice screen = fresh("screen-1");
    queue.lose("ticket.taken");
    queue.calls(1);
    assertEquals(List.of(1L, 2L), seqs(screen, 2));
  }

  @Test
  void aWindowTerminalCallsNextAtItsOwnWindowAndTheScreenShowsIt() throws Exception {
    TestDevice screen = fresh("screen-1");
    TestDevice window = fresh("win-1");
    window.send(new JsonObject().put("type", "request").put("id", "r1").put("action", "call-next")
        .put("body", new JsonObject().put("hall", "another-hall").put("window", "w9")));
    JsonObject called = screen.expect("event").getJsonObject("event");
    assertEquals("ticket.called", called.getString("type"));
    assertEquals("w1", called.getString("window"));
    JsonObject command = queue.commands.get(0);
    assertEquals("hall-1", command.getString("hall"));
    assertEquals("w1", command.getString("window"));
    JsonObject reply = nextOf(window, "reply");
    assertTrue(reply.getBoolean("ok"));
    assertEquals("r1", reply.getString("id"));

    window.send(new JsonObject().put("type", "request").put("id", "r2").put("action", "recall"));
    JsonObject refused = nextOf(window, "reply");
    assertFalse(refused.getBoolean("ok"));
    assertEquals("HT-QUEUE-NOTHING-TO-RECALL", refused.getJsonObject("error").getString("code"));
  }

  private static JsonObject nextOf(TestDevice device, String type) throws InterruptedException {
    JsonObject frame;
    do {
      frame = device.next();
    } while (!type.equals(frame.getString("type")));
    return frame;
  }

  @Test
  void aScreenMayNotCall() throws Exception {
    TestDevice screen = hello("screen-1", null);
    screen.send(new JsonObject().put("type", "request").put("id", "r1").put("action", "call-next"));
    assertEquals("HT-KIOSK-FORBIDDEN", nextOf(screen, "reply").getJsonObject("error").getString("code"));
    assertTrue(queue.commands.isEmpty());
  }

  @Test
  void aWrongTokenIsRefusedAndClosed() throws Exception {
    assertRefusedAndClosed(new JsonObject().put("type", "hello").put("deviceId", "screen-1").put("token", "guess"),
        "HT-KIOSK-UNAUTHENTICATED");
  }

  /** A registry that cannot answer is not a refusal: the device is told to retry, not that its token is wrong. */
  @Test
  void aRegistryFailureIsUnavailableNotUnauthenticated() throws Exception {
    queue.registryDown = true;
    assertRefusedAndClosed(new JsonObject().put("type", "hello").put("deviceId", "screen-1").put("token",
        "token-screen-1"), "HT-KIOSK-UNAVAILABLE");
  }

  /** A new connection whose first frame is {@code first} is answered the error {@code code} and closed. */
  private void assertRefusedAndClosed(JsonObject first, String code) throws Exception {
    TestDevice device = TestDevice.connect(vertx.getDelegate(), bridge.port());
    devices.add(device);
    device.expect("challenge");
    device.send(first);
    assertEquals(code, device.expect("error").getString("code"));
    eventually("the bridge closed the connection", () -> device.closed);
  }

  @Test
  void theFirstFrameMustBeAHello() throws Exception {
    assertRefusedAndClosed(new JsonObject().put("type", "heartbeat"), "HT-KIOSK-HELLO-FIRST");
  }

  @Test
  void aFrameTheBridgeCannotReadBeforeTheHelloIsRefusedAndClosed() throws Exception {
    assertRefusedAndClosed(new JsonObject().put("type", "no-such-type"), "HT-KIOSK-UNKNOWN-TYPE");
  }

  @Test
  void aWebSocketOnAnotherPathIsRefusedBeforeTheUpgrade() throws Exception {
    io.vertx.core.http.HttpClient client = vertx.getDelegate().createHttpClient();
    try {
      var upgrade = client.webSocket(bridge.port(), "127.0.0.1", "/elsewhere").toCompletionStage().toCompletableFuture();
      ExecutionException refused = assertThrows(ExecutionException.class, () -> upgrade.get(10, TimeUnit.SECONDS));
      assertEquals(404, assertInstanceOf(UpgradeRejectedException.class, refused.getCause()).getStatus());
    } finally {
      client.close();
    }
  }

  @Test
  void aSilentDeviceIsClosedAndReportedOffline() throws Exception {
    bridge.close().await().atMost(Duration.ofSeconds(10));
    bridge = deploy(Duration.ofSeconds(1));
    TestDevice screen = hello("screen-1", null);
    heartbeat(screen);
    assertEquals("HT-KIOSK-HEARTBEAT-MISSED", nextOf(screen, "error").getString("code"));
    eventually("the bridge closed the connection", () -> screen.closed);
    eventually("the offline report", () -> queue.presence.stream()
        .anyMatch(p -> "heartbeat-missed".equals(p.getString("reason"))));
  }

  @Test
  void aScreenThatStopsReadingIsClosedAsSlowWhileTheOthersGetEveryEventOfTheSharedFrames() throws Exception {
    TestDevice reading = fresh("screen-1");
    TestDevice hung = fresh("screen-2");
    hung.pause();
    // 32 MiB in 32 KiB events: more than the loopback socket buffers of the hung screen and the bridge's write queue
    // hold. The reading screen takes each batch before the next is published, so it is never the slow one.
    JsonObject large = new JsonObject().put("note", "x".repeat(32 * 1024));
    for (long published = 0; published < 1024; published += 16) {
      for (int i = 0; i < 16; i++) {
        queue.publish("ticket.called", large);
      }
      assertEquals(range(published + 1, published + 16), seqs(reading, 16));
    }
    // It never reads the close frame either: the bridge drops the connection after the close grace.
    eventually("the hung screen reported offline", () -> queue.presence.stream().anyMatch(p ->
        "screen-2".equals(p.getString("deviceId")) && "offline".equals(p.getString("state"))));
    assertFalse(queue.presence.stream().anyMatch(p ->
        "screen-1".equals(p.getString("deviceId")) && "offline".equals(p.getString("state"))));

    // What the hung screen had been sent before the bridge gave up on it is gapless; then it is closed.
    hung.resume();
    eventually("the hung screen closed", () -> hung.closed);
    long last = 0;
    for (JsonObject frame; (frame = hung.frames.poll()) != null; ) {
      if ("error".equals(frame.getString("type"))) {
        assertEquals("HT-KIOSK-SLOW", frame.getString("code"));
        continue;
      }
      assertEquals("event", frame.getString("type"), "one event per transaction, one frame each");
      assertEquals(++last, frame.getLong("seq"));
    }
    assertTrue(last < 1024, "the bridge stopped sending to the hung screen: it got " + last);
    // Back, it is brought up to date: the gap is past max-replay, so with a snapshot.
    assertEquals(1024, hello("screen-2", last).expect("snapshot").getLong("seq"));
    queue.calls(1);
    assertEquals(List.of(1025L), seqs(reading, 1));
  }

  @Test
  void aDeviceThatAsksForSnapshotsAndReadsNoRepliesStopsBeingReadWhileOthersAreServed() throws Exception {
    bridge.close().await().atMost(Duration.ofSeconds(10));
    // Short heartbeats: a device the bridge no longer reads goes silent, and is closed, within seconds (two missed
    // intervals, 4 s: room for the other device's hello and snapshot on a busy machine).
    bridge = deploy(Duration.ofSeconds(2));
    // A hall of 40 windows: each snapshot is about 8 KiB, asked for with 60 bytes.
    for (int w = 1; w <= 40; w++) {
      queue.windows.add(new JsonObject().put("id", "w" + w).put("number", w).put("name", "Window " + w)
          .put("state", "serving").put("queues", new io.vertx.core.json.JsonArray().add("social-insurance"))
          .put("serving", new JsonObject().put("ticket", java.util.UUID.randomUUID().toString()).put("number", "A" + w))
          .put("note", "x".repeat(40)));
    }
    TestDevice flooder = fresh("screen-flood");
    flooder.pause();
    int asked = 20_000;
    for (int i = 0; i < asked; i++) {
      flooder.send(new JsonObject().put("type", "request").put("id", "s" + i).put("action", "snapshot"));
    }
    TestDevice other = fresh("kiosk-1");
    other.send(new JsonObject().put("type", "request").put("id", "mine").put("action", "snapshot"));
    assertEquals("mine", nextOf(other, "reply").getString("id"));
    eventually("the flooding screen reported offline", () -> queue.presence.stream().anyMatch(p ->
        "screen-flood".equals(p.getString("deviceId")) && "offline".equals(p.getString("state"))));
    int answered = queue.snapshotsAnswered.get();
    assertTrue(answered < asked / 10, "the bridge went on reading the requests of a device that read no replies: "
        + answered + " of " + asked + " answered");
  }

  @Test
  void telemetryReachesTheDeviceRegistry() throws Exception {
    TestDevice kiosk = hello("kiosk-1", null);
    kiosk.send(new JsonObject().put("type", "telemetry").put("paper", "low").put("faults", new io.vertx.core.json.JsonArray()));
    eventually("the telemetry", () -> !queue.telemetry.isEmpty());
    assertEquals("kiosk-1", queue.telemetry.get(0).getString("deviceId"));
    assertEquals("low", queue.telemetry.get(0).getString("paper"));
  }

  @Test
  void aKioskCallRingsTheOperatorAndTheAnswerReachesTheKiosk() throws Exception {
    TestDevice operator = hello("op-1", null);
    TestDevice kiosk = hello("kiosk-1", null);
    kiosk.send(new JsonObject().put("type", "request").put("id", "r1").put("action", "assist-call"));
    String callId = nextOf(kiosk, "reply").getJsonObject("body").getString("callId");
    JsonObject ringing = nextOf(operator, "assist");
    assertEquals("ringing", ringing.getString("event"));
    assertEquals("kiosk-1", ringing.getString("from"));
    operator.send(new JsonObject().put("type", "request").put("id", "a1").put("action", "assist-answer")
        .put("body", new JsonObject().put("callId", callId).put("to", "kiosk-1")));
    JsonObject answered = nextOf(kiosk, "assist");
    assertEquals("answered", answered.getString("event"));
    assertEquals(callId, answered.getString("callId"));
  }

  @Test
  void anOperatorThatReadsNoRelayedSignalsIsClosedAsSlowWhileTheKiosksAreServed() throws Exception {
    TestDevice operator = hello("op-1", null);
    operator.pause();
    // 16 kiosks, each within its own allowance, relay 38 MiB of WebRTC signalling: more than the operator's socket
    // buffers and write queue hold.
    JsonObject signal = new JsonObject().put("callId", "call-1").put("to", "op-1")
        .put("payload", new JsonObject().put("sdp", "x".repeat(60 * 1024)));
    for (int k = 0; k < 16; k++) {
      TestDevice kiosk = hello("kiosk-" + k, null);
      for (int i = 0; i < 40; i++) {
        kiosk.send(new JsonObject().put("type", "request").put("id", "s" + i).put("action", "assist-signal")
            .put("body", signal));
        assertTrue(nextOf(kiosk, "reply").getBoolean("ok"));
      }
    }
    eventually("the operator reported offline", () -> queue.presence.stream().anyMatch(p ->
        "op-1".equals(p.getString("deviceId")) && "offline".equals(p.getString("state"))));
    // What reached the operator's socket before the bridge gave up on it; the rest was dropped with the connection.
    operator.resume();
    eventually("the operator closed", () -> operator.closed);
    long relayed = operator.frames.stream().filter(f -> "assist".equals(f.getString("type"))).count();
    assertTrue(relayed < 640, "the bridge stopped relaying to the operator: it got " + relayed);
  }

  /**
   * A kiosk that floods its operator with signals has what is past its allowance refused; the operator stays
   * connected and gets exactly what was accepted. Telemetry past the allowance is dropped with an error.
   */
  @Test
  void aFloodingKioskIsRefusedPastItsAllowanceAndTheOperatorStays() throws Exception {
    TestDevice operator = hello("op-1", null);
    TestDevice kiosk = hello("kiosk-1", null);
    JsonObject signal = new JsonObject().put("callId", "call-1").put("to", "op-1")
        .put("payload", new JsonObject().put("candidate", "candidate:1 1 udp 2122260223 10.0.0.8 49152 typ host"));
    // All at once, so that the allowance refills by little while they are taken, however busy the machine.
    for (int i = 0; i < 100; i++) {
      kiosk.send(new JsonObject().put("type", "request").put("id", "s" + i).put("action", "assist-signal")
          .put("body", signal));
    }
    int accepted = 0;
    for (int i = 0; i < 100; i++) {
      JsonObject reply = nextOf(kiosk, "reply");
      if (reply.getBoolean("ok")) {
        accepted++;
      } else {
        assertEquals("HT-KIOSK-RATE-LIMITED", reply.getJsonObject("error").getString("code"));
      }
    }
    assertTrue(accepted >= 40 && accepted < 100, "the burst of 40 and what refilled while sending: " + accepted);
    for (int i = 0; i < accepted; i++) {
      assertEquals("signal", nextOf(operator, "assist").getString("event"));
    }
    assertFalse(operator.closed);

    Thread.sleep(2100);
    for (int i = 0; i < 100; i++) {
      kiosk.send(new JsonObject().put("type", "telemetry").put("paper", i % 2 == 0 ? "low" : "ok")
          .put("faults", new io.vertx.core.json.JsonArray()));
    }
    assertEquals("HT-KIOSK-RATE-LIMITED", nextOf(kiosk, "error").getString("code"));
    eventually("the allowed telemetry", () -> queue.telemetry.size() >= 40);
    Thread.sleep(200);
    assertTrue(queue.telemetry.size() < 100, "telemetry past the allowance dropped: " + queue.telemetry.size());
  }

  @Test
  void thePagesAreServedBesideTheWebSocket() throws Exception {
    io.vertx.core.http.HttpClient client = vertx.getDelegate().createHttpClient();
    for (String page : List.of("hall-screen.html", "window-terminal.html", "ticket-machine.html", "operator.html",
        "kiosk.js")) {
      int status = client.request(io.vertx.core.http.HttpMethod.GET, bridge.port(), "127.0.0.1", "/kiosk/" + page)
          .compose(request -> request.send()).map(io.vertx.core.http.HttpClientResponse::statusCode)
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(200, status, page);
    }
  }
}
