package io.huitong.connector;

/**
 * The result of a health probe.
 *
 * @param up whether the department system answered as expected
 * @param latencyMillis how long the probe took
 * @param detail what was probed, or why it failed
 */
public record ConnectorHealth(boolean up, long latencyMillis, String detail) {

  public static ConnectorHealth up(long startNanos, String detail) {
    return new ConnectorHealth(true, elapsedMillis(startNanos), detail);
  }

  public static ConnectorHealth down(long startNanos, Throwable cause) {
    return new ConnectorHealth(false, elapsedMillis(startNanos), String.valueOf(cause.getMessage()));
  }

  private static long elapsedMillis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
