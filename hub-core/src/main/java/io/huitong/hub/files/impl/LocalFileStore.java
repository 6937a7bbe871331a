package io.huitong.hub.files.impl;

import io.huitong.hub.files.UploadStore;
import io.smallrye.mutiny.Uni;
import io.vertx.core.file.OpenOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.file.AsyncFile;
import io.vertx.mutiny.core.streams.ReadStream;
import io.vertx.mutiny.core.streams.WriteStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import org.bouncycastle.crypto.digests.SM3Digest;

/**
 * One plain file per upload, named by its id, in one directory. Writes go through {@link AsyncFile}, whose blocking
 * calls run on Vert.x's internal workers, and end with an fsync; concatenation and digests run on a worker.
 */
public final class LocalFileStore implements UploadStore {
  private static final int READ_BUFFER = 1 << 16;

  private final Vertx vertx;
  private final Path directory;

  public LocalFileStore(Vertx vertx, Path directory) {
    this.vertx = vertx;
    this.directory = directory;
  }

  private String path(String id) {
    return directory.resolve(id).toString();
  }

  @Override
  public Uni<Void> create(String id) {
    return vertx.fileSystem().mkdirs(directory.toString())
        .chain(() -> vertx.fileSystem().createFile(path(id)));
  }

  @Override
  public Uni<Chunk> append(String id, long offset, ReadStream<Buffer> data, long limit, Consumer<Buffer> observer) {
    return vertx.fileSystem().open(path(id), new OpenOptions().setWrite(true).setCreate(false).setTruncateExisting(false))
        .chain(file -> {
          file.setWritePos(offset);
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
              written[0] += buffer.length();
              file.writeAndForget(buffer);
              if (file.writeQueueFull()) {
                data.pause();
                file.drainHandler(data::resume);
              }
            });
            data.endHandler(() -> stop.accept(End.COMPLETE));
            data.exceptionHandler(failure -> stop.accept(End.INTERRUPTED));
            data.resume();
          }).chain(end -> file.flush().chain(file::close).replaceWith(() -> new Chunk(written[0], end)))
              .onFailure().call(() -> file.close().onFailure().recoverWithNull());
        });
  }

  @Override
  public Uni<Void> truncate(String id, long length) {
    return vertx.fileSystem().truncate(path(id), length);
  }

  @Override
  public Uni<Void> read(String id, long offset, long length, WriteStream<Buffer> into) {
    return vertx.fileSystem().open(path(id), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
        .chain(file -> file.setReadPos(offset).setReadLength(length).pipeTo(into)
            .onTermination().call(() -> file.close().onFailure().recoverWithNull()));
  }

  @Override
  public Uni<Void> concatenate(String id, List<String> parts) {
    return vertx.executeBlocking(Uni.createFrom().item(() -> {
      try (FileChannel out = FileChannel.open(Path.of(path(id)), StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        for (String part : parts) {
          try (FileChannel in = FileChannel.open(Path.of(path(part)), StandardOpenOption.READ)) {
            for (long copied = 0, size = in.size(); copied < size; ) {
              copied += in.transferTo(copied, size - copied, out);
            }
          }
        }
        out.force(true);
      } catch (IOException e) {
        throw new IllegalStateException("upload " + id + " cannot be concatenated: " + e.getMessage(), e);
      }
      return null;
    }), false).replaceWithVoid();
  }

  @Override
  public Uni<byte[]> sm3(String id) {
    return vertx.executeBlocking(Uni.createFrom().item(() -> {
      SM3Digest digest = new SM3Digest();
      byte[] buffer = new byte[READ_BUFFER];
      try (InputStream in = Files.newInputStream(Path.of(path(id)))) {
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
          digest.update(buffer, 0, n);
        }
      } catch (IOException e) {
        throw new IllegalStateException("upload " + id + " cannot be read: " + e.getMessage(), e);
      }
      byte[] out = new byte[digest.getDigestSize()];
      digest.doFinal(out, 0);
      return out;
    }), false);
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
