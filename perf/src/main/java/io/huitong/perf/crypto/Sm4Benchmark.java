package io.huitong.perf.crypto;

import io.huitong.crypto.Sm4Cipher;
import io.huitong.crypto.Sm4Mode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * SM4 encryption of one buffer per operation through {@link Sm4Cipher} as the hub uses it: a cipher made for the
 * message ({@code create}: key schedule and, for GCM, the GHASH tables), one {@code update}, then {@code finish}
 * (CBC: the PKCS#7 block; GCM: the tag). perf/crypto.sh multiplies operations per second by {@code bytes} for
 * MB/s. Compare CBC and CTR with {@code openssl speed -evp sm4-cbc|sm4-ctr -bytes <bytes>}; OpenSSL 3.0 has no
 * SM4-GCM, so GCM has no peer.
 */
public class Sm4Benchmark extends SingleThreadBenchmark {
  @Param({"8192", "16384"})
  public int bytes;

  private final byte[] key = Data.random(16);
  private final byte[] iv = new byte[16];
  private final byte[] nonce = new byte[12];
  private final byte[] aad = Data.random(16);
  private byte[] data;
  private long counter;

  @Setup
  public void setUp() {
    data = Data.random(bytes);
    System.arraycopy(Data.random(16), 0, iv, 0, 16);
  }

  @Benchmark
  public void gcm(Blackhole bh) {
    encrypt(Sm4Cipher.create(true, Sm4Mode.GCM, key, nextNonce(), aad), bh);
  }

  @Benchmark
  public void cbc(Blackhole bh) {
    encrypt(Sm4Cipher.create(true, Sm4Mode.CBC, key, iv, null), bh);
  }

  @Benchmark
  public void ctr(Blackhole bh) {
    encrypt(Sm4Cipher.create(true, Sm4Mode.CTR, key, iv, null), bh);
  }

  private void encrypt(Sm4Cipher cipher, Blackhole bh) {
    bh.consume(cipher.update(data));
    bh.consume(cipher.finish());
  }

  /** A fresh GCM nonce per message, as the hub must use; a 64-bit counter in the last 8 bytes. */
  private byte[] nextNonce() {
    long n = ++counter;
    for (int i = 11; i >= 4; i--) {
      nonce[i] = (byte) n;
      n >>>= 8;
    }
    return nonce;
  }
}
