package io.huitong.perf.crypto;

import io.huitong.crypto.Sm2;
import io.huitong.crypto.Sm2KeyPair;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * SM2 signatures through the hub's API ({@link Sm2#sign}, {@link Sm2#verify}): SM3withSM2 with the default
 * signer ID, DER signatures, over a 32-byte message as in {@code openssl speed sm2}. Each operation includes Z_A
 * (SM3 over the ID and the public key), the message digest and, for verify, the DER parse.
 */
public class Sm2Benchmark extends SingleThreadBenchmark {
  private Sm2KeyPair keys;
  private byte[] message;
  private byte[] signature;

  @Setup
  public void setUp() {
    keys = Sm2.generateKeyPair();
    message = Data.random(32);
    signature = Sm2.sign(keys.privateKey(), message);
    if (!Sm2.verify(keys.publicKey(), message, signature)) {
      throw new IllegalStateException("SM2 signature does not verify; the benchmark would measure nothing useful");
    }
  }

  @Benchmark
  public byte[] sign() {
    return Sm2.sign(keys.privateKey(), message);
  }

  @Benchmark
  public boolean verify() {
    return Sm2.verify(keys.publicKey(), message, signature);
  }
}
