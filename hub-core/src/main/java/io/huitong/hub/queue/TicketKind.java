package io.huitong.hub.queue;

import java.util.Locale;

/** The kinds of ticket (号码类型), by the priority call-next gives them: higher first. */
public enum TicketKind {
  NORMAL(0),
  APPOINTMENT(1),
  VIP(2),
  /** 爱心绿色通道: the elderly, the disabled, expectant mothers, servicemen. */
  GREEN_CHANNEL(3);

  private final int priority;

  TicketKind(int priority) {
    this.priority = priority;
  }

  public int priority() {
    return priority;
  }

  /** The name on the wire: {@code normal}, {@code appointment}, {@code vip}, {@code green-channel}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The kind named {@code wire}, or null. */
  public static TicketKind fromWire(String wire) {
    for (TicketKind k : values()) {
      if (k.wire().equals(wire)) {
        return k;
      }
    }
    return null;
  }
}
