package io.huitong.hub.files.impl;

import io.huitong.crypto.CryptoException;
import io.huitong.hub.files.ExportJob;
import io.huitong.hub.files.FilesConfig;
import io.huitong.hub.files.Material;
import io.huitong.hub.files.MaterialQuery;
import io.huitong.hub.files.MaterialRegistration;
import io.huitong.hub.files.Materials;
import io.huitong.hub.files.UploadStore;
import io.huitong.hub.files.impl.MaterialTable.Filter;
import io.huitong.hub.http.HubError;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.signing.Signing;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** {@link Materials} over {@code files.material}, the upload table and store, and the signing capability. */
public final class PgMaterials implements Materials {
  private static final String ID = "[0-9a-f]{32}";

  private final UploadStore store;
  private final UploadTable uploads;
  private final MaterialTable table;
  private final MaterialSigner signer;
  private final Signing signing;
  private final MasterKey master;
  private final ExportRunner exports;

  private PgMaterials(UploadStore store, UploadTable uploads, MaterialTable table, MaterialSigner signer,
                      Signing signing, MasterKey master, ExportRunner exports) {
    this.store = store;
    this.uploads = uploads;
    this.table = table;
    this.signer = signer;
    this.signing = signing;
    this.master = master;
    this.exports = exports;
  }

  public static Uni<Materials> start(Vertx vertx, Storage storage, UploadStore store, Signing signing, MasterKey master,
                                     FilesConfig config, String member, Path workDir) {
    UploadTable uploads = new UploadTable(storage);
    MaterialTable table = new MaterialTable(storage);
    return MaterialSigner.open(storage, signing).chain(signer -> {
      ExportRunner exports = new ExportRunner(vertx, storage, store, uploads, table, config, member, workDir);
      return exports.start().replaceWith(new PgMaterials(store, uploads, table, signer, signing, master, exports));
    });
  }

  @Override
  public Uni<Material> register(MaterialRegistration given) {
    return Uni.createFrom().deferred(() -> {
      MaterialRegistration r = MaterialFields.check(given);
      if (r.uploadId() == null || r.uploadId().isBlank()) {
        throw HubError.MATERIAL_INVALID.exception("Field 'uploadId' is required");
      }
      return completeUpload(r.uploadId()).chain(upload -> uploads.sm3(upload.id()).chain(sm3 -> {
        if (sm3 == null) {
          throw HubError.UPLOAD_INCOMPLETE.exception("Upload " + upload.id() + " has no digest yet");
        }
        String id = newId();
        byte[] canonical = MaterialFields.canonical(id, r, upload.length(), sm3);
        return signer.seal(id, canonical).chain(seal -> {
          Material m = new Material(id, r.uploadId(), upload.length(), sm3, r.name(), r.holderName(),
              MaterialFields.mask(r.holderIdNumber()), r.department(), r.issuedAt(), r.businessNumber(),
              r.unifiedCode(), r.caseNumber(), Instant.now(), seal);
          byte[] sealedId = master.seal(r.holderIdNumber().getBytes(StandardCharsets.UTF_8), holderContext(id));
          return table.insert(m, sealedId, holderIndex(r.holderIdNumber()));
        });
      }));
    });
  }

  /** The upload, complete; 404 when there is none, 409 while it is unfinished. */
  private Uni<UploadTable.Upload> completeUpload(String uploadId) {
    if (!uploadId.matches(ID)) {
      return Uni.createFrom().failure(HubError.UPLOAD_NOT_FOUND.exception("No upload " + uploadId));
    }
    return uploads.find(uploadId).map(upload -> {
      if (upload == null) {
        throw HubError.UPLOAD_NOT_FOUND.exception("No upload " + uploadId);
      }
      if (!upload.isComplete()) {
        throw HubError.UPLOAD_INCOMPLETE.exception("Upload " + uploadId + " has " + upload.offset() + " of "
            + (upload.length() == null ? "an unknown number of" : upload.length()) + " bytes; register it once complete");
      }
      return upload;
    });
  }

  @Override
  public Uni<Material> find(String id) {
    return stored(id).map(MaterialTable.Stored::material);
  }

  private Uni<MaterialTable.Stored> stored(String id) {
    return existing(id, "material", HubError.MATERIAL_NOT_FOUND, table::find);
  }

  /** What {@code lookup} finds for an id of ours; {@code notFound} for a malformed id or none found. */
  private static <T> Uni<T> existing(String id, String what, HubError notFound, Function<String, Uni<T>> lookup) {
    if (id == null || !id.matches(ID)) {
      return Uni.createFrom().failure(notFound.exception("No " + what + " " + id));
    }
    return lookup.apply(id).map(found -> {
      if (found == null) {
        throw notFound.exception("No " + what + " " + id);
      }
      return found;
    });
  }

  @Override
  public Uni<Page> list(MaterialQuery q) {
    return Uni.createFrom().deferred(() -> {
      Filter filter = new Filter(q.caseNumber() == null ? null : MaterialFields.caseNumber(q.caseNumber()),
          q.holderIdNumber() == null ? null : holderIndex(MaterialFields.holderIdNumber(q.holderIdNumber())),
          q.department() == null ? null : MaterialFields.department(q.department(), HubError.MATERIAL_INVALID),
          null, null);
      return table.select(filter, q.after(), Long.MAX_VALUE, q.limit()).map(found -> {
        List<Material> materials = found.stream().map(MaterialTable.Stored::material).toList();
        Long next = found.size() == q.limit() ? found.get(found.size() - 1).seq() : null;
        return new Page(materials, next);
      });
    });
  }

  @Override
  public Uni<Verification> verify(String id) {
    return stored(id).chain(stored -> {
      Material m = stored.material();
      String holderId;
      try {
        holderId = new String(master.open(stored.holderIdSealed(), holderContext(id)), StandardCharsets.UTF_8);
      } catch (CryptoException altered) {
        // A sealed ID number that does not open was altered or moved: the rebuilt metadata then differs from the sealed.
        holderId = null;
      }
      MaterialRegistration r = new MaterialRegistration(m.uploadId(), m.name(), m.holderName(), holderId,
          m.department(), m.issuedAt(), m.businessNumber(), m.unifiedCode(), m.caseNumber());
      byte[] canonical = MaterialFields.canonical(id, r, m.fileSize(), m.fileSm3());
      return signer.verify(m.seal(), canonical).chain(sealed -> currentSm3(m.uploadId()).map(sm3 ->
          new Verification(m, sealed.signatureValid(), sealed.documentIntact(),
              sm3 != null && MessageDigest.isEqual(sm3, m.fileSm3()), sm3, sealed.certificateCheck())));
    });
  }

  /** The SM3 of the upload's bytes as they are now, or null when the upload or its bytes are gone. */
  private Uni<byte[]> currentSm3(String uploadId) {
    return uploads.find(uploadId).chain(upload -> upload == null || !upload.isComplete() ? Uni.createFrom().nullItem()
        : store.sm3(uploadId).onFailure().recoverWithNull());
  }

  @Override
  public Uni<ExportJob> export(String department, Instant from, Instant to) {
    return Uni.createFrom().deferred(() -> {
      String d = MaterialFields.department(department, HubError.EXPORT_INVALID);
      if (from != null && to != null && !from.isBefore(to)) {
        throw HubError.EXPORT_INVALID.exception("'from' must be before 'to'");
      }
      return exports.queue(newId(), d, from, to);
    });
  }

  @Override
  public Uni<ExportJob> exportJob(String id) {
    return existing(id, "export job", HubError.EXPORT_NOT_FOUND, exports::find);
  }

  @Override
  public Uni<Void> close() {
    return exports.close();
  }

  private String holderIndex(String normalisedIdNumber) {
    return signing.blindIndex().of(MaterialFields.HOLDER_ID_FIELD, normalisedIdNumber);
  }

  /** The sealed ID number is bound to its material: moved to another row, it no longer opens. */
  private static String holderContext(String materialId) {
    return MaterialFields.HOLDER_ID_FIELD + "/" + materialId;
  }

  static String newId() {
    return UUID.randomUUID().toString().replace("-", "");
  }
}
