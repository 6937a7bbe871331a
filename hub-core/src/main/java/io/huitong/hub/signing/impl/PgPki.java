package io.huitong.hub.signing.impl;

import io.huitong.crypto.Sm2PublicKey;
import io.huitong.crypto.x509.CertificateAuthority;
import io.huitong.crypto.x509.CertificateProfile;
import io.huitong.crypto.x509.ChainCheck;
import io.huitong.crypto.x509.ChainValidator;
import io.huitong.crypto.x509.RevocationReason;
import io.huitong.crypto.x509.RevokedCertificate;
import io.huitong.crypto.x509.Sm2Certificate;
import io.huitong.crypto.x509.Sm2Crl;
import io.huitong.hub.http.HubError;
import io.huitong.hub.signing.KeyPurpose;
import io.huitong.hub.signing.Pki;
import io.huitong.hub.signing.SigningConfig;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** {@link Pki} whose authority key lives in the vault and whose records live in {@code signing.certificate}. */
public final class PgPki implements Pki {
  /** The vault key id of the authority. */
  static final String AUTHORITY_KEY = "huitong-ca";
  private static final String SELECT = "SELECT serial, key_id, profile, der, revoked_at, revocation_reason "
      + "FROM signing.certificate";

  private final Vertx vertx;
  private final Storage storage;
  private final PgKeyVault vault;
  private final SigningConfig config;
  private volatile CertificateAuthority authority;

  public PgPki(Vertx vertx, Storage storage, PgKeyVault vault, SigningConfig config) {
    this.vertx = vertx;
    this.storage = storage;
    this.vault = vault;
    this.config = config;
  }

  /**
   * Loads the authority, creating its key and self-signed certificate on the first start of the first member. An
   * advisory lock makes members that start together create it once.
   */
  public Uni<Void> open() {
    return storage.pool().flatMap(pool -> pool.withTransaction(tx -> tx
        .query("SELECT pg_advisory_xact_lock(hashtext('signing.authority'))").execute()
        .flatMap(locked -> tx.query(SELECT + " WHERE is_authority").execute())
        .flatMap(rows -> {
          if (rows.size() > 0) {
            return Uni.createFrom().item(Sm2Certificate.fromDer(rows.iterator().next().getBuffer("der").getBytes()));
          }
          Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
          return vault.createOn(tx, AUTHORITY_KEY, KeyPurpose.CA, "the hub's certificate authority")
              .flatMap(info -> vault.privateKeyOn(tx, AUTHORITY_KEY, 1, KeyPurpose.CA))
              .flatMap(key -> offLoop(() -> CertificateAuthority.createRoot(new io.huitong.crypto.Sm2KeyPair(key, key.publicKey()),
                  config.caSubject(), now.minus(Duration.ofMinutes(5)), now.plus(config.caValidity())).certificate()))
              .flatMap(cert -> insert(tx, cert, AUTHORITY_KEY, CertificateProfile.CA, true).replaceWith(cert));
        })))
        .flatMap(cert -> vault.privateKey(AUTHORITY_KEY, 1, KeyPurpose.CA)
            .map(key -> CertificateAuthority.of(key, cert)))
        .invoke(ca -> authority = ca)
        .replaceWithVoid();
  }

  @Override
  public Uni<Sm2Certificate> authority() {
    return Uni.createFrom().item(ca().certificate());
  }

  @Override
  public Uni<Issued> issue(String keyId, Sm2PublicKey publicKey, String subject, Duration validity, CertificateProfile profile) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant notAfter = now.plus(validity);
    CertificateAuthority ca = ca();
    if (notAfter.isAfter(ca.certificate().notAfter())) {
      throw HubError.CERTIFICATE_INVALID.exception("The certificate would outlive the authority, which is valid until "
          + ca.certificate().notAfter());
    }
    return offLoop(() -> ca.issue(publicKey, subject, CertificateAuthority.randomSerial(), now, notAfter, profile))
        .flatMap(cert -> storage.pool().flatMap(pool -> insert(pool, cert, keyId, profile, false))
            .replaceWith(new Issued(cert, keyId, profile, null, null)));
  }

  @Override
  public Uni<Issued> certificate(BigInteger serial) {
    return storage.pool()
        .flatMap(pool -> pool.preparedQuery(SELECT + " WHERE serial = $1").execute(Tuple.of(hex(serial))))
        .map(rows -> {
          if (rows.size() == 0) {
            throw HubError.CERTIFICATE_NOT_FOUND.exception("No certificate with serial " + hex(serial));
          }
          return issued(rows.iterator().next());
        });
  }

  @Override
  public Uni<Issued> revoke(BigInteger serial, RevocationReason reason) {
    return storage.pool()
        .flatMap(pool -> pool.preparedQuery("UPDATE signing.certificate SET revoked_at = now(), revocation_reason = $2 "
            + "WHERE serial = $1 AND revoked_at IS NULL AND NOT is_authority").execute(Tuple.of(hex(serial), reason.name())))
        .flatMap(updated -> certificate(serial));
  }

  @Override
  public Uni<Sm2Crl> crl() {
    return storage.pool()
        .flatMap(pool -> pool.query("SELECT nextval('signing.crl_number') AS n").execute()
            .flatMap(n -> pool.query("SELECT serial, revoked_at, revocation_reason FROM signing.certificate "
                + "WHERE revoked_at IS NOT NULL ORDER BY revoked_at").execute()
                .map(rows -> {
                  List<RevokedCertificate> revoked = new ArrayList<>();
                  for (Row r : rows) {
                    revoked.add(new RevokedCertificate(new BigInteger(r.getString("serial"), 16),
                        r.getOffsetDateTime("revoked_at").toInstant(), RevocationReason.valueOf(r.getString("revocation_reason"))));
                  }
                  return new CrlContent(BigInteger.valueOf(n.iterator().next().getLong("n")), revoked);
                })))
        .flatMap(content -> {
          Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
          return offLoop(() -> ca().crl(content.revoked(), content.number(), now, now.plus(config.crlValidity())));
        });
  }

  /**
   * Dates and signature through the validator, revocation straight from the table: every member sees a revocation
   * the moment it commits, with no CRL to sign for each check.
   */
  @Override
  public Uni<ChainCheck> check(Sm2Certificate certificate, Instant at) {
    return offLoop(() -> ChainValidator.create(List.of(ca().certificate()), List.of()).validate(List.of(certificate), at))
        .flatMap(check -> !check.valid() ? Uni.createFrom().item(check) : storage.pool()
            .flatMap(pool -> pool.preparedQuery("SELECT revoked_at, revocation_reason FROM signing.certificate "
                + "WHERE serial = $1 AND revoked_at IS NOT NULL AND revoked_at <= $2")
                .execute(Tuple.of(hex(certificate.serial()), utc(at))))
            .map(rows -> {
              if (rows.size() == 0) {
                return new ChainCheck(true, null, "valid", null, List.of());
              }
              Row r = rows.iterator().next();
              RevokedCertificate entry = new RevokedCertificate(certificate.serial(),
                  r.getOffsetDateTime("revoked_at").toInstant(), RevocationReason.valueOf(r.getString("revocation_reason")));
              return new ChainCheck(false, ChainCheck.Problem.REVOKED, certificate.subject() + " was revoked at "
                  + entry.revokedAt() + ": " + entry.reason().rfcName(), entry, List.of());
            }));
  }

  /** What the next CRL lists, and its number. */
  private record CrlContent(BigInteger number, List<RevokedCertificate> revoked) {
  }

  private CertificateAuthority ca() {
    CertificateAuthority ca = authority;
    if (ca == null) {
      throw HubError.NOT_READY.exception("The certificate authority is still starting");
    }
    return ca;
  }

  private static Uni<Void> insert(io.vertx.mutiny.sqlclient.SqlClient client, Sm2Certificate cert, String keyId,
                                  CertificateProfile profile, boolean authority) {
    return client.preparedQuery("INSERT INTO signing.certificate (serial, subject, issuer, profile, key_id, not_before, "
            + "not_after, der, is_authority) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .execute(Tuple.tuple(List.of(hex(cert.serial()), cert.subject(), cert.issuer(), profile.name()))
            .addString(keyId).addOffsetDateTime(utc(cert.notBefore())).addOffsetDateTime(utc(cert.notAfter()))
            .addBuffer(Buffer.buffer(cert.toDer())).addBoolean(authority))
        .replaceWithVoid();
  }

  private static Issued issued(Row r) {
    OffsetDateTime revokedAt = r.getOffsetDateTime("revoked_at");
    String reason = r.getString("revocation_reason");
    return new Issued(Sm2Certificate.fromDer(r.getBuffer("der").getBytes()), r.getString("key_id"),
        CertificateProfile.valueOf(r.getString("profile")), revokedAt == null ? null : revokedAt.toInstant(),
        reason == null ? null : RevocationReason.valueOf(reason));
  }

  /** Serial numbers are kept as lower-case hex, as OpenSSL prints them. */
  static String hex(BigInteger serial) {
    return serial.toString(16);
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }

  private <T> Uni<T> offLoop(Supplier<T> work) {
    return vertx.executeBlocking(Uni.createFrom().item(work), false);
  }
}
