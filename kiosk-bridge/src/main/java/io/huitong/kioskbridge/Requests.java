package io.huitong.kioskbridge;

import io.huitong.kiosk.DeviceKind;
import io.huitong.kiosk.KioskMessage;
import io.huitong.kiosk.KioskMessage.Assist;
import io.huitong.kiosk.KioskMessage.Reply;
import io.huitong.kiosk.KioskMessage.Request;
import io.huitong.kiosk.KioskProtocolException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.eventbus.EventBus;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Routes a device's requests over the event bus: queue actions to the queue service with the device's hall (and a
 * window device's window) filled in, so a device can act only in its own hall and at its own window; case progress,
 * convenience queries and evaluations to their services; remote-assistance signalling to the hall's devices. Which
 * kinds may send which action is fixed here.
 */
final class Requests {
  private static final Set<DeviceKind> WINDOW = EnumSet.of(DeviceKind.WINDOW_TERMINAL);
  private static final Set<DeviceKind> TAKERS = EnumSet.of(DeviceKind.TICKET_MACHINE, DeviceKind.KIOSK);
  private static final Set<DeviceKind> SERVICES = EnumSet.of(DeviceKind.KIOSK, DeviceKind.TICKET_MACHINE);
  private static final Map<String, Set<DeviceKind>> ALLOWED = Map.ofEntries(
      Map.entry("take-ticket", TAKERS),
      Map.entry("recheck-in", EnumSet.of(DeviceKind.TICKET_MACHINE, DeviceKind.KIOSK, DeviceKind.WINDOW_TERMINAL)),
      Map.entry("call-next", WINDOW), Map.entry("recall", WINDOW), Map.entry("skip", WINDOW),
      Map.entry("transfer", WINDOW), Map.entry("hold", WINDOW), Map.entry("finish", WINDOW),
      Map.entry("window-state", WINDOW),
      Map.entry("snapshot", EnumSet.allOf(DeviceKind.class)),
      Map.entry("case-progress", SERVICES),
      Map.entry("convenience-query", SERVICES),
      Map.entry("evaluation-submit", EnumSet.of(DeviceKind.EVALUATOR)),
      Map.entry("assist-call", EnumSet.of(DeviceKind.KIOSK, DeviceKind.TICKET_MACHINE)),
      Map.entry("assist-answer", EnumSet.of(DeviceKind.OPERATOR)),
      Map.entry("assist-signal", EnumSet.of(DeviceKind.KIOSK, DeviceKind.TICKET_MACHINE, DeviceKind.OPERATOR)),
      Map.entry("assist-hangup", EnumSet.of(DeviceKind.KIOSK, DeviceKind.TICKET_MACHINE, DeviceKind.OPERATOR)));

  private final EventBus bus;
  private final DeliveryOptions options;

  Requests(EventBus bus, DeliveryOptions options) {
    this.bus = bus;
    this.options = options;
  }

  /** The reply to the device's request; never fails: a service's refusal or silence is a failed reply. */
  Uni<Reply> handle(Device device, Request request) {
    if (!ALLOWED.getOrDefault(request.action(), Set.of()).contains(device.kind())) {
      return Uni.createFrom().item(Reply.failed(request.id(), DeviceSession.FORBIDDEN,
          "a " + device.kind().wire() + " may not " + request.action()));
    }
    JsonObject body = request.body().copy();
    return switch (request.action()) {
      case "snapshot" -> forward(request, BusAddresses.QUEUE_SNAPSHOT, new JsonObject().put("hall", device.hall()));
      case "case-progress" -> forward(request, BusAddresses.CASES_PROGRESS, body);
      case "convenience-query" -> forward(request, BusAddresses.PROXY_KIOSK_QUERY,
          body.put("consumer", device.consumer()).put("deviceId", device.id()));
      case "evaluation-submit" -> forward(request, BusAddresses.EVALUATION_SUBMIT,
          body.put("hall", device.hall()).put("window", device.window()).put("deviceId", device.id()));
      case "assist-call" -> Uni.createFrom().item(assistCall(device, request));
      case "assist-answer", "assist-signal", "assist-hangup" -> Uni.createFrom().item(assistPeer(device, request));
      default -> {
        // Who acts is the authenticated device, whatever the body claims: take-ticket records it as the taker.
        body.put("action", request.action()).put("hall", device.hall()).put("deviceId", device.id())
            .put("by", device.id());
        if (device.kind() == DeviceKind.WINDOW_TERMINAL) {
          body.put("window", device.window());
        }
        yield forward(request, BusAddresses.QUEUE_COMMAND, body);
      }
    };
  }

  private Uni<Reply> forward(Request request, String address, JsonObject body) {
    return bus.<Object>request(address, body, options)
        .map(reply -> Reply.ok(request.id(), reply.body() instanceof JsonObject json ? json
            : new JsonObject().put("result", reply.body())))
        .onFailure().recoverWithItem(failure -> failed(request.id(), failure));
  }

  /** A service's refusal keeps its {@code HT-...} code; no answer in time, or no service, is the bridge's own. */
  private Reply failed(String id, Throwable failure) {
    if (failure instanceof ReplyException r) {
      if (r.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        String message = r.getMessage() == null ? "" : r.getMessage();
        int colon = message.indexOf(':');
        String code = colon > 0 && message.startsWith("HT-") ? message.substring(0, colon) : "HT-KIOSK-REFUSED";
        return Reply.failed(id, code, colon > 0 ? message.substring(colon + 1).trim() : message);
      }
      if (r.failureType() == ReplyFailure.TIMEOUT) {
        return Reply.failed(id, DeviceSession.TIMEOUT, "no answer within " + options.getSendTimeout() + " ms");
      }
      return Reply.failed(id, DeviceSession.UNAVAILABLE, "nothing in the cluster serves this request now");
    }
    return Reply.failed(id, DeviceSession.UNAVAILABLE, failure.getMessage());
  }

  /** Rings every operator console of the kiosk's hall; the call id names the call from then on. */
  private Reply assistCall(Device device, Request request) {
    String callId = UUID.randomUUID().toString();
    JsonObject payload = new JsonObject().put("hall", device.hall()).put("deviceId", device.id())
        .put("topic", request.body().getString("topic"));
    deliver(new JsonObject().put("hall", device.hall()).put("kinds", new JsonArray().add(DeviceKind.OPERATOR.wire()))
        .put("frame", new Assist(callId, "ringing", device.id(), payload).toJson()));
    return Reply.ok(request.id(), new JsonObject().put("callId", callId));
  }

  /**
   * Passes answer, signal or hang-up to the peer named {@code to} in the same hall; an answer also tells the hall's
   * other operators that the call is taken.
   */
  private Reply assistPeer(Device device, Request request) {
    JsonObject body = request.body();
    String callId = body.getValue("callId") instanceof String s ? s : null;
    String to = body.getValue("to") instanceof String s ? s : null;
    if (callId == null || to == null || !callId.matches(KioskMessage.ID_PATTERN)) {
      return Reply.failed(request.id(), KioskProtocolException.INVALID,
          "callId and to (the peer's device id) are required");
    }
    String event = switch (request.action()) {
      case "assist-answer" -> "answered";
      case "assist-signal" -> "signal";
      default -> "ended";
    };
    JsonObject frame = new Assist(callId, event, device.id(),
        body.getValue("payload") instanceof JsonObject p ? p : null).toJson();
    deliver(new JsonObject().put("deviceId", to).put("hall", device.hall()).put("frame", frame));
    if (event.equals("answered")) {
      deliver(new JsonObject().put("hall", device.hall()).put("kinds", new JsonArray().add(DeviceKind.OPERATOR.wire()))
          .put("frame", frame));
    }
    return Reply.ok(request.id(), new JsonObject().put("callId", callId));
  }

  private void deliver(JsonObject delivery) {
    bus.publish(BusAddresses.KIOSK_DELIVER, delivery);
  }
}
