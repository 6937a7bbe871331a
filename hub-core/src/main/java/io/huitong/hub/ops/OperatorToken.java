package io.huitong.hub.ops;

import io.huitong.config.Secret;
import io.huitong.hub.SecretFile;
import java.io.IOException;
import java.nio.file.Path;

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
    return Secret.of(SecretFile.readOrCreate(dataDir.resolve(FILE), () -> SecretFile.randomToken(32)));
  }
}
