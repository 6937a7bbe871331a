package io.huitong.hub.ops;

import io.huitong.config.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The operator API token. A configured token wins; otherwise the hub generates one on first start into
 * {@code <data-dir>/operator-token}, readable by its owner only, and keeps it across restarts.
 */
public final class OperatorToken {
  /** File name of the generated token inside the data directory. */
  public static final String FILE = "operator-token";

  private OperatorToken() {
  }

  /** The token in force: configured, or read from the data directory, or generated there now. Blocking file I/O. */
  public static Secret resolve(OpsConfig config, Path dataDir) throws IOException {
    if (!config.operatorToken().isEmpty()) {
      return config.operatorToken();
    }
    Path file = dataDir.resolve(FILE);
    if (Files.exists(file)) {
      return Secret.of(Files.readString(file).trim());
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Files.createDirectories(dataDir);
    // Written whole under another name, then moved: a crash never leaves a half token the next start would trust.
    Path partial = Files.createTempFile(dataDir, FILE, ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(partial, token + "\n");
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    return Secret.of(token);
  }
}
