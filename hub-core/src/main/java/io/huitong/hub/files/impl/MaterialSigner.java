package io.huitong.hub.files.impl;

import io.huitong.crypto.seal.SealPackage;
import io.huitong.hub.files.Material;
import io.huitong.hub.signing.HubSeal;
import io.huitong.hub.signing.Seals;
import io.huitong.hub.signing.Signing;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;

/** Seals materials with the hub's own materials seal, its key recorded in {@code files.material_signer}. */
final class MaterialSigner {
  static final String SEAL_NAME = "汇通电子材料登记专用章";
  private static final String SUBJECT = "CN=Huitong Electronic Materials,OU=Files,O=Huitong";

  private final HubSeal seal;

  private MaterialSigner(HubSeal seal) {
    this.seal = seal;
  }

  static Uni<MaterialSigner> open(Storage storage, Signing signing) {
    return HubSeal.open(storage, signing, "files.material_signer", SEAL_NAME, SUBJECT, "electronic materials")
        .map(MaterialSigner::new);
  }

  /** Seals {@code canonical} for material {@code materialId}. */
  Uni<Material.Seal> seal(String materialId, byte[] canonical) {
    return seal.seal(documentName(materialId), canonical).map(this::seal);
  }

  /** Verifies a material's seal over the canonical document rebuilt from what is stored now. */
  Uni<Seals.Verification> verify(Material.Seal s, byte[] canonical) {
    return seal.verify(s.sealPackage(), canonical);
  }

  private Material.Seal seal(SealPackage p) {
    return new Material.Seal(seal.keyId(), p.signer().serial().toString(16), p.sealId(), p.sealedAt(),
        p.documentDigest(), p.toDer());
  }

  /** How the seal names the document: ASCII, as GB/T 38540 wants. */
  static String documentName(String materialId) {
    return "material/" + materialId;
  }
}
