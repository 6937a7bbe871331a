package io.huitong.hub.files;

import io.huitong.crypto.x509.ChainCheck;
import io.huitong.hub.files.impl.PgMaterials;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.signing.Signing;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Electronic materials (电子材料/电子证照) over complete uploads, and bulk exports of them. Registering seals the
 * material's canonical metadata and file SM3 with the hub's materials key through the signing capability; the holder's
 * ID number is stored SM4-encrypted under the master key beside its HMAC-SM3 blind index. Methods may be called on
 * any Vert.x context and never block it.
 */
public interface Materials {

  /**
   * Opens the capability: makes the materials signing key and its certificate on first start, and starts running
   * export jobs, taking over those this member was running when it stopped.
   *
   * @param store      the store the uploads live in (the one {@link FileUploads} serves)
   * @param member     this member's name, which export jobs it runs are marked with
   * @param workDir    where an export archive is built before it is stored as an upload
   */
  static Uni<Materials> start(Vertx vertx, Storage storage, UploadStore store, Signing signing, MasterKey master,
                              FilesConfig config, String member, Path workDir) {
    return PgMaterials.start(vertx, storage, store, signing, master, config, member, workDir);
  }

  /**
   * Registers the complete upload {@code registration.uploadId()} as a material. {@code HT-MATERIAL-INVALID} for a
   * bad field, {@code HT-UPLOAD-NOT-FOUND} for an unknown upload, {@code HT-UPLOAD-INCOMPLETE} for one not complete,
   * {@code HT-MATERIAL-EXISTS} when the upload or the unified code is registered already.
   */
  Uni<Material> register(MaterialRegistration registration);

  /** The material; {@code HT-MATERIAL-NOT-FOUND} if there is none. */
  Uni<Material> find(String id);

  /** A page of the materials {@code query} selects. */
  Uni<Page> list(MaterialQuery query);

  /** Checks the seal against the stored metadata, and the file's current bytes against the sealed SM3. */
  Uni<Verification> verify(String id);

  /** Queues an export of {@code department}'s materials issued in [from, to) (either may be null). */
  Uni<ExportJob> export(String department, Instant from, Instant to);

  /** The export job; {@code HT-EXPORT-NOT-FOUND} if there is none. */
  Uni<ExportJob> exportJob(String id);

  /** Stops taking export jobs; a job being built stops at its next step and is queued again. */
  Uni<Void> close();

  /**
   * A page of materials.
   *
   * @param next the cursor of the next page, or null when this is the last
   */
  record Page(List<Material> materials, Long next) {
  }

  /**
   * What verifying a material found.
   *
   * @param signatureValid   the seal and its signature are the signer certificate's key's
   * @param metadataIntact   the stored metadata and recorded file SM3 are the ones sealed
   * @param fileIntact       the file's bytes now have the recorded SM3
   * @param currentSm3       the SM3 of the file's bytes now, or null when the upload is gone
   * @param certificateCheck the signer certificate against the hub's CA and CRL at the signing time
   */
  record Verification(Material material, boolean signatureValid, boolean metadataIntact, boolean fileIntact,
                      byte[] currentSm3, ChainCheck certificateCheck) {
    public boolean valid() {
      return signatureValid && metadataIntact && fileIntact && certificateCheck.valid();
    }
  }
}
