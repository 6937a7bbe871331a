package io.huitong.hub.files.impl;

import io.huitong.hub.files.ExportJob;
import io.huitong.hub.files.FilesConfig;
import io.huitong.hub.files.UploadStore;
import io.huitong.hub.files.UploadStore.End;
import io.huitong.hub.files.impl.UploadTable.Upload;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.file.OpenOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs export jobs kept in {@code files.export_job}, one at a time per member: it claims the oldest queued job (or
 * one whose member stopped sending heartbeats), builds the archive with an {@link ArchiveWriter} on a worker of its
 * own, then stores it as a complete upload through the {@link UploadStore} and {@link UploadTable}, as any upload,
 * so GET /files/{id} serves it with ranges and its SM3 ETag. A job this member was running when it stopped or
 * crashed is queued again when it starts; a job started {@link #MAX_ATTEMPTS} times without finishing fails.
 */
final class ExportRunner {
  static final int MAX_ATTEMPTS = 3;
  private static final Logger LOG = LoggerFactory.getLogger(ExportRunner.class);
  private static final Duration POLL = Duration.ofSeconds(2);
  private static final Duration HEARTBEAT = Duration.ofSeconds(5);
  /** A running job without a heartbeat for this long lost its member. */
  private static final Duration STALE = Duration.ofSeconds(30);
  private static final int MAX_ERROR = 500;
  private static final String COLUMNS = "id, department, issued_from, issued_to, state, attempts, material_count,"
      + " upload_id, archive_size, archive_sm3, error, created_at, started_at, finished_at";

  private final Vertx vertx;
  private final Storage storage;
  private final UploadStore store;
  private final UploadTable uploads;
  private final FilesConfig config;
  private final String member;
  private final Path workDir;
  private final Context context;
  private final ArchiveWriter writer;
  private final WorkerExecutor worker;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean stopping;
  private long pollTimer = -1;

  ExportRunner(Vertx vertx, Storage storage, UploadStore store, UploadTable uploads, MaterialTable materials,
               FilesConfig config, String member, Path workDir) {
    this.vertx = vertx;
    this.storage = storage;
    this.store = store;
    this.uploads = uploads;
    this.config = config;
    this.member = member;
    this.workDir = workDir;
    this.context = vertx.getDelegate().getOrCreateContext();
    this.writer = new ArchiveWriter(context, store, materials);
    // Its own single thread: an archive takes long, and must neither starve nor trip the shared workers' blocked check.
    this.worker = vertx.createSharedWorkerExecutor("huitong-exports", 1, 6, TimeUnit.HOURS);
  }

  /** Queues again what this member was running when it last stopped, then polls for jobs. */
  Uni<Void> start() {
    return storage.pool().chain(pool -> pool.preparedQuery(
            "UPDATE files.export_job SET state = 'QUEUED', claimed_by = NULL WHERE state = 'RUNNING' AND claimed_by = $1")
        .execute(Tuple.of(member)))
        .invoke(rows -> {
          if (rows.rowCount() > 0) {
            LOG.info("Queued again {} export job(s) this member was running when it stopped", rows.rowCount());
          }
          context.runOnContext(v -> {
            pollTimer = vertx.setPeriodic(POLL.toMillis(), t -> poll());
            poll();
          });
        })
        .replaceWithVoid();
  }

  Uni<ExportJob> queue(String id, String department, Instant from, Instant to) {
    return storage.pool().chain(pool -> pool.preparedQuery(
            "INSERT INTO files.export_job (id, department, issued_from, issued_to, state) VALUES ($1, $2, $3, $4, 'QUEUED')"
                + " RETURNING " + COLUMNS)
        .execute(Tuple.of(id, department, MaterialTable.utc(from), MaterialTable.utc(to))))
        .map(rows -> toJob(rows.iterator().next()))
        .invoke(() -> context.runOnContext(v -> poll()));
  }

  /** The job, or null. */
  Uni<ExportJob> find(String id) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT " + COLUMNS + " FROM files.export_job WHERE id = $1")
            .execute(Tuple.of(id)))
        .map(rows -> rows.size() == 0 ? null : toJob(rows.iterator().next()));
  }

  /** Takes the next job unless one is running here; runs on {@link #context}. */
  private void poll() {
    if (stopping || !running.compareAndSet(false, true)) {
      return;
    }
    claim().chain(job -> job == null ? Uni.createFrom().item(false) : run(job).replaceWith(true))
        .onTermination().invoke(() -> running.set(false))
        .subscribe().with(ran -> {
          if (ran) {
            context.runOnContext(v -> poll());
          }
        }, failure -> LOG.warn("Export jobs could not be run: {}", failure.toString()));
  }

  private Uni<ExportJob> claim() {
    return storage.pool().chain(pool -> pool.preparedQuery("""
            UPDATE files.export_job SET state = 'RUNNING', claimed_by = $1, heartbeat_at = now(), started_at = now(),
              attempts = attempts + 1
            WHERE id = (SELECT id FROM files.export_job
                        WHERE state = 'QUEUED' OR state = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => $2)
                        ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING\s""" + COLUMNS).execute(Tuple.of(member, (double) STALE.toSeconds())))
        .map(rows -> rows.size() == 0 ? null : toJob(rows.iterator().next()));
  }

  /** Builds and stores the archive, then records the outcome; a stop puts the job back in the queue. */
  private Uni<Void> run(ExportJob job) {
    if (job.attempts() > MAX_ATTEMPTS) {
      return finish(job.id(), "FAILED", null, "interrupted " + MAX_ATTEMPTS + " times; not tried again");
    }
    AtomicBoolean lost = new AtomicBoolean();
    long heartbeat = vertx.setPeriodic(HEARTBEAT.toMillis(), t -> beat(job.id(), lost));
    Path file = workDir.resolve("export-" + job.id() + ".zip");
    LOG.info("Export {} of department {} started (attempt {})", job.id(), job.department(), job.attempts());
    return worker.executeBlocking(Uni.createFrom().item(() -> {
          try {
            Files.createDirectories(workDir);
            return writer.write(job, file, () -> stopping || lost.get());
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }), false)
        .chain(archive -> storeArchive(job, file, archive).chain(uploadId -> finish(job.id(), "DONE", new Object[] {
            archive.materials(), uploadId, archive.size(), io.vertx.core.buffer.Buffer.buffer(archive.sm3())}, null)))
        .onFailure(CancellationException.class).recoverWithUni(() -> requeue(job.id()))
        .onFailure().recoverWithUni(failure -> {
          LOG.warn("Export {} failed: {}", job.id(), failure.toString());
          return finish(job.id(), "FAILED", null, failure.getMessage() == null ? failure.toString() : failure.getMessage());
        })
        .onTermination().invoke(() -> vertx.cancelTimer(heartbeat))
        .onTermination().call(() -> vertx.fileSystem().delete(file.toString()).onFailure().recoverWithNull());
  }

  /**
   * Stores the archive as a complete upload, as the tus server stores one: the row first (with an expiry, so the sweep
   * removes it should this member die before it is complete), then, holding the upload's lease, the bytes through the
   * store and the offset and SM3 in one update.
   */
  private Uni<String> storeArchive(ExportJob job, Path file, ArchiveWriter.Archive archive) {
    String id = PgMaterials.newId();
    String holder = member + " " + PgMaterials.newId();
    String name = "export-" + job.id() + ".zip";
    String metadata = "filename " + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8))
        + ",filetype " + Base64.getEncoder().encodeToString("application/zip".getBytes(StandardCharsets.UTF_8));
    Instant expires = Instant.now().plus(config.expiration()).truncatedTo(ChronoUnit.SECONDS);
    // No owner: the operator fetches it (files.access: grant accepts the operator token at /files/).
    Upload upload = new Upload(id, archive.size(), 0, metadata, expires, null, null);
    // Nobody else knows the new upload's id, so the lease is never contended; it marks the writer as the tus server's do.
    return uploads.insert(upload)
        .chain(() -> store.create(id))
        .chain(() -> uploads.hold(id, holder, config.lease(), null))
        .chain(held -> vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true).setWrite(false))
            .chain(in -> store.append(id, 0, in, archive.size(), bytes -> { })
                .onTermination().call(() -> in.close().onFailure().recoverWithNull()))
            .chain(chunk -> {
              if (chunk.end() != End.COMPLETE || chunk.written() != archive.size()) {
                throw new IllegalStateException("the archive was stored only in part (" + chunk.written() + " of "
                    + archive.size() + " bytes)");
              }
              return uploads.advance(held, archive.size(), null, null, null, archive.sm3());
            })
            .eventually(() -> uploads.release(id, holder).onFailure().recoverWithNull()))
        .map(advanced -> {
          if (!advanced) {
            throw new IllegalStateException("the archive's upload " + id + " changed while it was stored");
          }
          return id;
        });
  }

  private Uni<Void> finish(String id, String state, Object[] result, String error) {
    Object[] r = result == null ? new Object[4] : result;
    return storage.pool().chain(pool -> pool.preparedQuery("""
            UPDATE files.export_job SET state = $3, material_count = $4, upload_id = $5, archive_size = $6,
              archive_sm3 = $7, error = $8, finished_at = now()
            WHERE id = $1 AND claimed_by = $2 AND state = 'RUNNING'""")
        .execute(Tuple.tuple().addString(id).addString(member).addString(state).addValue(r[0]).addValue(r[1])
            .addValue(r[2]).addValue(r[3]).addString(error == null ? null : truncate(error))))
        .invoke(rows -> LOG.info("Export {} {}", id, rows.rowCount() == 1 ? state : "was taken over by another member"))
        .replaceWithVoid();
  }

  private Uni<Void> requeue(String id) {
    return storage.pool().chain(pool -> pool.preparedQuery(
            "UPDATE files.export_job SET state = 'QUEUED', claimed_by = NULL WHERE id = $1 AND claimed_by = $2 AND state = 'RUNNING'")
        .execute(Tuple.of(id, member))).replaceWithVoid();
  }

  /** Keeps the claim alive; when another member took the job over meanwhile, this one stops building it. */
  private void beat(String id, AtomicBoolean lost) {
    storage.pool().chain(pool -> pool.preparedQuery(
            "UPDATE files.export_job SET heartbeat_at = now() WHERE id = $1 AND claimed_by = $2 AND state = 'RUNNING'")
        .execute(Tuple.of(id, member)))
        .subscribe().with(rows -> {
          if (rows.rowCount() == 0) {
            lost.set(true);
          }
        }, failure -> LOG.warn("Export {} heartbeat failed: {}", id, failure.toString()));
  }

  Uni<Void> close() {
    stopping = true;
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
    }
    return worker.close();
  }

  private static String truncate(String error) {
    return error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
  }

  private static ExportJob toJob(Row row) {
    io.vertx.mutiny.core.buffer.Buffer sm3 = row.getBuffer("archive_sm3");
    return new ExportJob(row.getString("id"), row.getString("department"), instant(row, "issued_from"),
        instant(row, "issued_to"), ExportJob.State.valueOf(row.getString("state")), row.getInteger("attempts"),
        row.getInteger("material_count"), row.getString("upload_id"), row.getLong("archive_size"),
        sm3 == null ? null : sm3.getBytes(), row.getString("error"), instant(row, "created_at"),
        instant(row, "started_at"), instant(row, "finished_at"));
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime at = row.getOffsetDateTime(column);
    return at == null ? null : at.toInstant();
  }
}
