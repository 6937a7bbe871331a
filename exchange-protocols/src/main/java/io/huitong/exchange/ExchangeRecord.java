package io.huitong.exchange;

import io.huitong.crypto.Sm3;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One record in an envelope: which issue (case number) it belongs to, its place in that issue's sequence, its data
 * version (a re-send is a new version, never a silent update), the operation, the SM3 digest of its plaintext
 * payload, and the payload itself, plain or (with {@code nonce}) SM4-GCM encrypted. Immutable.
 *
 * @param issue       the issue reference, such as a unified case number; 1 to 128 characters
 * @param sequence    position in the issue's sequence, from 1
 * @param dataVersion version of the data, from 1
 * @param operation   insert, update or delete
 * @param digest      SM3 of the plaintext payload, 32 bytes
 * @param nonce       the 12-byte SM4-GCM nonce when the payload is encrypted, else null
 * @param payload     the payload: plaintext, or ciphertext with its tag when {@code nonce} is set
 */
public record ExchangeRecord(String issue, long sequence, long dataVersion, Operation operation, byte[] digest,
                             byte[] nonce, byte[] payload) {

  /** Longest issue reference accepted. */
  public static final int MAX_ISSUE_LENGTH = 128;

  public ExchangeRecord {
    if (issue == null || issue.isEmpty() || issue.length() > MAX_ISSUE_LENGTH) {
      throw new EnvelopeException("record issue must be 1 to " + MAX_ISSUE_LENGTH + " characters");
    }
    if (sequence < 1 || dataVersion < 1) {
      throw new EnvelopeException("record sequence and dataVersion start at 1");
    }
    if (operation == null || payload == null || digest == null || digest.length != Sm3.LENGTH) {
      throw new EnvelopeException("record needs an operation, a payload and a 32-byte SM3 digest");
    }
    if (nonce != null && nonce.length != 12) {
      throw new EnvelopeException("record nonce must be 12 bytes");
    }
  }

  /** A plaintext record; the digest is computed here. */
  public static ExchangeRecord of(String issue, long sequence, long dataVersion, Operation operation, byte[] payload) {
    return new ExchangeRecord(issue, sequence, dataVersion, operation, Sm3.hash(payload), null, payload.clone());
  }

  public boolean encrypted() {
    return nonce != null;
  }

  /** True when the (plaintext) payload has the recorded digest. */
  public boolean digestMatches(byte[] plaintext) {
    return java.security.MessageDigest.isEqual(digest, Sm3.hash(plaintext));
  }

  String digestHex() {
    return HexFormat.of().formatHex(digest);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExchangeRecord r && issue.equals(r.issue) && sequence == r.sequence && dataVersion == r.dataVersion
        && operation == r.operation && Arrays.equals(digest, r.digest) && Arrays.equals(nonce, r.nonce)
        && Arrays.equals(payload, r.payload);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(issue, sequence, dataVersion, operation, Arrays.hashCode(digest));
  }

  @Override
  public String toString() {
    return "ExchangeRecord[" + issue + "#" + sequence + " v" + dataVersion + " " + operation + " " + digestHex() + "]";
  }
}
