package io.huitong.crypto;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code openssl} command-line tool (3.0 or later) as an independent implementation to check Huitong's
 * output against. Every run works in a caller-given directory, reads no standard input and is bounded in time.
 */
final class OpenSsl {
  /** OpenSSL 3.0's default SM2 ID is empty; GB/T 35276 and Huitong use this one. */
  static final String DISTID = "distid:" + new String(Sm2.DEFAULT_SIGNER_ID, StandardCharsets.US_ASCII);
  /** Far above what any command here takes (milliseconds), so only a hung openssl trips it. */
  private static final long TIMEOUT_SECONDS = 30;

  private OpenSsl() {
  }

  /** What one openssl run left behind. */
  record Result(List<String> command, int exitCode, byte[] stdout, String stderr) {
    String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    /** Standard output and error together: openssl reports verification results on either. */
    String text() {
      return out() + stderr;
    }
  }

  /** Runs {@code openssl args...} in {@code dir} and fails the test, with openssl's stderr, unless it exits 0. */
  static Result ok(Path dir, String... args) {
    Result r = run(dir, args);
    if (r.exitCode() != 0) {
      fail("openssl exited " + r.exitCode() + ": " + String.join(" ", r.command()) + "\n" + r.text());
    }
    return r;
  }

  /** Runs {@code openssl args...} in {@code dir} whatever its exit code; for runs that are meant to fail. */
  static Result run(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    try {
      // Output goes to files, not pipes, so a chatty openssl can never block on a full pipe buffer.
      Path out = Files.createTempFile(dir, "openssl", ".out");
      Path err = Files.createTempFile(dir, "openssl", ".err");
      Process p = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("openssl did not finish in " + TIMEOUT_SECONDS + " s: " + String.join(" ", command));
      }
      return new Result(command, p.exitValue(), Files.readAllBytes(out), Files.readString(err));
    } catch (IOException e) {
      return fail("cannot run openssl (CI installs it; .ci/run): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted while waiting for openssl", e);
    }
  }
}
