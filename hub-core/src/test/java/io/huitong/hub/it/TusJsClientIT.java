package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tus-js-client, the client of browsers and Node applications (real PATCH requests, where tus-java-client sends
 * POST with X-HTTP-Method-Override), against a hub process: an upload aborted in the middle of a PATCH is found
 * again by its file's fingerprint in the client's URL storage and resumed, and the hub keeps the original to the
 * byte. The client version and the script are in {@code src/test/js/tus-js-client}; {@code npm ci} installs them
 * into {@code target/}, never into the source tree. Without Node and npm the test is skipped, except under CI.
 */
class TusJsClientIT {
  private static final Path SOURCE = Path.of("src/test/js/tus-js-client");
  private static final Path INSTALLED = Path.of("target/tus-js-client");
  private static final List<String> FILES = List.of("package.json", "package-lock.json", "resume.js");
  private static final long LENGTH = 64L * 1024 * 1024;
  private static final Duration INSTALL_LIMIT = Duration.ofMinutes(5);
  private static final Duration UPLOAD_LIMIT = Duration.ofMinutes(3);
  private static final Duration READY_LIMIT = Duration.ofSeconds(90);

  @Test
  void anAbortedUploadResumesFromTheUrlItStored(@TempDir Path dir) throws Exception {
    Path script = install();
    SampleFile file = SampleFile.write(dir.resolve("original.bin"), LENGTH, 11);
    try (HubProcess hub = HubProcess.embedded(dir.resolve("hub"), "tus-js")) {
      // Resuming is under test here, not upload grants (FilesIT): the client sends none.
      hub.env.put("HUB_FILES_ACCESS", "open");
      hub.start().awaitReady(READY_LIMIT);
      JsonObject result = new JsonObject(run(dir, UPLOAD_LIMIT, command("node"), script.toString(),
          hub.uri("/files/").toString(), file.path().toString(), dir.resolve("tus-urls.json").toString()));

      JsonObject first = result.getJsonObject("first");
      JsonObject second = result.getJsonObject("second");
      assertEquals(LENGTH, result.getLong("size"));
      long chunk = result.getLong("chunkSize");
      long abortedAt = first.getLong("abortedAt");
      assertTrue(abortedAt >= LENGTH / 2 && abortedAt < LENGTH && abortedAt % chunk != 0,
          "aborted inside a PATCH: " + result.encode());
      assertEquals(first.getString("url"), second.getString("url"), "the second upload resumed the first");
      List<?> requests = second.getJsonArray("requests").getList();
      assertEquals("HEAD", requests.get(0), "the resume asks the hub how far the upload got: " + requests);
      assertFalse(requests.contains("POST"), "the resume created no upload: " + requests);
      // The PATCHes before the aborted one were acknowledged; of the aborted one the hub kept at most what was sent.
      long resumedFrom = second.getLong("resumedFrom");
      assertTrue(resumedFrom >= abortedAt / chunk * chunk && resumedFrom <= abortedAt,
          "resumed from " + resumedFrom + ": " + result.encode());

      file.assertStoredBy(hub, URI.create(second.getString("url")).getPath());
      System.out.printf("tus-js-client: aborted with %d bytes sent, resumed from %d with %s%n",
          abortedAt, resumedFrom, requests);
    }
  }

  /** Copies the client's project into target/, installs its locked dependencies there and returns its script. */
  private static Path install() throws Exception {
    String npm = command("npm");
    Files.createDirectories(INSTALLED);
    for (String name : FILES) {
      Files.copy(SOURCE.resolve(name), INSTALLED.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    run(INSTALLED, INSTALL_LIMIT, npm, "ci", "--no-audit", "--no-fund");
    return INSTALLED.resolve("resume.js").toAbsolutePath();
  }

  /** The program's path on PATH; a machine without it skips the test, but CI's must have it. */
  private static String command(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(File.pathSeparator)) {
      Path candidate = Path.of(entry.isEmpty() ? "." : entry, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    String missing = name + " is not on PATH (.ci/run installs Debian's nodejs and npm)";
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(missing);
    }
    Assumptions.abort(missing);
    return null;
  }

  /** Runs {@code command} in {@code dir} and returns its standard output; fails on a non-zero exit or the limit. */
  private static String run(Path dir, Duration limit, String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("tus-js-client", ".out");
    Path err = Files.createTempFile("tus-js-client", ".err");
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not end within " + limit + ": " + Files.readString(err));
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue() + ": "
            + Files.readString(out) + Files.readString(err));
      }
      return Files.readString(out);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
