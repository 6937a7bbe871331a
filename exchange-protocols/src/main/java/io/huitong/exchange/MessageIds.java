package io.huitong.exchange;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * UUIDv7 message ids (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids sort by creation time, which
 * keeps an outbox index and a deduplication index append-mostly. Thread-safe.
 */
public final class MessageIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private MessageIds() {
  }

  public static UUID next() {
    return at(System.currentTimeMillis());
  }

  static UUID at(long unixMillis) {
    long randA = RANDOM.nextInt(1 << 12);
    long msb = (unixMillis << 16) | 0x7000L | randA;
    long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  /** The creation time a UUIDv7 carries, in Unix milliseconds. */
  public static long unixMillis(UUID id) {
    return id.getMostSignificantBits() >>> 16;
  }
}
