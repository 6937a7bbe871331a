package io.huitong.crypto;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.huitong.crypto.x509.CertificateAuthority;
import io.huitong.crypto.x509.CertificateProfile;
import io.huitong.crypto.x509.ChainCheck;
import io.huitong.crypto.x509.ChainValidator;
import io.huitong.crypto.x509.RevocationReason;
import io.huitong.crypto.x509.RevokedCertificate;
import io.huitong.crypto.x509.Sm2Certificate;
import io.huitong.crypto.x509.Sm2Crl;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfoBuilder;
import org.bouncycastle.pkcs.bc.BcPKCS12PBEOutputEncryptorBuilder;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every kind of bad input is refused with a {@link CryptoException} carrying the {@link CryptoError} the HTTP API
 * reports, never with another exception; and the certificate checks say why they reject.
 */
class BadInputTest {
  private static final Sm2KeyPair KEYS = Sm2.generateKeyPair();
  private static final byte[] SPKI = KEYS.publicKey().toDer();
  private static final byte[] PKCS8 = KEYS.privateKey().toPkcs8();
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  /** Fails unless {@code call} throws exactly a CryptoException with {@code expected}; returns it. */
  private static CryptoException assertRejects(CryptoError expected, Executable call) {
    // assertThrows also fails, with the culprit as cause, when any other exception type comes out.
    CryptoException e = assertThrows(CryptoException.class, call);
    assertEquals(expected, e.error(), e.getMessage());
    return e;
  }

  @Nested
  class MalformedPem {
    @Test
    void textWithoutArmourIsRefused() {
      String bare = Base64.getEncoder().encodeToString(SPKI);
      assertAll(
          () -> assertRejects(CryptoError.MALFORMED_PEM, () -> Sm2PublicKey.fromPem(bare)),
          () -> assertRejects(CryptoError.MALFORMED_PEM, () -> Sm2PrivateKey.fromPem(Base64.getEncoder().encodeToString(PKCS8))),
          () -> assertRejects(CryptoError.MALFORMED_PEM, () -> Sm2Certificate.fromPem(bare)),
          () -> assertRejects(CryptoError.MALFORMED_PEM, () -> Sm2PublicKey.fromPem("")),
          () -> assertRejects(CryptoError.MALFORMED_PEM, () -> Sm2PublicKey.fromPem(null)),
          () -> assertRejects(CryptoError.MALFORMED_PEM, () -> Sm2PrivateKey.fromPem(null)));
    }

    @Test
    void armourAroundBadBase64IsRefused() {
      assertAll(
          // '=' padding in the middle, a lone trailing character, a character outside base64, nothing at all
          () -> assertRejects(CryptoError.MALFORMED_PEM,
              () -> Sm2PublicKey.fromPem("-----BEGIN PUBLIC KEY-----\nMFkw=EwYH\n-----END PUBLIC KEY-----\n")),
          () -> assertRejects(CryptoError.MALFORMED_PEM,
              () -> Sm2PrivateKey.fromPem("-----BEGIN PRIVATE KEY-----\nMIGTAgEAMBMG\nB\n-----END PRIVATE KEY-----\n")),
          () -> assertRejects(CryptoError.MALFORMED_PEM,
              () -> Sm2PublicKey.fromPem("-----BEGIN PUBLIC KEY-----\nMFkw*EwYH\n-----END PUBLIC KEY-----\n")),
          () -> assertRejects(CryptoError.MALFORMED_PEM,
              () -> Sm2Certificate.fromPem("-----BEGIN CERTIFICATE-----\nMIIB=AAA\n-----END CERTIFICATE-----\n")),
          () -> assertRejects(CryptoError.MALFORMED_PEM,
              () -> Sm2PublicKey.fromPem("-----BEGIN PUBLIC KEY-----\n\n-----END PUBLIC KEY-----\n")));
    }

    @Test
    void aBlockOfTheWrongKindIsRefused() {
      assertAll(
          () -> assertRejects(CryptoError.MALFORMED_PEM, () -> Sm2PublicKey.fromPem(KEYS.privateKey().toPem())),
          () -> assertRejects(CryptoError.MALFORMED_PEM, () -> Sm2PrivateKey.fromPem(KEYS.publicKey().toPem())),
          () -> assertRejects(CryptoError.MALFORMED_PEM, () -> Sm2PrivateKey.fromPem(Pem.write("CERTIFICATE", PKCS8))),
          // BEGIN and END must name the same label
          () -> assertRejects(CryptoError.MALFORMED_PEM, () -> Sm2PublicKey.fromPem(
              KEYS.publicKey().toPem().replace("END PUBLIC KEY", "END PRIVATE KEY"))));
    }

    @Test
    void aPasswordProtectedPrivateKeyIsRefusedWithAHowTo() throws Exception {
      byte[] encrypted = new PKCS8EncryptedPrivateKeyInfoBuilder(PrivateKeyInfo.getInstance(PKCS8))
          .build(new BcPKCS12PBEOutputEncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC,
              CBCBlockCipher.newInstance(new DESedeEngine())).build("secret".toCharArray()))
          .getEncoded();

      CryptoException e = assertRejects(CryptoError.MALFORMED_PEM,
          () -> Sm2PrivateKey.fromPem(Pem.write("ENCRYPTED PRIVATE KEY", encrypted)));
      assertTrue(e.getMessage().contains("openssl pkey"), e.getMessage());
    }
  }

  @Nested
  class MalformedDer {
    @Test
    void truncatedKeysAreRefused() {
      assertAll(
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2PublicKey.fromDer(Arrays.copyOf(SPKI, SPKI.length - 1))),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2PublicKey.fromDer(Arrays.copyOf(SPKI, 20))),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2PrivateKey.fromPkcs8(Arrays.copyOf(PKCS8, PKCS8.length - 1))),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2PrivateKey.fromPkcs8(Arrays.copyOf(PKCS8, 2))),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2PublicKey.fromDer(new byte[0])),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2PublicKey.fromDer(null)),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2PrivateKey.fromPkcs8(null)));
    }

    @Test
    void trailingBytesAreRefused() {
      // Two byte strings must never pass as the same key.
      assertAll(
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2PublicKey.fromDer(append(SPKI, 0))),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2PrivateKey.fromPkcs8(append(PKCS8, 0))),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2PrivateKey.fromPem(Pem.write("PRIVATE KEY", append(PKCS8, 5)))));
    }

    @Test
    void nonCanonicalLengthsAreRefused() {
      assertAll(
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2PublicKey.fromDer(longerOuterLength(SPKI))),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2PrivateKey.fromPkcs8(longerOuterLength(PKCS8))));
    }

    @Test
    void wellFormedDerOfAnotherStructureIsRefused() {
      byte[] signature = Sm2.sign(KEYS.privateKey(), new byte[] {1});
      assertAll(
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2PublicKey.fromDer(signature)),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2PrivateKey.fromPkcs8(SPKI)),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2Certificate.fromDer(SPKI)),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2Crl.fromDer(SPKI)),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2Certificate.fromDer(new byte[] {0x30, 0x00})),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2Crl.fromDer(new byte[] {0x30})));
    }
  }

  @Nested
  class KeysOffTheCurveOrOfAnotherAlgorithm {
    @Test
    void aPublicKeyWhosePointIsNotOnTheCurveIsRefused() {
      byte[] badSpki = SPKI.clone();
      badSpki[badSpki.length - 1] ^= 1; // the last byte of the Y coordinate
      byte[] badPoint = KEYS.publicKey().point();
      badPoint[64] ^= 1;
      byte[] noSuchPrefix = KEYS.publicKey().point();
      noSuchPrefix[0] = 0x05;

      assertAll(
          () -> assertRejects(CryptoError.POINT_NOT_ON_CURVE, () -> Sm2PublicKey.fromDer(badSpki)),
          () -> assertRejects(CryptoError.POINT_NOT_ON_CURVE, () -> Sm2PublicKey.fromPem(Pem.write("PUBLIC KEY", badSpki))),
          () -> assertRejects(CryptoError.POINT_NOT_ON_CURVE, () -> Sm2PublicKey.fromPoint(badPoint)),
          () -> assertRejects(CryptoError.POINT_NOT_ON_CURVE, () -> Sm2PublicKey.fromPoint(noSuchPrefix)),
          () -> assertRejects(CryptoError.POINT_NOT_ON_CURVE, () -> Sm2PublicKey.fromPoint(new byte[65])));
    }

    @Test
    void aBarePointOfTheWrongLengthIsRefused() {
      // x||y without the 04 prefix, as some JavaScript libraries send it
      byte[] xy = Arrays.copyOfRange(KEYS.publicKey().point(), 1, 65);
      assertAll(
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm2PublicKey.fromPoint(xy)),
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm2PublicKey.fromPoint(null)));
    }

    @Test
    void aP256KeyIsNotAnSm2Key() throws IOException {
      ECKeyPairGenerator generator = new ECKeyPairGenerator();
      generator.init(new ECKeyGenerationParameters(
          new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, SECNamedCurves.getByName("secp256r1")), new SecureRandom()));
      AsymmetricCipherKeyPair p256 = generator.generateKeyPair();
      byte[] spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(p256.getPublic()).getEncoded("DER");
      PrivateKeyInfo pkcs8 = PrivateKeyInfoFactory.createPrivateKeyInfo(p256.getPrivate());
      byte[] sec1 = pkcs8.parsePrivateKey().toASN1Primitive().getEncoded("DER");

      assertAll(
          () -> assertRejects(CryptoError.NOT_SM2, () -> Sm2PublicKey.fromDer(spki)),
          () -> assertRejects(CryptoError.NOT_SM2, () -> Sm2PublicKey.fromPem(Pem.write("PUBLIC KEY", spki))),
          () -> assertRejects(CryptoError.NOT_SM2, () -> Sm2PrivateKey.fromPkcs8(pkcs8.getEncoded("DER"))),
          () -> assertRejects(CryptoError.NOT_SM2, () -> Sm2PrivateKey.fromPem(Pem.write("EC PRIVATE KEY", sec1))));
    }

    @Test
    void privateScalarsOutsideOneToNMinusTwoAreRefused() throws IOException {
      BigInteger n = Sm2Curve.N;
      assertAll(
          // d = n - 1 is a valid EC scalar but not an SM2 one: signing divides by 1 + d.
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm2PrivateKey.fromScalar(Sm2Curve.fixed(n.subtract(BigInteger.ONE)))),
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm2PrivateKey.fromPkcs8(pkcs8WithScalar(n.subtract(BigInteger.ONE)))),
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm2PrivateKey.fromScalar(new byte[31])),
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm2PrivateKey.fromScalar(null)));
      // The bounds themselves are keys.
      assertEquals(BigInteger.ONE, new BigInteger(1, Sm2PrivateKey.fromScalar(Sm2Curve.fixed(BigInteger.ONE)).scalar()));
      BigInteger max = n.subtract(BigInteger.TWO);
      assertEquals(max, new BigInteger(1, Sm2PrivateKey.fromPkcs8(pkcs8WithScalar(max)).scalar()));
    }

    @Test
    void privateScalarsZeroAndNAreRefusedLikeAnyOtherOutOfRangeScalar() {
      BigInteger n = Sm2Curve.N;
      assertAll(
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm2PrivateKey.fromScalar(new byte[32])),
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm2PrivateKey.fromScalar(Sm2Curve.fixed(n))),
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm2PrivateKey.fromPkcs8(pkcs8WithScalar(BigInteger.ZERO))),
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm2PrivateKey.fromPkcs8(pkcs8WithScalar(n))));
    }
  }

  @Nested
  class Sm4Inputs {
    // Fixed inputs: whether a damaged CBC ciphertext still has valid padding depends on the bytes.
    private final byte[] key = Hex.decode("0123456789abcdeffedcba9876543210");
    private final byte[] cbcIv = Hex.decode("000102030405060708090a0b0c0d0e0f");
    private final byte[] nonce = Hex.decode("00001234567800000000abcd");
    private final byte[] aad = "window 3".getBytes(StandardCharsets.UTF_8);
    private final byte[] plaintext = "a citizen's application form, 40 bytes.".getBytes(StandardCharsets.UTF_8);

    @Test
    void keysAndIvsOfTheWrongLengthAreRefused() {
      assertAll(
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm4.encrypt(Sm4Mode.CBC, new byte[15], cbcIv, null, plaintext)),
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm4.encrypt(Sm4Mode.CTR, new byte[17], cbcIv, null, plaintext)),
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm4.decrypt(Sm4Mode.GCM, new byte[32], nonce, aad, plaintext)),
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm4.decrypt(Sm4Mode.GCM, null, nonce, aad, plaintext)),
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm4.encrypt(Sm4Mode.CBC, key, nonce, null, plaintext)),
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm4.encrypt(Sm4Mode.GCM, key, cbcIv, aad, plaintext)),
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm4.decrypt(Sm4Mode.CTR, key, null, null, plaintext)),
          // associated data would be silently ignored outside GCM
          () -> assertRejects(CryptoError.INPUT_INVALID, () -> Sm4.encrypt(Sm4Mode.CBC, key, cbcIv, aad, plaintext)),
          () -> assertRejects(CryptoError.WRONG_KEY_LENGTH, () -> Sm4Cipher.create(true, Sm4Mode.CTR, key, new byte[12], null)));
    }

    @Test
    void alteredOrTruncatedGcmCiphertextsFailTheTagCheck() {
      byte[] sealed = Sm4.encrypt(Sm4Mode.GCM, key, nonce, aad, plaintext);
      assertArrayEquals(plaintext, Sm4.decrypt(Sm4Mode.GCM, key, nonce, aad, sealed));

      assertAll(
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm4.decrypt(Sm4Mode.GCM, key, nonce, aad, flip(sealed, sealed.length - 1))),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm4.decrypt(Sm4Mode.GCM, key, nonce, aad, flip(sealed, 0))),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm4.decrypt(Sm4Mode.GCM, key, nonce, aad, Arrays.copyOf(sealed, sealed.length - 1))),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm4.decrypt(Sm4Mode.GCM, key, nonce, aad, Arrays.copyOf(sealed, 15))),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm4.decrypt(Sm4Mode.GCM, key, nonce, aad, new byte[0])),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm4.decrypt(Sm4Mode.GCM, key, nonce, "window 4".getBytes(StandardCharsets.UTF_8), sealed)),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm4.decrypt(Sm4Mode.GCM, key, flip(nonce, 0), aad, sealed)));
    }

    @Test
    void truncatedOrAlteredCbcCiphertextsAreRefused() {
      byte[] ciphertext = Sm4.encrypt(Sm4Mode.CBC, key, cbcIv, null, plaintext);
      assertEquals(48, ciphertext.length);

      assertAll(
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm4.decrypt(Sm4Mode.CBC, key, cbcIv, null, Arrays.copyOf(ciphertext, 47))),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm4.decrypt(Sm4Mode.CBC, key, cbcIv, null, Arrays.copyOf(ciphertext, 32))),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm4.decrypt(Sm4Mode.CBC, key, cbcIv, null, flip(ciphertext, 47))),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm4.decrypt(Sm4Mode.CBC, key, cbcIv, null, new byte[0])),
          // a fixed wrong key: a random one would give valid padding about once in 256 runs
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm4.decrypt(Sm4Mode.CBC, flip(key, 15), cbcIv, null, ciphertext)));
    }

    @Test
    void cbcDoesNotNoticeDamageBeforeTheLastBlock() {
      // CBC has no integrity check: damage outside the padding decrypts to garbage without an error. This is why
      // the hub uses GCM, or CBC only under a signature.
      byte[] ciphertext = Sm4.encrypt(Sm4Mode.CBC, key, cbcIv, null, plaintext);
      byte[] garbled = Sm4.decrypt(Sm4Mode.CBC, key, cbcIv, null, flip(ciphertext, 0));
      assertEquals(plaintext.length, garbled.length);
      assertFalse(Arrays.equals(plaintext, garbled));
    }
  }

  @Nested
  class Sm2Ciphertexts {
    private final byte[] plaintext = "a residence permit number".getBytes(StandardCharsets.UTF_8);
    private final byte[] raw = Sm2.encrypt(KEYS.publicKey(), plaintext, Sm2CipherFormat.C1C3C2);
    private final byte[] asn1 = Sm2.encrypt(KEYS.publicKey(), plaintext, Sm2CipherFormat.ASN1);

    @Test
    void truncatedOrAlteredRawCiphertextsAreInvalid() {
      // Layout: 04 || x (1..32) || y (33..64) || C3 (65..96) || C2 (97..)
      assertAll(
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm2.decrypt(KEYS.privateKey(), Arrays.copyOf(raw, raw.length - 1))),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm2.decrypt(KEYS.privateKey(), Arrays.copyOf(raw, 97))),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm2.decrypt(KEYS.privateKey(), flip(raw, raw.length - 1))),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm2.decrypt(KEYS.privateKey(), flip(raw, 70))),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm2.decrypt(KEYS.privateKey(), append(raw, 0))),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm2.decrypt(KEYS.privateKey(), withFirstByte(raw, 0x05))),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm2.decrypt(KEYS.privateKey(), new byte[0])),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm2.decrypt(KEYS.privateKey(), null)));
    }

    @Test
    void aCiphertextWhosePointC1WasAlteredIsInvalid() {
      assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm2.decrypt(KEYS.privateKey(), flip(raw, 64)));
    }

    @Test
    void asn1CiphertextsThatDoNotParseAreMalformedDer() {
      assertAll(
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2.decrypt(KEYS.privateKey(), Arrays.copyOf(asn1, asn1.length - 1))),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2.decrypt(KEYS.privateKey(), append(asn1, 0))),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2.fromAsn1(Arrays.copyOf(asn1, 40))),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2.fromAsn1(sequence(new ASN1Integer(1), new ASN1Integer(2), new DEROctetString(new byte[32])))),
          () -> assertRejects(CryptoError.MALFORMED_DER, () -> Sm2.fromAsn1(null)));
    }

    @Test
    void asn1CiphertextsThatParseButWereAlteredAreInvalid() {
      byte[] shortHash = sequence(new ASN1Integer(BigInteger.ONE), new ASN1Integer(BigInteger.TWO),
          new DEROctetString(new byte[31]), new DEROctetString(new byte[5]));
      assertAll(
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm2.decrypt(KEYS.privateKey(), flip(asn1, asn1.length - 1))),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm2.fromAsn1(shortHash)));
    }

    @Test
    void aCiphertextForAnotherKeyIsInvalid() {
      Sm2PrivateKey other = Sm2.generateKeyPair().privateKey();
      assertAll(
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm2.decrypt(other, raw)),
          () -> assertRejects(CryptoError.CIPHERTEXT_INVALID, () -> Sm2.decrypt(other, asn1)));
    }
  }

  @Nested
  class Signatures {
    private final byte[] message = "receipt 2026-118".getBytes(StandardCharsets.UTF_8);
    private final byte[] signature = Sm2.sign(KEYS.privateKey(), message);

    @Test
    void bytesThatAreNeitherDerNorRawRsAreMalformed() {
      byte[] threeIntegers = sequence(new ASN1Integer(1), new ASN1Integer(2), new ASN1Integer(3));
      byte[] rTooLong = sequence(new ASN1Integer(BigInteger.ONE.shiftLeft(300)), new ASN1Integer(1));
      assertAll(
          () -> assertRejects(CryptoError.SIGNATURE_MALFORMED, () -> Sm2.verify(KEYS.publicKey(), message, null)),
          () -> assertRejects(CryptoError.SIGNATURE_MALFORMED, () -> Sm2.verify(KEYS.publicKey(), message, new byte[0])),
          () -> assertRejects(CryptoError.SIGNATURE_MALFORMED, () -> Sm2.verify(KEYS.publicKey(), message, new byte[63])),
          () -> assertRejects(CryptoError.SIGNATURE_MALFORMED, () -> Sm2.verify(KEYS.publicKey(), message, new byte[65])),
          () -> assertRejects(CryptoError.SIGNATURE_MALFORMED, () -> Sm2.verify(KEYS.publicKey(), message, Arrays.copyOf(signature, signature.length - 1))),
          () -> assertRejects(CryptoError.SIGNATURE_MALFORMED, () -> Sm2.verify(KEYS.publicKey(), message, append(signature, 0))),
          () -> assertRejects(CryptoError.SIGNATURE_MALFORMED, () -> Sm2.verify(KEYS.publicKey(), message, longerOuterLength(signature))),
          () -> assertRejects(CryptoError.SIGNATURE_MALFORMED, () -> Sm2.verify(KEYS.publicKey(), message, threeIntegers)),
          () -> assertRejects(CryptoError.SIGNATURE_MALFORMED, () -> Sm2.verify(KEYS.publicKey(), message, rTooLong)),
          () -> assertRejects(CryptoError.SIGNATURE_MALFORMED, () -> Sm2.derSignature(new byte[63])));
    }

    @Test
    void wellFormedSignaturesThatDoNotMatchAreFalseNotErrors() {
      byte[] n = Sm2Curve.fixed(Sm2Curve.N);
      assertTrue(Sm2.verify(KEYS.publicKey(), message, signature));
      assertAll(
          () -> assertFalse(Sm2.verify(KEYS.publicKey(), "receipt 2026-119".getBytes(StandardCharsets.UTF_8), signature)),
          () -> assertFalse(Sm2.verify(Sm2.generateKeyPair().publicKey(), message, signature)),
          () -> assertFalse(Sm2.verify(KEYS.publicKey(), message, signature, "another signer".getBytes(StandardCharsets.UTF_8))),
          () -> assertFalse(Sm2.verify(KEYS.publicKey(), message, flip(Sm2.rawSignature(signature), 63))),
          // r = s = 0 and r = n are out of range, yet well-formed: a false, not an exception
          () -> assertFalse(Sm2.verify(KEYS.publicKey(), message, new byte[64])),
          () -> assertFalse(Sm2.verify(KEYS.publicKey(), message, sequence(new ASN1Integer(0), new ASN1Integer(0)))),
          () -> assertFalse(Sm2.verify(KEYS.publicKey(), message, append(n, Arrays.copyOfRange(Sm2.rawSignature(signature), 32, 64)))));
    }

    @Test
    void anOverlongSignerIdIsInvalidInput() {
      assertRejects(CryptoError.INPUT_INVALID,
          () -> Sm2.verify(KEYS.publicKey(), message, signature, new byte[Sm2.MAX_SIGNER_ID_LENGTH + 1]));
    }
  }

  @Nested
  class CertificateAuthorityMisuse {
    private final CertificateAuthority ca = CertificateAuthority.createRoot(Sm2.generateKeyPair(),
        "CN=Huitong Misuse CA,O=Huitong,C=CN", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(100)));
    private final Sm2PublicKey subject = Sm2.generateKeyPair().publicKey();

    private Executable issue(String dn, BigInteger serial, Instant from, Instant to) {
      return () -> ca.issue(subject, dn, serial, from, to, CertificateProfile.CLIENT);
    }

    @Test
    void issuingOutsideTheAuthoritysValidityIsRefused() {
      String dn = "CN=citizen,C=CN";
      BigInteger serial = CertificateAuthority.randomSerial();
      CryptoException e = assertRejects(CryptoError.CERTIFICATE_INVALID, issue(dn, serial, NOW, NOW.plus(Duration.ofDays(101))));
      assertTrue(e.getMessage().contains("within the CA's"), e.getMessage());
      assertAll(
          () -> assertRejects(CryptoError.CERTIFICATE_INVALID, issue(dn, serial, NOW.minus(Duration.ofDays(2)), NOW)),
          () -> assertRejects(CryptoError.CERTIFICATE_INVALID, issue(dn, serial, NOW, NOW)),
          () -> assertRejects(CryptoError.CERTIFICATE_INVALID, issue(dn, serial, NOW.plusSeconds(60), NOW)));
    }

    @Test
    void aNameThatIsNotAnX500NameIsRefused() {
      Instant to = NOW.plus(Duration.ofDays(1));
      BigInteger serial = CertificateAuthority.randomSerial();
      assertAll(
          () -> assertRejects(CryptoError.CERTIFICATE_INVALID, issue("window 3 at city hall", serial, NOW, to)),
          () -> assertRejects(CryptoError.CERTIFICATE_INVALID, issue("", serial, NOW, to)),
          () -> assertRejects(CryptoError.CERTIFICATE_INVALID, issue("XX=unknown attribute", serial, NOW, to)),
          () -> assertRejects(CryptoError.CERTIFICATE_INVALID,
              () -> CertificateAuthority.createRoot(Sm2.generateKeyPair(), "Huitong CA", NOW, to)));
    }

    @Test
    void aSerialThatIsNotPositiveOrTooLongIsRefused() {
      Instant to = NOW.plus(Duration.ofDays(1));
      assertAll(
          () -> assertRejects(CryptoError.CERTIFICATE_INVALID, issue("CN=x", BigInteger.ZERO, NOW, to)),
          () -> assertRejects(CryptoError.CERTIFICATE_INVALID, issue("CN=x", BigInteger.valueOf(-5), NOW, to)),
          () -> assertRejects(CryptoError.CERTIFICATE_INVALID, issue("CN=x", BigInteger.ONE.shiftLeft(160), NOW, to)));
    }

    @Test
    void anAuthorityNeedsACaCertificateAndItsOwnKey() {
      Sm2KeyPair leafKeys = Sm2.generateKeyPair();
      Sm2Certificate leaf = ca.issue(leafKeys.publicKey(), "CN=leaf,C=CN", CertificateAuthority.randomSerial(), NOW,
          NOW.plus(Duration.ofDays(1)), CertificateProfile.SIGNING);
      assertAll(
          () -> assertRejects(CryptoError.CERTIFICATE_INVALID, () -> CertificateAuthority.of(leafKeys.privateKey(), leaf)),
          () -> assertRejects(CryptoError.CERTIFICATE_INVALID, () -> CertificateAuthority.of(leafKeys.privateKey(), ca.certificate())));
    }
  }

  @Nested
  class ChainValidation {
    private final Instant start = NOW.minus(Duration.ofDays(1));
    private final Sm2KeyPair rootKeys = Sm2.generateKeyPair();
    private final CertificateAuthority root = CertificateAuthority.createRoot(rootKeys, "CN=Huitong Root,O=Huitong,C=CN",
        start, start.plus(Duration.ofDays(365)));
    private final Sm2KeyPair leafKeys = Sm2.generateKeyPair();
    private final Sm2Certificate leaf = root.issue(leafKeys.publicKey(), "CN=window-3,O=City Hall,C=CN",
        CertificateAuthority.randomSerial(), start, start.plus(Duration.ofDays(30)), CertificateProfile.CLIENT);
    private final ChainValidator trustingRoot = ChainValidator.create(List.of(root.certificate()), List.of());

    @Test
    void aGoodChainIsValidAndSaysWhichRevocationsWentUnchecked() {
      ChainCheck check = trustingRoot.validate(List.of(leaf), NOW);
      assertTrue(check.valid(), check.detail());
      assertNull(check.problem());
      assertEquals(List.of(root.certificate().subject()), check.unchecked());

      Sm2Crl emptyCrl = root.crl(List.of(), BigInteger.ONE, start, start.plus(Duration.ofDays(7)));
      ChainCheck withCrl = ChainValidator.create(List.of(root.certificate()), List.of(emptyCrl)).validate(List.of(leaf), NOW);
      assertTrue(withCrl.valid(), withCrl.detail());
      assertEquals(List.of(), withCrl.unchecked());
    }

    @Test
    void aCertificatePastItsValidityIsExpired() {
      ChainCheck check = trustingRoot.validate(List.of(leaf), leaf.notAfter().plusSeconds(1));
      assertEquals(ChainCheck.Problem.EXPIRED, check.problem());
      assertFalse(check.valid());
      assertTrue(check.detail().contains("CN=window-3"), check.detail());
    }

    @Test
    void aCertificateBeforeItsValidityIsNotYetValid() {
      assertEquals(ChainCheck.Problem.NOT_YET_VALID, trustingRoot.validate(List.of(leaf), leaf.notBefore().minusSeconds(1)).problem());
    }

    @Test
    void aRevokedCertificateIsRejectedWithTheReasonAndDate() {
      Instant revokedAt = NOW.minus(Duration.ofHours(2));
      Sm2Crl crl = root.crl(List.of(new RevokedCertificate(leaf.serial(), revokedAt, RevocationReason.KEY_COMPROMISE)),
          BigInteger.TWO, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(7)));
      ChainValidator validator = ChainValidator.create(List.of(root.certificate()), List.of(crl));

      ChainCheck check = validator.validate(List.of(leaf), NOW);
      assertEquals(ChainCheck.Problem.REVOKED, check.problem());
      assertEquals(new RevokedCertificate(leaf.serial(), revokedAt, RevocationReason.KEY_COMPROMISE), check.revocation());
      assertTrue(check.detail().contains("keyCompromise"), check.detail());
      // Before its revocation the same certificate was good: signatures made then still verify.
      assertTrue(validator.validate(List.of(leaf), revokedAt.minusSeconds(1)).valid());
    }

    @Test
    void aCertificateFromAnotherAuthorityIsUntrusted() {
      CertificateAuthority other = CertificateAuthority.createRoot(Sm2.generateKeyPair(), "CN=Other Root,C=CN",
          start, start.plus(Duration.ofDays(365)));
      Sm2Certificate stranger = other.issue(Sm2.generateKeyPair().publicKey(), "CN=stranger,C=CN",
          CertificateAuthority.randomSerial(), start, start.plus(Duration.ofDays(30)), CertificateProfile.CLIENT);

      ChainCheck check = trustingRoot.validate(List.of(stranger), NOW);
      assertEquals(ChainCheck.Problem.UNTRUSTED, check.problem());
      assertEquals(ChainCheck.Problem.UNTRUSTED, trustingRoot.validate(List.of(), NOW).problem());
    }

    @Test
    void aCertificateSignedByAnImpostorWithTheRootsNameHasAnInvalidSignature() {
      CertificateAuthority impostor = CertificateAuthority.createRoot(Sm2.generateKeyPair(), root.certificate().subject(),
          start, start.plus(Duration.ofDays(365)));
      Sm2Certificate forged = impostor.issue(Sm2.generateKeyPair().publicKey(), "CN=window-3,O=City Hall,C=CN",
          CertificateAuthority.randomSerial(), start, start.plus(Duration.ofDays(30)), CertificateProfile.CLIENT);
      assertEquals(root.certificate().subject(), forged.issuer());

      ChainCheck check = trustingRoot.validate(List.of(forged, root.certificate()), NOW);
      assertEquals(ChainCheck.Problem.SIGNATURE_INVALID, check.problem(), check.detail());
    }

    @Test
    void aLeafUsedAsAnIssuerIsNotACa() {
      // The leaf's own key, dressed up as an authority under the leaf's name, signs a certificate.
      CertificateAuthority leafAsCa = CertificateAuthority.createRoot(leafKeys, leaf.subject(), start,
          start.plus(Duration.ofDays(30)));
      Sm2Certificate issuedByLeaf = leafAsCa.issue(Sm2.generateKeyPair().publicKey(), "CN=sub,C=CN",
          CertificateAuthority.randomSerial(), start, start.plus(Duration.ofDays(30)), CertificateProfile.CLIENT);

      ChainCheck check = trustingRoot.validate(List.of(issuedByLeaf, leaf), NOW);
      assertEquals(ChainCheck.Problem.NOT_A_CA, check.problem(), check.detail());
    }
  }

  /**
   * Certificates and CRLs that parse but are corrupt inside. The package promises a CryptoException for these, at
   * parse time or when used; today fromDer parses lazily and the damage surfaces later as BouncyCastle's exceptions,
   * out of ChainValidator too. Found by ParserFuzzTest.
   */
  @Nested
  class CorruptCertificatesAndCrls {
    // Fixed dates, so that the bytes to corrupt are known.
    private final Instant from = Instant.parse("2026-01-01T00:00:00Z");
    private final Instant at = Instant.parse("2027-01-01T00:00:00Z");
    private final Sm2KeyPair caKeys = Sm2.generateKeyPair();
    private final CertificateAuthority ca = CertificateAuthority.createRoot(caKeys, "CN=Huitong CA,C=CN", from,
        Instant.parse("2036-01-01T00:00:00Z"));
    private final Sm2Certificate leaf = ca.issue(Sm2.generateKeyPair().publicKey(), "CN=window-3,C=CN",
        BigInteger.valueOf(0x1234), from, Instant.parse("2030-01-01T00:00:00Z"), CertificateProfile.SERVER);
    private final ChainValidator noCrls = ChainValidator.create(List.of(ca.certificate()), List.of());

    @Test
    void aCrlWhoseEntryHasAnInvalidDateIsRefused() {
      // The one revocation date, 260101000000Z, with a letter among its digits
      byte[] corrupt = replace(ca.crl(List.of(new RevokedCertificate(leaf.serial(), from, RevocationReason.KEY_COMPROMISE)),
          BigInteger.ONE, from, at).toDer(), "\u0017\r260101000000Z0", "\u0017\r26010100000XZ0");

      refusedOnlyWithCryptoException(() -> {
        Sm2Crl crl = Sm2Crl.fromDer(corrupt);
        crl.toDer();
        crl.signedBy(caKeys.publicKey());
        crl.entry(leaf.serial());
        ChainValidator.create(List.of(ca.certificate()), List.of(crl)).validate(List.of(leaf), at);
      });
    }

    @Test
    void aCertificateWhoseNameIsNotUtf8IsRefused() {
      byte[] corrupt = replace(leaf.toDer(), "window-3", "window-\u00ff");
      refusedOnlyWithCryptoException(() -> {
        Sm2Certificate cert = Sm2Certificate.fromDer(corrupt);
        cert.subject();
        noCrls.validate(List.of(cert), at);
      });
    }

    @Test
    void aCertificateWhoseBasicConstraintsDoNotParseIsRefused() {
      // basicConstraints of a leaf: OCTET STRING { SEQUENCE {} }, turned into a SET
      byte[] corrupt = replace(leaf.toDer(), "\u0004\u00020\u0000", "\u0004\u00021\u0000");
      refusedOnlyWithCryptoException(() -> Sm2Certificate.fromDer(corrupt).isCa());
    }

    private void refusedOnlyWithCryptoException(Executable use) {
      try {
        use.execute();
      } catch (CryptoException refused) {
        // fine: refused the way the package promises, wherever
      } catch (Throwable t) {
        fail("corrupt input must be refused with a CryptoException, not " + t, t);
      }
    }

    private byte[] replace(byte[] der, String from, String to) {
      String bytes = new String(der, StandardCharsets.ISO_8859_1);
      assertTrue(bytes.contains(from), "the bytes to corrupt are where they were");
      return bytes.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }
  }

  // ---- byte surgery ----

  private static byte[] flip(byte[] b, int at) {
    byte[] c = b.clone();
    c[at] ^= 0x01;
    return c;
  }

  private static byte[] append(byte[] b, int... extra) {
    byte[] c = Arrays.copyOf(b, b.length + extra.length);
    for (int i = 0; i < extra.length; i++) {
      c[b.length + i] = (byte) extra[i];
    }
    return c;
  }

  private static byte[] append(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static byte[] withFirstByte(byte[] b, int first) {
    byte[] c = b.clone();
    c[0] = (byte) first;
    return c;
  }

  /** The same DER with its outer length written one byte longer than needed: valid BER, not DER. */
  private static byte[] longerOuterLength(byte[] der) {
    int lengthOfLength = (der[1] & 0x80) == 0 ? 0 : der[1] & 0x7f;
    byte[] length = lengthOfLength == 0 ? new byte[] {der[1]} : Arrays.copyOfRange(der, 2, 2 + lengthOfLength);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(der[0]);
    out.write(0x80 | (length.length + 1));
    out.write(0);
    out.writeBytes(length);
    out.write(der, 2 + lengthOfLength, der.length - 2 - lengthOfLength);
    return out.toByteArray();
  }

  private static byte[] sequence(ASN1Encodable... items) {
    try {
      return new DERSequence(items).getEncoded("DER");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PKCS#8 for the SM2 curve carrying the scalar {@code d}, whatever its value. */
  private static byte[] pkcs8WithScalar(BigInteger d) throws IOException {
    return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, GMObjectIdentifiers.sm2p256v1),
        new ECPrivateKey(256, d)).getEncoded("DER");
  }
}
