package io.huitong.crypto;

import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * HMAC-SM3 under one fixed key, for MACs computed on every request (client secrets, refresh-token tags, blind
 * indexes). {@link Sm3#hmac} pads and hashes the key anew each time, half the work of a MAC of a short message; here
 * each thread keeps an HMAC with the key's inner and outer states computed once. Thread-safe.
 */
public final class Sm3Mac {
  private final ThreadLocal<HMac> macs;

  public Sm3Mac(byte[] key) {
    byte[] copy = key.clone();
    this.macs = ThreadLocal.withInitial(() -> {
      HMac mac = new HMac(new SM3Digest());
      mac.init(new KeyParameter(copy));
      return mac;
    });
  }

  /** HMAC-SM3 of {@code data}, {@link Sm3#LENGTH} bytes. */
  public byte[] of(byte[] data) {
    HMac mac = macs.get();
    mac.update(data, 0, data.length);
    byte[] out = new byte[Sm3.LENGTH];
    mac.doFinal(out, 0);
    return out;
  }
}
