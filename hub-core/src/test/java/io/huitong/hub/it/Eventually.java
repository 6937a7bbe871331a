package io.huitong.hub.it;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Waits, within a bound, for a condition on another process to hold. Hub processes give no event to wait on, so
 * this polls; every wait has a deadline and says what it was waiting for when it fails.
 */
final class Eventually {
  private static final long POLL_MILLIS = 100;

  private Eventually() {
  }

  static void holds(String what, Duration limit, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.call()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
    }
    throw new AssertionError("not true within " + limit + ": " + what, last);
  }
}
