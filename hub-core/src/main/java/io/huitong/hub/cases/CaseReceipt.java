package io.huitong.hub.cases;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A sealed written notice the hub issued for a case with the move it evidences: 行政许可法 art. 32 wants acceptance
 * and non-acceptance evidenced by a dated, sealed voucher, and a correction told once, in writing.
 *
 * @param document the exact bytes sealed: UTF-8 JSON of the notice (docs/cases.md lists its fields)
 * @param seal     the GB/T 38540-shaped seal package (DER) over {@code document}; null while not yet sealed
 * @param check    what verifying the seal over the stored document found when it was read; null while not sealed
 */
public record CaseReceipt(String receiptNumber, String caseNumber, Kind kind, int eventSeq, Instant issuedAt,
                          byte[] document, byte[] seal, Check check) {

  /** The notices, each with the move that issues it. */
  public enum Kind {
    ACCEPTANCE("受理回执", "SL", CaseAction.ACCEPT),
    NON_ACCEPTANCE("不予受理通知书", "BSL", CaseAction.REJECT),
    CORRECTION("一次性补正告知书", "BZ", CaseAction.NOTIFY_CORRECTION);

    private final String title;
    private final String prefix;
    private final CaseAction action;

    Kind(String title, String prefix, CaseAction action) {
      this.title = title;
      this.prefix = prefix;
      this.action = action;
    }

    public String title() {
      return title;
    }

    /** The receipt number of the notice event {@code seq} of a case issues: prefix, case number, event. */
    public String receiptNumber(String caseNumber, int seq) {
      return prefix + "-" + caseNumber + "-" + seq;
    }

    /** The notice {@code action} issues, or null when it issues none. */
    public static Kind of(CaseAction action) {
      for (Kind k : values()) {
        if (k.action == action) {
          return k;
        }
      }
      return null;
    }
  }

  /**
   * The seal as verified at reading.
   *
   * @param certificate VALID, or the signer certificate's problem at the sealing time (EXPIRED, REVOKED...)
   */
  public record Check(boolean signatureValid, boolean documentIntact, String certificate, String sealId,
                      String sealName, Instant sealedAt, String certificateSerial) {
    public boolean valid() {
      return signatureValid && documentIntact && "VALID".equals(certificate);
    }
  }

  /** Sealed, and the seal verified over the document as stored. */
  public boolean valid() {
    return check != null && check.valid();
  }

  public JsonObject toJson() {
    Base64.Encoder b64 = Base64.getEncoder();
    JsonObject json = new JsonObject().put("receiptNumber", receiptNumber).put("caseNumber", caseNumber).put("kind", kind.name())
        .put("title", kind.title()).put("eventSeq", eventSeq).put("issuedAt", issuedAt.toString())
        .put("document", new JsonObject(new String(document, StandardCharsets.UTF_8)))
        .put("documentBase64", b64.encodeToString(document));
    if (check == null) {
      return json.putNull("seal").put("verification", new JsonObject().put("valid", false).put("sealed", false));
    }
    return json.put("seal", new JsonObject().put("sealId", check.sealId()).put("sealName", check.sealName())
            .put("sealedAt", check.sealedAt().toString()).put("certificateSerial", check.certificateSerial())
            .put("packageBase64", b64.encodeToString(seal)))
        .put("verification", new JsonObject().put("valid", check.valid()).put("sealed", true)
            .put("signatureValid", check.signatureValid())
            .put("documentIntact", check.documentIntact()).put("certificate", check.certificate()));
  }
}
