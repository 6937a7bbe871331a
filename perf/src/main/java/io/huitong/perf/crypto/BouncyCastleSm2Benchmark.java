package io.huitong.perf.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The peer for SM2 in the JVM: the same sign and verify as {@link Sm2Benchmark} (default ID, DER, 32-byte message, a
 * fresh {@link SM2Signer} per operation) straight on BouncyCastle's {@code SM2Signer} over its specialised
 * {@code SM2P256V1Curve}. MISSION.md asks the hub's SM2 to be at least BouncyCastle's own speed; the ratio of the two
 * shows what the hub's key checks and encoding cost on top.
 */
public class BouncyCastleSm2Benchmark extends SingleThreadBenchmark {
  private static final byte[] ID = "1234567812345678".getBytes(StandardCharsets.US_ASCII);

  private final SecureRandom random = new SecureRandom();
  private AsymmetricCipherKeyPair keys;
  private byte[] message;
  private byte[] signature;

  @Setup
  public void setUp() throws CryptoException {
    X9ECParameters x9 = CustomNamedCurves.getByName("sm2p256v1");
    ECKeyPairGenerator generator = new ECKeyPairGenerator();
    generator.init(new ECKeyGenerationParameters(new ECDomainParameters(x9), random));
    keys = generator.generateKeyPair();
    message = Data.random(32);
    signature = sign();
    if (!verify()) {
      throw new IllegalStateException("SM2 signature does not verify; the benchmark would measure nothing useful");
    }
  }

  @Benchmark
  public byte[] sign() throws CryptoException {
    SM2Signer signer = new SM2Signer();
    signer.init(true, new ParametersWithID(new ParametersWithRandom(keys.getPrivate(), random), ID));
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  @Benchmark
  public boolean verify() {
    SM2Signer verifier = new SM2Signer();
    verifier.init(false, new ParametersWithID(keys.getPublic(), ID));
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }
}
