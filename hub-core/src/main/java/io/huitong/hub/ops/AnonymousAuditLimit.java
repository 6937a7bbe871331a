package io.huitong.hub.ops;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the audit rows unauthenticated clients can cause: per remote address, at most {@link #PER_MINUTE} rows a
 * minute. Requests past the bound are not recorded one by one but counted, and the next row recorded for that
 * address carries how many were left out, so the audit still says how many were refused without any client being
 * able to fill the table. Operators' requests are never limited. Thread-safe and non-blocking; state is per member.
 */
final class AnonymousAuditLimit {
  static final int PER_MINUTE = 20;
  /** Addresses remembered at most; past this, the oldest windows are forgotten first. */
  private static final int MAX_ADDRESSES = 10_000;
  private static final long WINDOW_MILLIS = 60_000;

  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  /** One address's current minute: when it began, rows recorded in it, requests left out since the last row. */
  private static final class Window {
    final long start;
    int recorded;
    long leftOut;

    Window(long start, long leftOut) {
      this.start = start;
      this.leftOut = leftOut;
    }
  }

  /**
   * Whether a row is recorded for this request of {@code address} at {@code nowMillis}: -1 when it is left out,
   * else the number of earlier requests from that address left out since its last recorded row.
   */
  long admit(String address, long nowMillis) {
    if (windows.size() > MAX_ADDRESSES) {
      windows.values().removeIf(w -> nowMillis - w.start >= WINDOW_MILLIS);
    }
    long[] verdict = new long[1];
    windows.compute(address == null ? "" : address, (k, w) -> {
      if (w == null || nowMillis - w.start >= WINDOW_MILLIS) {
        w = new Window(nowMillis, w == null ? 0 : w.leftOut);
      }
      if (w.recorded < PER_MINUTE) {
        w.recorded++;
        verdict[0] = w.leftOut;
        w.leftOut = 0;
      } else {
        w.leftOut++;
        verdict[0] = -1;
      }
      return w;
    });
    return verdict[0];
  }
}
