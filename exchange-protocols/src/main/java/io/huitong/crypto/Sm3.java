package io.huitong.crypto;

import java.util.Objects;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * SM3 (GB/T 32905) digests and HMAC-SM3, whole or streaming. A streaming instance is single-threaded; after
 * {@link #finish()} it is reset and can be used again.
 */
public final class Sm3 {
  /** Digest and HMAC length in bytes. */
  public static final int LENGTH = 32;

  private final Digest digest;
  private final HMac hmac;

  private Sm3(Digest digest, HMac hmac) {
    this.digest = digest;
    this.hmac = hmac;
  }

  /** SM3 of {@code data}. */
  public static byte[] hash(byte[] data) {
    return newHash().update(data).finish();
  }

  /** HMAC-SM3 of {@code data} under {@code key} (any length; RFC 2104). */
  public static byte[] hmac(byte[] key, byte[] data) {
    return newHmac(key).update(data).finish();
  }

  /** A streaming SM3. */
  public static Sm3 newHash() {
    return new Sm3(new SM3Digest(), null);
  }

  /** A streaming HMAC-SM3 under {@code key}. */
  public static Sm3 newHmac(byte[] key) {
    Objects.requireNonNull(key, "key");
    HMac mac = new HMac(new SM3Digest());
    mac.init(new KeyParameter(key));
    return new Sm3(null, mac);
  }

  public Sm3 update(byte[] data) {
    return update(data, 0, data.length);
  }

  public Sm3 update(byte[] data, int offset, int length) {
    if (hmac != null) {
      hmac.update(data, offset, length);
    } else {
      digest.update(data, offset, length);
    }
    return this;
  }

  /** The digest (or MAC) of everything fed since creation or the last finish; resets. */
  public byte[] finish() {
    byte[] out = new byte[LENGTH];
    if (hmac != null) {
      hmac.doFinal(out, 0);
    } else {
      digest.doFinal(out, 0);
    }
    return out;
  }
}
