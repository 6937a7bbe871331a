package io.huitong.kiosk;

import io.huitong.kiosk.KioskMessage.Ack;
import io.huitong.kiosk.KioskMessage.Assist;
import io.huitong.kiosk.KioskMessage.Challenge;
import io.huitong.kiosk.KioskMessage.Command;
import io.huitong.kiosk.KioskMessage.CommandName;
import io.huitong.kiosk.KioskMessage.CommandResult;
import io.huitong.kiosk.KioskMessage.HallEvent;
import io.huitong.kiosk.KioskMessage.HallEvents;
import io.huitong.kiosk.KioskMessage.Heartbeat;
import io.huitong.kiosk.KioskMessage.Hello;
import io.huitong.kiosk.KioskMessage.Paper;
import io.huitong.kiosk.KioskMessage.Reply;
import io.huitong.kiosk.KioskMessage.Request;
import io.huitong.kiosk.KioskMessage.Snapshot;
import io.huitong.kiosk.KioskMessage.Telemetry;
import io.huitong.kiosk.KioskMessage.Welcome;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes kiosk frames. Reading never throws anything but {@link KioskProtocolException}: malformed JSON
 * is {@code HT-KIOSK-MALFORMED}, an unknown {@code type} {@code HT-KIOSK-UNKNOWN-TYPE}, a missing or wrongly typed
 * field {@code HT-KIOSK-INVALID}.
 */
public final class KioskCodec {
  /** Larger frames are refused before they are parsed. */
  public static final int MAX_FRAME_CHARS = 64 * 1024;

  private KioskCodec() {
  }

  public static String encode(KioskMessage message) {
    return message.toJson().encode();
  }

  public static KioskMessage decode(String text) {
    if (text == null || text.length() > MAX_FRAME_CHARS) {
      throw new KioskProtocolException(KioskProtocolException.MALFORMED,
          "a frame is a JSON object of at most " + MAX_FRAME_CHARS + " characters");
    }
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new KioskProtocolException(KioskProtocolException.MALFORMED, "a frame is one JSON object");
    }
    try {
      return decode(frame);
    } catch (ClassCastException | IllegalArgumentException e) {
      throw new KioskProtocolException(KioskProtocolException.INVALID, "a field has the wrong type: " + e.getMessage());
    }
  }

  private static KioskMessage decode(JsonObject f) {
    String type = f.getValue("type") instanceof String s ? s : null;
    if (type == null) {
      throw new KioskProtocolException(KioskProtocolException.INVALID, "type is missing");
    }
    return switch (type) {
      case "hello" -> new Hello(str(f, "deviceId"), str(f, "token"), str(f, "signature"), seq(f, "lastSeq"),
          f.getInteger("version"));
      case "heartbeat" -> new Heartbeat();
      case "ack" -> new Ack(required(seq(f, "seq"), "seq"));
      case "telemetry" -> new Telemetry(Paper.of(str(f, "paper")), strings(f.getJsonArray("faults")));
      case "request" -> new Request(str(f, "id"), str(f, "action"), f.getJsonObject("body"));
      case "command-result" -> new CommandResult(str(f, "commandId"), Boolean.TRUE.equals(f.getBoolean("ok")),
          str(f, "detail"));
      case "challenge" -> new Challenge(str(f, "nonce"), f.getInteger("heartbeatSeconds", 0));
      case "welcome" -> new Welcome(str(f, "deviceId"), DeviceKind.ofWire(str(f, "kind")), str(f, "hall"),
          str(f, "window"), required(seq(f, "seq"), "seq"), f.getInteger("version", 1));
      case "event" -> new HallEvent(required(seq(f, "seq"), "seq"), f.getJsonObject("event"));
      case "events" -> new HallEvents(objects(f.getJsonArray("events")));
      case "snapshot" -> new Snapshot(required(seq(f, "seq"), "seq"), f.getJsonObject("snapshot"));
      case "reply" -> Boolean.TRUE.equals(f.getBoolean("ok")) ? Reply.ok(str(f, "id"), f.getJsonObject("body"))
          : Reply.failed(str(f, "id"), str(error(f), "code"), str(error(f), "message"));
      case "command" -> new Command(str(f, "commandId"), CommandName.ofWire(str(f, "command")),
          f.getInteger("volume"));
      case "assist" -> new Assist(str(f, "callId"), str(f, "event"), str(f, "from"),
          f.getJsonObject("payload"));
      case "error" -> new KioskMessage.Error(str(f, "code"), str(f, "message"));
      default -> throw new KioskProtocolException(KioskProtocolException.UNKNOWN_TYPE, "unknown type '" + type + "'");
    };
  }

  /** Vert.x's getString would turn a number into its text; a frame's strings must be strings. */
  private static String str(JsonObject f, String field) {
    Object v = f.getValue(field);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw new KioskProtocolException(KioskProtocolException.INVALID, field + " must be a string");
  }

  private static JsonObject error(JsonObject f) {
    JsonObject error = f.getJsonObject("error");
    return error == null ? new JsonObject() : error;
  }

  private static Long seq(JsonObject f, String field) {
    Object v = f.getValue(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    throw new KioskProtocolException(KioskProtocolException.INVALID, field + " must be a whole number");
  }

  private static long required(Long value, String field) {
    if (value == null) {
      throw new KioskProtocolException(KioskProtocolException.INVALID, field + " is missing");
    }
    return value;
  }

  private static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> list = new ArrayList<>();
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        if (!(array.getValue(i) instanceof JsonObject event)) {
          throw new KioskProtocolException(KioskProtocolException.INVALID, "events must be objects");
        }
        list.add(event);
      }
    }
    return list;
  }

  private static List<String> strings(JsonArray array) {
    List<String> list = new ArrayList<>();
    if (array != null) {
      if (array.size() > Telemetry.MAX_FAULTS) {
        throw new KioskProtocolException(KioskProtocolException.INVALID, "at most " + Telemetry.MAX_FAULTS + " faults");
      }
      for (int i = 0; i < array.size(); i++) {
        if (!(array.getValue(i) instanceof String fault)) {
          throw new KioskProtocolException(KioskProtocolException.INVALID, "faults must be strings");
        }
        list.add(fault);
      }
    }
    return list;
  }
}
