package io.huitong.kiosk;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * One frame of the kiosk protocol. The first six are sent by devices, the rest by the bridge; {@link #type()} is the
 * frame's {@code "type"} field. Records validate their own fields, so a record that exists is a frame the protocol
 * allows.
 */
public sealed interface KioskMessage {
  /** Device ids, window and hall ids, request and command ids. */
  String ID_PATTERN = "[A-Za-z0-9._:-]{1,64}";
  /**
   * The newest protocol version. 1 sends one hall event per {@code event} frame; 2 adds {@link HallEvents}. A device
   * names its version in its hello (none is 1) and the bridge answers the one they share in its welcome.
   */
  int VERSION = 2;

  String type();

  JsonObject toJson();

  // ---- device → bridge ----

  /**
   * The first frame of a device, answering the bridge's {@link Challenge}: its id and either its registration token
   * or an SM2 signature (DER, base64) of {@link Challenge#signedText}. {@code lastSeq} is the last hall sequence
   * number the device acknowledged before it lost its connection; null for a device without state (it gets a
   * snapshot). {@code version} is the newest protocol version the device speaks; null for 1.
   */
  record Hello(String deviceId, String token, String signature, Long lastSeq, Integer version)
      implements KioskMessage {
    public Hello {
      Check.id("deviceId", deviceId);
      Check.optional("token", token, 256);
      Check.optional("signature", signature, 512);
      if ((token == null) == (signature == null)) {
        throw Check.invalid("hello needs exactly one of token and signature");
      }
      Check.seq("lastSeq", lastSeq);
      if (version != null && version < 1) {
        throw Check.invalid("version must be 1 or more");
      }
    }

    /** The version both sides speak. */
    public int sharedVersion() {
      return version == null ? 1 : Math.min(version, VERSION);
    }

    @Override
    public String type() {
      return "hello";
    }

    @Override
    public JsonObject toJson() {
      return Check.frame(type()).put("deviceId", deviceId).put("token", token).put("signature", signature)
          .put("lastSeq", lastSeq).put("version", version);
    }
  }

  /** Both ways: the device's every {@code heartbeatSeconds}; the bridge answers each with its own. */
  record Heartbeat() implements KioskMessage {
    @Override
    public String type() {
      return "heartbeat";
    }

    @Override
    public JsonObject toJson() {
      return Check.frame(type());
    }
  }

  /** The device has shown every hall event up to and including {@code seq}. */
  record Ack(long seq) implements KioskMessage {
    public Ack {
      Check.seq("seq", seq);
    }

    @Override
    public String type() {
      return "ack";
    }

    @Override
    public JsonObject toJson() {
      return Check.frame(type()).put("seq", seq);
    }
  }

  /** The printer's paper (票据打印机纸张: 充足, 将尽, 缺纸). */
  enum Paper {
    OK, LOW, OUT;

    static Paper of(String wire) {
      if (wire == null) {
        return null;
      }
      for (Paper p : values()) {
        if (p.name().equalsIgnoreCase(wire)) {
          return p;
        }
      }
      throw Check.invalid("paper must be ok, low or out");
    }

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The device's state as it sees it, sent on change: the printer's paper (null for a device without printer) and
   * the faults present now (an empty list clears them), each a short code such as {@code printer-jam}.
   */
  record Telemetry(Paper paper, List<String> faults) implements KioskMessage {
    public static final int MAX_FAULTS = 16;

    public Telemetry {
      faults = faults == null ? List.of() : List.copyOf(faults);
      if (faults.size() > MAX_FAULTS) {
        throw Check.invalid("at most " + MAX_FAULTS + " faults");
      }
      faults.forEach(f -> Check.id("faults[]", f));
    }

    @Override
    public String type() {
      return "telemetry";
    }

    @Override
    public JsonObject toJson() {
      return Check.frame(type()).put("paper", paper == null ? null : paper.wire()).put("faults", new JsonArray(faults));
    }
  }

  /** A device's request; the bridge answers with a {@link Reply} of the same id. */
  record Request(String id, String action, JsonObject body) implements KioskMessage {
    /** Queue actions, forwarded to the queue service with the device's hall (and window) filled in. */
    public static final Set<String> QUEUE_ACTIONS = Set.of("take-ticket", "call-next", "recall", "skip", "recheck-in",
        "transfer", "hold", "finish", "window-state");
    public static final Set<String> ACTIONS = Set.of("take-ticket", "call-next", "recall", "skip", "recheck-in",
        "transfer", "hold", "finish", "window-state", "snapshot", "case-progress", "convenience-query",
        "evaluation-submit", "assist-call", "assist-answer", "assist-signal", "assist-hangup");

    public Request {
      Check.id("id", id);
      if (action == null || !ACTIONS.contains(action)) {
        throw Check.invalid("unknown action '" + action + "'");
      }
      body = body == null ? new JsonObject() : body;
    }

    @Override
    public String type() {
      return "request";
    }

    @Override
    public JsonObject toJson() {
      return Check.frame(type()).put("id", id).put("action", action).put("body", body);
    }
  }

  /** The device carried out (or could not carry out) a {@link Command}. */
  record CommandResult(String commandId, boolean ok, String detail) implements KioskMessage {
    public CommandResult {
      Check.id("commandId", commandId);
      Check.optional("detail", detail, 256);
    }

    @Override
    public String type() {
      return "command-result";
    }

    @Override
    public JsonObject toJson() {
      return Check.frame(type()).put("commandId", commandId).put("ok", ok).put("detail", detail);
    }
  }

  // ---- bridge → device ----

  /** The bridge's first frame: a fresh nonce a certificate device signs, and the heartbeat interval. */
  record Challenge(String nonce, int heartbeatSeconds) implements KioskMessage {
    public Challenge {
      Check.id("nonce", nonce);
    }

    /** What a certificate device signs with SM2 (default signer id), UTF-8. */
    public static String signedText(String nonce, String deviceId) {
      return "huitong-kiosk-hello\n" + nonce + "\n" + deviceId;
    }

    @Override
    public String type() {
      return "challenge";
    }

    @Override
    public JsonObject toJson() {
      return Check.frame(type()).put("nonce", nonce).put("heartbeatSeconds", heartbeatSeconds);
    }
  }

  /**
   * The device is authenticated: what it is registered as, the hall's latest sequence number, and the protocol
   * version of the connection.
   */
  record Welcome(String deviceId, DeviceKind kind, String hall, String window, long seq, int version)
      implements KioskMessage {
    @Override
    public String type() {
      return "welcome";
    }

    @Override
    public JsonObject toJson() {
      return Check.frame(type()).put("deviceId", deviceId).put("kind", kind.wire()).put("hall", hall)
          .put("window", window).put("seq", seq).put("version", version);
    }
  }

  /** One hall event of the queue service, exactly as it published it; {@code seq} is the hall's sequence number. */
  record HallEvent(long seq, JsonObject event) implements KioskMessage {
    @Override
    public String type() {
      return "event";
    }

    @Override
    public JsonObject toJson() {
      return Check.frame(type()).put("seq", seq).put("event", event);
    }
  }

  /**
   * Consecutive hall events in one frame, in order (protocol version 2): a queue transaction's (a call-next's
   * ticket.called, window.state and queue.stats), or a run of replayed ones. {@code seq} is the last one's; each event
   * carries its own.
   */
  record HallEvents(List<JsonObject> events) implements KioskMessage {
    public HallEvents {
      if (events == null || events.isEmpty()) {
        throw Check.invalid("events must not be empty");
      }
      events = List.copyOf(events);
      long first = Check.eventSeq(events.get(0));
      for (int i = 1; i < events.size(); i++) {
        if (Check.eventSeq(events.get(i)) != first + i) {
          throw Check.invalid("events must be consecutive in seq");
        }
      }
    }

    public long seq() {
      return events.get(events.size() - 1).getLong("seq");
    }

    @Override
    public String type() {
      return "events";
    }

    @Override
    public JsonObject toJson() {
      return Check.frame(type()).put("seq", seq()).put("events", new JsonArray(events));
    }
  }

  /**
   * The hall as of {@code seq} (queues, windows, recent calls), sent instead of the missed events when the gap is
   * larger than the bridge replays, and to a device without state. Events after it follow from {@code seq + 1}.
   */
  record Snapshot(long seq, JsonObject snapshot) implements KioskMessage {
    @Override
    public String type() {
      return "snapshot";
    }

    @Override
    public JsonObject toJson() {
      return Check.frame(type()).put("seq", seq).put("snapshot", snapshot);
    }
  }

  /** The answer to a {@link Request}: a body, or an error code and message. */
  record Reply(String id, JsonObject body, String code, String message) implements KioskMessage {
    public static Reply ok(String id, JsonObject body) {
      return new Reply(id, body, null, null);
    }

    public static Reply failed(String id, String code, String message) {
      return new Reply(id, null, code, message);
    }

    public boolean ok() {
      return code == null;
    }

    @Override
    public String type() {
      return "reply";
    }

    @Override
    public JsonObject toJson() {
      JsonObject frame = Check.frame(type()).put("id", id).put("ok", ok());
      return ok() ? frame.put("body", body) : frame.put("error", new JsonObject().put("code", code).put("message", message));
    }
  }

  /** The device commands of the admin API (窗口终端指令: 刷新, 重启, 音量). */
  enum CommandName {
    RELOAD, REBOOT, VOLUME;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static CommandName ofWire(String wire) {
      for (CommandName c : values()) {
        if (c.wire().equals(wire)) {
          return c;
        }
      }
      throw Check.invalid("command must be reload, reboot or volume");
    }
  }

  /** An operator's command to the device; {@code volume} (0 to 100) only for {@link CommandName#VOLUME}. */
  record Command(String commandId, CommandName command, Integer volume) implements KioskMessage {
    public Command {
      Check.id("commandId", commandId);
      if ((command == CommandName.VOLUME) != (volume != null)) {
        throw Check.invalid("volume is given with the volume command and only with it");
      }
      if (volume != null && (volume < 0 || volume > 100)) {
        throw Check.invalid("volume must be 0 to 100");
      }
    }

    @Override
    public String type() {
      return "command";
    }

    @Override
    public JsonObject toJson() {
      return Check.frame(type()).put("commandId", commandId).put("command", command.wire()).put("volume", volume);
    }
  }

  /**
   * Remote-assistance signalling (远程协助): a call from a kiosk rings the hall's operators ({@code ringing}), one
   * answers ({@code answered}), the two exchange opaque {@code signal} payloads (WebRTC offers, answers and
   * candidates), and either ends it ({@code ended}).
   */
  record Assist(String callId, String event, String from, JsonObject payload) implements KioskMessage {
    public static final Set<String> EVENTS = Set.of("ringing", "answered", "signal", "ended");

    public Assist {
      Check.id("callId", callId);
      if (!EVENTS.contains(event)) {
        throw Check.invalid("assist event must be one of " + EVENTS);
      }
    }

    @Override
    public String type() {
      return "assist";
    }

    @Override
    public JsonObject toJson() {
      return Check.frame(type()).put("callId", callId).put("event", event).put("from", from).put("payload", payload);
    }
  }

  /** The bridge refuses a frame, or closes the connection for the reason given. */
  record Error(String code, String message) implements KioskMessage {
    @Override
    public String type() {
      return "error";
    }

    @Override
    public JsonObject toJson() {
      return Check.frame(type()).put("code", code).put("message", message);
    }
  }
}
