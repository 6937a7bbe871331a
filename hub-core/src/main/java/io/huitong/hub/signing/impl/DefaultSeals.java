package io.huitong.hub.signing.impl;

import io.huitong.crypto.seal.SealPackage;
import io.huitong.crypto.x509.ChainCheck;
import io.huitong.crypto.x509.Sm2Certificate;
import io.huitong.hub.http.HubError;
import io.huitong.hub.signing.KeyInfo;
import io.huitong.hub.signing.KeyPurpose;
import io.huitong.hub.signing.Pki;
import io.huitong.hub.signing.Seals;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.util.UUID;

/** {@link Seals} over the vault and the hub's CA. */
public final class DefaultSeals implements Seals {
  private final Vertx vertx;
  private final Storage storage;
  private final PgKeyVault vault;
  private final Pki pki;

  public DefaultSeals(Vertx vertx, Storage storage, PgKeyVault vault, Pki pki) {
    this.vertx = vertx;
    this.storage = storage;
    this.vault = vault;
    this.pki = pki;
  }

  @Override
  public Uni<SealPackage> seal(String keyId, String sealName, String documentName, byte[] document) {
    Instant now = Instant.now();
    return vault.describe(keyId).flatMap(info -> {
      if (info.purpose() != KeyPurpose.SIGN) {
        throw HubError.KEY_USAGE.exception("Key " + keyId + " is a " + info.purpose() + " key; seals need a SIGN key");
      }
      return newestCertificate(keyId).flatMap(cert -> pki.check(cert, now).flatMap(check -> {
        refuseUnlessValid(check);
        int version = info.versions().stream().filter(v -> v.publicKey().equals(cert.publicKey()))
            .mapToInt(KeyInfo.Version::version).findFirst()
            .orElseThrow(() -> HubError.CERTIFICATE_INVALID.exception("The certificate is for a key this vault does not hold"));
        return vault.privateKey(keyId, version, KeyPurpose.SIGN).flatMap(key -> vertx.executeBlocking(Uni.createFrom()
            .item(() -> SealPackage.seal(key, cert, "HT-" + UUID.randomUUID(), sealName, documentName, document, now)), false));
      }));
    });
  }

  @Override
  public Uni<Verification> verify(byte[] seal, byte[] document) {
    return vertx.executeBlocking(Uni.createFrom().item(() -> {
      SealPackage p = SealPackage.parse(seal);
      return new Verification(p, p.signatureValid(), p.matches(document), null);
    }), false).flatMap(checked -> pki.check(checked.seal().signer(), checked.seal().sealedAt())
        .map(certificate -> new Verification(checked.seal(), checked.signatureValid(), checked.documentIntact(), certificate)));
  }

  /** The SIGNING certificate most recently issued for the key: the one a seal goes through. */
  private Uni<Sm2Certificate> newestCertificate(String keyId) {
    return storage.pool()
        .flatMap(pool -> pool.preparedQuery("SELECT der FROM signing.certificate WHERE key_id = $1 AND profile = 'SIGNING' "
            + "ORDER BY issued_at DESC, serial LIMIT 1").execute(Tuple.of(keyId)))
        .map(rows -> {
          if (rows.size() == 0) {
            throw HubError.CERTIFICATE_NOT_FOUND.exception("Key " + keyId + " has no SIGNING certificate; issue one before sealing");
          }
          return Sm2Certificate.fromDer(rows.iterator().next().getBuffer("der").getBytes());
        });
  }

  private static void refuseUnlessValid(ChainCheck check) {
    if (check.valid()) {
      return;
    }
    switch (check.problem()) {
      case REVOKED -> throw HubError.CERTIFICATE_REVOKED.exception("A revoked certificate cannot seal: " + check.detail());
      case EXPIRED, NOT_YET_VALID -> throw HubError.CERTIFICATE_EXPIRED.exception("The certificate cannot seal now: " + check.detail());
      default -> throw HubError.CERTIFICATE_INVALID.exception("The certificate cannot seal: " + check.detail());
    }
  }
}
