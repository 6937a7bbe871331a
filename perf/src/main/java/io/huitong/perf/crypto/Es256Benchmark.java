package io.huitong.perf.crypto;

import io.huitong.crypto.Es256;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * ES256 signing of a SHA-256 digest with RFC 6979 nonces, as every SSO token is signed: the hub's {@link Es256}
 * ({@code huitong}) beside BouncyCastle's {@code ECDSASigner} with its default multiplier ({@code bouncyCastle}), the
 * JVM peer; the two differ only in the multiplication k·G.
 */
public class Es256Benchmark extends SingleThreadBenchmark {
  private ECPrivateKeyParameters key;
  private byte[] digest;

  @Setup
  public void setUp() {
    SecureRandom random = new SecureRandom();
    BigInteger d = new BigInteger(256, random).mod(Es256.DOMAIN.getN().subtract(BigInteger.ONE)).add(BigInteger.ONE);
    key = new ECPrivateKeyParameters(d, Es256.DOMAIN);
    digest = Data.random(32);
  }

  @Benchmark
  public byte[] huitong() {
    return Es256.sign(key, digest);
  }

  @Benchmark
  public BigInteger[] bouncyCastle() {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, key);
    return signer.generateSignature(digest);
  }
}
