package io.huitong.perf.files;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.HexFormat;

/**
 * nginx with its WebDAV module (perf/nginx/files.conf.template): one {@code PUT} of the whole slice, which nginx
 * writes to a temporary file and renames into place. nginx records no digest: the SM3 is computed from the file as
 * nginx serves it back.
 */
final class PutTarget extends Target {
  PutTarget(URI base, HttpClient http) {
    super("nginx", base, http);
  }

  @Override
  Upload upload(Slice slice) throws IOException, InterruptedException {
    URI uri = base.resolve("/uploads/perf-files-" + slice.index() + ".bin");
    long began = System.nanoTime();
    call(request(uri).PUT(slice.body(0, slice.length())).build(), 201, 204);
    return new Upload(uri, System.nanoTime() - began);
  }

  @Override
  String sm3(Upload upload) throws IOException, InterruptedException {
    return HexFormat.of().formatHex(Slice.sm3(open(request(upload.uri()).GET().build(), 200).body()));
  }

  @Override
  void delete(Upload upload) throws IOException, InterruptedException {
    call(request(upload.uri()).DELETE().build(), 204);
  }
}
