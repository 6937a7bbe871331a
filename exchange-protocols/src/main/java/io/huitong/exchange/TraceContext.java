package io.huitong.exchange;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A W3C trace context ({@code traceparent}, version 00) as it travels in an envelope: the trace a message belongs to
 * and the span that sent it. A receiving node continues the sender's trace with a child span, so one record's path
 * across nodes is one trace in OpenTelemetry terms.
 *
 * @param traceId 32 lowercase hex digits, not all zero
 * @param spanId  16 lowercase hex digits, not all zero
 * @param sampled the sampled flag
 */
public record TraceContext(String traceId, String spanId, boolean sampled) {
  private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
  private static final SecureRandom RANDOM = new SecureRandom();

  public TraceContext {
    if (!traceId.matches("[0-9a-f]{32}") || traceId.chars().allMatch(c -> c == '0')
        || !spanId.matches("[0-9a-f]{16}") || spanId.chars().allMatch(c -> c == '0')) {
      throw new EnvelopeException("trace and span ids must be lowercase hex of 32 and 16 digits, not all zero");
    }
  }

  /** The start of a new trace. */
  public static TraceContext newTrace() {
    return new TraceContext(randomHex(16), randomHex(8), true);
  }

  /** Parses a {@code traceparent} header value; null when it is absent or not version 00 of the W3C format. */
  public static TraceContext parse(String traceparent) {
    if (traceparent == null) {
      return null;
    }
    var m = TRACEPARENT.matcher(traceparent);
    if (!m.matches()) {
      return null;
    }
    try {
      return new TraceContext(m.group(1), m.group(2), (Integer.parseInt(m.group(3), 16) & 1) == 1);
    } catch (EnvelopeException allZero) {
      return null;
    }
  }

  /** A new span in the same trace, whose parent is this one. */
  public TraceContext child() {
    return new TraceContext(traceId, randomHex(8), sampled);
  }

  /** The {@code traceparent} header value. */
  @Override
  public String toString() {
    return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    do {
      RANDOM.nextBytes(b);
    } while (allZero(b));
    return HexFormat.of().formatHex(b);
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
