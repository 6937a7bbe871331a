package io.huitong.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.crypto.x509.CertificateAuthority;
import io.huitong.crypto.x509.CertificateProfile;
import io.huitong.crypto.x509.RevocationReason;
import io.huitong.crypto.x509.RevokedCertificate;
import io.huitong.crypto.x509.Sm2Certificate;
import io.huitong.crypto.x509.Sm2Crl;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Huitong against the real {@code openssl} 3.0 CLI, in both directions: what Huitong writes, OpenSSL reads, and the
 * other way round. OpenSSL is an independent implementation, so agreement here is what a government platform or an
 * operator with OpenSSL will see.
 */
class OpenSslInteropTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Path ANNEX_A = Path.of("..", "..", "shared", "testdata", "sm2-gmt0003-annexA");

  @TempDir
  Path dir;

  // ---- (a) signatures ----

  @Test
  void huitongSignatureVerifiesInOpenSslWithTheStandardId() throws IOException {
    Sm2KeyPair keys = Sm2.generateKeyPair();
    byte[] message = random(1000);
    write("pub.pem", keys.publicKey().toPem());
    write("msg", message);
    write("sig.der", Sm2.sign(keys.privateKey(), message));

    assertTrue(verifyInOpenSsl("pub.pem", "sig.der", "msg").contains("Verified OK"));
    // The same signature over one changed byte must not verify, or "Verified OK" above would prove nothing.
    message[0] ^= 1;
    write("other", message);
    OpenSsl.Result changed = OpenSsl.run(dir, "dgst", "-sm3", "-verify", "pub.pem", "-sigopt", OpenSsl.DISTID,
        "-signature", "sig.der", "other");
    assertNotEquals(0, changed.exitCode());
    assertTrue(changed.text().contains("Verification failure"), changed.text());
  }

  @Test
  void openSslSignatureVerifiesInHuitong() throws IOException {
    OpenSsl.ok(dir, "genpkey", "-algorithm", "SM2", "-out", "key.pem");
    OpenSsl.ok(dir, "pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");
    byte[] message = random(1000);
    write("msg", message);
    OpenSsl.ok(dir, "dgst", "-sm3", "-sign", "key.pem", "-sigopt", OpenSsl.DISTID, "-out", "sig.der", "msg");

    Sm2PublicKey pub = Sm2PublicKey.fromPem(read("pub.pem"));
    byte[] der = Files.readAllBytes(dir.resolve("sig.der"));
    assertTrue(Sm2.verify(pub, message, der));
    // Device APIs hand over raw r||s; it is the same signature.
    assertTrue(Sm2.verify(pub, message, Sm2.rawSignature(der)));
    assertFalse(Sm2.verify(pub, "another message".getBytes(StandardCharsets.UTF_8), der));
  }

  @Test
  void openSslSignatureMadeWithoutDistidIsOnlyValidUnderTheEmptyId() throws IOException {
    // The pitfall of reference §B4: forget -sigopt and OpenSSL 3.0 signs with the empty ID, which Huitong
    // rejects by default and accepts only when told that ID.
    OpenSsl.ok(dir, "genpkey", "-algorithm", "SM2", "-out", "key.pem");
    OpenSsl.ok(dir, "pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");
    byte[] message = random(100);
    write("msg", message);
    OpenSsl.ok(dir, "dgst", "-sm3", "-sign", "key.pem", "-out", "sig.der", "msg");

    Sm2PublicKey pub = Sm2PublicKey.fromPem(read("pub.pem"));
    byte[] sig = Files.readAllBytes(dir.resolve("sig.der"));
    assertFalse(Sm2.verify(pub, message, sig));
    assertTrue(Sm2.verify(pub, message, sig, new byte[0]));
  }

  @Test
  void gmt0003AnnexAVectorsAgreeInBoth() throws IOException {
    Sm2PublicKey pub = Sm2PublicKey.fromPem(Files.readString(ANNEX_A.resolve("annexA_pub.pem")));
    Sm2PrivateKey priv = Sm2PrivateKey.fromPem(Files.readString(ANNEX_A.resolve("annexA_priv.pem")));
    byte[] message = Files.readAllBytes(ANNEX_A.resolve("annexA_msg.txt"));
    byte[] signature = Files.readAllBytes(ANNEX_A.resolve("annexA_sig.der"));
    byte[] ciphertext = Files.readAllBytes(ANNEX_A.resolve("annexA_ct.der"));

    assertTrue(Sm2.verify(pub, message, signature));
    assertArrayEquals("encryption standard".getBytes(StandardCharsets.US_ASCII), Sm2.decrypt(priv, ciphertext));

    String vectors = ANNEX_A.toAbsolutePath().normalize() + "/";
    assertTrue(OpenSsl.ok(dir, "dgst", "-sm3", "-verify", vectors + "annexA_pub.pem", "-sigopt", OpenSsl.DISTID,
        "-signature", vectors + "annexA_sig.der", vectors + "annexA_msg.txt").out().contains("Verified OK"));
    assertEquals("encryption standard", OpenSsl.ok(dir, "pkeyutl", "-decrypt", "-inkey", vectors + "annexA_priv.pem",
        "-in", vectors + "annexA_ct.der").out());
  }

  // ---- (b) encryption ----

  @Test
  void huitongCiphertextDecryptsInOpenSsl() throws IOException {
    Sm2KeyPair keys = Sm2.generateKeyPair();
    byte[] plaintext = random(300);
    write("key.pem", keys.privateKey().toPem());
    write("asn1.der", Sm2.encrypt(keys.publicKey(), plaintext, Sm2CipherFormat.ASN1));
    // Raw C1||C3||C2, wrapped afterwards, is what a caller holding the raw form would send to OpenSSL.
    write("wrapped.der", Sm2.toAsn1(Sm2.encrypt(keys.publicKey(), plaintext, Sm2CipherFormat.C1C3C2)));

    assertArrayEquals(plaintext, OpenSsl.ok(dir, "pkeyutl", "-decrypt", "-inkey", "key.pem", "-in", "asn1.der").stdout());
    assertArrayEquals(plaintext, OpenSsl.ok(dir, "pkeyutl", "-decrypt", "-inkey", "key.pem", "-in", "wrapped.der").stdout());
  }

  @Test
  void openSslCiphertextDecryptsInHuitong() throws IOException {
    Sm2KeyPair keys = Sm2.generateKeyPair();
    byte[] plaintext = random(300);
    write("pub.pem", keys.publicKey().toPem());
    write("plain", plaintext);
    OpenSsl.ok(dir, "pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "plain", "-out", "ct.der");

    byte[] ciphertext = Files.readAllBytes(dir.resolve("ct.der"));
    assertArrayEquals(plaintext, Sm2.decrypt(keys.privateKey(), ciphertext));
    assertArrayEquals(plaintext, Sm2.decrypt(keys.privateKey(), Sm2.fromAsn1(ciphertext)));
  }

  // ---- (c) SM4 ----

  @ParameterizedTest(name = "{0}")
  @CsvSource({"CBC, sm4-cbc", "CTR, sm4-ctr"})
  void sm4AgreesWithOpenSslByteForByteInBothDirections(Sm4Mode mode, String opensslCipher) throws IOException {
    byte[] key = Sm4.newKey();
    byte[] iv = Sm4.newIv(mode);
    byte[] plaintext = random(1000 + 5); // not a whole number of blocks, so CBC padding is exercised
    write("plain", plaintext);
    byte[] ours = Sm4.encrypt(mode, key, iv, null, plaintext);
    write("ours", ours);

    OpenSsl.Result theirs = OpenSsl.ok(dir, "enc", "-" + opensslCipher, "-K", Hex.toHexString(key),
        "-iv", Hex.toHexString(iv), "-in", "plain");
    // Both modes are deterministic for a given key and IV, so the bytes themselves must match.
    assertArrayEquals(ours, theirs.stdout());
    assertArrayEquals(plaintext, OpenSsl.ok(dir, "enc", "-d", "-" + opensslCipher, "-K", Hex.toHexString(key),
        "-iv", Hex.toHexString(iv), "-in", "ours").stdout());
    assertArrayEquals(plaintext, Sm4.decrypt(mode, key, iv, null, theirs.stdout()));
  }

  // ---- (d) certificates and CRLs ----

  @Test
  void issuedCertificateVerifiesInOpenSsl() throws IOException {
    Pki pki = new Pki();
    write("ca.pem", pki.ca.certificate().toPem());
    write("leaf.pem", pki.leaf.toPem());

    OpenSsl.Result verify = OpenSsl.ok(dir, "verify", "-vfyopt", OpenSsl.DISTID, "-CAfile", "ca.pem", "leaf.pem");
    assertEquals("leaf.pem: OK", verify.out().trim());
    String text = OpenSsl.ok(dir, "x509", "-in", "leaf.pem", "-noout", "-text").out();
    assertTrue(text.contains("Signature Algorithm: SM2-with-SM3"), text);
    assertTrue(text.contains("ASN1 OID: SM2"), text);
    assertTrue(text.contains("TLS Web Server Authentication"), text);
  }

  @Test
  void openSslRejectsTheCertificateOnceOneByteOfItsSubjectChanges() throws IOException {
    // Shows that "OK" above comes from checking the SM2 signature, not from matching names and key identifiers.
    Pki pki = new Pki();
    String der = new String(pki.leaf.toDer(), StandardCharsets.ISO_8859_1);
    assertTrue(der.contains("window-3.example"));
    write("ca.pem", pki.ca.certificate().toPem());
    write("altered.der", der.replace("window-3.example", "window-8.example").getBytes(StandardCharsets.ISO_8859_1));
    OpenSsl.ok(dir, "x509", "-inform", "DER", "-in", "altered.der", "-out", "altered.pem");

    OpenSsl.Result verify = OpenSsl.run(dir, "verify", "-vfyopt", OpenSsl.DISTID, "-CAfile", "ca.pem", "altered.pem");
    assertNotEquals(0, verify.exitCode());
    assertTrue(verify.text().contains("certificate signature failure"), verify.text());
  }

  @Test
  void selfSignedRootSignatureVerifiesInOpenSslWhenCheckedByHand() throws IOException {
    // openssl verify never checks a trust anchor's own signature, and -check_ss_sig ignores -vfyopt
    // (openssl#32744), so the TBS part and signature are handed to openssl dgst directly.
    Pki pki = new Pki();
    Certificate root = Certificate.getInstance(pki.ca.certificate().toDer());
    write("ca.pem", pki.ca.certificate().toPem());
    write("tbs.der", root.getTBSCertificate().getEncoded("DER"));
    write("sig.der", root.getSignature().getOctets());
    write("pub.pem", OpenSsl.ok(dir, "x509", "-in", "ca.pem", "-noout", "-pubkey").stdout());

    assertTrue(verifyInOpenSsl("pub.pem", "sig.der", "tbs.der").contains("Verified OK"));
  }

  @Test
  void crlReadsInOpenSslWithTheRevokedSerialAndReason() throws IOException {
    Pki pki = new Pki();
    write("crl.pem", pki.crl.toPem());

    String text = OpenSsl.ok(dir, "crl", "-in", "crl.pem", "-noout", "-text").out();
    assertTrue(text.contains("Signature Algorithm: SM2-with-SM3"), text);
    assertTrue(text.contains("Issuer: CN = Huitong Interop Root, O = Huitong, C = CN"), text);
    assertTrue(text.contains("Serial Number: " + pki.revoked.serial().toString(16).toUpperCase(Locale.ROOT)), text);
    assertFalse(text.contains(pki.leaf.serial().toString(16).toUpperCase(Locale.ROOT)), text);
    assertTrue(text.contains("Key Compromise"), text);
  }

  @Test
  void crlSignatureVerifiesInOpenSslUnderTheStandardIdWhichOpenSslVerifyCannotBeGiven() throws IOException {
    Pki pki = new Pki();
    CertificateList crl = CertificateList.getInstance(pki.crl.toDer());
    write("ca.pem", pki.ca.certificate().toPem());
    write("leaf.pem", pki.leaf.toPem());
    write("crl.pem", pki.crl.toPem());
    write("tbs.der", crl.getTBSCertList().getEncoded("DER"));
    write("sig.der", crl.getSignature().getOctets());
    write("pub.pem", pki.ca.certificate().publicKey().toPem());

    // The CRL is signed as GB/T 35276 says, with the standard ID ...
    assertTrue(verifyInOpenSsl("pub.pem", "sig.der", "tbs.der").contains("Verified OK"));
    // ... but OpenSSL 3.0 verifies CRLs with the empty ID, and -vfyopt reaches only the certificate, so openssl
    // verify -crl_check refuses every Huitong CRL, even for a certificate that is not revoked. Operators must
    // check revocation with Huitong (ChainValidator), not with openssl verify -crl_check.
    OpenSsl.Result verify = OpenSsl.run(dir, "verify", "-vfyopt", OpenSsl.DISTID, "-crl_check", "-CRLfile", "crl.pem",
        "-CAfile", "ca.pem", "leaf.pem");
    assertNotEquals(0, verify.exitCode());
    assertTrue(verify.text().contains("CRL signature failure"), verify.text());
  }

  @Test
  void openSslRevocationCheckRejectsTheRevokedLeafAndAcceptsTheOther() throws IOException {
    Pki pki = new Pki();
    write("ca.pem", pki.ca.certificate().toPem());
    write("leaf.pem", pki.leaf.toPem());
    write("revoked.pem", pki.revoked.toPem());
    // The CRL's content exactly as Huitong made it, signed again with the empty ID that openssl verify uses for
    // CRLs (see the test above): this checks what OpenSSL makes of the entries, issuer and dates.
    write("crl.pem", pki.crlSignedWithTheEmptyId());

    OpenSsl.Result revoked = OpenSsl.run(dir, "verify", "-vfyopt", OpenSsl.DISTID, "-crl_check", "-CRLfile", "crl.pem",
        "-CAfile", "ca.pem", "revoked.pem");
    assertNotEquals(0, revoked.exitCode());
    assertTrue(revoked.text().contains("certificate revoked"), revoked.text());
    OpenSsl.Result valid = OpenSsl.ok(dir, "verify", "-vfyopt", OpenSsl.DISTID, "-crl_check", "-CRLfile", "crl.pem",
        "-CAfile", "ca.pem", "leaf.pem");
    assertEquals("leaf.pem: OK", valid.out().trim());
  }

  // ---- (e) keys and digests ----

  @Test
  void huitongPrivateKeyReadsInOpenSslWithTheSamePublicKey() throws IOException {
    Sm2KeyPair keys = Sm2.generateKeyPair();
    write("key.pem", keys.privateKey().toPem());

    assertEquals(keys.publicKey().toPem(), OpenSsl.ok(dir, "pkey", "-in", "key.pem", "-pubout").out());
    assertTrue(OpenSsl.ok(dir, "pkey", "-in", "key.pem", "-noout", "-text").out().contains("ASN1 OID: SM2"));
  }

  /**
   * Keys from the three ways an operator makes one with OpenSSL 3.0. The SEC1 form is written by {@code openssl ec}
   * under the label {@code SM2 PRIVATE KEY}, which Huitong does not read; other tools (and OpenSSL 1.1) write the
   * same DER as {@code EC PRIVATE KEY}, so the test relabels it.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"genpkey", "ecparam", "sec1"})
  void openSslKeyLoadsAndSignsWhatOpenSslVerifies(String how) throws IOException {
    switch (how) {
      case "genpkey" -> OpenSsl.ok(dir, "genpkey", "-algorithm", "SM2", "-out", "key.pem");
      case "ecparam" -> OpenSsl.ok(dir, "ecparam", "-name", "SM2", "-genkey", "-noout", "-out", "key.pem");
      default -> {
        OpenSsl.ok(dir, "genpkey", "-algorithm", "SM2", "-out", "pkcs8.pem");
        OpenSsl.ok(dir, "ec", "-in", "pkcs8.pem", "-out", "sm2.pem");
        String sec1 = read("sm2.pem");
        assertTrue(sec1.startsWith("-----BEGIN SM2 PRIVATE KEY-----"), sec1);
        write("key.pem", sec1.replace("SM2 PRIVATE KEY", "EC PRIVATE KEY"));
      }
    }
    OpenSsl.ok(dir, "pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");

    Sm2PrivateKey key = Sm2PrivateKey.fromPem(read("key.pem"));
    assertEquals(Sm2PublicKey.fromPem(read("pub.pem")), key.publicKey());
    byte[] message = random(500);
    write("msg", message);
    write("sig.der", Sm2.sign(key, message));
    assertTrue(verifyInOpenSsl("pub.pem", "sig.der", "msg").contains("Verified OK"));
  }

  @Test
  void sm3AndHmacSm3OfAMebibyteMatchOpenSsl() throws IOException {
    byte[] data = random(1 << 20);
    byte[] key = random(40); // longer than nothing, shorter than a block: the common HMAC key case
    write("data", data);

    String sm3 = digestHex(OpenSsl.ok(dir, "dgst", "-sm3", "data").out());
    String hmac = digestHex(OpenSsl.ok(dir, "dgst", "-sm3", "-mac", "HMAC", "-macopt", "hexkey:" + Hex.toHexString(key),
        "data").out());

    assertEquals(sm3, Hex.toHexString(Sm3.hash(data)));
    assertEquals(hmac, Hex.toHexString(Sm3.hmac(key, data)));
    // The streaming form, fed in uneven chunks as a file upload arrives, gives the same MAC.
    Sm3 streaming = Sm3.newHmac(key);
    for (int at = 0; at < data.length; at += 65_537) {
      streaming.update(data, at, Math.min(65_537, data.length - at));
    }
    assertEquals(hmac, Hex.toHexString(streaming.finish()));
  }

  /** A key shorter than a block and one longer (hashed first); each MAC computed again and on another thread. */
  @Test
  void hmacSm3UnderAFixedKeyMatchesOpenSslEachTimeOnEachThread() throws Exception {
    for (int keyLength : new int[] {40, 100}) {
      byte[] key = random(keyLength);
      Sm3Mac mac = new Sm3Mac(key);
      for (int length : new int[] {0, 43, 1000}) {
        byte[] data = random(length);
        write("data", data);
        String expected = digestHex(OpenSsl.ok(dir, "dgst", "-sm3", "-mac", "HMAC", "-macopt",
            "hexkey:" + Hex.toHexString(key), "data").out());
        assertEquals(expected, Hex.toHexString(mac.of(data)), "key " + keyLength + ", data " + length);
        assertEquals(expected, Hex.toHexString(mac.of(data)), "the same MAC the second time");
        CompletableFuture<byte[]> elsewhere = new CompletableFuture<>();
        Thread other = new Thread(() -> elsewhere.complete(mac.of(data)));
        other.start();
        assertEquals(expected, Hex.toHexString(elsewhere.get(10, TimeUnit.SECONDS)));
      }
    }
  }

  // ---- helpers ----

  /** A root CA with one valid leaf, one revoked leaf (key compromise) and the CA's CRL listing it. */
  private static final class Pki {
    final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
    final Sm2KeyPair caKeys = Sm2.generateKeyPair();
    final CertificateAuthority ca = CertificateAuthority.createRoot(caKeys, "CN=Huitong Interop Root,O=Huitong,C=CN",
        start, start.plus(Duration.ofDays(365)));
    final Sm2Certificate leaf = ca.issue(Sm2.generateKeyPair().publicKey(), "CN=window-3.example,O=City Hall,C=CN",
        CertificateAuthority.randomSerial(), start, start.plus(Duration.ofDays(30)), CertificateProfile.SERVER);
    final Sm2Certificate revoked = ca.issue(Sm2.generateKeyPair().publicKey(), "CN=window-4.example,O=City Hall,C=CN",
        CertificateAuthority.randomSerial(), start, start.plus(Duration.ofDays(30)), CertificateProfile.SIGNING);
    final Sm2Crl crl = ca.crl(
        List.of(new RevokedCertificate(revoked.serial(), start.plus(Duration.ofMinutes(30)), RevocationReason.KEY_COMPROMISE)),
        BigInteger.ONE, start.plus(Duration.ofMinutes(31)), start.plus(Duration.ofDays(7)));

    String crlSignedWithTheEmptyId() throws IOException {
      CertificateList list = CertificateList.getInstance(crl.toDer());
      byte[] signature = Sm2.sign(caKeys.privateKey(), list.getTBSCertList().getEncoded("DER"), new byte[0]);
      ASN1EncodableVector v = new ASN1EncodableVector();
      v.add(list.getTBSCertList());
      v.add(list.getSignatureAlgorithm());
      v.add(new DERBitString(signature));
      return "-----BEGIN X509 CRL-----\n" + Base64.getMimeEncoder().encodeToString(new DERSequence(v).getEncoded("DER"))
          + "\n-----END X509 CRL-----\n";
    }
  }

  private String verifyInOpenSsl(String pub, String sig, String data) {
    return OpenSsl.ok(dir, "dgst", "-sm3", "-verify", pub, "-sigopt", OpenSsl.DISTID, "-signature", sig, data).out();
  }

  /** The hex digest in an {@code openssl dgst} line such as {@code SM3(data)= 66c7...}. */
  private static String digestHex(String line) {
    Matcher m = Pattern.compile("= ([0-9a-f]{64})\\s*$").matcher(line);
    assertTrue(m.find(), line);
    return m.group(1);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private void write(String name, byte[] content) throws IOException {
    Files.write(dir.resolve(name), content);
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
  }

  private String read(String name) throws IOException {
    return Files.readString(dir.resolve(name), StandardCharsets.US_ASCII);
  }
}
