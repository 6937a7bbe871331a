package io.huitong.hub.sso.impl;

import io.huitong.crypto.Es256;
import io.huitong.crypto.Sm2;
import io.huitong.crypto.Sm2KeyPair;
import io.huitong.crypto.Sm2PrivateKey;
import io.huitong.crypto.Sm2PublicKey;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.util.BigIntegers;

/**
 * A token signing key: ES256 (ECDSA P-256 with SHA-256, RFC 7518) or {@value #SM2} (SM2 with SM3, docs/sso.md).
 * Signatures are raw {@code r||s}, 64 bytes, for both. Immutable and thread-safe.
 */
abstract class SigningKey {
  static final String ES256 = "ES256";
  /** The JOSE algorithm name for SM2 signatures with SM3 over the JWS signing input, default user ID. */
  static final String SM2 = "SM2SM3";

  final String kid;
  final String alg;
  final Instant createdAt;
  final Instant retiredAt;

  private SigningKey(String kid, String alg, Instant createdAt, Instant retiredAt) {
    this.kid = kid;
    this.alg = alg;
    this.createdAt = createdAt;
    this.retiredAt = retiredAt;
  }

  /** The public JWK: {@code kty EC} with {@code crv P-256} or {@code crv SM2}. */
  abstract JsonObject publicJwk();

  /** The private key, DER PKCS#8, to be sealed. */
  abstract byte[] privatePkcs8();

  abstract byte[] sign(byte[] signingInput);

  abstract boolean verify(byte[] signingInput, byte[] signature);

  abstract SigningKey retired(Instant at);

  static SigningKey generate(String alg, String kid) {
    Instant now = Instant.now();
    if (SM2.equals(alg)) {
      Sm2KeyPair pair = Sm2.generateKeyPair();
      return new Sm2Key(kid, now, null, pair.privateKey(), pair.publicKey());
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      return new Es256Key(kid, now, null, pair.getPrivate(), (ECPublicKey) pair.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 key generation is unavailable", e);
    }
  }

  /** A key as stored: its algorithm, its public JWK and its opened PKCS#8 private key. */
  static SigningKey restore(String kid, String alg, JsonObject jwk, byte[] pkcs8, Instant createdAt, Instant retiredAt) {
    byte[] x = Jose.decode(jwk.getString("x"));
    byte[] y = Jose.decode(jwk.getString("y"));
    if (SM2.equals(alg)) {
      byte[] point = new byte[65];
      point[0] = 4;
      System.arraycopy(x, 0, point, 1, 32);
      System.arraycopy(y, 0, point, 33, 32);
      return new Sm2Key(kid, createdAt, retiredAt, Sm2PrivateKey.fromPkcs8(pkcs8), Sm2PublicKey.fromPoint(point));
    }
    try {
      KeyFactory factory = KeyFactory.getInstance("EC");
      PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      ECParameterSpec params = ((ECPrivateKey) privateKey).getParams();
      PublicKey publicKey = factory.generatePublic(new ECPublicKeySpec(
          new ECPoint(new BigInteger(1, x), new BigInteger(1, y)), params));
      return new Es256Key(kid, createdAt, retiredAt, privateKey, (ECPublicKey) publicKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("stored ES256 key " + kid + " does not load", e);
    }
  }

  private static JsonObject jwk(String kid, String alg, String crv, byte[] x, byte[] y) {
    return new JsonObject().put("kty", "EC").put("crv", crv).put("kid", kid).put("use", "sig").put("alg", alg)
        .put("x", Jose.encode(x)).put("y", Jose.encode(y));
  }

  /**
   * Keys are made, stored and loaded through the JDK; signing and verifying run on {@link Es256} (BouncyCastle's P-256
   * arithmetic and the hub's fixed-base multiplication, about ten times the JDK 17 provider's signing rate: every code
   * and refresh grant signs twice), with RFC 6979 deterministic nonces.
   */
  private static final class Es256Key extends SigningKey {
    private static final ECDomainParameters P256 = Es256.DOMAIN;

    private final PrivateKey privateKey;
    private final ECPublicKey publicKey;
    private final ECPrivateKeyParameters signing;
    private final ECPublicKeyParameters verifying;

    Es256Key(String kid, Instant createdAt, Instant retiredAt, PrivateKey privateKey, ECPublicKey publicKey) {
      super(kid, ES256, createdAt, retiredAt);
      this.privateKey = privateKey;
      this.publicKey = publicKey;
      this.signing = new ECPrivateKeyParameters(((ECPrivateKey) privateKey).getS(), P256);
      this.verifying = new ECPublicKeyParameters(P256.getCurve().validatePoint(publicKey.getW().getAffineX(),
          publicKey.getW().getAffineY()), P256);
    }

    @Override
    JsonObject publicJwk() {
      return jwk(kid, alg, "P-256", unsigned32(publicKey.getW().getAffineX()), unsigned32(publicKey.getW().getAffineY()));
    }

    @Override
    byte[] privatePkcs8() {
      return privateKey.getEncoded();
    }

    @Override
    byte[] sign(byte[] signingInput) {
      return Es256.sign(signing, Jose.sha256(signingInput));
    }

    @Override
    boolean verify(byte[] signingInput, byte[] signature) {
      return Es256.verify(verifying, Jose.sha256(signingInput), signature);
    }

    @Override
    SigningKey retired(Instant at) {
      return new Es256Key(kid, createdAt, at, privateKey, publicKey);
    }

    private static byte[] unsigned32(BigInteger value) {
      return BigIntegers.asUnsignedByteArray(32, value);
    }
  }

  private static final class Sm2Key extends SigningKey {
    private final Sm2PrivateKey privateKey;
    private final Sm2PublicKey publicKey;

    Sm2Key(String kid, Instant createdAt, Instant retiredAt, Sm2PrivateKey privateKey, Sm2PublicKey publicKey) {
      super(kid, SM2, createdAt, retiredAt);
      this.privateKey = privateKey;
      this.publicKey = publicKey;
    }

    @Override
    JsonObject publicJwk() {
      byte[] point = publicKey.point();
      return jwk(kid, alg, "SM2", Arrays.copyOfRange(point, 1, 33), Arrays.copyOfRange(point, 33, 65));
    }

    @Override
    byte[] privatePkcs8() {
      return privateKey.toPkcs8();
    }

    @Override
    byte[] sign(byte[] signingInput) {
      return Sm2.rawSignature(Sm2.sign(privateKey, signingInput));
    }

    @Override
    boolean verify(byte[] signingInput, byte[] signature) {
      // Only the raw form is a JWS signature; Sm2.verify would also take DER.
      return signature.length == Sm2.RAW_SIGNATURE_LENGTH && Sm2.verify(publicKey, signingInput, signature);
    }

    @Override
    SigningKey retired(Instant at) {
      return new Sm2Key(kid, createdAt, at, privateKey, publicKey);
    }
  }

  static String newKid(String alg) {
    byte[] random = new byte[12];
    Jose.RANDOM.nextBytes(random);
    return alg.toLowerCase() + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }
}
