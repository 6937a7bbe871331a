package io.huitong.crypto;

import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.StreamCipher;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.AEADBlockCipher;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.paddings.PKCS7Padding;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * SM4 over a stream of any length, chunk by chunk, for files too large to hold: feed {@link #update} as data
 * arrives, then {@link #finish()} once. Single-threaded; not reusable after {@link #finish()}.
 *
 * <p>GCM decryption releases plaintext before the tag at the end has been checked (as any streaming AEAD must):
 * treat what {@link #update} returned as unauthenticated until {@link #finish()} has returned without throwing.
 */
public final class Sm4Cipher {
  /** GCM tag length in bytes. */
  public static final int GCM_TAG_LENGTH = 16;

  private final BufferedBlockCipher block;
  private final StreamCipher stream;
  private final AEADBlockCipher aead;

  private Sm4Cipher(BufferedBlockCipher block, StreamCipher stream, AEADBlockCipher aead) {
    this.block = block;
    this.stream = stream;
    this.aead = aead;
  }

  /**
   * A cipher for {@code mode} under the 16-byte {@code key} with {@code iv} ({@link Sm4Mode#ivLength()} bytes).
   *
   * @param aad associated data, GCM only (null or empty for none)
   * @throws CryptoException WRONG_KEY_LENGTH for a key or IV of the wrong length, or AAD outside GCM
   */
  public static Sm4Cipher create(boolean encrypt, Sm4Mode mode, byte[] key, byte[] iv, byte[] aad) {
    Sm4.requireKey(key);
    if (iv == null || iv.length != mode.ivLength()) {
      throw new CryptoException(CryptoError.WRONG_KEY_LENGTH,
          "SM4-" + mode + " needs a " + mode.ivLength() + "-byte IV, got " + (iv == null ? 0 : iv.length));
    }
    if (mode != Sm4Mode.GCM && aad != null && aad.length > 0) {
      throw new CryptoException(CryptoError.INPUT_INVALID, "associated data needs SM4-GCM, not SM4-" + mode);
    }
    KeyParameter k = new KeyParameter(key);
    switch (mode) {
      case CBC -> {
        PaddedBufferedBlockCipher c = new PaddedBufferedBlockCipher(CBCBlockCipher.newInstance(new SM4Engine()), new PKCS7Padding());
        c.init(encrypt, new ParametersWithIV(k, iv));
        return new Sm4Cipher(c, null, null);
      }
      case CTR -> {
        StreamCipher c = SICBlockCipher.newInstance(new SM4Engine());
        c.init(encrypt, new ParametersWithIV(k, iv));
        return new Sm4Cipher(null, c, null);
      }
      default -> {
        AEADBlockCipher c = GCMBlockCipher.newInstance(new SM4Engine());
        c.init(encrypt, new AEADParameters(k, GCM_TAG_LENGTH * 8, iv, aad));
        return new Sm4Cipher(null, null, c);
      }
    }
  }

  /** Processes the next chunk; returns the output it completes (possibly empty). */
  public byte[] update(byte[] in, int offset, int length) {
    if (stream != null) {
      byte[] out = new byte[length];
      stream.processBytes(in, offset, length, out, 0);
      return out;
    }
    byte[] out = new byte[block != null ? block.getUpdateOutputSize(length) : aead.getUpdateOutputSize(length)];
    int n = block != null ? block.processBytes(in, offset, length, out, 0) : aead.processBytes(in, offset, length, out, 0);
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  public byte[] update(byte[] in) {
    return update(in, 0, in.length);
  }

  /**
   * Ends the stream: the last block with its padding (CBC), or the tag (GCM: appended when encrypting, checked
   * when decrypting).
   *
   * @throws CryptoException CIPHERTEXT_INVALID for bad padding, a truncated ciphertext or a tag that does not match
   */
  public byte[] finish() {
    if (stream != null) {
      return new byte[0];
    }
    try {
      byte[] out = new byte[block != null ? block.getOutputSize(0) : aead.getOutputSize(0)];
      int n = block != null ? block.doFinal(out, 0) : aead.doFinal(out, 0);
      return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    } catch (InvalidCipherTextException | org.bouncycastle.crypto.DataLengthException e) {
      throw new CryptoException(CryptoError.CIPHERTEXT_INVALID,
          aead != null ? "SM4-GCM ciphertext is truncated or altered (tag mismatch)" : "SM4-CBC ciphertext is truncated or its padding is wrong");
    }
  }
}
