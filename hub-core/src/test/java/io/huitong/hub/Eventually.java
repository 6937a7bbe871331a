package io.huitong.hub;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Waits, within a bound, for something another thread or process does. Where there is no event to wait on, tests
 * poll through this: every wait has a deadline and says what it was waiting for when it fails. The poll starts at a
 * few milliseconds and backs off to 100, so a quick condition costs a quick test and a slow one little CPU.
 */
public final class Eventually {
  private static final long FIRST_POLL_MILLIS = 5;
  private static final long MAX_POLL_MILLIS = 100;

  private Eventually() {
  }

  /** Returns once {@code condition} is true; an exception it throws counts as not yet. */
  public static void holds(String what, Duration limit, Callable<Boolean> condition) throws Exception {
    found(what, limit, () -> Boolean.TRUE.equals(condition.call()) ? Boolean.TRUE : null);
  }

  /** The first non-null value {@code lookup} gives; an exception it throws counts as not yet. */
  public static <T> T found(String what, Duration limit, Callable<T> lookup) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    long poll = FIRST_POLL_MILLIS;
    Exception last = null;
    while (true) {
      try {
        T value = lookup.call();
        if (value != null) {
          return value;
        }
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() >= deadline) {
        throw new AssertionError("not true within " + limit + ": " + what, last);
      }
      TimeUnit.MILLISECONDS.sleep(poll);
      poll = Math.min(MAX_POLL_MILLIS, poll * 2);
    }
  }
}
