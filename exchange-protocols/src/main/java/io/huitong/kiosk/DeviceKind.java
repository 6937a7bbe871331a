package io.huitong.kiosk;

import java.util.Arrays;

/**
 * What a registered device is; it decides which hall events it receives and which requests it may send. Epoint's
 * device types (取号机, 窗口屏, 一体机, 评价PAD, 等待屏, 叫号PAD) map onto these.
 */
public enum DeviceKind {
  /** 取号机: takes tickets; receives queue statistics. */
  TICKET_MACHINE("ticket-machine"),
  /** 叫号PAD / window terminal: the staff's calling console of one window. */
  WINDOW_TERMINAL("window-terminal"),
  /** 窗口屏: the screen above one window. */
  WINDOW_SCREEN("window-screen"),
  /** 等待屏 / 综合屏: the hall screen. */
  HALL_SCREEN("hall-screen"),
  /** 评价器: the evaluation pad of one window. */
  EVALUATOR("evaluator"),
  /** 一体机: the self-service kiosk (convenience queries, case progress, remote assistance). */
  KIOSK("kiosk"),
  /** The operator console that answers remote-assistance calls. */
  OPERATOR("operator");

  private final String wire;

  DeviceKind(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The kind named on the wire; null if none is. */
  public static DeviceKind ofWire(String name) {
    return Arrays.stream(values()).filter(k -> k.wire.equals(name)).findFirst().orElse(null);
  }

  /** Whether the device belongs to one window and must be registered with it. */
  public boolean atWindow() {
    return this == WINDOW_TERMINAL || this == WINDOW_SCREEN || this == EVALUATOR;
  }
}
