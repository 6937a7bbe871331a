package io.huitong.hub.files.impl;

import io.huitong.hub.files.UploadStore;
import io.huitong.hub.files.impl.UploadTable.Upload;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code files.allowed-types} check: an upload's first bytes must be of an allowed {@link FileType}, whatever its
 * name or metadata say. The bytes are looked at as they stream in; once they tell a refused type the rest of the
 * request is not written, and the chunk is cut off again and answered 415 {@code HT-UPLOAD-TYPE}. A first chunk too
 * short to tell is kept and the check is made again, with the stored bytes read back, when the next chunk comes or
 * the upload ends. Partial uploads are not checked (a part may start anywhere in a file); a final upload is checked on
 * the head of its parts before they are copied. With no types listed every upload is accepted.
 */
public final class FileTypes {
  private final Set<FileType> allowed;
  private final UploadStore store;

  /** @param allowed labels of {@link FileType}s, already validated; empty to accept everything */
  FileTypes(List<String> allowed, UploadStore store) {
    this.allowed = allowed.isEmpty() ? EnumSet.noneOf(FileType.class)
        : allowed.stream().map(FileType::labelled).collect(Collectors.toCollection(() -> EnumSet.noneOf(FileType.class)));
    this.store = store;
  }

  /** The labels {@code files.allowed-types} may list. */
  public static List<String> labels() {
    return Arrays.stream(FileType.values()).filter(t -> t != FileType.UNKNOWN).map(FileType::label).toList();
  }

  private boolean checks(Upload upload) {
    return !allowed.isEmpty() && !TusServer.PARTIAL.equals(upload.concat()) && upload.offset() < FileType.HEAD;
  }

  /**
   * What a chunk of {@code upload} arriving on {@code body} is checked by; it passes the chunk through unchanged
   * when no check is due (no types listed, a partial upload, or the type told by earlier chunks).
   *
   * @param length the upload's length, including one the chunk's request fixes; null while deferred
   */
  Uni<Gate> gate(Upload upload, Long length, io.vertx.mutiny.core.http.HttpServerRequest body) {
    if (!checks(upload)) {
      return Uni.createFrom().item(new Gate(body.getDelegate(), null, upload.offset(), length, new byte[0]));
    }
    return head(upload.id(), upload.offset())
        .map(stored -> new Gate(body.getDelegate(), this, upload.offset(), length, stored));
  }

  /** 415 unless the head of the {@code parts}, in order, is of an allowed type. */
  Uni<Void> checkParts(List<Upload> parts) {
    if (allowed.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Buffer head = Buffer.buffer();
    return Multi.createFrom().iterable(parts).onItem().transformToUniAndConcatenate(part -> {
      long wanted = Math.min(part.length(), FileType.HEAD - head.length());
      return wanted <= 0 ? Uni.createFrom().voidItem() : head(part.id(), wanted).invoke(head::appendBytes).replaceWithVoid();
    }).collect().last().invoke(() -> refusal(FileType.detect(head.getBytes(), true)).ifPresent(e -> {
      throw e;
    })).replaceWithVoid();
  }

  /** 415 naming the type, or nothing when {@code type} is allowed or not told yet (null). */
  private Optional<HubException> refusal(FileType type) {
    if (type == null || allowed.contains(type)) {
      return Optional.empty();
    }
    return Optional.of(new HubException(HubError.UPLOAD_TYPE, "The upload's content is " + type.label()
        + " by its first bytes; accepted: " + allowed.stream().map(FileType::label).collect(Collectors.joining(", ")),
        Map.of("detectedType", type.label())));
  }

  /** The first {@code length} stored bytes of upload {@code id}, read through the store. */
  private Uni<byte[]> head(String id, long length) {
    if (length == 0) {
      return Uni.createFrom().item(new byte[0]);
    }
    Collector collector = new Collector();
    return store.read(id, 0, length, io.vertx.mutiny.core.streams.WriteStream.newInstance(collector))
        .map(done -> collector.bytes.getBytes());
  }

  /**
   * The request body as the store reads it, looked at until its first bytes tell the type. Once they tell a refused
   * type it delivers nothing more and ends, so the store stops writing; {@link #refusal()} then says why. Runs on the
   * request's event loop.
   */
  static final class Gate implements ReadStream<Buffer> {
    private final ReadStream<Buffer> source;
    private final FileTypes types;
    private final Long length;
    private final Buffer head;
    private long position;
    private boolean told;
    private HubException refused;
    private boolean ended;
    private Handler<Void> endHandler;

    /** @param types null for no check; {@code stored} the bytes before the chunk, when it does not start the upload */
    private Gate(ReadStream<Buffer> source, FileTypes types, long offset, Long length, byte[] stored) {
      this.source = source;
      this.types = types;
      this.length = length;
      this.head = Buffer.buffer(stored);
      this.position = offset;
      this.told = types == null;
    }

    /** The chunk's bytes for the store. */
    io.vertx.mutiny.core.streams.ReadStream<io.vertx.mutiny.core.buffer.Buffer> body() {
      return io.vertx.mutiny.core.streams.ReadStream.newInstance(this, io.vertx.mutiny.core.buffer.Buffer.__TYPE_ARG);
    }

    /** 415 when the chunk's first bytes told a refused type. */
    Optional<HubException> refusal() {
      return Optional.ofNullable(refused);
    }

    /** Looks at the head so far; {@code ended} when the chunk is over. */
    private void tell(boolean chunkEnded) {
      boolean whole = head.length() >= FileType.HEAD || length != null && position == length;
      FileType type = FileType.detect(head.getBytes(), whole);
      if (type == null && !chunkEnded) {
        return;
      }
      told = type != null;
      refused = types.refusal(type).orElse(null);
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
      source.handler(handler == null ? null : buffer -> {
        if (refused != null) {
          return;
        }
        if (!told) {
          head.appendBuffer(buffer, 0, (int) Math.min(buffer.length(), FileType.HEAD - head.length()));
          position += buffer.length();
          tell(false);
          if (refused != null) {
            source.pause();
            end();
            return;
          }
        }
        handler.handle(buffer);
      });
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
      endHandler = handler;
      source.endHandler(handler == null ? null : v -> {
        if (!told && refused == null) {
          tell(true);
        }
        end();
      });
      return this;
    }

    private void end() {
      if (!ended && endHandler != null) {
        ended = true;
        endHandler.handle(null);
      }
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      source.exceptionHandler(handler);
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      source.pause();
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      source.resume();
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      source.fetch(amount);
      return this;
    }
  }

  /** A write stream keeping what is written, for the few head bytes read back from the store. */
  private static final class Collector implements WriteStream<Buffer> {
    final Buffer bytes = Buffer.buffer();

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
      bytes.appendBuffer(data);
      return Future.succeededFuture();
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
      handler.handle(write(data));
    }

    @Override
    public void end(Handler<AsyncResult<Void>> handler) {
      handler.handle(Future.succeededFuture());
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
