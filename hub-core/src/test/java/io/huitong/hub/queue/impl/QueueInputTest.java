package io.huitong.hub.queue.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.queue.TicketKind;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueInputTest {

  private static HubError failure(Runnable check) {
    return assertThrows(HubException.class, check::run).error();
  }

  @Test
  void phonesAreNormalisedToElevenDigits() {
    for (String typed : List.of("13912345678", "+86 139 1234 5678", "139-1234-5678")) {
      assertEquals("13912345678", QueueInput.optionalPhone(new JsonObject().put("phone", typed)), typed);
    }
    assertNull(QueueInput.optionalPhone(new JsonObject()));
    for (String bad : List.of("12912345678", "1391234567", "139123456789", "phone")) {
      assertEquals(HubError.QUEUE_INPUT_INVALID, failure(() -> QueueInput.optionalPhone(new JsonObject().put("phone", bad))), bad);
    }
  }

  @Test
  void idNumbersNeedTheirCheckCharacterAndAreUpperCased() {
    assertEquals("11010519491231002X", QueueInput.optionalIdNumber(new JsonObject().put("idNumber", " 11010519491231002x ")));
    assertEquals(HubError.QUEUE_INPUT_INVALID,
        failure(() -> QueueInput.optionalIdNumber(new JsonObject().put("idNumber", "110105194912310021"))));
    assertEquals(HubError.QUEUE_INPUT_INVALID,
        failure(() -> QueueInput.optionalIdNumber(new JsonObject().put("idNumber", 110105))));
  }

  @Test
  void idsAreShortWordsAndNumbersStayInRange() {
    assertEquals("main-hall_2", QueueInput.id(new JsonObject().put("hall", "main-hall_2"), "hall"));
    for (Object bad : List.of("", "-lead", "has space", "x".repeat(65), 12)) {
      assertEquals(HubError.QUEUE_INPUT_INVALID, failure(() -> QueueInput.id(new JsonObject().put("hall", bad), "hall")),
          String.valueOf(bad));
    }
    assertEquals(1000L, QueueInput.number(new JsonObject(), "limit", 1000, 1, 1000));
    assertEquals(HubError.QUEUE_INPUT_INVALID, failure(() -> QueueInput.number(new JsonObject().put("limit", 1001), "limit", 1, 1, 1000)));
    assertEquals(HubError.QUEUE_INPUT_INVALID, failure(() -> QueueInput.number(new JsonObject().put("limit", "9"), "limit", 1, 1, 1000)));
    assertEquals(HubError.QUEUE_INPUT_INVALID, failure(() -> QueueInput.checkQueues(List.of("a", "a"))));
  }

  @Test
  void kindsGoByPriorityAndTheirWireNames() {
    assertEquals(List.of("normal", "appointment", "vip", "green-channel"),
        java.util.Arrays.stream(TicketKind.values()).map(TicketKind::wire).toList());
    assertEquals(TicketKind.GREEN_CHANNEL, TicketKind.fromWire("green-channel"));
    assertNull(TicketKind.fromWire("GREEN_CHANNEL"));
    for (int i = 1; i < TicketKind.values().length; i++) {
      assertEquals(i, TicketKind.values()[i].priority());
    }
  }
}
