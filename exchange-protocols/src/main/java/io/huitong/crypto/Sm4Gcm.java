package io.huitong.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * SM4-GCM for many messages under one key, such as the records of one envelope: the key schedule and GHASH tables
 * are built once, and each message only sets its nonce and associated data. Not thread-safe; one instance per use.
 */
public final class Sm4Gcm {
  private final GCMModeCipher cipher = GCMBlockCipher.newInstance(new SM4Engine());
  private final KeyParameter key;
  private boolean keyed;
  private Boolean encrypting;

  public Sm4Gcm(byte[] key) {
    Sm4.requireKey(key);
    this.key = new KeyParameter(key);
  }

  /** Encrypts {@code plaintext}; returns ciphertext followed by the 16-byte tag. */
  public byte[] seal(byte[] nonce, byte[] aad, byte[] plaintext) {
    return run(true, nonce, aad, plaintext);
  }

  /** Decrypts and authenticates; CIPHERTEXT_INVALID when the tag does not match. */
  public byte[] open(byte[] nonce, byte[] aad, byte[] ciphertext) {
    return run(false, nonce, aad, ciphertext);
  }

  private byte[] run(boolean encrypt, byte[] nonce, byte[] aad, byte[] input) {
    if (nonce == null || nonce.length != 12) {
      throw new CryptoException(CryptoError.WRONG_KEY_LENGTH, "an SM4-GCM nonce is 12 bytes");
    }
    // A null key in the parameters keeps the key already set, and with it the tables derived from it.
    boolean reuse = keyed && encrypting == encrypt;
    cipher.init(encrypt, new AEADParameters(reuse ? null : key, Sm4Cipher.GCM_TAG_LENGTH * 8, nonce, aad));
    keyed = true;
    encrypting = encrypt;
    byte[] out = new byte[cipher.getOutputSize(input.length)];
    int n = cipher.processBytes(input, 0, input.length, out, 0);
    try {
      n += cipher.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new CryptoException(CryptoError.CIPHERTEXT_INVALID, "the SM4-GCM tag does not match");
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }
}
