package io.huitong.hub.cases.impl;

import io.huitong.crypto.seal.SealPackage;
import io.huitong.hub.cases.CaseAction;
import io.huitong.hub.cases.CaseReceipt;
import io.huitong.hub.cases.CaseRecord;
import io.huitong.hub.signing.HubSeal;
import io.huitong.hub.signing.Seals;
import io.huitong.hub.signing.Signing;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

/**
 * Issues, seals and reads the notices of {@link CaseReceipt.Kind}. The document is built from the case as the move
 * left it and stored in the move's transaction, so a move that needs a notice never commits without it; it is sealed
 * with the hub's case receipt seal right after the commit, because sealing reads the signing tables on other pool
 * connections and, inside a transaction that holds one, many concurrent moves could wait on each other for the pool.
 * A notice a crash left unsealed is sealed when it is read or by the next supervision sweep.
 */
final class CaseReceipts {
  private static final String SEAL_NAME = "汇通政务服务受理专用章";
  private static final String SUBJECT = "CN=Huitong Case Receipts,OU=Cases,O=Huitong";
  private static final String REMEDY = "申请人对本决定不服的，可以依法申请行政复议或者提起行政诉讼。";
  private static final String ONCE = "以上为需要补正的全部内容，一次性告知；补正材料齐全后予以受理。";

  private static final int SEAL_BATCH = 100;

  private final Storage storage;
  private final HubSeal seal;
  private final ZoneId zone;

  private CaseReceipts(Storage storage, HubSeal seal, ZoneId zone) {
    this.storage = storage;
    this.seal = seal;
    this.zone = zone;
  }

  static Uni<CaseReceipts> open(Storage storage, Signing signing, ZoneId zone) {
    return HubSeal.open(storage, signing, "cases.receipt_signer", SEAL_NAME, SUBJECT, "case receipts")
        .map(s -> new CaseReceipts(storage, s, zone));
  }

  /** Stores, unsealed, the notice {@code action} issues, if any, for event {@code seq} of case {@code caseId}. */
  Uni<Void> issue(SqlClient tx, CaseAction action, String caseId, CaseRecord c, int seq, Instant at, String actor,
                  JsonObject detail) {
    CaseReceipt.Kind kind = CaseReceipt.Kind.of(action);
    if (kind == null) {
      return Uni.createFrom().voidItem();
    }
    String number = kind.receiptNumber(c.caseNumber(), seq);
    byte[] document = document(kind, number, c, at, actor, detail).encode().getBytes(StandardCharsets.UTF_8);
    return tx.preparedQuery("INSERT INTO cases.case_receipt (receipt_number, case_id, event_seq, kind, issued_at,"
            + " document) VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.tuple().addString(number).addString(caseId).addInteger(seq).addString(kind.name())
            .addValue(OffsetDateTime.ofInstant(at, zone)).addValue(document))
        .replaceWithVoid();
  }

  /**
   * Seals the unsealed notices of one case ({@code caseNumber}) or, with null, of any case, at most a batch; the number
   * sealed. When members race for one notice, the first seal stored is kept.
   */
  Uni<Integer> sealPending(String caseNumber) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT r.receipt_number, r.case_id, r.event_seq, r.document"
            + " FROM cases.case_receipt r JOIN cases.case_record c ON c.id = r.case_id WHERE r.seal IS NULL"
            + " AND ($1::text IS NULL OR c.case_number = $1) ORDER BY r.issued_at LIMIT " + SEAL_BATCH)
        .execute(Tuple.of(caseNumber))
        .chain(rows -> Multi.createFrom().iterable(rows).onItem().transformToUniAndConcatenate(r -> seal
                .seal(documentName(r.getString("case_id"), r.getInteger("event_seq")), r.getBuffer("document").getBytes())
                .chain(p -> pool.preparedQuery("UPDATE cases.case_receipt SET seal = $1 WHERE receipt_number = $2"
                    + " AND seal IS NULL").execute(Tuple.of(p.toDer(), r.getString("receipt_number")))))
            .collect().with(java.util.stream.Collectors.summingInt(updated -> updated.rowCount()))));
  }

  /** The notice's content. Times are local to the hub's zone, as a printed notice shows them. */
  private JsonObject document(CaseReceipt.Kind kind, String number, CaseRecord c, Instant at, String actor,
                              JsonObject detail) {
    JsonObject d = new JsonObject().put("title", kind.title()).put("receiptNumber", number)
        .put("caseNumber", c.caseNumber()).put("itemCode", c.itemCode()).put("itemName", c.itemName())
        .put("department", c.department()).put("regionCode", c.regionCode()).put("applicantName", c.applicantName())
        .put("maskedIdNumber", c.maskedIdNumber()).put("issuedAt", local(at)).put("issuedBy", actor)
        .put("sealName", SEAL_NAME);
    switch (kind) {
      case ACCEPTANCE -> d.put("caseKind", c.kind().name()).put("acceptedAt", local(c.acceptedAt()))
          .put("promiseDays", c.promiseDays()).put("legalDays", c.legalDays())
          .put("promisedDueAt", local(c.deadlines().promiseDueAt())).put("legalDueAt", local(c.deadlines().legalDueAt()));
      case NON_ACCEPTANCE -> d.put("reason", detail.getString("reason")).put("remedy", REMEDY);
      case CORRECTION -> d.put("reason", detail.getString("reason"))
          .put("materials", detail.getJsonArray("materials", new JsonArray()).copy())
          .put("correctBy", detail.getString("deadline")).put("notice", ONCE);
      default -> throw new IllegalStateException(kind.name());
    }
    return d;
  }

  /**
   * A case's notices, oldest first, each with its seal verified over the stored document; those still unsealed are
   * sealed first, and one that cannot be sealed now is shown without a seal.
   */
  Uni<List<CaseReceipt>> list(String caseId, String caseNumber) {
    return sealPending(caseNumber).onFailure().recoverWithItem(0)
        .chain(() -> storage.pool()).chain(pool -> pool.preparedQuery("SELECT * FROM cases.case_receipt"
            + " WHERE case_id = $1 ORDER BY event_seq").execute(Tuple.of(caseId)))
        .chain(rows -> Multi.createFrom().iterable(rows).onItem()
            .transformToUniAndConcatenate(r -> read(r, caseNumber)).collect().asList());
  }

  private Uni<CaseReceipt> read(Row r, String caseNumber) {
    byte[] document = r.getBuffer("document").getBytes();
    byte[] sealed = r.getBuffer("seal") == null ? null : r.getBuffer("seal").getBytes();
    Uni<CaseReceipt.Check> check = sealed == null ? Uni.createFrom().nullItem()
        : seal.verify(sealed, document).map(CaseReceipts::check);
    return check.map(c -> new CaseReceipt(r.getString("receipt_number"), caseNumber,
        CaseReceipt.Kind.valueOf(r.getString("kind")), r.getInteger("event_seq"),
        r.getOffsetDateTime("issued_at").toInstant(), document, sealed, c));
  }

  private static CaseReceipt.Check check(Seals.Verification v) {
    SealPackage p = v.seal();
    return new CaseReceipt.Check(v.signatureValid(), v.documentIntact(),
        v.certificateCheck().valid() ? "VALID" : String.valueOf(v.certificateCheck().problem()), p.sealId(),
        p.sealName(), p.sealedAt(), p.signer().serial().toString(16));
  }

  /** How the seal names the document: ASCII, as GB/T 38540 wants, whatever the case-number rule makes. */
  private static String documentName(String caseId, int seq) {
    return "case-receipt/" + caseId + "/" + seq;
  }

  private String local(Instant at) {
    return at == null ? null : OffsetDateTime.ofInstant(at, zone).toString();
  }
}
