package io.huitong.hub.files.impl;

import io.huitong.config.ConfigException;
import io.huitong.config.ConfigType;
import io.huitong.hub.files.impl.UploadTable.Upload;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.proxy.ConsumerRegistry;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Map;

/**
 * Per-consumer upload quotas (配额). A consumer's usage is the sum of the lengths of its live uploads (the offset of
 * one whose length is deferred); an upload that expired unfinished no longer counts, even before it is swept. Creating
 * an upload and fixing a deferred length check and write in one transaction that holds a PostgreSQL advisory lock
 * for the consumer, so concurrent requests on any member of the cluster cannot together pass the quota. Uploads
 * without an owner ({@code files.access: open}) have no quota.
 */
final class Quotas {
  /** The first key of the advisory locks, so they cannot meet another capability's. */
  private static final String LOCK_SPACE = "files.quota";

  private final Storage storage;
  private final long defaultQuota;
  private final ConsumerRegistry consumers;

  Quotas(Storage storage, long defaultQuota, ConsumerRegistry consumers) {
    this.storage = storage;
    this.defaultQuota = defaultQuota;
    this.consumers = consumers;
  }

  /**
   * A consumer's quota and what its uploads use of it.
   *
   * @param override true when the admin API set this consumer's quota, false for {@code files.quota}
   */
  record Usage(String consumer, long quota, boolean override, long used, long uploads) {
    JsonObject toJson() {
      return new JsonObject().put("consumer", consumer).put("quota", quota)
          .put("quotaSource", override ? "consumer" : "default").put("usage", used).put("uploads", uploads);
    }

    /** 413 HT-UPLOAD-QUOTA when {@code more} bytes do not fit; the problem says the quota and the usage. */
    void ensureRoomFor(long more) {
      if (more > quota - used) {
        throw new HubException(HubError.UPLOAD_QUOTA, "The upload needs " + more + " bytes; consumer " + consumer
            + " uses " + used + " of its quota of " + quota,
            Map.of("quota", quota, "usage", used, "requested", more));
      }
    }
  }

  /** Inserts {@code upload}, within its owner's quota for its length (none while deferred). */
  Uni<Void> insert(UploadTable table, Upload upload) {
    if (upload.owner() == null) {
      return table.insert(upload);
    }
    long bytes = upload.length() == null ? 0 : upload.length();
    return locked(upload.owner(), (client, usage) -> {
      usage.ensureRoomFor(bytes);
      return UploadTable.insert(client, upload);
    });
  }

  /**
   * The upload with its deferred length fixed at {@code length}, within its owner's quota. The length is recorded at
   * once, so a concurrent request counts it; it stays fixed even if the chunk that carried it is then refused, as the
   * spec wants a length never to change. An upload without an owner is returned as it is, its length fixed when its
   * chunk is stored.
   */
  Uni<Upload> fixLength(Upload upload, long length) {
    if (upload.owner() == null) {
      return Uni.createFrom().item(upload);
    }
    return locked(upload.owner(), (client, usage) -> {
      // The usage counted the upload's offset so far; its length replaces it.
      usage.ensureRoomFor(length - upload.offset());
      return client.preparedQuery("UPDATE files.upload SET upload_length = $2 WHERE id = $1 AND upload_length IS NULL")
          .execute(Tuple.of(upload.id(), length)).map(rows -> {
            if (rows.rowCount() != 1) {
              throw HubError.UPLOAD_OFFSET_MISMATCH.exception("The upload's length was fixed by another request meanwhile");
            }
            return new Upload(upload.id(), length, upload.offset(), upload.metadata(), upload.expires(), upload.concat(),
                upload.owner());
          });
    });
  }

  /**
   * How many more bytes a chunk of {@code upload} may bring while its length is deferred: what is left of its owner's
   * quota. Unbounded for an upload of known length (its length was counted) or without an owner. Not serialised with
   * other requests: two chunks of deferred uploads of one consumer at once may together pass the quota by their size.
   */
  Uni<Long> room(Upload upload) {
    if (upload.owner() == null || upload.length() != null) {
      return Uni.createFrom().item(Long.MAX_VALUE);
    }
    return storage.pool().chain(pool -> usage(pool, upload.owner())).map(usage -> Math.max(0, usage.quota() - usage.used()));
  }

  /** The consumer's usage; 404 HT-CONSUMER-NOT-FOUND for an app key no consumer has. */
  Uni<JsonObject> show(String consumer) {
    return known(consumer).chain(() -> storage.pool()).chain(pool -> usage(pool, consumer)).map(Usage::toJson);
  }

  /** Sets the consumer's own quota from {@code {"quota": bytes or "20GiB"}}. */
  Uni<JsonObject> set(String consumer, JsonObject request) {
    Object raw = request.getValue("quota");
    long quota;
    try {
      if (raw == null) {
        throw new ConfigException("quota", "expected a size such as 10737418240 or 10GiB");
      }
      quota = ConfigType.parseSize("quota", raw);
    } catch (ConfigException e) {
      throw new HubException(HubError.BAD_REQUEST, e.getMessage(), Map.of("path", "quota"));
    }
    return known(consumer).chain(() -> storage.pool()).chain(pool -> pool.preparedQuery("""
            INSERT INTO files.consumer_quota (app_key, quota) VALUES ($1, $2)
            ON CONFLICT (app_key) DO UPDATE SET quota = excluded.quota, updated_at = now()""")
        .execute(Tuple.of(consumer, quota))).chain(() -> show(consumer));
  }

  /** Takes the consumer back to {@code files.quota}. */
  Uni<JsonObject> clear(String consumer) {
    return known(consumer).chain(() -> storage.pool())
        .chain(pool -> pool.preparedQuery("DELETE FROM files.consumer_quota WHERE app_key = $1").execute(Tuple.of(consumer)))
        .chain(() -> show(consumer));
  }

  private Uni<Void> known(String consumer) {
    return consumers.exists(consumer).map(exists -> {
      if (!exists) {
        throw HubError.CONSUMER_NOT_FOUND.exception("No consumer has the app key " + consumer);
      }
      return null;
    });
  }

  /** What one locked step does with the consumer's usage, inside the transaction. */
  private interface Step<T> {
    Uni<T> apply(SqlClient client, Usage usage);
  }

  /** Runs {@code step} in a transaction holding the consumer's advisory lock until it commits or rolls back. */
  private <T> Uni<T> locked(String consumer, Step<T> step) {
    return storage.pool().chain(pool -> pool.withTransaction(tx -> tx
        .preparedQuery("SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))").execute(Tuple.of(LOCK_SPACE, consumer))
        .chain(() -> usage(tx, consumer))
        .chain(usage -> step.apply(tx, usage))));
  }

  private Uni<Usage> usage(SqlClient client, String consumer) {
    return client.preparedQuery("""
            SELECT (SELECT quota FROM files.consumer_quota WHERE app_key = $1) AS own,
                   coalesce(sum(coalesce(upload_length, upload_offset)), 0)::bigint AS used, count(*) AS uploads
            FROM files.upload WHERE owner = $1 AND (expires_at IS NULL OR expires_at >= now())""")
        .execute(Tuple.of(consumer)).map(rows -> {
          Row row = rows.iterator().next();
          Long own = row.getLong("own");
          return new Usage(consumer, own == null ? defaultQuota : own, own != null, row.getLong("used"),
              row.getLong("uploads"));
        });
  }
}
