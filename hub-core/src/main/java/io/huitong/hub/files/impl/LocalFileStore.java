package io.huitong.hub.files.impl;

import io.huitong.crypto.Sm3Stream;
import io.huitong.crypto.Sm4Ctr;
import io.huitong.hub.files.UploadStore;
import io.smallrye.mutiny.Uni;
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
import java.util.function.Consumer;

/**
 * One file per upload, named by its id, in one directory. Each file starts with a 16-byte header saying how its
 * bytes are kept: {@code HUITONG1}, then 1 for SM4-CTR under the upload's own key ({@link AtRestKeys}) or 0 for
 * plain, then zeros. New files are sealed or not as configured; every file is read by what its header says, so
 * turning encryption on or off never strands a file. Byte {@code n} of an upload is at {@code 16 + n} in its file, so
 * resuming, cutting back and reading a range need nothing before them.
 *
 * <p>Writes go through {@link AsyncFile}, whose blocking calls run on Vert.x's internal workers, and end with an
 * fsync; the bytes are encrypted on the event loop as they arrive. Concatenation and digests run on a worker.
 */
public final class LocalFileStore implements UploadStore {
  static final int HEADER = 16;
  private static final byte[] MAGIC = "HUITONG1".getBytes(StandardCharsets.US_ASCII);
  private static final byte PLAIN = 0;
  private static final byte SM4_CTR = 1;
  private static final int COPY_BUFFER = 1 << 20;
  private static final int READ_BUFFER = 1 << 16;

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
    return vertx.fileSystem().open(path(id), new OpenOptions().setRead(true).setWrite(true).setCreate(false)
            .setTruncateExisting(false))
        .chain(file -> cipher(id, file).chain(cipher -> {
          file.setWritePos(HEADER + offset);
          long[] written = {0};
          return Uni.createFrom().<End>emitter(done -> {
            // Once stopped, late buffers (a resume by the drain handler, say) must not reach the closing file.
            boolean[] stopped = {false};
            Consumer<End> stop = end -> {
              if (!stopped[0]) {
                stopped[0] = true;
                done.complete(end);
              }
            };
            file.exceptionHandler(done::fail);
            data.handler(buffer -> {
              if (stopped[0]) {
                return;
              }
              if (written[0] + buffer.length() > limit) {
                data.pause();
                stop.accept(End.OVER_LIMIT);
                return;
              }
              observer.accept(buffer);
              Buffer stored = cipher == null ? buffer : encrypt(cipher, offset + written[0], buffer);
              written[0] += buffer.length();
              file.writeAndForget(stored);
              if (file.writeQueueFull()) {
                data.pause();
                file.drainHandler(data::resume);
              }
            });
            data.endHandler(() -> stop.accept(End.COMPLETE));
            data.exceptionHandler(failure -> stop.accept(End.INTERRUPTED));
            data.resume();
          }).chain(end -> file.flush().replaceWith(() -> new Chunk(written[0], end)));
        }).eventually(() -> file.close().onFailure().recoverWithNull()));
  }

  private static Buffer encrypt(Sm4Ctr cipher, long position, Buffer plain) {
    byte[] bytes = plain.getBytes();
    cipher.apply(position, bytes, 0, bytes.length);
    return Buffer.buffer(bytes);
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
    return vertx.executeBlocking(Uni.createFrom().item(() -> {
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
      } catch (IOException e) {
        throw new IllegalStateException("upload " + id + " cannot be concatenated: " + e.getMessage(), e);
      }
      return digest.digest();
    }), false);
  }

  @Override
  public Uni<byte[]> sm3(String id) {
    return vertx.executeBlocking(Uni.createFrom().item(() -> {
      Sm3Stream digest = new Sm3Stream();
      try {
        readClear(id, ByteBuffer.allocate(COPY_BUFFER), (bytes, n) -> digest.update(bytes, 0, n));
      } catch (IOException e) {
        throw new IllegalStateException("upload " + id + " cannot be read: " + e.getMessage(), e);
      }
      return digest.digest();
    }), false);
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
