package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.digests.SM3Digest;

/**
 * A file of pseudo-random bytes drawn from a seed, written and hashed a block at a time so that a large one is never
 * in memory whole, and the checks that a hub stored exactly it.
 */
record SampleFile(Path path, long length, String sm3) {
  private static final int BLOCK = 1024 * 1024;
  private static final Duration DOWNLOAD_LIMIT = Duration.ofMinutes(2);

  /** Writes {@code length} bytes drawn from {@code seed} to {@code path}: the same bytes on every run. */
  static SampleFile write(Path path, long length, long seed) throws IOException {
    Random random = new Random(seed);
    SM3Digest digest = new SM3Digest();
    byte[] block = new byte[BLOCK];
    try (OutputStream out = Files.newOutputStream(path)) {
      for (long left = length; left > 0; left -= BLOCK) {
        int n = (int) Math.min(BLOCK, left);
        random.nextBytes(block);
        digest.update(block, 0, n);
        out.write(block, 0, n);
      }
    }
    return new SampleFile(path, length, finish(digest));
  }

  /**
   * Asserts that {@code hub} has this file complete at {@code uploadPath}: HEAD gives the whole length as offset,
   * the download's ETag is this file's SM3 (the digest the hub recorded), and the downloaded bytes hash to it too.
   */
  void assertStoredBy(HubProcess hub, String uploadPath) throws IOException, InterruptedException {
    assertEquals(length, offset(hub, uploadPath), "offset on HEAD");

    HttpResponse<InputStream> download = HubProcess.HTTP.send(HttpRequest.newBuilder(hub.uri(uploadPath))
        .timeout(DOWNLOAD_LIMIT).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    SM3Digest digest = new SM3Digest();
    long read = 0;
    try (InputStream body = download.body()) {
      assertEquals(200, download.statusCode(), "GET " + uploadPath);
      assertEquals("\"" + sm3 + "\"", download.headers().firstValue("ETag").orElse(null), "ETag: the recorded SM3");
      byte[] block = new byte[BLOCK];
      for (int n; (n = body.read(block)) > 0; read += n) {
        digest.update(block, 0, n);
      }
    }
    assertEquals(length, read, "bytes downloaded");
    assertEquals(sm3, finish(digest), "SM3 of the download");
  }

  /** The upload's offset as HEAD gives it. */
  static long offset(HubProcess hub, String uploadPath) throws IOException, InterruptedException {
    HttpResponse<String> head = hub.send(HttpRequest.newBuilder(hub.uri(uploadPath))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0"));
    assertEquals(200, head.statusCode(), "HEAD " + uploadPath);
    return Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
  }

  private static String finish(SM3Digest digest) {
    byte[] out = new byte[digest.getDigestSize()];
    digest.doFinal(out, 0);
    return HexFormat.of().formatHex(out);
  }
}
