package io.huitong.hub.files;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigType;
import io.huitong.config.Validator;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Resumable uploads (tus 1.0.0) at {@code /files/}.
 *
 * @param directory     where the local store keeps upload files; empty for {@code files/} under the data directory
 * @param maxSize       largest upload accepted, announced as {@code Tus-Max-Size}
 * @param expiration    how long an unfinished upload lives after its creation or its last chunk
 * @param sweepInterval how often expired unfinished uploads and their files are deleted
 * @param encrypt       whether new upload files are encrypted at rest with SM4
 * @param lease         how long a member holds an upload for a request without renewing; a member that dies lets go
 *                      of its uploads after this long
 */
public record FilesConfig(String directory, long maxSize, Duration expiration, Duration sweepInterval, boolean encrypt,
                          Duration lease) {
  public static final String DIRECTORY = "files.directory";
  public static final String MAX_SIZE = "files.max-size";
  public static final String EXPIRATION = "files.expiration";
  public static final String SWEEP_INTERVAL = "files.sweep-interval";
  public static final String ENCRYPT = "files.encrypt";
  public static final String LEASE = "files.lease";

  public static void declare(ConfigDef def) {
    def.section("files", "Resumable file uploads over tus 1.0.0 at /files/ (see docs/files.md).")
        .define(DIRECTORY, ConfigType.STRING, "", Validator.any(),
            "Directory of the local upload store; empty for files/ under data-dir.")
        .define(MAX_SIZE, ConfigType.SIZE, "1GiB", Validator.between(1, 1L << 40),
            "Largest upload accepted, announced as Tus-Max-Size; a larger one is answered 413.")
        .define(EXPIRATION, ConfigType.DURATION, "24h", Validator.between(Duration.ofSeconds(1), Duration.ofDays(365)),
            "An unfinished upload expires this long after its creation or its last chunk (Upload-Expires).")
        .define(SWEEP_INTERVAL, ConfigType.DURATION, "1m", Validator.between(Duration.ofMillis(100), Duration.ofDays(1)),
            "How often expired unfinished uploads and their files are deleted.")
        .define(ENCRYPT, ConfigType.BOOLEAN, true, Validator.any(),
            "Encrypt new upload files at rest with SM4-CTR under per-upload keys derived from the master key.")
        .define(LEASE, ConfigType.DURATION, "10s", Validator.between(Duration.ofSeconds(1), Duration.ofMinutes(10)),
            "How long a member holds an upload for a request between renewals; after a member dies, its uploads can "
                + "be resumed on another member once this has passed.");
  }

  /** The local store's directory: the configured one, or {@code files/} under the data directory. */
  public Path storeDirectory(Path dataDir) {
    return directory.isEmpty() ? dataDir.resolve("files") : Path.of(directory);
  }

  public static FilesConfig from(Config c) {
    return new FilesConfig(c.getString(DIRECTORY), c.getSize(MAX_SIZE), c.getDuration(EXPIRATION),
        c.getDuration(SWEEP_INTERVAL), c.getBoolean(ENCRYPT), c.getDuration(LEASE));
  }
}
