package io.huitong.perf.files;

import io.huitong.crypto.Sm3;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The bytes one stream uploads: a region of the source file. Bodies stream from the file as the connection takes
 * them (the file is in the page cache after {@link #sm3()}), so no upload is ever held in memory.
 */
record Slice(Path file, int index, long offset, long length) {
  private static final int BUFFER = 1 << 16;

  /** {@code length} bytes from {@code from} within the slice, as a request body with its Content-Length. */
  BodyPublisher body(long from, long length) {
    return BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> open(from, length)), length);
  }

  private InputStream open(long from, long length) {
    try {
      InputStream in = Files.newInputStream(file);
      in.skipNBytes(offset + from);
      return new Bounded(in, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The SM3 of the slice, in hex, as the hub's ETag gives it. */
  String sm3() throws IOException {
    return HexFormat.of().formatHex(sm3(open(0, length)));
  }

  /** The SM3 of {@code length} bytes from {@code from} within the slice. */
  byte[] sm3(long from, long length) throws IOException {
    return sm3(open(from, length));
  }

  /** The SM3 of what {@code in} gives until its end; closes it. */
  static byte[] sm3(InputStream in) throws IOException {
    Sm3 sm3 = Sm3.newHash();
    try (in) {
      byte[] buffer = new byte[BUFFER];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sm3.update(buffer, 0, n);
      }
    }
    return sm3.finish();
  }

  /** At most {@code left} bytes of the stream under it. */
  private static final class Bounded extends FilterInputStream {
    private long left;

    Bounded(InputStream in, long left) {
      super(in);
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}
