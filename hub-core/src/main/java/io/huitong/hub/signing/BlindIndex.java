package io.huitong.hub.signing;

import io.huitong.crypto.Sm3Mac;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Blind indexes (盲索引) for encrypted fields that must stay searchable: an ID number or a phone is stored
 * SM4-encrypted beside HMAC-SM3(index key, field || value), and a lookup computes the same HMAC. The index key is
 * derived from the master key per field, so equal values in different fields do not match. Thread-safe.
 */
public final class BlindIndex {
  private final Sm3Mac mac;

  private BlindIndex(byte[] key) {
    this.mac = new Sm3Mac(key);
  }

  public static BlindIndex create(MasterKey master) {
    return new BlindIndex(master.derive("blind-index/v1"));
  }

  /**
   * The index of {@code value} in {@code field} (such as {@code identity.id-number}), as 64 hex characters.
   * Callers normalise the value first (trim, upper-case the check letter of an ID number, strip +86).
   */
  public String of(String field, String value) {
    byte[] input = (field + "\u0000" + value).getBytes(StandardCharsets.UTF_8);
    return HexFormat.of().formatHex(mac.of(input));
  }
}
