package io.huitong.crypto;

import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * An SM2 public key: a point of sm2p256v1, checked to be on the curve whenever one is read. PEM and DER are
 * SubjectPublicKeyInfo with id-ecPublicKey and the SM2 curve OID, as {@code openssl pkey -pubout} writes them.
 * Immutable.
 */
public final class Sm2PublicKey {
  private final ECPublicKeyParameters params;

  Sm2PublicKey(ECPublicKeyParameters params) {
    this.params = params;
  }

  /** Reads {@code -----BEGIN PUBLIC KEY-----}. */
  public static Sm2PublicKey fromPem(String pem) {
    return fromDer(Pem.read(pem, "PUBLIC KEY"));
  }

  /** Reads a DER SubjectPublicKeyInfo. */
  public static Sm2PublicKey fromDer(byte[] spki) {
    SubjectPublicKeyInfo info;
    try {
      info = SubjectPublicKeyInfo.getInstance(Asn1.strict(spki));
    } catch (CryptoException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CryptoException(CryptoError.MALFORMED_DER, "not a DER SubjectPublicKeyInfo");
    }
    AlgorithmIdentifier algorithm = info.getAlgorithm();
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
      throw new CryptoException(CryptoError.NOT_SM2, "the public key is " + algorithm.getAlgorithm() + ", not an EC (SM2) key");
    }
    Sm2Curve.requireSm2(algorithm.getParameters());
    if (info.getPublicKeyData().getPadBits() != 0) {
      throw new CryptoException(CryptoError.MALFORMED_DER, "the public key BIT STRING has padding bits");
    }
    return new Sm2PublicKey(new ECPublicKeyParameters(Sm2Curve.point(info.getPublicKeyData().getOctets()), Sm2Curve.DOMAIN));
  }

  /** Reads a bare point: {@code 04||x||y} (65 bytes) or a compressed point (33 bytes). */
  public static Sm2PublicKey fromPoint(byte[] point) {
    if (point == null || (point.length != 65 && point.length != 33)) {
      throw new CryptoException(CryptoError.WRONG_KEY_LENGTH,
          "an SM2 public point is 65 bytes (04||x||y) or 33 (compressed), got " + (point == null ? 0 : point.length));
    }
    return new Sm2PublicKey(new ECPublicKeyParameters(Sm2Curve.point(point), Sm2Curve.DOMAIN));
  }

  /** DER SubjectPublicKeyInfo. */
  public byte[] toDer() {
    try {
      return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(params).getEncoded("DER");
    } catch (IOException e) {
      throw new IllegalStateException("encoding a valid SM2 public key failed", e);
    }
  }

  /** {@code -----BEGIN PUBLIC KEY-----}. */
  public String toPem() {
    return Pem.write("PUBLIC KEY", toDer());
  }

  /** The uncompressed point {@code 04||x||y}. */
  public byte[] point() {
    return params.getQ().getEncoded(false);
  }

  ECPublicKeyParameters params() {
    return params;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sm2PublicKey other && Arrays.equals(point(), other.point());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(point());
  }

  @Override
  public String toString() {
    return "Sm2PublicKey[" + org.bouncycastle.util.encoders.Hex.toHexString(point()) + "]";
  }
}
