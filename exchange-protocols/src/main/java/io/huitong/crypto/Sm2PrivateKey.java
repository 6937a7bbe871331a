package io.huitong.crypto;

import java.io.IOException;
import java.math.BigInteger;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;

/**
 * An SM2 private key: a scalar d in [1, n-2] of sm2p256v1. PEM and DER are PKCS#8 {@code PRIVATE KEY}, as
 * {@code openssl genpkey -algorithm SM2} writes; SEC1 {@code EC PRIVATE KEY} is read too. Never printed:
 * {@link #toString()} hides the scalar. Immutable.
 */
public final class Sm2PrivateKey {
  private static final BigInteger MAX_D = Sm2Curve.N.subtract(BigInteger.TWO);

  private final ECPrivateKeyParameters params;
  private final Sm2PublicKey publicKey;

  /** @param d a scalar already checked to be in [1, n-2] */
  Sm2PrivateKey(BigInteger d) {
    this.params = new ECPrivateKeyParameters(d, Sm2Curve.DOMAIN);
    this.publicKey = new Sm2PublicKey(new ECPublicKeyParameters(
        FixedBaseMultiplier.sm2().multiply(Sm2Curve.DOMAIN.getG(), d).normalize(), Sm2Curve.DOMAIN));
  }

  /**
   * Reads {@code -----BEGIN PRIVATE KEY-----} (PKCS#8) or SEC1 ({@code EC PRIVATE KEY}, or {@code SM2 PRIVATE KEY}
   * as {@code openssl ec} labels it). A leading {@code ... PARAMETERS} block, which {@code openssl ecparam -genkey}
   * writes, is skipped.
   */
  public static Sm2PrivateKey fromPem(String pem) {
    Pem.Block block = Pem.read(pem);
    return switch (block.label()) {
      case "PRIVATE KEY" -> fromPkcs8(block.der());
      case "EC PRIVATE KEY", "SM2 PRIVATE KEY" -> fromSec1(block.der());
      case "ENCRYPTED PRIVATE KEY" -> throw new CryptoException(CryptoError.MALFORMED_PEM,
          "the private key is password-protected; export it without a password (openssl pkey -in k.pem -out plain.pem)");
      default -> throw new CryptoException(CryptoError.MALFORMED_PEM, "expected a PRIVATE KEY block, got " + block.label());
    };
  }

  /** Reads DER PKCS#8 PrivateKeyInfo. */
  public static Sm2PrivateKey fromPkcs8(byte[] der) {
    PrivateKeyInfo info;
    ECPrivateKey ec;
    org.bouncycastle.asn1.ASN1Encodable parameters;
    try {
      info = PrivateKeyInfo.getInstance(Asn1.strict(der));
      ec = ECPrivateKey.getInstance(info.parsePrivateKey());
      // BouncyCastle reads tagged fields lazily: read them here, where a malformed one is still a DER error.
      parameters = info.getPrivateKeyAlgorithm().getParameters() != null
          ? info.getPrivateKeyAlgorithm().getParameters() : ec.getParametersObject();
    } catch (CryptoException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CryptoException(CryptoError.MALFORMED_DER, "not a DER PKCS#8 PrivateKeyInfo holding an EC key");
    }
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
      throw new CryptoException(CryptoError.NOT_SM2,
          "the private key is " + info.getPrivateKeyAlgorithm().getAlgorithm() + ", not an EC (SM2) key");
    }
    Sm2Curve.requireSm2(parameters);
    return fromEc(ec);
  }

  /** Reads DER SEC1 ECPrivateKey that names the SM2 curve. */
  static Sm2PrivateKey fromSec1(byte[] der) {
    ECPrivateKey ec;
    org.bouncycastle.asn1.ASN1Encodable parameters;
    try {
      ec = ECPrivateKey.getInstance(Asn1.strict(der));
      // Read lazily by BouncyCastle: a malformed [0] tag (implicit where explicit is due) throws only here.
      parameters = ec.getParametersObject();
    } catch (CryptoException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CryptoException(CryptoError.MALFORMED_DER, "not a DER SEC1 ECPrivateKey");
    }
    if (parameters == null) {
      throw new CryptoException(CryptoError.NOT_SM2, "the EC private key does not name its curve");
    }
    Sm2Curve.requireSm2(parameters);
    return fromEc(ec);
  }

  /** From the raw 32-byte scalar d. */
  public static Sm2PrivateKey fromScalar(byte[] d) {
    if (d == null || d.length != Sm2Curve.FIELD_BYTES) {
      throw new CryptoException(CryptoError.WRONG_KEY_LENGTH,
          "an SM2 private key is 32 bytes, got " + (d == null ? 0 : d.length));
    }
    return fromD(new BigInteger(1, d));
  }

  /** The scalar, checked against the public key the structure may carry beside it. */
  private static Sm2PrivateKey fromEc(ECPrivateKey ec) {
    BigInteger d;
    byte[] stored;
    try {
      d = ec.getKey();
      stored = ec.getPublicKey() == null ? null : ec.getPublicKey().getOctets();
    } catch (RuntimeException e) {
      throw new CryptoException(CryptoError.MALFORMED_DER, "the EC private key's fields do not parse");
    }
    Sm2PrivateKey key = fromD(d);
    if (stored != null && !key.publicKey().equals(Sm2PublicKey.fromPoint(stored))) {
      throw new CryptoException(CryptoError.MALFORMED_DER, "the public key stored with the private key does not belong to it");
    }
    return key;
  }

  static Sm2PrivateKey fromD(BigInteger d) {
    if (d.signum() <= 0 || d.compareTo(MAX_D) > 0) {
      throw new CryptoException(CryptoError.WRONG_KEY_LENGTH, "an SM2 private key is a number from 1 to n-2");
    }
    return new Sm2PrivateKey(d);
  }

  /** DER PKCS#8 PrivateKeyInfo (with the public key inside, as OpenSSL writes it). */
  public byte[] toPkcs8() {
    try {
      return PrivateKeyInfoFactory.createPrivateKeyInfo(params).getEncoded("DER");
    } catch (IOException e) {
      throw new IllegalStateException("encoding a valid SM2 private key failed", e);
    }
  }

  /** {@code -----BEGIN PRIVATE KEY-----}. */
  public String toPem() {
    return Pem.write("PRIVATE KEY", toPkcs8());
  }

  /** The raw 32-byte scalar d. */
  public byte[] scalar() {
    return Sm2Curve.fixed(params.getD());
  }

  public Sm2PublicKey publicKey() {
    return publicKey;
  }

  ECPrivateKeyParameters params() {
    return params;
  }

  @Override
  public String toString() {
    return "Sm2PrivateKey[hidden]";
  }
}
