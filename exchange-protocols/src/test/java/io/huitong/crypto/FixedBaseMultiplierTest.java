package io.huitong.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fixed-base multiplier against BouncyCastle's comb, the reference it replaces, on scalars chosen to exercise its
 * recoding (every digit at its extremes, carries through every window, the top window, n - 1) and on random ones;
 * and ES256 signatures made with it, verified by the JDK's own ECDSA.
 */
class FixedBaseMultiplierTest {
  private static final FixedPointCombMultiplier REFERENCE = new FixedPointCombMultiplier();

  static Stream<Arguments> curves() {
    return Stream.of(Arguments.of("sm2p256v1", Sm2Curve.X9, FixedBaseMultiplier.sm2()),
        Arguments.of("P-256", CustomNamedCurves.getByName("secp256r1"), FixedBaseMultiplier.p256()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("curves")
  void kTimesGIsWhatBouncyCastlesCombComputes(String name, X9ECParameters curve, FixedBaseMultiplier multiplier) {
    BigInteger n = curve.getN();
    List<BigInteger> scalars = new ArrayList<>();
    for (int k = 1; k <= 130; k++) {
      scalars.add(BigInteger.valueOf(k));
    }
    for (int shift = 0; shift < 256; shift += 6) {
      BigInteger window = BigInteger.ONE.shiftLeft(shift);
      // Digits of 31, 32 and 33 (33 carries), and runs of all-ones windows, which carry through every window.
      scalars.add(window.multiply(BigInteger.valueOf(31)));
      scalars.add(window.multiply(BigInteger.valueOf(32)));
      scalars.add(window.multiply(BigInteger.valueOf(33)));
      scalars.add(BigInteger.ONE.shiftLeft(shift + 6).subtract(BigInteger.ONE));
    }
    scalars.add(BigInteger.ONE.shiftLeft(255));
    scalars.add(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE));
    for (int d = 1; d <= 3; d++) {
      scalars.add(n.subtract(BigInteger.valueOf(d)));
    }
    scalars.add(n.shiftRight(1));
    Random random = new Random(20261207L);
    for (int i = 0; i < 300; i++) {
      scalars.add(new BigInteger(256, random).mod(n));
    }
    for (BigInteger k : scalars) {
      // The comb takes scalars below n only; k·G = (k mod n)·G.
      ECPoint expected = REFERENCE.multiply(curve.getG(), k.mod(n)).normalize();
      assertEquals(expected, multiplier.multiply(curve.getG(), k).normalize(), name + ": k = " + k.toString(16));
      if (k.compareTo(n) < 0) {
        // From the tables themselves, not from the comb the multiplier falls back to.
        assertEquals(expected, multiplier.tableSum(k), name + ": k = " + k.toString(16));
      }
    }
    assertTrue(multiplier.multiply(curve.getG(), BigInteger.ZERO).isInfinity(), "0·G is the point at infinity");
    assertTrue(multiplier.multiply(curve.getG(), n).normalize().isInfinity(), "n·G is the point at infinity");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("curves")
  void anotherPointGoesToTheComb(String name, X9ECParameters curve, FixedBaseMultiplier multiplier) {
    ECPoint other = curve.getG().twice().normalize();
    BigInteger k = new BigInteger(256, new Random(7)).mod(curve.getN());
    assertEquals(REFERENCE.multiply(other, k).normalize(), multiplier.multiply(other, k).normalize(), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("curves")
  void aScalarOutsideZeroToNIsTakenModuloN(String name, X9ECParameters curve, FixedBaseMultiplier multiplier) {
    BigInteger n = curve.getN();
    BigInteger small = BigInteger.valueOf(12345);
    ECPoint expected = REFERENCE.multiply(curve.getG(), small).normalize();
    assertEquals(expected, multiplier.multiply(curve.getG(), BigInteger.ONE.shiftLeft(300).multiply(n).add(small))
        .normalize(), name);
    assertEquals(expected.negate(), multiplier.multiply(curve.getG(), small.negate()).normalize(), name);
  }

  @org.junit.jupiter.api.Test
  void es256SignaturesMadeWithItVerifyWithTheJdk() throws Exception {
    X9ECParameters p256 = CustomNamedCurves.getByName("secp256r1");
    Random random = new Random(42);
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
    for (int i = 0; i < 20; i++) {
      BigInteger d = new BigInteger(256, random).mod(p256.getN().subtract(BigInteger.ONE)).add(BigInteger.ONE);
      ECPoint q = REFERENCE.multiply(p256.getG(), d).normalize();
      ECPublicKey publicKey = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
          new java.security.spec.ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), spec));
      byte[] message = ("token " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] p1363 = Es256.sign(new ECPrivateKeyParameters(d, Es256.DOMAIN),
          java.security.MessageDigest.getInstance("SHA-256").digest(message));

      Signature jdk = Signature.getInstance("SHA256withECDSAinP1363Format");
      jdk.initVerify(publicKey);
      jdk.update(message);
      assertTrue(jdk.verify(p1363), "signature " + i + " verifies with the JDK's ECDSA");
    }
  }
}
