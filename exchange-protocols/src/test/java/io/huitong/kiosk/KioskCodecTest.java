package io.huitong.kiosk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KioskCodecTest {

  static Stream<KioskMessage> everyType() {
    return Stream.of(
        new Hello("ts-1", "secret-token", null, 41L, 2),
        new Hello("ts-1", null, "MEUCIQ==", null, null),
        new Heartbeat(),
        new Ack(42),
        new Telemetry(Paper.LOW, List.of("printer-jam")),
        new Telemetry(null, List.of()),
        new Request("r1", "call-next", new JsonObject()),
        new CommandResult("c1", true, null),
        new Challenge("n0nce", 15),
        new Welcome("ts-1", DeviceKind.HALL_SCREEN, "hall-1", null, 7, 2),
        new HallEvent(8, new JsonObject().put("type", "ticket.called").put("seq", 8)),
        new HallEvents(List.of(new JsonObject().put("type", "ticket.called").put("seq", 9),
            new JsonObject().put("type", "window.state").put("seq", 10))),
        new Snapshot(8, new JsonObject().put("queues", new io.vertx.core.json.JsonArray())),
        Reply.ok("r1", new JsonObject().put("ticket", "A001")),
        Reply.failed("r1", "HT-QUEUE-EMPTY", "nobody waits"),
        new Command("c1", CommandName.VOLUME, 30),
        new Command("c2", CommandName.RELOAD, null),
        new Assist("call-1", "signal", "op-1", new JsonObject().put("sdp", "v=0")),
        new KioskMessage.Error("HT-KIOSK-INVALID", "no"));
  }

  @ParameterizedTest
  @MethodSource("everyType")
  void everyFrameReadsBackAsWritten(KioskMessage message) {
    assertEquals(message, KioskCodec.decode(KioskCodec.encode(message)));
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("not json", KioskProtocolException.MALFORMED),
        Arguments.of("[1,2]", KioskProtocolException.MALFORMED),
        Arguments.of("x".repeat(KioskCodec.MAX_FRAME_CHARS + 1), KioskProtocolException.MALFORMED),
        Arguments.of("{}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":7}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"subscribe\"}", KioskProtocolException.UNKNOWN_TYPE),
        Arguments.of("{\"type\":\"hello\",\"deviceId\":\"d1\"}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"hello\",\"deviceId\":\"d1\",\"token\":\"t\",\"signature\":\"s\"}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"hello\",\"deviceId\":\"d 1\",\"token\":\"t\"}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"hello\",\"deviceId\":\"d1\",\"token\":\"t\",\"lastSeq\":-1}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"hello\",\"deviceId\":\"d1\",\"token\":\"t\",\"lastSeq\":\"3\"}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"hello\",\"deviceId\":5,\"token\":\"t\"}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"ack\"}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"ack\",\"seq\":1.5}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"telemetry\",\"paper\":\"half\"}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"telemetry\",\"faults\":[\"a b\"]}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"request\",\"id\":\"r1\",\"action\":\"drop-table\"}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"request\",\"action\":\"call-next\"}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"request\",\"id\":\"r1\",\"action\":\"call-next\",\"body\":[]}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"command\",\"commandId\":\"c\",\"command\":\"volume\"}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"command\",\"commandId\":\"c\",\"command\":\"volume\",\"volume\":101}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"command\",\"commandId\":\"c\",\"command\":\"format\"}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"assist\",\"callId\":\"c\",\"event\":\"dance\"}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"hello\",\"deviceId\":\"d1\",\"token\":\"t\",\"version\":0}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"hello\",\"deviceId\":\"d1\",\"token\":\"t\",\"version\":\"2\"}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"events\",\"events\":[]}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"events\",\"events\":[7]}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"events\",\"events\":[{\"type\":\"queue.stats\"}]}", KioskProtocolException.INVALID),
        Arguments.of("{\"type\":\"events\",\"events\":[{\"seq\":3},{\"seq\":5}]}", KioskProtocolException.INVALID));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void malformedFramesAreRefusedWithTheirCode(String frame, String code) {
    KioskProtocolException refused = assertThrows(KioskProtocolException.class, () -> KioskCodec.decode(frame));
    assertEquals(code, refused.code(), refused.getMessage());
  }
}
