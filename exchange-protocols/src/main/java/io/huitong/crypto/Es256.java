package io.huitong.crypto;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * ES256 (ECDSA over P-256 with SHA-256, RFC 7518 §3.4) on a SHA-256 digest, signatures in JOSE's 64-byte {@code r||s}
 * form: BouncyCastle's specialised P-256 arithmetic, {@link FixedBaseMultiplier} for the signing multiplication, and
 * RFC 6979 deterministic nonces, so a signature never depends on the quality of a random number. Thread-safe.
 */
public final class Es256 {
  /** P-256 on BouncyCastle's {@code SecP256R1Curve}. */
  public static final ECDomainParameters DOMAIN;

  static {
    X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
    DOMAIN = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
  }

  private Es256() {
  }

  /** The signature of {@code sha256} (a SHA-256 digest) by {@code key} (over {@link #DOMAIN}), as {@code r||s}. */
  public static byte[] sign(ECPrivateKeyParameters key, byte[] sha256) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest())) {
      @Override
      protected ECMultiplier createBasePointMultiplier() {
        return FixedBaseMultiplier.p256();
      }
    };
    signer.init(true, key);
    BigInteger[] rs = signer.generateSignature(sha256);
    byte[] out = new byte[64];
    BigIntegers.asUnsignedByteArray(rs[0], out, 0, 32);
    BigIntegers.asUnsignedByteArray(rs[1], out, 32, 32);
    return out;
  }

  /** Whether {@code signature} ({@code r||s}, 64 bytes) is {@code key}'s signature of {@code sha256}. */
  public static boolean verify(ECPublicKeyParameters key, byte[] sha256, byte[] signature) {
    if (signature.length != 64) {
      return false;
    }
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, key);
    // ECDSASigner rejects r or s outside [1, n-1] itself.
    return verifier.verifySignature(sha256, BigIntegers.fromUnsignedByteArray(signature, 0, 32),
        BigIntegers.fromUnsignedByteArray(signature, 32, 32));
  }
}
