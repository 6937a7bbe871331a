package io.huitong.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.huitong.crypto.x509.CertificateAuthority;
import io.huitong.crypto.x509.CertificateProfile;
import io.huitong.crypto.x509.ChainValidator;
import io.huitong.crypto.x509.RevocationReason;
import io.huitong.crypto.x509.RevokedCertificate;
import io.huitong.crypto.x509.Sm2Certificate;
import io.huitong.crypto.x509.Sm2Crl;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing (Jazzer) of everything that parses bytes from outside the hub: keys, signatures, SM2 and
 * SM4 ciphertexts, certificates and CRLs. The property is the package's promise: bad input is refused with a
 * {@link CryptoException} and nothing else. Any other exception or error escapes, and Jazzer reports it as a finding
 * with the input that caused it.
 *
 * <p>The first byte of an input picks one parser of the family, the rest is that parser's input, so each fuzz target
 * covers a family within one fuzzing run. {@code mvn test} replays only the seeds below (Jazzer's regression mode);
 * {@code mvn verify} also fuzzes each target for its {@code maxDuration} in a JVM of its own (see this module's
 * pom.xml: Jazzer fuzzes only one {@code @FuzzTest} per JVM). A finding's input is saved as
 * {@code target/jazzer/crash-<sha1>}; copied to {@code src/test/resources/io/huitong/crypto/ParserFuzzTestInputs/<method>/}
 * it is replayed by every {@code mvn test}.
 */
class ParserFuzzTest {
  /** GM/T 0003.5 Annex A: fixed keys and vectors, so every run and every replayed finding meets the same bytes. */
  private static final Sm2PrivateKey KEY = Sm2PrivateKey.fromScalar(
      Hex.decode("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8"));
  private static final byte[] MESSAGE = "message digest".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ANNEX_A_SIGNATURE = Hex.decode(
      "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
          + "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA");
  private static final byte[] ANNEX_A_CIPHERTEXT = Hex.decode(
      "04" + "04EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73"
          + "E858F9D81E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0"
          + "59983C18F809E262923C53AEC295D30383B54E39D609D160AFCB1908D0BD8766"
          + "21886CA989CA9C7D58087307CA93092D651EFA");
  private static final byte[] SM4_KEY = Hex.decode("0123456789abcdeffedcba9876543210");
  private static final byte[] CBC_IV = Hex.decode("000102030405060708090a0b0c0d0e0f");
  private static final byte[] GCM_NONCE = Hex.decode("00001234567800000000abcd");
  private static final byte[] AAD = Hex.decode("feedfacedeadbeeffeedfacedeadbeefabaddad2");

  private enum KeyParser { PUBLIC_DER, PUBLIC_PEM, PUBLIC_POINT, PRIVATE_PKCS8, PRIVATE_PEM }

  private enum Sm2Parser { VERIFY, DECRYPT, FROM_ASN1 }

  private enum Sm4Parser { GCM, CBC, GCM_STREAMED, CBC_STREAMED }

  private enum X509Parser { CERTIFICATE, CRL }

  @MethodSource("keySeeds")
  @FuzzTest(maxDuration = "8s")
  void keyParsersRefuseOnlyWithCryptoException(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] body = body(input);
    // What was accepted must read back the same from what it writes.
    switch (pick(KeyParser.values(), input)) {
      case PUBLIC_DER -> {
        Sm2PublicKey key = parsed(() -> Sm2PublicKey.fromDer(body));
        if (key != null) {
          assertEquals(key, Sm2PublicKey.fromDer(key.toDer()));
        }
      }
      case PUBLIC_PEM -> parsed(() -> Sm2PublicKey.fromPem(text(body)));
      case PUBLIC_POINT -> {
        Sm2PublicKey key = parsed(() -> Sm2PublicKey.fromPoint(body));
        if (key != null) {
          assertEquals(key, Sm2PublicKey.fromPoint(key.point()));
        }
      }
      case PRIVATE_PKCS8 -> {
        Sm2PrivateKey key = parsed(() -> Sm2PrivateKey.fromPkcs8(body));
        if (key != null) {
          assertArrayEquals(key.scalar(), Sm2PrivateKey.fromPkcs8(key.toPkcs8()).scalar());
        }
      }
      case PRIVATE_PEM -> parsed(() -> Sm2PrivateKey.fromPem(text(body)));
    }
  }

  static Stream<Arguments> keySeeds() throws IOException {
    byte[] spki = KEY.publicKey().toDer();
    byte[] pkcs8 = KEY.toPkcs8();
    byte[] sec1 = PrivateKeyInfo.getInstance(pkcs8).parsePrivateKey().toASN1Primitive().getEncoded("DER");
    return Stream.of(
        seed("SPKI", KeyParser.PUBLIC_DER, spki),
        seed("public PEM", KeyParser.PUBLIC_PEM, KEY.publicKey().toPem().getBytes(StandardCharsets.US_ASCII)),
        seed("uncompressed point", KeyParser.PUBLIC_POINT, KEY.publicKey().point()),
        seed("compressed point", KeyParser.PUBLIC_POINT, Sm2Curve.point(KEY.publicKey().point()).getEncoded(true)),
        seed("PKCS#8", KeyParser.PRIVATE_PKCS8, pkcs8),
        seed("PKCS#8 PEM", KeyParser.PRIVATE_PEM, KEY.toPem().getBytes(StandardCharsets.US_ASCII)),
        seed("SEC1 PEM", KeyParser.PRIVATE_PEM, Pem.write("EC PRIVATE KEY", sec1).getBytes(StandardCharsets.US_ASCII)));
  }

  @MethodSource("sm2Seeds")
  @FuzzTest(maxDuration = "8s")
  void sm2SignatureAndCiphertextParsersRefuseOnlyWithCryptoException(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] body = body(input);
    switch (pick(Sm2Parser.values(), input)) {
      case VERIFY -> {
        Boolean valid = parsed(() -> Sm2.verify(KEY.publicKey(), MESSAGE, body));
        if (valid != null) {
          // Whatever form the signature came in, its DER form must get the same answer.
          assertEquals(valid, Sm2.verify(KEY.publicKey(), MESSAGE, Sm2.derSignature(Sm2.rawSignature(body))));
        }
      }
      case DECRYPT -> parsed(() -> Sm2.decrypt(KEY, body));
      case FROM_ASN1 -> {
        byte[] raw = parsed(() -> Sm2.fromAsn1(body));
        if (raw != null) {
          assertArrayEquals(raw, Sm2.fromAsn1(Sm2.toAsn1(raw)));
        }
      }
    }
  }

  static Stream<Arguments> sm2Seeds() {
    return Stream.of(
        seed("DER signature", Sm2Parser.VERIFY, Sm2.derSignature(ANNEX_A_SIGNATURE)),
        seed("raw signature", Sm2Parser.VERIFY, ANNEX_A_SIGNATURE),
        seed("C1C3C2 ciphertext", Sm2Parser.DECRYPT, ANNEX_A_CIPHERTEXT),
        seed("ASN.1 ciphertext", Sm2Parser.DECRYPT, Sm2.toAsn1(ANNEX_A_CIPHERTEXT)),
        seed("ASN.1 to unwrap", Sm2Parser.FROM_ASN1, Sm2.toAsn1(ANNEX_A_CIPHERTEXT)));
  }

  @MethodSource("sm4Seeds")
  @FuzzTest(maxDuration = "8s")
  void sm4DecryptionRefusesOnlyWithCryptoException(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] body = body(input);
    switch (pick(Sm4Parser.values(), input)) {
      case GCM -> parsed(() -> Sm4.decrypt(Sm4Mode.GCM, SM4_KEY, GCM_NONCE, AAD, body));
      case CBC -> parsed(() -> Sm4.decrypt(Sm4Mode.CBC, SM4_KEY, CBC_IV, null, body));
      // Fed in pieces as an upload arrives, a stream must end exactly as the whole message does.
      case GCM_STREAMED -> assertEquals(outcome(() -> Sm4.decrypt(Sm4Mode.GCM, SM4_KEY, GCM_NONCE, AAD, body)),
          outcome(() -> streamed(Sm4Cipher.create(false, Sm4Mode.GCM, SM4_KEY, GCM_NONCE, AAD), body)));
      case CBC_STREAMED -> assertEquals(outcome(() -> Sm4.decrypt(Sm4Mode.CBC, SM4_KEY, CBC_IV, null, body)),
          outcome(() -> streamed(Sm4Cipher.create(false, Sm4Mode.CBC, SM4_KEY, CBC_IV, null), body)));
    }
  }

  static Stream<Arguments> sm4Seeds() {
    byte[] plaintext = "a citizen's application form, 40 bytes.".getBytes(StandardCharsets.UTF_8);
    byte[] gcm = Sm4.encrypt(Sm4Mode.GCM, SM4_KEY, GCM_NONCE, AAD, plaintext);
    byte[] cbc = Sm4.encrypt(Sm4Mode.CBC, SM4_KEY, CBC_IV, null, plaintext);
    return Stream.of(
        seed("GCM", Sm4Parser.GCM, gcm),
        seed("CBC", Sm4Parser.CBC, cbc),
        seed("GCM streamed", Sm4Parser.GCM_STREAMED, gcm),
        seed("CBC streamed", Sm4Parser.CBC_STREAMED, cbc));
  }

  /**
   * Whatever fromDer accepts must be safe to use: every accessor, signature check and chain validation of a parsed
   * certificate or CRL refuses only with CryptoException (fromDer reads everything at once; this target found the
   * lazily parsed parts that once escaped).
   */
  @MethodSource("x509Seeds")
  @FuzzTest(maxDuration = "8s")
  void certificateAndCrlParsersRefuseOnlyWithCryptoException(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] body = body(input);
    switch (pick(X509Parser.values(), input)) {
      case CERTIFICATE -> {
        Sm2Certificate cert = parsed(() -> Sm2Certificate.fromDer(body));
        if (cert != null) {
          assertEquals(cert, Sm2Certificate.fromPem(cert.toPem()));
          cert.subject();
          cert.issuer();
          cert.isCa();
          cert.signedBy(KEY.publicKey());
          ChainValidator.create(List.of(Pki.CA.certificate()), List.of(Pki.CRL)).validate(List.of(cert), Pki.FROM.plusSeconds(60));
        }
      }
      case CRL -> {
        Sm2Crl crl = parsed(() -> Sm2Crl.fromDer(body));
        if (crl != null) {
          crl.issuer();
          crl.toDer();
          crl.signedBy(KEY.publicKey());
          crl.entry(BigInteger.valueOf(0x1234));
          ChainValidator.create(List.of(Pki.CA.certificate()), List.of(crl)).validate(List.of(Pki.LEAF), Pki.FROM.plusSeconds(60));
        }
      }
    }
  }

  static Stream<Arguments> x509Seeds() {
    return Stream.of(
        seed("CA certificate", X509Parser.CERTIFICATE, Pki.CA.certificate().toDer()),
        seed("leaf certificate", X509Parser.CERTIFICATE, Pki.LEAF.toDer()),
        seed("CRL", X509Parser.CRL, Pki.CRL.toDer()));
  }

  /** Seed certificates: fixed names, dates and serials; only the signatures differ from run to run. */
  private static final class Pki {
    static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant TO = Instant.parse("2036-01-01T00:00:00Z");
    static final CertificateAuthority CA = CertificateAuthority.createRoot(new Sm2KeyPair(KEY, KEY.publicKey()),
        "CN=Huitong Fuzz CA,O=Huitong,C=CN", FROM, TO);
    static final Sm2Certificate LEAF = CA.issue(KEY.publicKey(), "CN=window-3,O=City Hall,C=CN", BigInteger.valueOf(0x1234),
        FROM, TO, CertificateProfile.SERVER);
    static final Sm2Crl CRL = CA.crl(List.of(new RevokedCertificate(LEAF.serial(), FROM, RevocationReason.KEY_COMPROMISE)),
        BigInteger.ONE, FROM, TO);
  }

  // ---- harness ----

  /**
   * What {@code parse} returns, or null when it refused the input with a CryptoException, the one allowed way;
   * any other exception escapes to Jazzer as a finding.
   */
  private static <T> T parsed(Supplier<T> parse) {
    try {
      return parse.get();
    } catch (CryptoException refused) {
      return null;
    }
  }

  /** The plaintext, or the error it was refused with; anything but a CryptoException escapes. */
  private static String outcome(Supplier<byte[]> run) {
    try {
      return "plaintext " + Hex.toHexString(run.get());
    } catch (CryptoException e) {
      return "refused " + e.error();
    }
  }

  /** Feeds {@code data} to {@code cipher} in pieces of 1, 2, 3, ... bytes: uneven, and never block-aligned twice. */
  private static byte[] streamed(Sm4Cipher cipher, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    for (int piece = 1; at < data.length; piece++) {
      int n = Math.min(piece, data.length - at);
      out.writeBytes(cipher.update(data, at, n));
      at += n;
    }
    out.writeBytes(cipher.finish());
    return out.toByteArray();
  }

  private static <E extends Enum<E>> E pick(E[] parsers, byte[] input) {
    return parsers[Byte.toUnsignedInt(input[0]) % parsers.length];
  }

  private static byte[] body(byte[] input) {
    return Arrays.copyOfRange(input, 1, input.length);
  }

  /** ISO-8859-1 maps every byte to one char and back, so the fuzzer's byte mutations reach the text unchanged. */
  private static String text(byte[] body) {
    return new String(body, StandardCharsets.ISO_8859_1);
  }

  private static <E extends Enum<E>> Arguments seed(String name, E parser, byte[] body) {
    byte[] input = new byte[body.length + 1];
    input[0] = (byte) parser.ordinal();
    System.arraycopy(body, 0, input, 1, body.length);
    return Arguments.of(Named.of(name, input));
  }
}
