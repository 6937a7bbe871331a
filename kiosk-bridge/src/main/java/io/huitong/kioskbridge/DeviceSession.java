package io.huitong.kioskbridge;

import io.huitong.kiosk.DeviceKind;
import io.huitong.kiosk.KioskCodec;
import io.huitong.kiosk.KioskMessage;
import io.huitong.kiosk.KioskMessage.Ack;
import io.huitong.kiosk.KioskMessage.Challenge;
import io.huitong.kiosk.KioskMessage.CommandResult;
import io.huitong.kiosk.KioskMessage.Heartbeat;
import io.huitong.kiosk.KioskMessage.Hello;
import io.huitong.kiosk.KioskMessage.Request;
import io.huitong.kiosk.KioskMessage.Snapshot;
import io.huitong.kiosk.KioskMessage.Telemetry;
import io.huitong.kiosk.KioskMessage.Welcome;
import io.huitong.kiosk.KioskProtocolException;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.WebSocketInternal;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.http.ServerWebSocket;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's WebSocket: challenge, hello, then hall events in sequence, heartbeats, telemetry, requests and
 * commands. Runs on its verticle's event loop only; {@link #deliver} may be called from elsewhere and hops over.
 *
 * <p>Every hall event goes out exactly once per connection and in order: {@link #sentSeq} is the last one sent, a
 * snapshot moves it to the snapshot's seq, and while the session catches up from the queue service's log it takes
 * nothing from the live feed.
 */
final class DeviceSession {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceSession.class);
  static final String UNAUTHENTICATED = "HT-KIOSK-UNAUTHENTICATED";
  static final String HELLO_FIRST = "HT-KIOSK-HELLO-FIRST";
  static final String FORBIDDEN = "HT-KIOSK-FORBIDDEN";
  static final String HEARTBEAT_MISSED = "HT-KIOSK-HEARTBEAT-MISSED";
  static final String REPLACED = "HT-KIOSK-REPLACED";
  static final String SLOW = "HT-KIOSK-SLOW";
  static final String UNAVAILABLE = "HT-KIOSK-UNAVAILABLE";
  static final String TIMEOUT = "HT-KIOSK-TIMEOUT";
  static final String REVOKED = "HT-KIOSK-REVOKED";
  static final String RATE_LIMITED = "HT-KIOSK-RATE-LIMITED";

  /**
   * Requests forwarded and not answered yet past which the device's frames are not read: one request is about 60 bytes
   * and its reply (a snapshot) several KiB, so a device may not ask faster than it is answered.
   */
  private static final int MAX_PENDING_REQUESTS = 16;
  /**
   * What a device sends that costs others and is not paced by waiting for an answer (telemetry and command results,
   * written to the registry; remote-assistance frames, passed straight to another device) is allowed at this rate,
   * with this burst. Past it the frame is refused, so one faulty or hostile kiosk can neither load the registry's
   * database nor get the operator consoles it floods closed as slow readers.
   */
  private static final double UNPACED_PER_SECOND = 20;
  private static final double UNPACED_BURST = 40;
  private static final String UNPACED_REFUSAL = "more than " + (int) UNPACED_PER_SECOND
      + " telemetry, command-result and assistance frames a second: this one was dropped";
  /** The challenge's nonce is what a device signs to prove its key: it must not be predictable from earlier ones. */
  private static final SecureRandom NONCES = new SecureRandom();

  private enum State { CHALLENGED, AUTHENTICATING, LIVE, CLOSED }

  private final BridgeVerticle bridge;
  private final ServerWebSocket ws;
  private final Context context;
  private final String nonce;
  private State state = State.CHALLENGED;
  private Device device;
  private HallFeed feed;
  private long lastHeard = System.nanoTime();
  private long sentSeq = -1;
  private long ackedSeq = -1;
  private boolean catchingUp = true;
  private boolean timedOut;
  private boolean failed;
  /** The timer that drops the connection if the close handshake does not finish; -1 when none. */
  private long closeTimer = -1;
  /** The protocol version of this connection: 2 takes several events in one frame. */
  private int version = 1;
  private int pendingRequests;
  /** Unpaced frames the device may still send now; refilled at {@link #UNPACED_PER_SECOND}. */
  private double unpacedAllowance = UNPACED_BURST;
  private long unpacedCountedAt = System.nanoTime();
  /** Telemetry reports passed on from this connection: numbered, so the registry applies none after a later one. */
  private long telemetryReports;
  /** Names this connection in presence reports: the registry counts an offline only for the connection it saw last. */
  private final String connection = UUID.randomUUID().toString();
  /** Whether the bridge has stopped reading the device's frames: see {@link #readIfRoom}. */
  private boolean paused;

  DeviceSession(BridgeVerticle bridge, ServerWebSocket ws, Context context) {
    this.bridge = bridge;
    this.ws = ws;
    this.context = context;
    byte[] random = new byte[18];
    NONCES.nextBytes(random);
    this.nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  Device device() {
    return device;
  }

  void start() {
    ws.textMessageHandler(this::onText);
    ws.closeHandler(this::onClose);
    ws.getDelegate().drainHandler(v -> readIfRoom());
    ws.exceptionHandler(e -> LOG.debug("WebSocket of {} failed: {}", device == null ? "a device" : device.id(), e.toString()));
    send(new Challenge(nonce, (int) bridge.settings().heartbeatInterval().toSeconds()));
  }

  /** Whether the device has been silent for longer than the missed heartbeats allow; closes it if so. */
  boolean closeIfSilent(long now) {
    long limit = bridge.settings().heartbeatInterval().toNanos() * bridge.settings().missedHeartbeats();
    if (state != State.CLOSED && now - lastHeard > limit) {
      timedOut = true;
      fail(HEARTBEAT_MISSED, "no frame for " + bridge.settings().missedHeartbeats() + " heartbeat intervals");
      return true;
    }
    return false;
  }

  /**
   * Sends the error and closes; the close handler does the rest. Vert.x closes the TCP connection once the close
   * frame is written, and a device that does not read (a hung screen, one closed as slow) never lets it be written:
   * past {@code bridge.close-grace} the connection is dropped without the handshake.
   */
  void fail(String code, String message) {
    if (state == State.CLOSED || failed) {
      return;
    }
    send(new KioskMessage.Error(code, message));
    failed = true;
    // Read again, so that the device's answer to the close is taken; the rest it sends is dropped (onText).
    if (paused) {
      paused = false;
      ws.getDelegate().resume();
    }
    ws.closeAndForget();
    closeTimer = context.owner().setTimer(bridge.settings().closeGrace().toMillis(),
        t -> ((WebSocketInternal) ws.getDelegate()).channelHandlerContext().close());
  }

  private void onText(String text) {
    // A failed session waits only for its close: whatever the device still sends is not acted on.
    if (failed) {
      return;
    }
    lastHeard = System.nanoTime();
    KioskMessage message;
    try {
      message = KioskCodec.decode(text);
    } catch (KioskProtocolException e) {
      // A live device is told and kept; one that never got that far is closed like any other failure.
      if (state == State.LIVE) {
        send(new KioskMessage.Error(e.code(), e.getMessage()));
      } else {
        fail(e.code(), e.getMessage());
      }
      return;
    }
    if (state == State.CHALLENGED) {
      if (message instanceof Hello hello) {
        authenticate(hello);
      } else {
        fail(HELLO_FIRST, "the first frame is a hello");
      }
      return;
    }
    if (state != State.LIVE) {
      return;
    }
    if (message instanceof Heartbeat h) {
      send(h);
    } else if (message instanceof Ack ack) {
      ackedSeq = Math.max(ackedSeq, Math.min(ack.seq(), sentSeq));
    } else if ((message instanceof Telemetry || message instanceof CommandResult) && !unpacedAllowed()) {
      send(new KioskMessage.Error(RATE_LIMITED, UNPACED_REFUSAL));
    } else if (message instanceof Telemetry t) {
      bridge.bus().send(BusAddresses.DEVICES_TELEMETRY, t.toJson().put("deviceId", device.id())
          .put("hall", device.hall()).put("kind", device.kind().wire()).put("connection", connection)
          .put("n", ++telemetryReports));
    } else if (message instanceof CommandResult r) {
      bridge.bus().send(BusAddresses.DEVICES_COMMAND_RESULT, r.toJson().put("deviceId", device.id()));
    } else if (message instanceof Request r && r.action().startsWith("assist-") && !unpacedAllowed()) {
      send(KioskMessage.Reply.failed(r.id(), RATE_LIMITED, UNPACED_REFUSAL));
    } else if (message instanceof Request r) {
      pendingRequests++;
      readIfRoom();
      bridge.requests().handle(device, r).subscribe().with(reply -> {
        pendingRequests--;
        send(reply);
      });
    } else {
      send(new KioskMessage.Error(KioskProtocolException.UNKNOWN_TYPE, "devices do not send " + message.type()));
    }
  }

  /** Takes one unpaced frame from the allowance, if there is one. */
  private boolean unpacedAllowed() {
    long now = System.nanoTime();
    unpacedAllowance = Math.min(UNPACED_BURST, unpacedAllowance + (now - unpacedCountedAt) * UNPACED_PER_SECOND / 1e9);
    unpacedCountedAt = now;
    if (unpacedAllowance < 1) {
      return false;
    }
    unpacedAllowance -= 1;
    return true;
  }

  private void authenticate(Hello hello) {
    state = State.AUTHENTICATING;
    version = hello.sharedVersion();
    JsonObject ask = new JsonObject().put("deviceId", hello.deviceId()).put("nonce", nonce)
        .put("token", hello.token()).put("signature", hello.signature());
    bridge.bus().<JsonObject>request(BusAddresses.DEVICES_AUTHENTICATE, ask, bridge.deliveryOptions())
        .subscribe().with(reply -> {
          if (state == State.CLOSED) {
            return;
          }
          try {
            device = Device.fromJson(reply.body());
          } catch (IllegalArgumentException e) {
            fail(UNAVAILABLE, e.getMessage());
            return;
          }
          live(hello.lastSeq());
        }, failure -> {
          // The registry answers 401 for credentials it refuses; any other failure is its own, and the device retries.
          if (failure instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE
              && r.failureCode() == 401) {
            fail(UNAUTHENTICATED, r.getMessage());
          } else {
            fail(UNAVAILABLE, "the device registry does not answer: " + failure.getMessage());
          }
        });
  }

  private void live(Long lastSeq) {
    state = State.LIVE;
    DeviceSession replaced = bridge.sessions().put(this);
    if (replaced != null && replaced != this) {
      replaced.context.runOnContext(v -> replaced.fail(REPLACED, "the device connected again"));
    }
    bridge.bus().send(BusAddresses.DEVICES_PRESENCE, new JsonObject().put("deviceId", device.id())
        .put("state", "online").put("hall", device.hall()).put("connection", connection)
        .put("member", bridge.member()));
    feed = bridge.feed(device.hall());
    feed.add(this);
    feed.whenReady(() -> {
      if (state != State.LIVE) {
        return;
      }
      send(new Welcome(device.id(), device.kind(), device.hall(), device.window(), feed.latest(), version));
      resume(lastSeq);
    });
  }

  /**
   * Brings a device from {@code lastSeq} to the feed: from the buffer, from the queue service's log within
   * {@code max-replay}, or with a snapshot.
   */
  private void resume(Long lastSeq) {
    long latest = feed.latest();
    if (lastSeq == null || lastSeq > latest || latest - lastSeq > bridge.settings().maxReplay()) {
      sendSnapshot();
      return;
    }
    sentSeq = lastSeq;
    if (sendFromBuffer()) {
      catchingUp = false;
      return;
    }
    catchUpFromLog();
  }

  private void catchUpFromLog() {
    feed.eventsAfter(sentSeq).subscribe().with(events -> {
      if (state != State.LIVE) {
        return;
      }
      long before = sentSeq;
      sendRun(events.stream().map(JsonObject.class::cast).toList());
      if (sendFromBuffer()) {
        catchingUp = false;
      } else if (sentSeq == before) {
        sendSnapshot();
      } else {
        catchUpFromLog();
      }
    }, failure -> sendSnapshot());
  }

  private void sendSnapshot() {
    catchingUp = true;
    feed.snapshot().subscribe().with(snapshot -> {
      if (state != State.LIVE) {
        return;
      }
      long seq = snapshot.getLong("seq", 0L);
      send(new Snapshot(seq, snapshot));
      sentSeq = seq;
      // More events than the buffer holds may have committed while the snapshot was read: then from the log.
      if (sendFromBuffer()) {
        catchingUp = false;
      } else {
        catchUpFromLog();
      }
    }, failure -> fail(UNAVAILABLE, "no snapshot of hall " + device.hall() + ": " + failure.getMessage()));
  }

  /**
   * From the feed, with its frames encoded once for the hall: sends the run unless the session is catching up, as
   * one frame or one per event as the device's version says; what follows {@link #sentSeq} only, if it has some
   * already.
   */
  void onHallEvents(HallRun run) {
    if (state != State.LIVE || catchingUp || failed) {
      return;
    }
    if (run.first != sentSeq + 1) {
      sendRun(run.events);
    } else if (version >= 2) {
      if (keepsUp()) {
        sentSeq = run.last();
        writeEncoded(run.whole());
      }
    } else {
      for (int i = 0; i < run.events.size() && keepsUp(); i++) {
        sentSeq = run.first + i;
        writeEncoded(run.one(i));
      }
    }
  }

  /**
   * Vert.x has no public factory for a text frame over bytes already encoded; its frame class takes them as they
   * are.
   */
  private void writeEncoded(ByteBuf frame) {
    ws.getDelegate().writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, frame, true));
  }

  /** Sends the feed's buffered events after {@link #sentSeq}; false if the buffer no longer reaches back that far. */
  private boolean sendFromBuffer() {
    List<JsonObject> events = feed.bufferedAfter(sentSeq);
    if (events == null) {
      return false;
    }
    sendRun(events);
    return true;
  }

  /**
   * Sends those of {@code events} (consecutive, ascending) that follow {@link #sentSeq}, if they do: to a device of
   * version 2 in frames of at most {@link HallFeed#MAX_FRAME_EVENTS}, so that a screen back from an outage of twenty
   * calls gets one frame, not sixty.
   */
  private void sendRun(List<JsonObject> events) {
    int from = 0;
    while (from < events.size() && events.get(from).getLong("seq") <= sentSeq) {
      from++;
    }
    if (from == events.size() || events.get(from).getLong("seq") != sentSeq + 1) {
      return;
    }
    int perFrame = version >= 2 ? HallFeed.MAX_FRAME_EVENTS : 1;
    for (; from < events.size(); from += perFrame) {
      if (!keepsUp()) {
        return;
      }
      List<JsonObject> frame = events.subList(from, Math.min(events.size(), from + perFrame));
      sentSeq = frame.get(frame.size() - 1).getLong("seq");
      send(HallRun.frame(frame));
    }
  }

  /**
   * False, and the device closed, when it reads slower than it is sent what it did not ask for (the hall's events,
   * commands, remote-assistance frames): it reconnects and is replayed.
   */
  private boolean keepsUp() {
    if (ws.writeQueueFull()) {
      catchingUp = true;
      fail(SLOW, "the device does not read what it is sent as fast as it comes");
      return false;
    }
    return true;
  }

  /** The device's registration is gone (deleted by an operator): hops to its event loop and closes it. */
  void revoke(String reason) {
    context.runOnContext(v -> fail(REVOKED, reason));
  }

  /** A frame published for this device: hops to its event loop. */
  void deliver(JsonObject frame) {
    context.runOnContext(v -> {
      if (state == State.LIVE && !failed && keepsUp()) {
        ws.getDelegate().writeTextMessage(frame.encode());
      }
    });
  }

  /**
   * Writes through the core socket, nothing once the session failed: a write that fails (the device went meanwhile)
   * is its close handler's business.
   */
  private void send(KioskMessage message) {
    if (state != State.CLOSED && !failed) {
      ws.getDelegate().writeTextMessage(KioskCodec.encode(message));
      readIfRoom();
    }
  }

  /**
   * Reads the device's frames only while what they ask for has room: with its write queue full (it does not read its
   * replies, or heartbeat echoes) or {@link #MAX_PENDING_REQUESTS} unanswered, the socket is paused until the queue
   * drains or answers come. So no device makes the bridge buffer without bound; one paused for long goes silent and
   * is closed for its missed heartbeats.
   */
  private void readIfRoom() {
    boolean room = pendingRequests < MAX_PENDING_REQUESTS && !ws.writeQueueFull();
    if (room == paused) {
      paused = !room;
      if (room) {
        ws.getDelegate().resume();
      } else {
        ws.getDelegate().pause();
      }
    }
  }

  private void onClose() {
    boolean wasLive = state == State.LIVE;
    state = State.CLOSED;
    if (closeTimer >= 0) {
      context.owner().cancelTimer(closeTimer);
    }
    bridge.closed(this);
    if (feed != null) {
      feed.remove(this);
    }
    // A session replaced by a newer connection of its device says nothing: the device is online.
    if (wasLive && bridge.sessions().remove(this)) {
      bridge.bus().send(BusAddresses.DEVICES_PRESENCE, new JsonObject().put("deviceId", device.id())
          .put("state", "offline").put("hall", device.hall()).put("reason", timedOut ? "heartbeat-missed" : "closed")
          .put("ackedSeq", ackedSeq < 0 ? null : ackedSeq).put("connection", connection));
    }
  }
}
