package io.huitong.hub.files.impl;

import io.huitong.crypto.seal.SealPackage;
import io.huitong.crypto.x509.CertificateProfile;
import io.huitong.hub.files.Material;
import io.huitong.hub.signing.KeyPurpose;
import io.huitong.hub.signing.Seals;
import io.huitong.hub.signing.Signing;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;

/**
 * Seals materials with one vault SIGN key of the hub's own, certified by the hub's CA, through the signing
 * capability's electronic seals: the seal carries the signed time and the signer certificate, so a material's
 * signature and timestamp are one GB/T 38540-shaped package.
 */
final class MaterialSigner {
  static final String SEAL_NAME = "汇通电子材料登记专用章";
  private static final String SUBJECT = "CN=Huitong Electronic Materials,OU=Files,O=Huitong";
  private static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(1825);

  private final Signing signing;
  private final String keyId;

  private MaterialSigner(Signing signing, String keyId) {
    this.signing = signing;
    this.keyId = keyId;
  }

  /**
   * The signer, with the key recorded in {@code files.material_signer}; on first start a SIGN key and a SIGNING
   * certificate are made for it. Members starting together may each make one: the first recorded wins, the others
   * stay unused in the vault.
   */
  static Uni<MaterialSigner> open(Storage storage, Signing signing) {
    return recorded(storage).chain(found -> found != null ? Uni.createFrom().item(found)
            : signing.vault().create(KeyPurpose.SIGN, "electronic materials")
                .chain(key -> signing.pki().authority().chain(ca -> signing.pki().issue(key.keyId(),
                    key.currentPublicKey(), SUBJECT, validity(ca.notAfter()), CertificateProfile.SIGNING))
                    .replaceWith(key.keyId()))
                .chain(keyId -> storage.pool().chain(pool -> pool.preparedQuery(
                    "INSERT INTO files.material_signer (id, key_id) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
                    .execute(Tuple.of(keyId))))
                .chain(() -> recorded(storage)))
        .map(keyId -> new MaterialSigner(signing, keyId));
  }

  /** Five years, or less when the authority expires sooner: the CA issues nothing that outlives it. */
  private static Duration validity(Instant authorityExpires) {
    Duration left = Duration.between(Instant.now(), authorityExpires).minusMinutes(1);
    return left.compareTo(CERTIFICATE_VALIDITY) < 0 ? left : CERTIFICATE_VALIDITY;
  }

  private static Uni<String> recorded(Storage storage) {
    return storage.pool().chain(pool -> pool.query("SELECT key_id FROM files.material_signer WHERE id = 1").execute())
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("key_id"));
  }

  /** Seals {@code canonical} for material {@code materialId}. */
  Uni<Material.Seal> seal(String materialId, byte[] canonical) {
    return signing.seals().seal(keyId, SEAL_NAME, documentName(materialId), canonical).map(this::seal);
  }

  /** Verifies a material's seal over the canonical document rebuilt from what is stored now. */
  Uni<Seals.Verification> verify(Material.Seal seal, byte[] canonical) {
    return signing.seals().verify(seal.sealPackage(), canonical);
  }

  private Material.Seal seal(SealPackage p) {
    return new Material.Seal(keyId, p.signer().serial().toString(16), p.sealId(), p.sealedAt(), p.documentDigest(),
        p.toDer());
  }

  /** How the seal names the document: ASCII, as GB/T 38540 wants. */
  static String documentName(String materialId) {
    return "material/" + materialId;
  }
}
