package io.huitong.perf.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** A server the benchmark uploads to: the hub over tus, or nginx over PUT. One instance serves every stream. */
abstract class Target {
  /** Where an upload went, and how long its last request took (the hub records the SM3 during its last PATCH). */
  record Upload(URI uri, long lastRequestNanos) {
  }

  final String name;
  final URI base;
  private final HttpClient http;

  Target(String name, URI base, HttpClient http) {
    this.name = name;
    this.base = base;
    this.http = http;
  }

  /** Work for {@link #upload} that is not to be timed, done for every slice before the first upload. */
  void prepare(List<Slice> slices) throws IOException {
  }

  /** Sends the whole slice; returns once the server has acknowledged its last byte. */
  abstract Upload upload(Slice slice) throws IOException, InterruptedException;

  /** The SM3 of what the server holds for the upload, in hex: as the server recorded it, or of what it serves. */
  abstract String sm3(Upload upload) throws IOException, InterruptedException;

  abstract void delete(Upload upload) throws IOException, InterruptedException;

  static HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10));
  }

  /** The answer, its body still to read; another status than those expected fails with what the server said. */
  HttpResponse<InputStream> open(HttpRequest request, int... expected) throws IOException, InterruptedException {
    HttpResponse<InputStream> response = http.send(request, BodyHandlers.ofInputStream());
    if (Arrays.stream(expected).noneMatch(status -> status == response.statusCode())) {
      String text;
      try (InputStream in = response.body()) {
        text = new String(in.readNBytes(2000), StandardCharsets.UTF_8);
      }
      throw new IOException(name + ": " + request.method() + " " + request.uri() + " answered "
          + response.statusCode() + ": " + text);
    }
    return response;
  }

  /** As {@link #open}, the body read to its end and dropped (which keeps the connection for the next request). */
  HttpHeaders call(HttpRequest request, int... expected) throws IOException, InterruptedException {
    HttpResponse<InputStream> response = open(request, expected);
    try (InputStream in = response.body()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return response.headers();
  }

  static String header(HttpHeaders headers, String name) throws IOException {
    return headers.firstValue(name).orElseThrow(() -> new IOException("no " + name + " in the answer"));
  }
}
