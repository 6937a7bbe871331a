package io.huitong.crypto;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;

/**
 * SM4 (GB/T 32907) on whole messages, in the modes of {@link Sm4Mode}; {@link Sm4Cipher} streams. Keys are 16
 * bytes. GCM output is ciphertext followed by the 16-byte tag, as RFC 8998 and Java's {@code Cipher} lay it out.
 */
public final class Sm4 {
  /** Key length in bytes. */
  public static final int KEY_LENGTH = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Sm4() {
  }

  /** A fresh random 16-byte key. */
  public static byte[] newKey() {
    byte[] key = new byte[KEY_LENGTH];
    RANDOM.nextBytes(key);
    return key;
  }

  /** A fresh random IV (or GCM nonce) for {@code mode}. A GCM nonce must never repeat under one key. */
  public static byte[] newIv(Sm4Mode mode) {
    byte[] iv = new byte[mode.ivLength()];
    RANDOM.nextBytes(iv);
    return iv;
  }

  public static byte[] encrypt(Sm4Mode mode, byte[] key, byte[] iv, byte[] aad, byte[] plaintext) {
    return run(Sm4Cipher.create(true, mode, key, iv, aad), plaintext);
  }

  /** @throws CryptoException CIPHERTEXT_INVALID for a truncated or altered ciphertext (bad padding, bad tag) */
  public static byte[] decrypt(Sm4Mode mode, byte[] key, byte[] iv, byte[] aad, byte[] ciphertext) {
    return run(Sm4Cipher.create(false, mode, key, iv, aad), ciphertext);
  }

  static void requireKey(byte[] key) {
    if (key == null || key.length != KEY_LENGTH) {
      throw new CryptoException(CryptoError.WRONG_KEY_LENGTH,
          "an SM4 key is " + KEY_LENGTH + " bytes, got " + (key == null ? 0 : key.length));
    }
  }

  private static byte[] run(Sm4Cipher cipher, byte[] input) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(input.length + 32);
    out.writeBytes(cipher.update(input));
    out.writeBytes(cipher.finish());
    return out.toByteArray();
  }
}
