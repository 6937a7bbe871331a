package io.huitong.hub.files.impl;

import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The {@code files.upload} table: what each upload is and how far it got. */
final class UploadTable {
  private static final int SWEEP_BATCH = 1000;

  private final Storage storage;

  UploadTable(Storage storage) {
    this.storage = storage;
  }

  /**
   * One upload.
   *
   * @param length   the whole upload's length, null while deferred
   * @param metadata the checked Upload-Metadata, or null
   * @param expires  when the unfinished upload expires, null once complete
   * @param concat   its Upload-Concat value ({@code partial}, or {@code final;} and its parts), null for neither
   * @param owner    the app key of the consumer whose grant created it, null when access was open
   */
  record Upload(String id, Long length, long offset, String metadata, Instant expires, String concat, String owner) {
    boolean isFinal() {
      return concat != null && concat.startsWith(TusServer.FINAL);
    }

    boolean isComplete() {
      return length != null && offset == length;
    }
  }

  /**
   * An upload held by one request.
   *
   * @param holder   the lease holder: the member's name, a space and the request's token
   * @param sm3State the SM3 state over the bytes up to the offset, null before V3 rows got one
   */
  record Held(Upload upload, String holder, byte[] sm3State) {
  }

  Uni<Void> insert(Upload upload) {
    return storage.pool().chain(pool -> insert(pool, upload));
  }

  /** Inserts the upload through {@code client}: a transaction of its own, say. */
  static Uni<Void> insert(SqlClient client, Upload upload) {
    return client.preparedQuery(
            "INSERT INTO files.upload (id, upload_length, metadata, expires_at, concat, owner) VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.of(upload.id(), upload.length(), upload.metadata(), utc(upload.expires()), upload.concat(),
            upload.owner()))
        .replaceWithVoid();
  }

  /** The upload, or null if there is none. */
  Uni<Upload> find(String id) {
    return storage.pool().chain(pool -> pool.preparedQuery(
            "SELECT upload_length, upload_offset, metadata, expires_at, concat, owner FROM files.upload WHERE id = $1")
        .execute(Tuple.of(id)))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          return upload(id, rows.iterator().next());
        });
  }

  private static Upload upload(String id, Row row) {
    OffsetDateTime expires = row.getOffsetDateTime("expires_at");
    return new Upload(id, row.getLong("upload_length"), row.getLong("upload_offset"), row.getString("metadata"),
        expires == null ? null : expires.toInstant(), row.getString("concat"), row.getString("owner"));
  }

  /**
   * Takes the lease on the upload for {@code lease} if nobody holds it, or the last holder's lease ran out; null when
   * there is no such upload, another holds it, or it is not {@code owner}'s (null: anybody's), so a consumer cannot
   * hold another's upload even for a moment.
   */
  Uni<Held> hold(String id, String holder, Duration lease, String owner) {
    return storage.pool().chain(pool -> pool.preparedQuery("""
            UPDATE files.upload SET held_by = $2, held_until = now() + $3 * interval '1 millisecond'
            WHERE id = $1 AND (held_by IS NULL OR held_until < now()) AND ($4::text IS NULL OR owner = $4)
            RETURNING upload_length, upload_offset, metadata, expires_at, concat, owner, sm3_state""")
        .execute(Tuple.of(id, holder, lease.toMillis(), owner)))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          io.vertx.mutiny.core.buffer.Buffer state = row.getBuffer("sm3_state");
          return new Held(upload(id, row), holder, state == null ? null : state.getBytes());
        });
  }

  /** Extends a lease still held by {@code holder}; false if it is not held by it any more. */
  Uni<Boolean> renew(String id, String holder, Duration lease) {
    return storage.pool().chain(pool -> pool.preparedQuery(
            "UPDATE files.upload SET held_until = now() + $3 * interval '1 millisecond' WHERE id = $1 AND held_by = $2")
        .execute(Tuple.of(id, holder, lease.toMillis())))
        .map(rows -> rows.rowCount() == 1);
  }

  Uni<Void> release(String id, String holder) {
    return storage.pool().chain(pool -> pool.preparedQuery(
            "UPDATE files.upload SET held_by = NULL, held_until = NULL WHERE id = $1 AND held_by = $2")
        .execute(Tuple.of(id, holder)))
        .replaceWithVoid();
  }

  /**
   * Lets go of every lease {@code member} held: at its start, when none of its requests can be running, so what an
   * earlier run of the member held when it died can be resumed at once rather than after the lease.
   */
  Uni<Integer> releaseAll(String member) {
    return storage.pool().chain(pool -> pool.preparedQuery(
            "UPDATE files.upload SET held_by = NULL, held_until = NULL WHERE left(held_by, length($1) + 1) = $1 || ' '")
        .execute(Tuple.of(member)))
        .map(rows -> rows.rowCount());
  }

  /** The SM3 digest of a complete upload, or null if it is not complete. */
  Uni<byte[]> sm3(String id) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT sm3 FROM files.upload WHERE id = $1")
            .execute(Tuple.of(id)))
        .map(rows -> {
          io.vertx.mutiny.core.buffer.Buffer sm3 = rows.size() == 0 ? null : rows.iterator().next().getBuffer("sm3");
          return sm3 == null ? null : sm3.getBytes();
        });
  }

  /**
   * Moves the offset from {@code from} to {@code to} for the lease holder, fixing a deferred length if {@code length}
   * is given, with the digest state up to {@code to}; with a digest the upload is complete. False when the offset
   * was not {@code from} any more, or the lease is not the holder's.
   */
  Uni<Boolean> advance(Held held, long to, Long length, Instant expires, byte[] sm3State, byte[] sm3) {
    return storage.pool().chain(pool -> pool.preparedQuery("""
            UPDATE files.upload SET upload_offset = $3, upload_length = coalesce(upload_length, $4), expires_at = $5,
              sm3 = $6, completed_at = CASE WHEN $6::bytea IS NULL THEN NULL ELSE now() END, sm3_state = $7
            WHERE id = $1 AND upload_offset = $2 AND held_by = $8""")
        .execute(Tuple.tuple().addValue(held.upload().id()).addValue(held.upload().offset()).addValue(to)
            .addValue(length).addValue(utc(expires)).addValue(bytea(sm3)).addValue(bytea(sm3State))
            .addValue(held.holder())))
        .map(rows -> rows.rowCount() == 1);
  }

  private static io.vertx.core.buffer.Buffer bytea(byte[] bytes) {
    return bytes == null ? null : io.vertx.core.buffer.Buffer.buffer(bytes);
  }

  /** Deletes the upload; false if there was none. */
  Uni<Boolean> delete(String id) {
    return storage.pool().chain(pool -> pool.preparedQuery("DELETE FROM files.upload WHERE id = $1").execute(Tuple.of(id)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Unfinished uploads expired by now, a batch at a time. */
  Uni<List<String>> expired() {
    return storage.pool().chain(pool -> pool.preparedQuery(
            "SELECT id FROM files.upload WHERE completed_at IS NULL AND expires_at < now() LIMIT " + SWEEP_BATCH)
        .execute())
        .map(rows -> {
          List<String> ids = new ArrayList<>();
          rows.forEach(row -> ids.add(row.getString("id")));
          return ids;
        });
  }

  /** Which of {@code ids} are uploads. */
  Uni<java.util.Set<String>> known(List<String> ids) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT id FROM files.upload WHERE id = ANY($1)")
            .execute(Tuple.of(ids.toArray(new String[0]))))
        .map(rows -> {
          java.util.Set<String> known = new java.util.HashSet<>();
          rows.forEach(row -> known.add(row.getString("id")));
          return known;
        });
  }

  /**
   * Deletes an upload the sweep found expired, unless it was completed or extended since, or a request holds it;
   * true if deleted.
   */
  Uni<Boolean> deleteExpired(String id) {
    return storage.pool().chain(pool -> pool.preparedQuery("""
            DELETE FROM files.upload WHERE id = $1 AND completed_at IS NULL AND expires_at < now()
              AND (held_by IS NULL OR held_until < now())""")
        .execute(Tuple.of(id))).map(rows -> rows.rowCount() == 1);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
