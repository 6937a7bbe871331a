package io.huitong.hub.files.impl;

import io.huitong.hub.files.Material;
import io.huitong.hub.http.HubError;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The {@code files.material} table. */
final class MaterialTable {
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String COLUMNS = "seq, id, upload_id, file_size, file_sm3, name, holder_name, holder_id_sealed,"
      + " holder_id_masked, department, issued_at, business_number, unified_code, case_number, signer_key_id,"
      + " certificate_serial, seal_id, signed_at, signed_digest, seal, registered_at";

  private final Storage storage;

  MaterialTable(Storage storage) {
    this.storage = storage;
  }

  /**
   * A material as stored.
   *
   * @param seq            its place in registration order, the paging cursor
   * @param holderIdSealed the holder's ID number, SM4-sealed under the master key
   */
  record Stored(long seq, Material material, byte[] holderIdSealed) {
  }

  /** Which materials an export or a listing reads: every non-null filter must match. */
  record Filter(String caseNumber, String holderIndex, String department, Instant issuedFrom, Instant issuedTo) {
  }

  /** Inserts a checked, sealed material; {@code HT-MATERIAL-EXISTS} when its upload or unified code is taken. */
  Uni<Material> insert(Material m, byte[] holderIdSealed, String holderIndex) {
    Material.Seal seal = m.seal();
    Tuple values = Tuple.tuple()
        .addString(m.id()).addString(m.uploadId()).addLong(m.fileSize()).addBuffer(Buffer.buffer(m.fileSm3()))
        .addString(m.name()).addString(m.holderName()).addBuffer(Buffer.buffer(holderIdSealed)).addString(holderIndex)
        .addString(m.holderIdMasked()).addString(m.department()).addOffsetDateTime(utc(m.issuedAt()))
        .addString(m.businessNumber()).addString(m.unifiedCode()).addString(m.caseNumber())
        .addString(seal.keyId()).addString(seal.certificateSerial()).addString(seal.sealId())
        .addOffsetDateTime(utc(seal.signedAt())).addBuffer(Buffer.buffer(seal.signedDigest()))
        .addBuffer(Buffer.buffer(seal.sealPackage()));
    return storage.pool().chain(pool -> pool.preparedQuery("""
            INSERT INTO files.material (id, upload_id, file_size, file_sm3, name, holder_name, holder_id_sealed,
              holder_id_index, holder_id_masked, department, issued_at, business_number, unified_code, case_number,
              signer_key_id, certificate_serial, seal_id, signed_at, signed_digest, seal)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
            RETURNING\s""" + COLUMNS).execute(values))
        .onFailure(e -> e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()))
        .transform(e -> HubError.MATERIAL_EXISTS.exception(((PgException) e).getConstraint() != null
            && ((PgException) e).getConstraint().contains("unified_code")
            ? "A material with unified code " + m.unifiedCode() + " is registered already"
            : "Upload " + m.uploadId() + " is registered as a material already"))
        .map(rows -> toStored(rows.iterator().next()).material());
  }

  /** The material, or null. */
  Uni<Stored> find(String id) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT " + COLUMNS + " FROM files.material WHERE id = $1")
            .execute(Tuple.of(id)))
        .map(rows -> rows.size() == 0 ? null : toStored(rows.iterator().next()));
  }

  /** Up to {@code limit} materials {@code filter} selects with seq in (after, upTo], in registration order. */
  Uni<List<Stored>> select(Filter filter, long after, long upTo, int limit) {
    List<String> where = new ArrayList<>(List.of("seq > $1", "seq <= $2"));
    Tuple params = Tuple.of(after, upTo);
    String sql = "SELECT " + COLUMNS + " FROM files.material WHERE " + conditions(filter, where, params)
        + " ORDER BY seq LIMIT " + limit;
    return storage.pool().chain(pool -> pool.preparedQuery(sql).execute(params)).map(MaterialTable::toList);
  }

  /** The highest seq {@code filter} selects now, or 0: an export takes the materials up to it. */
  Uni<Long> last(Filter filter) {
    List<String> where = new ArrayList<>();
    Tuple params = Tuple.tuple();
    String sql = "SELECT coalesce(max(seq), 0) AS last FROM files.material WHERE " + conditions(filter, where, params);
    return storage.pool().chain(pool -> pool.preparedQuery(sql).execute(params))
        .map(rows -> rows.iterator().next().getLong("last"));
  }

  private static String conditions(Filter filter, List<String> where, Tuple params) {
    add(where, params, "case_number = $", filter.caseNumber());
    add(where, params, "holder_id_index = $", filter.holderIndex());
    add(where, params, "department = $", filter.department());
    add(where, params, "issued_at >= $", utc(filter.issuedFrom()));
    add(where, params, "issued_at < $", utc(filter.issuedTo()));
    return where.isEmpty() ? "true" : String.join(" AND ", where);
  }

  private static void add(List<String> where, Tuple params, String condition, Object value) {
    if (value != null) {
      params.addValue(value);
      where.add(condition + params.size());
    }
  }

  private static List<Stored> toList(RowSet<Row> rows) {
    List<Stored> out = new ArrayList<>();
    rows.forEach(row -> out.add(toStored(row)));
    return out;
  }

  private static Stored toStored(Row row) {
    Material.Seal seal = new Material.Seal(row.getString("signer_key_id"), row.getString("certificate_serial"),
        row.getString("seal_id"), row.getOffsetDateTime("signed_at").toInstant(), bytes(row, "signed_digest"),
        bytes(row, "seal"));
    Material m = new Material(row.getString("id"), row.getString("upload_id"), row.getLong("file_size"),
        bytes(row, "file_sm3"), row.getString("name"), row.getString("holder_name"), row.getString("holder_id_masked"),
        row.getString("department"), row.getOffsetDateTime("issued_at").toInstant(), row.getString("business_number"),
        row.getString("unified_code"), row.getString("case_number"), row.getOffsetDateTime("registered_at").toInstant(),
        seal);
    return new Stored(row.getLong("seq"), m, bytes(row, "holder_id_sealed"));
  }

  private static byte[] bytes(Row row, String column) {
    return row.getBuffer(column).getBytes();
  }

  static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
