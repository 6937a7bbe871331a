package io.huitong.perf.files;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hub: {@code POST /files/} with {@code Upload-Length}, then one {@code PATCH} per chunk at its
 * {@code Upload-Offset}, as any tus 1.0 client uploads. The SM3 is the one the hub recorded when the last byte
 * arrived, read from the {@code ETag} of a one-byte ranged {@code GET} (docs/files.md). With {@code checksums},
 * each PATCH also carries {@code Upload-Checksum: sm3 ...} of its chunk (the tus checksum extension), computed in
 * {@link #prepare}, so the hub checks every chunk as it arrives too. With a {@code token} (an upload grant or the
 * operator token: docs/files.md, "Who may upload"), every request carries it as {@code Authorization: Bearer}.
 */
final class TusTarget extends Target {
  private final long chunk;
  private final boolean checksums;
  private final String token;
  private final Map<Slice, List<String>> digests = new HashMap<>();

  TusTarget(URI base, HttpClient http, long chunk, boolean checksums, String token) {
    super("hub", base, http);
    this.chunk = chunk;
    this.checksums = checksums;
    this.token = token;
  }

  private HttpRequest.Builder tus(URI uri) {
    HttpRequest.Builder request = request(uri).header("Tus-Resumable", "1.0.0");
    return token == null ? request : request.header("Authorization", "Bearer " + token);
  }

  @Override
  void prepare(List<Slice> slices) throws IOException {
    if (!checksums) {
      return;
    }
    for (Slice slice : slices) {
      List<String> chunks = new ArrayList<>();
      for (long offset = 0; offset < slice.length(); offset += chunk) {
        chunks.add(Base64.getEncoder().encodeToString(slice.sm3(offset, Math.min(chunk, slice.length() - offset))));
      }
      digests.put(slice, chunks);
    }
  }

  @Override
  Upload upload(Slice slice) throws IOException, InterruptedException {
    String filename = Base64.getEncoder().encodeToString(
        ("perf-files-" + slice.index() + ".bin").getBytes(StandardCharsets.US_ASCII));
    HttpHeaders created = call(tus(base.resolve("/files/"))
        .header("Upload-Length", Long.toString(slice.length()))
        .header("Upload-Metadata", "filename " + filename)
        .POST(BodyPublishers.noBody()).build(), 201);
    URI upload = base.resolve(header(created, "Location"));
    long last = 0;
    for (long offset = 0; offset < slice.length(); ) {
      long length = Math.min(chunk, slice.length() - offset);
      HttpRequest.Builder patch = tus(upload)
          .header("Upload-Offset", Long.toString(offset))
          .header("Content-Type", "application/offset+octet-stream");
      if (checksums) {
        patch.header("Upload-Checksum", "sm3 " + digests.get(slice).get((int) (offset / chunk)));
      }
      long began = System.nanoTime();
      HttpHeaders patched = call(patch.method("PATCH", slice.body(offset, length)).build(), 204);
      last = System.nanoTime() - began;
      offset += length;
      long acknowledged = Long.parseLong(header(patched, "Upload-Offset"));
      if (acknowledged != offset) {
        throw new IOException("hub: " + upload + " acknowledged offset " + acknowledged + ", not " + offset);
      }
    }
    return new Upload(upload, last);
  }

  @Override
  String sm3(Upload upload) throws IOException, InterruptedException {
    HttpHeaders answer = call(tus(upload.uri()).header("Range", "bytes=0-0").GET().build(), 206);
    return header(answer, "ETag").replace("\"", "");
  }

  @Override
  void delete(Upload upload) throws IOException, InterruptedException {
    call(tus(upload.uri()).DELETE().build(), 204);
  }
}
