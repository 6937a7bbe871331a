package io.huitong.kioskbridge;

import io.huitong.kiosk.KioskCodec;
import io.huitong.kiosk.KioskMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Consecutive hall events on their way to a hall's sessions, with their frames encoded once for all of them on first
 * use: one frame for the whole run (protocol version 2), or one per event (version 1). With thousands of screens,
 * encoding per session is most of the fan-out, so the bytes are shared and each socket reads its own duplicate.
 */
final class HallRun {
  final long first;
  final List<JsonObject> events;
  private ByteBuf whole;
  private ByteBuf[] each;

  HallRun(List<JsonObject> events) {
    this.events = List.copyOf(events);
    this.first = this.events.get(0).getLong("seq");
  }

  long last() {
    return first + events.size() - 1;
  }

  /** The run as one frame: {@code events}, or {@code event} for a run of one. */
  ByteBuf whole() {
    if (whole == null) {
      whole = shared(frame(events));
    }
    return whole.duplicate();
  }

  /** The {@code i}th event as an {@code event} frame. */
  ByteBuf one(int i) {
    if (events.size() == 1) {
      return whole();
    }
    if (each == null) {
      each = new ByteBuf[events.size()];
    }
    if (each[i] == null) {
      each[i] = shared(new KioskMessage.HallEvent(first + i, events.get(i)));
    }
    return each[i].duplicate();
  }

  /** Consecutive events as one frame: {@code events}, or {@code event} for one. */
  static KioskMessage frame(List<JsonObject> events) {
    return events.size() == 1 ? new KioskMessage.HallEvent(events.get(0).getLong("seq"), events.get(0))
        : new KioskMessage.HallEvents(events);
  }

  private static ByteBuf shared(KioskMessage message) {
    return Unpooled.unreleasableBuffer(
        Unpooled.wrappedBuffer(KioskCodec.encode(message).getBytes(StandardCharsets.UTF_8)));
  }
}
