package io.huitong.hub.signing;

import io.huitong.crypto.Sm2PublicKey;
import java.time.Instant;
import java.util.List;

/**
 * A key as the vault describes it: never the private part.
 *
 * @param keyId          stable id
 * @param purpose        what it may do
 * @param label          the creator's note, or null
 * @param currentVersion the version that signs (or is encrypted to) now
 * @param versions       every version, newest first
 */
public record KeyInfo(String keyId, KeyPurpose purpose, String label, int currentVersion, List<Version> versions) {

  /**
   * One version of a key.
   *
   * @param version   number, from 1
   * @param publicKey its public key
   * @param createdAt when it was made
   * @param retiredAt when a newer version replaced it, or null for the current one
   */
  public record Version(int version, Sm2PublicKey publicKey, Instant createdAt, Instant retiredAt) {
  }

  /** The public key of the current version. */
  public Sm2PublicKey currentPublicKey() {
    return versions.stream().filter(v -> v.version() == currentVersion).findFirst().orElseThrow().publicKey();
  }
}
