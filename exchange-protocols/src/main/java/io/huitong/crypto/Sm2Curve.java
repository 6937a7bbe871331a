package io.huitong.crypto;

import java.math.BigInteger;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.math.ec.ECPoint;

/** The SM2 recommended curve sm2p256v1 (GM/T 0003.5) and the checks every key and point goes through. */
final class Sm2Curve {
  static final ASN1ObjectIdentifier OID = GMObjectIdentifiers.sm2p256v1;
  // CustomNamedCurves holds BouncyCastle's optimised SM2P256V1Curve; GMNamedCurves would give the generic
  // BigInteger curve, 5-8x slower at signing and verifying (perf/RESULTS.md).
  static final X9ECParameters X9 = CustomNamedCurves.getByOID(OID);
  static final ECNamedDomainParameters DOMAIN = new ECNamedDomainParameters(OID, X9);
  static final BigInteger N = X9.getN();
  static final int FIELD_BYTES = 32;

  private Sm2Curve() {
  }

  /** Decodes an uncompressed or compressed point and checks it is a valid point of the curve, not infinity. */
  static ECPoint point(byte[] encoded) {
    ECPoint p;
    try {
      p = X9.getCurve().decodePoint(encoded);
    } catch (RuntimeException e) {
      throw new CryptoException(CryptoError.POINT_NOT_ON_CURVE, "not a point of the SM2 curve: " + e.getMessage());
    }
    return requireValid(p);
  }

  static ECPoint requireValid(ECPoint p) {
    if (p.isInfinity() || !p.isValid()) {
      throw new CryptoException(CryptoError.POINT_NOT_ON_CURVE, "the point is not on the SM2 curve");
    }
    return p.normalize();
  }

  /**
   * Checks the curve parameters of an EC key (the AlgorithmIdentifier's parameters, or SEC1's): the SM2 curve by
   * OID, or spelled out with exactly SM2's values.
   */
  static void requireSm2(org.bouncycastle.asn1.ASN1Encodable parameters) {
    if (parameters instanceof ASN1ObjectIdentifier oid) {
      if (!oid.equals(OID)) {
        throw new CryptoException(CryptoError.NOT_SM2, "the key is on curve " + oid + ", not SM2 (" + OID + ")");
      }
      return;
    }
    X9ECParameters explicit;
    try {
      explicit = X9ECParameters.getInstance(parameters);
    } catch (RuntimeException e) {
      throw new CryptoException(CryptoError.NOT_SM2, "the key does not name its curve");
    }
    if (explicit == null || !isSm2(new ECDomainParameters(explicit))) {
      throw new CryptoException(CryptoError.NOT_SM2, "the key's curve is not SM2");
    }
  }

  /** True when {@code domain} is the SM2 curve, whatever way it was named or spelled out. */
  static boolean isSm2(ECDomainParameters domain) {
    return domain.getCurve().equals(X9.getCurve()) && domain.getG().equals(X9.getG()) && domain.getN().equals(N);
  }

  /** {@code v} as exactly 32 unsigned big-endian bytes. */
  static byte[] fixed(BigInteger v) {
    return org.bouncycastle.util.BigIntegers.asUnsignedByteArray(FIELD_BYTES, v);
  }
}
