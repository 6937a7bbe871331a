package io.huitong.hub.signing;

import io.huitong.crypto.seal.SealPackage;
import io.huitong.crypto.x509.CertificateProfile;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;

/**
 * An electronic seal the hub applies in its own name to one kind of document (registered materials, case receipts):
 * one vault SIGN key, certified by the hub's CA, its id kept in a one-row table of the capability that owns the seal
 * so that every member seals with the same key. A seal carries the signed time and the signer certificate, so
 * signature and timestamp are one GB/T 38540-shaped package.
 */
public final class HubSeal {
  private static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(1825);

  private final Signing signing;
  private final String keyId;
  private final String sealName;

  private HubSeal(Signing signing, String keyId, String sealName) {
    this.signing = signing;
    this.keyId = keyId;
    this.sealName = sealName;
  }

  /**
   * The seal whose key {@code keyTable} (columns {@code id = 1, key_id}) records; on first start a SIGN key labelled
   * {@code keyLabel} and a SIGNING certificate for {@code subject} are made. Members starting together may each make
   * one: the first recorded wins, the others stay unused in the vault.
   *
   * @param keyTable a schema-qualified table name of the hub's own migrations, never input
   */
  public static Uni<HubSeal> open(Storage storage, Signing signing, String keyTable, String sealName, String subject,
                                  String keyLabel) {
    return recorded(storage, keyTable).chain(found -> found != null ? Uni.createFrom().item(found)
            : signing.vault().create(KeyPurpose.SIGN, keyLabel)
                .chain(key -> signing.pki().authority().chain(ca -> signing.pki().issue(key.keyId(),
                    key.currentPublicKey(), subject, validity(ca.notAfter()), CertificateProfile.SIGNING))
                    .replaceWith(key.keyId()))
                .chain(keyId -> storage.pool().chain(pool -> pool.preparedQuery(
                    "INSERT INTO " + keyTable + " (id, key_id) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
                    .execute(Tuple.of(keyId))))
                .chain(() -> recorded(storage, keyTable)))
        .map(keyId -> new HubSeal(signing, keyId, sealName));
  }

  /** Five years, or less when the authority expires sooner: the CA issues nothing that outlives it. */
  private static Duration validity(Instant authorityExpires) {
    Duration left = Duration.between(Instant.now(), authorityExpires).minusMinutes(1);
    return left.compareTo(CERTIFICATE_VALIDITY) < 0 ? left : CERTIFICATE_VALIDITY;
  }

  private static Uni<String> recorded(Storage storage, String keyTable) {
    return storage.pool().chain(pool -> pool.query("SELECT key_id FROM " + keyTable + " WHERE id = 1").execute())
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("key_id"));
  }

  /** The vault key this seal signs with. */
  public String keyId() {
    return keyId;
  }

  /** The seal's name, as sealed packages carry it. */
  public String sealName() {
    return sealName;
  }

  /** Seals {@code document}, referred to as {@code documentName} (ASCII, as GB/T 38540 wants). */
  public Uni<SealPackage> seal(String documentName, byte[] document) {
    return signing.seals().seal(keyId, sealName, documentName, document);
  }

  /** Verifies a package this seal (or any seal of the hub's CA) made over {@code document}. */
  public Uni<Seals.Verification> verify(byte[] sealPackage, byte[] document) {
    return signing.seals().verify(sealPackage, document);
  }
}
