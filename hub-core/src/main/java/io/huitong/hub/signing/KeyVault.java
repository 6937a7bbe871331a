package io.huitong.hub.signing;

import io.huitong.crypto.Sm2PrivateKey;
import io.smallrye.mutiny.Uni;

/**
 * The hub's SM2 keys (密钥管理), kept in PostgreSQL with the private parts sealed under the {@link MasterKey}.
 * Keys have versions: {@link #rotate} makes a new version that signs from then on, while signatures of older
 * versions still verify. Each key serves one {@link KeyPurpose}; asking it for another fails with
 * {@code HT-KEY-USAGE}, an unknown id with {@code HT-KEY-NOT-FOUND}.
 *
 * <p>Methods may be called on any Vert.x context; SM2 work runs on worker threads, never on the event loop.
 */
public interface KeyVault {

  /** Creates a key (version 1) for {@code purpose}. */
  Uni<KeyInfo> create(KeyPurpose purpose, String label);

  /** Adds a version that becomes current; older versions keep verifying and decrypting. */
  Uni<KeyInfo> rotate(String keyId);

  Uni<KeyInfo> describe(String keyId);

  /** Signs with the current version; the key must be for {@code purpose}. */
  Uni<Signed> sign(String keyId, KeyPurpose purpose, byte[] data, byte[] signerId);

  /** Verifies against {@code version}, or against every version when it is null. */
  Uni<Boolean> verify(String keyId, Integer version, byte[] data, byte[] signature, byte[] signerId);

  /** Encrypts to the current version of an ENCRYPT key; the ciphertext is in the ASN.1 form OpenSSL reads. */
  Uni<Signed> encrypt(String keyId, byte[] plaintext);

  /** Decrypts with {@code version}, or with each version, newest first, when it is null. */
  Uni<byte[]> decrypt(String keyId, Integer version, byte[] ciphertext);

  /** The private key of a version, for the signing capability's own use (the CA, seals). */
  Uni<Sm2PrivateKey> privateKey(String keyId, int version, KeyPurpose purpose);

  /**
   * The result of signing or encrypting: which version did it, and the bytes.
   *
   * @param keyId   the key
   * @param version the version used
   * @param bytes   DER signature or ciphertext
   */
  record Signed(String keyId, int version, byte[] bytes) {
  }
}
