package io.huitong.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret value (token, password, key material) that never prints itself: {@link #toString()} is {@code [hidden]}
 * and only {@link #reveal()} gives the value, so a secret cannot leak through logging or a config dump by accident.
 */
public final class Secret {
  private static final String HIDDEN = "[hidden]";
  private static final Secret EMPTY = new Secret("");

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** Wraps {@code value}; an empty string is the "not set" secret. */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    return value.isEmpty() ? EMPTY : new Secret(value);
  }

  /** Returns the secret in clear. Call it only where the value is used, never to log or print it. */
  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  /**
   * Compares with a presented credential in time independent of where the two differ, so response timing does not
   * reveal how much of a guess was right.
   */
  public boolean matches(String presented) {
    if (presented == null || value.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }

  /** The masked form used when configuration is printed: {@code [hidden]}, or empty when not set. */
  public String masked() {
    return value.isEmpty() ? "" : HIDDEN;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return HIDDEN;
  }
}
