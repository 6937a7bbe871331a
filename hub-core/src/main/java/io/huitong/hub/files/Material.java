package io.huitong.hub.files;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An electronic material (电子材料, or 电子证照 when it carries a unified electronic code): a complete upload with
 * its metadata, sealed by the hub at registration. The holder's ID number is never here in the clear: it is stored
 * SM4-encrypted, found through its blind index, and shown masked.
 *
 * @param id                 32 hex digits
 * @param uploadId           the complete upload holding the file, downloadable at {@code /files/{uploadId}}
 * @param fileSize           the file's length in bytes
 * @param fileSm3            the file's SM3 digest when it was registered
 * @param name               what the material is, such as 营业执照
 * @param holderName         the holder (持证主体), a person or an organisation
 * @param holderIdMasked     the holder's ID number with all but its first and last characters hidden
 * @param department         the issuing department (发证部门)
 * @param issuedAt           when it was issued
 * @param businessNumber     the department's business number (业务流水号), or null
 * @param unifiedCode        the unified electronic licence code (GB/T 36904 证照标识), or null
 * @param caseNumber         the case (办件编号) it belongs to
 * @param registeredAt       when the hub registered it
 * @param seal               how it was signed
 */
public record Material(String id, String uploadId, long fileSize, byte[] fileSm3, String name, String holderName,
                       String holderIdMasked, String department, Instant issuedAt, String businessNumber,
                       String unifiedCode, String caseNumber, Instant registeredAt, Seal seal) {

  /** Where a client downloads the file. */
  public String fileUrl() {
    return FilesRoutes.PREFIX + uploadId;
  }

  /** As the API and an export's manifest show it: digests in hex, the seal package in base64. */
  public JsonObject toJson() {
    HexFormat hex = HexFormat.of();
    return new JsonObject().put("id", id).put("uploadId", uploadId).put("file", fileUrl()).put("fileSize", fileSize)
        .put("fileSm3", hex.formatHex(fileSm3)).put("name", name).put("holderName", holderName)
        .put("holderIdNumberMasked", holderIdMasked).put("department", department).put("issuedAt", issuedAt.toString())
        .put("businessNumber", businessNumber).put("unifiedCode", unifiedCode).put("caseNumber", caseNumber)
        .put("registeredAt", registeredAt.toString())
        .put("signature", new JsonObject().put("algorithm", "SM3withSM2").put("keyId", seal.keyId())
            .put("certificateSerial", seal.certificateSerial()).put("sealId", seal.sealId())
            .put("signedAt", seal.signedAt().toString()).put("signedDigest", hex.formatHex(seal.signedDigest()))
            .put("sealPackage", Base64.getEncoder().encodeToString(seal.sealPackage())));
  }

  /**
   * The hub's SM2 seal over the material's canonical metadata and file SM3, made through the signing capability.
   *
   * @param keyId             the vault key that signed
   * @param certificateSerial the signer certificate's serial, lower-case hex
   * @param sealId            the seal's id
   * @param signedAt          the signed time inside the seal (its timestamp)
   * @param signedDigest      SM3 of the canonical metadata the seal covers
   * @param sealPackage       the GB/T 38540-shaped seal package, DER
   */
  public record Seal(String keyId, String certificateSerial, String sealId, Instant signedAt, byte[] signedDigest,
                     byte[] sealPackage) {
  }
}
