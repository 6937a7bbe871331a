package io.huitong.hub.signing;

import io.huitong.crypto.Sm2;
import io.huitong.crypto.Sm2CipherFormat;
import io.huitong.crypto.Sm2PublicKey;
import io.huitong.crypto.Sm3;
import io.huitong.crypto.x509.CertificateProfile;
import io.huitong.crypto.x509.ChainCheck;
import io.huitong.crypto.x509.RevocationReason;
import io.huitong.crypto.x509.Sm2Certificate;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.JsonBody;
import io.huitong.hub.ops.AdminRoutes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The signing part of the admin API ({@code /api/v1/admin/keys}, {@code sign}, {@code verify}, {@code digest},
 * {@code encrypt}, {@code decrypt}, {@code certificates}, {@code ca}, {@code seals}). Binary values travel as
 * standard base64; digests as hex. The operator guard of {@link AdminRoutes} runs first.
 */
public final class SigningRoutes {
  private static final String P = AdminRoutes.PREFIX;
  private static final int MAX_VALIDITY_DAYS = 3650;

  private final Vertx vertx;
  private final Supplier<Signing> started;
  private final long maxBodySize;

  /** @param started the capability once start-up has opened it, null before */
  public SigningRoutes(Vertx vertx, Supplier<Signing> started, long maxBodySize) {
    this.vertx = vertx;
    this.started = started;
    this.maxBodySize = maxBodySize;
  }

  /** The capability, or a 503 while the database it needs is still starting. */
  private Signing signing() {
    Signing s = started.get();
    if (s == null) {
      throw HubError.NOT_READY.exception("Keys and certificates are available once the database is up");
    }
    return s;
  }

  public void mount(Router router) {
    post(router, "/keys", this::createKey, 201);
    router.get(P + "/keys/:keyId").respond(ctx -> signing().vault().describe(ctx.pathParam("keyId")).map(SigningRoutes::keyJson));
    post(router, "/keys/:keyId/rotate", ctx -> signing().vault().rotate(ctx.pathParam("keyId")).map(SigningRoutes::keyJson), 200);
    post(router, "/sign", this::sign, 200);
    post(router, "/verify", this::verify, 200);
    post(router, "/digest", this::digest, 200);
    post(router, "/encrypt", this::encrypt, 200);
    post(router, "/decrypt", this::decrypt, 200);
    post(router, "/certificates", this::issue, 201);
    router.get(P + "/certificates/:serial").respond(ctx -> signing().pki().certificate(serial(ctx)).map(SigningRoutes::certificateJson));
    post(router, "/certificates/:serial/revoke", this::revoke, 200);
    router.get(P + "/ca/certificate").handler(ctx -> Uni.createFrom().deferred(() -> signing().pki().authority()).subscribe().with(
        cert -> ctx.response().putHeader("Content-Type", "application/x-pem-file").endAndForget(cert.toPem()), ctx::fail));
    router.get(P + "/ca/crl").handler(ctx -> Uni.createFrom().deferred(() -> signing().pki().crl()).subscribe().with(
        crl -> ctx.response().putHeader("Content-Type", "application/pkix-crl").endAndForget(Buffer.buffer(crl.toDer())), ctx::fail));
    post(router, "/seals", this::seal, 201);
    post(router, "/seals/verify", this::verifySeal, 200);
  }

  private void post(Router router, String path, Function<RoutingContext, Uni<JsonObject>> handler, int status) {
    router.post(P + path)
        .handler(BodyHandler.create(false).setBodyLimit(maxBodySize))
        .respond(ctx -> handler.apply(ctx).invoke(() -> ctx.response().setStatusCode(status)));
  }

  private Uni<JsonObject> createKey(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    KeyPurpose purpose = body.choice("purpose", KeyPurpose.class, KeyPurpose.SIGN);
    if (purpose == KeyPurpose.CA) {
      throw HubError.KEY_USAGE.exception("The hub has one certificate authority key; create SIGN, ENCRYPT or TOKEN keys");
    }
    return signing().vault().create(purpose, body.optionalString("label")).map(SigningRoutes::keyJson);
  }

  private Uni<JsonObject> sign(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    return signing().vault().sign(body.string("keyId"), KeyPurpose.SIGN, body.base64("data"), signerId(body))
        .map(s -> new JsonObject().put("signature", b64(s.bytes())).put("keyId", s.keyId()).put("version", s.version()));
  }

  private Uni<JsonObject> verify(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    byte[] data = body.base64("data");
    byte[] signature = body.base64("signature");
    byte[] id = signerId(body);
    String keyId = body.optionalString("keyId");
    String pem = body.optionalString("publicKeyPem");
    if ((keyId == null) == (pem == null)) {
      throw HubError.BAD_REQUEST.exception("Give exactly one of 'keyId' and 'publicKeyPem'");
    }
    Uni<Boolean> valid = keyId != null
        ? signing().vault().verify(keyId, body.integer("version", null, 1, Integer.MAX_VALUE), data, signature, id)
        : offLoop(() -> Sm2.verify(Sm2PublicKey.fromPem(pem), data, signature, id));
    return valid.map(v -> new JsonObject().put("valid", v));
  }

  private Uni<JsonObject> digest(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    byte[] data = body.base64("data");
    String algorithm = body.optionalString("algorithm") == null ? "sm3" : body.optionalString("algorithm");
    return offLoop(() -> switch (algorithm) {
      case "sm3" -> new JsonObject().put("algorithm", "sm3").put("digest", HexFormat.of().formatHex(Sm3.hash(data)));
      case "hmac-sm3" -> new JsonObject().put("algorithm", "hmac-sm3")
          .put("digest", HexFormat.of().formatHex(Sm3.hmac(body.base64("key"), data)));
      default -> throw HubError.BAD_REQUEST.exception("Field 'algorithm' must be sm3 or hmac-sm3");
    });
  }

  private Uni<JsonObject> encrypt(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    byte[] data = body.base64("data");
    String pem = body.optionalString("publicKeyPem");
    if (pem != null) {
      return offLoop(() -> new JsonObject().put("ciphertext", b64(Sm2.encrypt(Sm2PublicKey.fromPem(pem), data, Sm2CipherFormat.ASN1))));
    }
    return signing().vault().encrypt(body.string("keyId"), data)
        .map(s -> new JsonObject().put("ciphertext", b64(s.bytes())).put("keyId", s.keyId()).put("version", s.version()));
  }

  private Uni<JsonObject> decrypt(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    return signing().vault().decrypt(body.string("keyId"), body.integer("version", null, 1, Integer.MAX_VALUE), body.base64("ciphertext"))
        .map(plain -> new JsonObject().put("data", b64(plain)));
  }

  private Uni<JsonObject> issue(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    String keyId = body.optionalString("keyId");
    String pem = body.optionalString("publicKeyPem");
    if ((keyId == null) == (pem == null)) {
      throw HubError.BAD_REQUEST.exception("Give exactly one of 'keyId' and 'publicKeyPem'");
    }
    String subject = body.string("subject");
    Duration validity = Duration.ofDays(body.integer("validityDays", 365, 1, MAX_VALIDITY_DAYS));
    CertificateProfile profile = body.choice("profile", CertificateProfile.class, CertificateProfile.SIGNING);
    if (profile == CertificateProfile.CA) {
      throw HubError.BAD_REQUEST.exception("The hub issues end-entity certificates only");
    }
    Uni<Sm2PublicKey> key = keyId != null
        ? signing().vault().describe(keyId).map(KeyInfo::currentPublicKey)
        : Uni.createFrom().item(() -> Sm2PublicKey.fromPem(pem));
    return key.flatMap(k -> signing().pki().issue(keyId, k, subject, validity, profile)).map(SigningRoutes::certificateJson);
  }

  private Uni<JsonObject> revoke(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    RevocationReason reason = reason(body.optionalString("reason"));
    BigInteger serial = serial(ctx);
    return signing().pki().revoke(serial, reason).map(SigningRoutes::certificateJson);
  }

  private Uni<JsonObject> seal(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    String documentName = body.optionalString("documentName") == null ? "document" : body.optionalString("documentName");
    return signing().seals().seal(body.string("keyId"), body.string("sealName"), documentName, body.base64("document"))
        .map(p -> new JsonObject().put("seal", b64(p.toDer())).put("sealId", p.sealId()).put("sealName", p.sealName())
            .put("sealedAt", p.sealedAt().toString()).put("documentDigest", HexFormat.of().formatHex(p.documentDigest()))
            .put("certificateSerial", p.signer().serial().toString(16)));
  }

  private Uni<JsonObject> verifySeal(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    return signing().seals().verify(body.base64("seal"), body.base64("document")).map(v -> {
      Sm2Certificate signer = v.seal().signer();
      ChainCheck check = v.certificateCheck();
      JsonObject certificate = new JsonObject().put("subject", signer.subject()).put("issuer", signer.issuer())
          .put("serial", signer.serial().toString(16)).put("notBefore", signer.notBefore().toString())
          .put("notAfter", signer.notAfter().toString()).put("valid", check.valid())
          .put("problem", check.problem() == null ? null : check.problem().name()).put("detail", check.detail());
      if (check.revocation() != null) {
        certificate.put("revocationReason", check.revocation().reason().rfcName())
            .put("revokedAt", check.revocation().revokedAt().toString());
      }
      return new JsonObject().put("valid", v.valid()).put("signatureValid", v.signatureValid())
          .put("documentIntact", v.documentIntact()).put("sealId", v.seal().sealId()).put("sealName", v.seal().sealName())
          .put("sealedAt", v.seal().sealedAt().toString()).put("documentName", v.seal().documentName())
          .put("signer", signer.subject()).put("certificate", certificate);
    });
  }

  private static JsonObject keyJson(KeyInfo info) {
    JsonArray versions = new JsonArray();
    info.versions().forEach(v -> versions.add(new JsonObject().put("version", v.version())
        .put("publicKeyPem", v.publicKey().toPem()).put("createdAt", v.createdAt().toString())
        .put("retiredAt", v.retiredAt() == null ? null : v.retiredAt().toString())));
    return new JsonObject().put("keyId", info.keyId()).put("purpose", info.purpose().name()).put("label", info.label())
        .put("version", info.currentVersion()).put("publicKeyPem", info.currentPublicKey().toPem()).put("versions", versions);
  }

  private static JsonObject certificateJson(Pki.Issued issued) {
    Sm2Certificate c = issued.certificate();
    Instant now = Instant.now();
    String status = issued.revokedAt() != null ? "REVOKED" : now.isAfter(c.notAfter()) ? "EXPIRED"
        : now.isBefore(c.notBefore()) ? "NOT_YET_VALID" : "VALID";
    return new JsonObject().put("serial", c.serial().toString(16)).put("subject", c.subject()).put("issuer", c.issuer())
        .put("profile", issued.profile().name()).put("keyId", issued.keyId())
        .put("notBefore", c.notBefore().toString()).put("notAfter", c.notAfter().toString()).put("status", status)
        .put("revokedAt", issued.revokedAt() == null ? null : issued.revokedAt().toString())
        .put("revocationReason", issued.revocationReason() == null ? null : issued.revocationReason().rfcName())
        .put("certificatePem", c.toPem());
  }

  private static BigInteger serial(RoutingContext ctx) {
    String s = ctx.pathParam("serial");
    if (s == null || !s.matches("[0-9a-fA-F]{1,40}")) {
      throw HubError.BAD_REQUEST.exception("A serial number is 1 to 40 hex digits");
    }
    return new BigInteger(s, 16);
  }

  /** Accepts the RFC 5280 name ({@code keyCompromise}) or the constant ({@code KEY_COMPROMISE}); default unspecified. */
  private static RevocationReason reason(String given) {
    if (given == null) {
      return RevocationReason.UNSPECIFIED;
    }
    for (RevocationReason r : RevocationReason.values()) {
      if (r.rfcName().equals(given) || r.name().equalsIgnoreCase(given)) {
        return r;
      }
    }
    throw HubError.BAD_REQUEST.exception("Field 'reason' must be an RFC 5280 reason such as keyCompromise or superseded");
  }

  private static byte[] signerId(JsonBody body) {
    String id = body.optionalString("signerId");
    return id == null ? Sm2.DEFAULT_SIGNER_ID : id.getBytes(StandardCharsets.UTF_8);
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private <T> Uni<T> offLoop(Supplier<T> work) {
    return vertx.executeBlocking(Uni.createFrom().item(work), false);
  }
}
