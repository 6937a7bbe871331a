package io.huitong.hub.files.impl;

import io.huitong.crypto.Sm3Stream;
import io.huitong.crypto.Sm4Ctr;
import io.huitong.hub.files.UploadStore;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.file.OpenOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.file.AsyncFile;
import io.vertx.mutiny.core.streams.ReadStream;
import io.vertx.mutiny.core.streams.WriteStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One file per upload, named by its id, in one directory. Each file starts with a 16-byte header saying how its
 * bytes are kept: {@code HUITONG1}, then 1 for SM4-CTR under the upload's own key ({@link AtRestKeys}) or 0 for
 * plain, then zeros. New files are sealed or not as configured; every file is read by what its header says, so
 * turning encryption on or off never strands a file. Byte {@code n} of an upload is at {@code 16 + n} in its file, so
 * resuming, cutting back and reading a range need nothing before them.
 *
 * <p>Appends are written by a worker, batch by batch, and end with an fsync; the bytes are encrypted there too, off
 * the event loop. Reads stream through {@link AsyncFile}; concatenation and digests run on a worker.
 */
public final class LocalFileStore implements UploadStore {
  static final int HEADER = 16;
  private static final byte[] MAGIC = "HUITONG1".getBytes(StandardCharsets.US_ASCII);
  private static final byte PLAIN = 0;
  private static final byte SM4_CTR = 1;
  private static final int COPY_BUFFER = 1 << 20;
  private static final int READ_BUFFER = 1 << 16;
  /** Bytes handed to a worker at a time, and how many may wait before the request is paused and resumed again. */
  private static final int BATCH = 1 << 18;
  private static final long PAUSE_ABOVE = 4L << 20;
  private static final long RESUME_BELOW = 1L << 20;

  private final Vertx vertx;
  private final Path directory;
  private final AtRestKeys keys;
  private final boolean seal;

  /**
   * @param keys the at-rest keys, needed to read sealed files even while {@code seal} is off
   * @param seal whether new files are encrypted
   */
  public LocalFileStore(Vertx vertx, Path directory, AtRestKeys keys, boolean seal) {
    this.vertx = vertx;
    this.directory = directory;
    this.keys = keys;
    this.seal = seal;
  }

  private String path(String id) {
    return directory.resolve(id).toString();
  }

  private Buffer newHeader() {
    byte[] header = Arrays.copyOf(MAGIC, HEADER);
    header[MAGIC.length] = seal ? SM4_CTR : PLAIN;
    return Buffer.buffer(header);
  }

  /** The cipher the header of upload {@code id} names, or null for a plain file. */
  private Sm4Ctr cipher(String id, byte[] header) {
    if (header.length != HEADER || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IllegalStateException("upload " + id + " has no valid store header");
    }
    return switch (header[MAGIC.length]) {
      case PLAIN -> null;
      case SM4_CTR -> keys.cipher(id);
      default -> throw new IllegalStateException("upload " + id + " is kept in an unknown way " + header[MAGIC.length]);
    };
  }

  private Uni<Sm4Ctr> cipher(String id, AsyncFile file) {
    return file.read(Buffer.buffer(HEADER), 0, 0, HEADER).map(header -> cipher(id, header.getBytes()));
  }

  @Override
  public Uni<Void> create(String id) {
    // The header is fsynced with the file: an upload's file is never seen without one.
    return vertx.fileSystem().mkdirs(directory.toString())
        .chain(() -> vertx.fileSystem().open(path(id), new OpenOptions().setWrite(true).setCreateNew(true)))
        .chain(file -> file.write(newHeader(), 0).chain(file::flush).eventually(file::close));
  }

  @Override
  public Uni<Chunk> append(String id, long offset, ReadStream<Buffer> data, long limit, Consumer<Buffer> observer) {
    return blocking(() -> {
      FileChannel file = FileChannel.open(Path.of(path(id)), StandardOpenOption.READ, StandardOpenOption.WRITE);
      try {
        return new Appending(file, cipher(id, header(file)), data, offset, limit, observer);
      } catch (IOException | RuntimeException e) {
        file.close();
        throw e;
      }
    }, "upload " + id + " cannot be opened").chain(appending -> Uni.createFrom().<Chunk>emitter(appending::start)
        .eventually(() -> blocking(() -> {
          appending.file.close();
          return null;
        }, "upload " + id + " cannot be closed").onFailure().recoverWithNull()));
  }

  /** Blocking file work on a worker, an I/O error failing the Uni with {@code what} and its message. */
  private <T> Uni<T> blocking(IoWork<T> work, String what) {
    return vertx.executeBlocking(Uni.createFrom().item(() -> {
      try {
        return work.run();
      } catch (IOException e) {
        throw new IllegalStateException(what + ": " + e.getMessage(), e);
      }
    }), false);
  }

  private interface IoWork<T> {
    T run() throws IOException;
  }

  /**
   * One append. The event loop takes the bytes in (the caller hashes them there) and queues them in batches; a worker
   * drains the queue, encrypting and writing one batch after another in order, without going back to the event loop
   * between batches, so on two cores the SM3 and the SM4 of one stream run side by side. The request is paused while
   * too much waits and resumed by the worker once it has caught up. At most one worker drains at a time.
   */
  private final class Appending {
    private final FileChannel file;
    private final Sm4Ctr cipher;
    private final ReadStream<Buffer> data;
    private final long offset;
    private final long limit;
    private final Consumer<Buffer> observer;
    // Shared with the draining worker.
    private final ConcurrentLinkedQueue<Batch> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    // The event loop's own.
    private Buffer batch = Buffer.buffer();
    private long received;
    private boolean paused;
    private End end;
    private boolean finished;
    private UniEmitter<? super Chunk> done;
    private Context context;

    Appending(FileChannel file, Sm4Ctr cipher, ReadStream<Buffer> data, long offset, long limit,
              Consumer<Buffer> observer) {
      this.file = file;
      this.cipher = cipher;
      this.data = data;
      this.offset = offset;
      this.limit = limit;
      this.observer = observer;
    }

    /** Starts taking the data in; called on the event loop of the request. */
    void start(UniEmitter<? super Chunk> emitter) {
      done = emitter;
      context = io.vertx.core.Vertx.currentContext();
      data.handler(this::take);
      data.endHandler(() -> stop(End.COMPLETE));
      data.exceptionHandler(failure -> stop(End.INTERRUPTED));
      data.resume();
    }

    private void take(Buffer buffer) {
      if (end != null) {
        return;
      }
      if (received + buffer.length() > limit) {
        data.pause();
        stop(End.OVER_LIMIT);
        return;
      }
      observer.accept(buffer);
      received += buffer.length();
      batch.appendBuffer(buffer);
      if (batch.length() >= BATCH) {
        handOver();
        if (queued.get() > PAUSE_ABOVE) {
          paused = true;
          data.pause();
        }
        drain();
      }
    }

    private void stop(End why) {
      if (end == null) {
        end = why;
        handOver();
        drain();
      }
    }

    private void handOver() {
      if (batch.length() > 0) {
        byte[] bytes = batch.getBytes();
        queued.addAndGet(bytes.length);
        waiting.add(new Batch(offset + received - bytes.length, bytes));
        batch = Buffer.buffer();
      }
    }

    /** Starts a worker on the queue unless one is at it; with nothing left to write after the end, fsyncs. */
    private void drain() {
      if (finished) {
        return;
      }
      if (!waiting.isEmpty() && draining.compareAndSet(false, true)) {
        blocking(this::drainQueue, "upload bytes cannot be written").subscribe().with(ok -> drain(), failure -> {
          finished = true;
          data.pause();
          done.fail(failure);
        });
      } else if (end != null && waiting.isEmpty() && !draining.get()) {
        finished = true;
        blocking(() -> {
          file.force(false);
          return null;
        }, "upload bytes cannot be synced").subscribe().with(ok -> done.complete(new Chunk(received, end)), done::fail);
      }
    }

    /** On a worker: encrypts (if sealed) and writes waiting batches until none is left. */
    private Void drainQueue() throws IOException {
      do {
        for (Batch next = waiting.poll(); next != null; next = waiting.poll()) {
          byte[] bytes = next.bytes();
          if (cipher != null) {
            cipher.apply(next.position(), bytes, 0, bytes.length);
          }
          writeFully(file, ByteBuffer.wrap(bytes), HEADER + next.position());
          if (queued.addAndGet(-bytes.length) <= RESUME_BELOW) {
            context.runOnContext(v -> resumeIfPaused());
          }
        }
        draining.set(false);
        // A batch queued between the last poll and letting go would otherwise wait for the next hand-over.
      } while (!waiting.isEmpty() && draining.compareAndSet(false, true));
      return null;
    }

    private void resumeIfPaused() {
      if (paused && end == null && queued.get() <= RESUME_BELOW) {
        paused = false;
        data.resume();
      }
    }
  }

  /** Bytes of an upload waiting to be written at {@code position}. */
  private record Batch(long position, byte[] bytes) {
  }

  @Override
  public Uni<Void> truncate(String id, long length) {
    return vertx.fileSystem().truncate(path(id), HEADER + length);
  }

  @Override
  public Uni<Void> read(String id, long offset, long length, WriteStream<Buffer> into) {
    return vertx.fileSystem().open(path(id), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
        .chain(file -> cipher(id, file).chain(cipher -> {
          file.setReadBufferSize(READ_BUFFER).setReadPos(HEADER + offset).setReadLength(length);
          ReadStream<Buffer> bytes = cipher == null ? file
              : ReadStream.newInstance(new DecryptingStream(file.getDelegate(), cipher, offset));
          return bytes.pipeTo(into);
        }).eventually(() -> file.close().onFailure().recoverWithNull()));
  }

  /**
   * Writes the parts' bytes, in order, as the whole of upload {@code id} (sealed as configured), reading each once:
   * the SM3 of the result is computed in the same pass.
   */
  @Override
  public Uni<byte[]> concatenate(String id, List<String> parts) {
    return blocking(() -> {
      Sm3Stream digest = new Sm3Stream();
      Sm4Ctr outCipher = seal ? keys.cipher(id) : null;
      ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);
      try (FileChannel out = FileChannel.open(Path.of(path(id)), StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        writeFully(out, ByteBuffer.wrap(newHeader().getBytes()), 0);
        long[] outAt = {0};
        for (String part : parts) {
          readClear(part, buffer, (bytes, n) -> {
            digest.update(bytes, 0, n);
            if (outCipher != null) {
              outCipher.apply(outAt[0], bytes, 0, n);
            }
            writeFully(out, ByteBuffer.wrap(bytes, 0, n), HEADER + outAt[0]);
            outAt[0] += n;
          });
        }
        out.force(true);
      }
      return digest.digest();
    }, "upload " + id + " cannot be concatenated");
  }

  @Override
  public Uni<byte[]> sm3(String id) {
    return blocking(() -> {
      Sm3Stream digest = new Sm3Stream();
      readClear(id, ByteBuffer.allocate(COPY_BUFFER), (bytes, n) -> digest.update(bytes, 0, n));
      return digest.digest();
    }, "upload " + id + " cannot be read");
  }

  /** Takes the bytes an upload's file holds, a buffer at a time and in clear. */
  private interface ClearBytes {
    void accept(byte[] bytes, int length) throws IOException;
  }

  /** Reads upload {@code id} whole through {@code buffer}, decrypting as its header says. Blocking. */
  private void readClear(String id, ByteBuffer buffer, ClearBytes sink) throws IOException {
    try (FileChannel in = FileChannel.open(Path.of(path(id)), StandardOpenOption.READ)) {
      Sm4Ctr cipher = cipher(id, header(in));
      long at = 0;
      for (int n = in.read(buffer.clear(), HEADER); n > 0; n = in.read(buffer.clear(), HEADER + at)) {
        if (cipher != null) {
          cipher.apply(at, buffer.array(), 0, n);
        }
        sink.accept(buffer.array(), n);
        at += n;
      }
    }
  }

  private static byte[] header(FileChannel in) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    int n;
    do {
      n = in.read(header, header.position());
    } while (n > 0 && header.hasRemaining());
    return Arrays.copyOf(header.array(), header.position());
  }

  private static void writeFully(FileChannel out, ByteBuffer bytes, long position) throws IOException {
    for (long at = position; bytes.hasRemaining(); ) {
      at += out.write(bytes, at);
    }
  }

  @Override
  public Uni<Void> delete(String id) {
    String path = path(id);
    return vertx.fileSystem().exists(path)
        .chain(exists -> exists ? vertx.fileSystem().delete(path) : Uni.createFrom().voidItem());
  }

  /** Only names of the form upload ids take (32 hex digits) count: nothing else in the directory is ever touched. */
  @Override
  public Uni<List<String>> ids() {
    return vertx.fileSystem().exists(directory.toString())
        .chain(exists -> exists ? vertx.fileSystem().readDir(directory.toString(), "[0-9a-f]{32}")
            : Uni.createFrom().item(List.<String>of()))
        .map(paths -> paths.stream().map(p -> Path.of(p).getFileName().toString()).toList());
  }
}
