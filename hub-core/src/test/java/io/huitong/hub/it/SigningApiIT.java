package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys, signatures, encryption, certificates and seals through the admin API of a running hub, with OpenSSL as the
 * independent judge of what the hub produces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SigningApiIT {
  private Path dir;
  private HubProcess hub;

  @BeforeAll
  void start(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    hub = HubProcess.embedded(dir.resolve("hub"), "signing").start();
    hub.awaitReady(Duration.ofSeconds(90));
  }

  @AfterAll
  void stop() throws Exception {
    hub.close();
  }

  private HttpResponse<String> post(String path, JsonObject body) throws Exception {
    return hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/admin" + path))
        .header("Authorization", "Bearer " + hub.token()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return hub.get("/api/v1/admin" + path, "Authorization", "Bearer " + hub.token());
  }

  private JsonObject ok(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  private static void assertProblem(HttpResponse<String> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
    assertEquals(code, new JsonObject(r.body()).getString("code"), r.body());
  }

  private JsonObject newKey(String purpose) throws Exception {
    return ok(post("/keys", new JsonObject().put("purpose", purpose).put("label", "test " + purpose)), 201);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private Path write(String name, byte[] bytes) throws Exception {
    return Files.write(dir.resolve(name), bytes);
  }

  /** Runs openssl; returns its exit code with stdout and stderr together. */
  private static OpenSslRun openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("openssl did not finish: " + command);
    }
    return new OpenSslRun(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private record OpenSslRun(int exit, String output) {
  }

  @Test
  void signaturesVerifyInOpenSslAndSurviveRotation() throws Exception {
    JsonObject key = newKey("sign");
    String keyId = key.getString("keyId");
    assertEquals(1, key.getInteger("version"));
    String data = b64("办件 CASE-2026-0001 受理");
    JsonObject signed = ok(post("/sign", new JsonObject().put("keyId", keyId).put("data", data)), 200);
    assertEquals(1, signed.getInteger("version"));

    Path pub = write("sign.pub", key.getString("publicKeyPem"));
    Path msg = write("msg.txt", Base64.getDecoder().decode(data));
    Path sig = write("sig.der", Base64.getDecoder().decode(signed.getString("signature")));
    OpenSslRun verified = openssl("dgst", "-sm3", "-verify", pub.toString(), "-sigopt", "distid:1234567812345678",
        "-signature", sig.toString(), msg.toString());
    assertEquals(0, verified.exit(), verified.output());
    assertTrue(verified.output().contains("Verified OK"), verified.output());

    JsonObject check = new JsonObject().put("keyId", keyId).put("data", data).put("signature", signed.getString("signature"));
    assertTrue(ok(post("/verify", check), 200).getBoolean("valid"));
    assertFalse(ok(post("/verify", check.copy().put("data", b64("tampered"))), 200).getBoolean("valid"));
    assertTrue(ok(post("/verify", new JsonObject().put("publicKeyPem", key.getString("publicKeyPem")).put("data", data)
        .put("signature", signed.getString("signature"))), 200).getBoolean("valid"));

    JsonObject rotated = ok(post("/keys/" + keyId + "/rotate", new JsonObject()), 200);
    assertEquals(2, rotated.getInteger("version"));
    assertEquals(2, rotated.getJsonArray("versions").size());
    assertNotNull(rotated.getJsonArray("versions").getJsonObject(1).getString("retiredAt"), rotated.encode());
    JsonObject signedAgain = ok(post("/sign", new JsonObject().put("keyId", keyId).put("data", data)), 200);
    assertEquals(2, signedAgain.getInteger("version"), "the new version signs");
    assertTrue(ok(post("/verify", check), 200).getBoolean("valid"), "the old version still verifies");
    assertFalse(ok(post("/verify", check.copy().put("version", 2)), 200).getBoolean("valid"));
    assertFalse(ok(post("/verify", new JsonObject().put("publicKeyPem", rotated.getString("publicKeyPem")).put("data", data)
        .put("signature", signed.getString("signature"))), 200).getBoolean("valid"));
  }

  @Test
  void eachKeyServesOnlyItsPurpose() throws Exception {
    String encryptKey = newKey("encrypt").getString("keyId");
    String signKey = newKey("sign").getString("keyId");
    assertProblem(post("/sign", new JsonObject().put("keyId", encryptKey).put("data", b64("x"))), 409, "HT-KEY-USAGE");
    assertProblem(post("/encrypt", new JsonObject().put("keyId", signKey).put("data", b64("x"))), 409, "HT-KEY-USAGE");
    assertProblem(post("/keys", new JsonObject().put("purpose", "CA")), 409, "HT-KEY-USAGE");
    assertProblem(post("/sign", new JsonObject().put("keyId", "no-such-key").put("data", b64("x"))), 404, "HT-KEY-NOT-FOUND");
  }

  @Test
  void encryptionRoundTripsAcrossRotationAndInteroperatesWithOpenSsl() throws Exception {
    String keyId = newKey("encrypt").getString("keyId");
    String data = b64("身份证号 110101199003071234");
    String ciphertext = ok(post("/encrypt", new JsonObject().put("keyId", keyId).put("data", data)), 200).getString("ciphertext");
    ok(post("/keys/" + keyId + "/rotate", new JsonObject()), 200);
    assertEquals(data, ok(post("/decrypt", new JsonObject().put("keyId", keyId).put("ciphertext", ciphertext)), 200)
        .getString("data"), "ciphertext made for version 1 decrypts after rotation");

    byte[] altered = Base64.getDecoder().decode(ciphertext);
    altered[altered.length - 1] ^= 1;
    assertProblem(post("/decrypt", new JsonObject().put("keyId", keyId)
        .put("ciphertext", Base64.getEncoder().encodeToString(altered))), 400, "HT-CIPHERTEXT-INVALID");

    Path priv = dir.resolve("openssl-enc.key");
    assertEquals(0, openssl("genpkey", "-algorithm", "SM2", "-out", priv.toString()).exit());
    OpenSslRun pub = openssl("pkey", "-in", priv.toString(), "-pubout");
    String toOpenSsl = ok(post("/encrypt", new JsonObject().put("publicKeyPem", pub.output()).put("data", data)), 200)
        .getString("ciphertext");
    Path ct = write("to-openssl.der", Base64.getDecoder().decode(toOpenSsl));
    Path plain = dir.resolve("from-hub.txt");
    OpenSslRun decrypted = openssl("pkeyutl", "-decrypt", "-inkey", priv.toString(), "-in", ct.toString(), "-out", plain.toString());
    assertEquals(0, decrypted.exit(), decrypted.output());
    assertEquals("身份证号 110101199003071234", Files.readString(plain));
  }

  @Test
  void digestsMatchTheStandardVectors() throws Exception {
    assertEquals("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
        ok(post("/digest", new JsonObject().put("data", b64("abc"))), 200).getString("digest"));
    assertEquals("28e63256e7c5a087b1f073265dc53092163f7b82729735d06f28f10af9d52393",
        ok(post("/digest", new JsonObject().put("data", b64("abc")).put("algorithm", "hmac-sm3").put("key", b64("key"))), 200)
            .getString("digest"));
  }

  @Test
  void certificatesVerifyInOpenSslAndRevocationShowsInTheCrl() throws Exception {
    String keyId = newKey("sign").getString("keyId");
    JsonObject cert = ok(post("/certificates", new JsonObject().put("keyId", keyId)
        .put("subject", "CN=Window 3,O=City Hall,C=CN").put("validityDays", 30)), 201);
    assertEquals("VALID", cert.getString("status"));
    HttpResponse<String> caResponse = get("/ca/certificate");
    assertEquals(200, caResponse.statusCode());
    Path ca = write("ca.pem", caResponse.body());
    Path leaf = write("leaf.pem", cert.getString("certificatePem"));
    OpenSslRun verified = openssl("verify", "-vfyopt", "distid:1234567812345678", "-CAfile", ca.toString(), leaf.toString());
    assertEquals(0, verified.exit(), verified.output());
    assertTrue(verified.output().contains(": OK"), verified.output());

    String serial = cert.getString("serial");
    JsonObject revoked = ok(post("/certificates/" + serial + "/revoke", new JsonObject().put("reason", "keyCompromise")), 200);
    assertEquals("REVOKED", revoked.getString("status"));
    assertEquals("keyCompromise", revoked.getString("revocationReason"));
    assertEquals("REVOKED", ok(get("/certificates/" + serial), 200).getString("status"));

    HttpResponse<byte[]> crl = HubProcess.HTTP.send(HttpRequest.newBuilder(hub.uri("/api/v1/admin/ca/crl"))
        .header("Authorization", "Bearer " + hub.token()).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, crl.statusCode());
    assertEquals("application/pkix-crl", crl.headers().firstValue("Content-Type").orElse(""));
    Path crlDer = write("crl.der", crl.body());
    Path crlPem = dir.resolve("crl.pem");
    assertEquals(0, openssl("crl", "-inform", "DER", "-in", crlDer.toString(), "-out", crlPem.toString()).exit());
    OpenSslRun text = openssl("crl", "-in", crlPem.toString(), "-noout", "-text");
    assertTrue(text.output().toUpperCase().contains(serial.toUpperCase()) && text.output().contains("Key Compromise"), text.output());
    // OpenSSL 3.0 checks CRL signatures with its empty default SM2 ID and takes no ID for CRLs, so
    // `openssl verify -crl_check` cannot judge a CRL signed with the standard ID (GB/T 35276). Let it judge the
    // signature itself: the CRL's TBS part and signature, verified with the CA's public key and that ID.
    org.bouncycastle.asn1.x509.CertificateList list = org.bouncycastle.asn1.x509.CertificateList.getInstance(crl.body());
    Path tbs = write("crl-tbs.der", list.getTBSCertList().getEncoded("DER"));
    Path crlSig = write("crl-sig.der", list.getSignature().getOctets());
    Path caPub = write("ca.pub", openssl("x509", "-in", ca.toString(), "-noout", "-pubkey").output());
    OpenSslRun crlSigned = openssl("dgst", "-sm3", "-verify", caPub.toString(), "-sigopt", "distid:1234567812345678",
        "-signature", crlSig.toString(), tbs.toString());
    assertTrue(crlSigned.output().contains("Verified OK"), crlSigned.output());

    assertProblem(post("/certificates/" + serial + "0/revoke", new JsonObject()), 404, "HT-CERTIFICATE-NOT-FOUND");
    assertProblem(get("/certificates/not-hex"), 400, "HT-BAD-REQUEST");
  }

  @Test
  void sealsReportSignerTimeCertificateAndAlteration() throws Exception {
    String keyId = newKey("sign").getString("keyId");
    assertProblem(post("/seals", new JsonObject().put("keyId", keyId).put("sealName", "业务专用章").put("document", b64("x"))),
        404, "HT-CERTIFICATE-NOT-FOUND");
    String serial = ok(post("/certificates", new JsonObject().put("keyId", keyId)
        .put("subject", "CN=Municipal Service Centre,O=City Hall,C=CN")), 201).getString("serial");
    String document = b64("准予行政许可决定书 No. 2026-0001");
    JsonObject sealed = ok(post("/seals", new JsonObject().put("keyId", keyId).put("sealName", "政务服务中心业务专用章")
        .put("documentName", "LICENCE-2026-0001").put("document", document)), 201);
    assertEquals(serial, sealed.getString("certificateSerial"));

    JsonObject report = ok(post("/seals/verify", new JsonObject().put("seal", sealed.getString("seal")).put("document", document)), 200);
    assertTrue(report.getBoolean("valid"), report.encode());
    assertEquals("政务服务中心业务专用章", report.getString("sealName"));
    assertEquals("CN=Municipal Service Centre,O=City Hall,C=CN", report.getString("signer"));
    assertEquals(sealed.getString("sealedAt"), report.getString("sealedAt"));
    assertEquals("CN=Huitong Development CA,O=Huitong,C=CN", report.getJsonObject("certificate").getString("issuer"));
    assertTrue(report.getJsonObject("certificate").getBoolean("valid"));

    JsonObject altered = ok(post("/seals/verify", new JsonObject().put("seal", sealed.getString("seal"))
        .put("document", b64("准予行政许可决定书 No. 2026-0002"))), 200);
    assertFalse(altered.getBoolean("valid"));
    assertFalse(altered.getBoolean("documentIntact"));
    assertTrue(altered.getBoolean("signatureValid"));

    ok(post("/certificates/" + serial + "/revoke", new JsonObject().put("reason", "superseded")), 200);
    assertProblem(post("/seals", new JsonObject().put("keyId", keyId).put("sealName", "业务专用章").put("document", document)),
        409, "HT-CERTIFICATE-REVOKED");
    assertProblem(post("/seals/verify", new JsonObject().put("seal", b64("not a seal")).put("document", document)),
        400, "HT-MALFORMED-DER");
  }

  @Test
  void badInputIsAProblemNeverAServerError() throws Exception {
    assertProblem(post("/verify", new JsonObject().put("publicKeyPem", "not pem").put("data", b64("x")).put("signature", b64("x"))),
        400, "HT-MALFORMED-PEM");
    // A valid SPKI header around a point that is not on the SM2 curve.
    String offCurve = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAECfnfMR5UIaFQ3X0WHkvFxnIXn60Y\n"
        + "M/wHa7CP81bzUCDM6kkM4md1pS3G6nGMwapgCu0F+/NeCEpmMvYHLamtFA==\n-----END PUBLIC KEY-----\n";
    assertProblem(post("/verify", new JsonObject().put("publicKeyPem", offCurve).put("data", b64("x")).put("signature", b64("x"))),
        400, "HT-POINT-NOT-ON-CURVE");
    String keyId = newKey("sign").getString("keyId");
    assertProblem(post("/verify", new JsonObject().put("keyId", keyId).put("data", b64("x")).put("signature", b64("short"))),
        400, "HT-SIGNATURE-MALFORMED");
    assertProblem(post("/sign", new JsonObject().put("keyId", keyId).put("data", "***")), 400, "HT-BAD-REQUEST");
    assertProblem(post("/sign", new JsonObject().put("data", b64("x"))), 400, "HT-BAD-REQUEST");
    assertProblem(hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/admin/sign")).header("Authorization", "Bearer " + hub.token())
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{not json"))), 400, "HT-BAD-REQUEST");
    assertProblem(hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/admin/sign")).header("Authorization", "Bearer " + hub.token())
        .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString("a,b"))), 415, "HT-UNSUPPORTED-MEDIA-TYPE");
    assertProblem(post("/certificates", new JsonObject().put("keyId", keyId).put("subject", "not a name")), 422,
        "HT-CERTIFICATE-INVALID");
    assertProblem(post("/sign", new JsonObject().put("data", b64("x"))), 400, "HT-BAD-REQUEST");
    assertFalse(hub.stdout().contains("HT-INTERNAL"), "no request ended as an internal error");
  }
}
