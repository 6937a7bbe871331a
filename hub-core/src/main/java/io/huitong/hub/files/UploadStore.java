package io.huitong.hub.files;

import io.huitong.hub.files.impl.AtRestKeys;
import io.huitong.hub.files.impl.LocalFileStore;
import io.huitong.hub.signing.MasterKey;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.streams.ReadStream;
import io.vertx.mutiny.core.streams.WriteStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the bytes of uploads live, by upload id; what an upload is (its length, offset, metadata) is kept apart, in
 * PostgreSQL. Every method completes on the caller's context and never blocks an event loop. A store encrypting at
 * rest, or one shared by the members of a cluster, is another implementation of this interface.
 */
public interface UploadStore {

  /**
   * A store of one file per upload in {@code directory}, which is created if missing; new files are encrypted with
   * SM4 under per-upload keys derived from {@code master} when {@code seal} is set.
   */
  static UploadStore local(Vertx vertx, Path directory, MasterKey master, boolean seal) {
    return new LocalFileStore(vertx, directory, new AtRestKeys(master.derive(AtRestKeys.PURPOSE)), seal);
  }

  /** Creates an empty upload. */
  Uni<Void> create(String id);

  /**
   * Writes the bytes of {@code data} at {@code offset} as they arrive, pausing {@code data} while the store is behind.
   * Each buffer goes to {@code observer}, as it arrived (in clear), before it is written. Stops at {@code limit} bytes; completes once everything
   * written is durably stored, so an offset acknowledged after it survives a crash.
   */
  Uni<Chunk> append(String id, long offset, ReadStream<Buffer> data, long limit, Consumer<Buffer> observer);

  /** Cuts the upload back to {@code length} bytes: a refused chunk, or bytes past the acknowledged offset. */
  Uni<Void> truncate(String id, long length);

  /** Streams {@code length} bytes of the upload from {@code offset} into {@code into}, then ends it. */
  Uni<Void> read(String id, long offset, long length, WriteStream<Buffer> into);

  /** Writes the bytes of the {@code parts}, in order, as the whole of upload {@code id}, durably; gives their SM3. */
  Uni<byte[]> concatenate(String id, List<String> parts);

  /** The SM3 digest of the upload's bytes (in clear), computed off the event loop. */
  Uni<byte[]> sm3(String id);

  /** Deletes the upload's bytes; an upload already gone is no error. */
  Uni<Void> delete(String id);

  /** The ids of every upload the store holds bytes for, so the sweep can find files no upload owns any more. */
  Uni<List<String>> ids();

  /**
   * What an {@link #append} stored.
   *
   * @param written bytes durably written
   * @param end     why the writing stopped
   */
  record Chunk(long written, End end) {
  }

  enum End {
    /** The data ended. */
    COMPLETE,
    /** The data failed part-way, typically a closed connection. */
    INTERRUPTED,
    /** More data came than the limit allows; the bytes past it were not written. */
    OVER_LIMIT
  }
}
