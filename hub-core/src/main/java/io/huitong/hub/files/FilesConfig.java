package io.huitong.hub.files;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigType;
import io.huitong.config.Validator;
import io.huitong.hub.files.impl.FileTypes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
 * @param access        who may upload, how much and what (see {@link Access})
 */
public record FilesConfig(String directory, long maxSize, Duration expiration, Duration sweepInterval, boolean encrypt,
                          Duration lease, Access access) {
  public static final String DIRECTORY = "files.directory";
  public static final String MAX_SIZE = "files.max-size";
  public static final String EXPIRATION = "files.expiration";
  public static final String SWEEP_INTERVAL = "files.sweep-interval";
  public static final String ENCRYPT = "files.encrypt";
  public static final String LEASE = "files.lease";
  public static final String ACCESS = "files.access";
  public static final String GRANT_TTL = "files.grant-ttl";
  public static final String QUOTA = "files.quota";
  public static final String ALLOWED_TYPES = "files.allowed-types";
  /** {@link #ACCESS}: every tus request needs an upload grant, and an upload is its consumer's alone. */
  public static final String GRANT = "grant";
  /** {@link #ACCESS}: no grants, uploads belong to nobody; for a closed network. */
  public static final String OPEN = "open";

  /**
   * Who may upload.
   *
   * @param open         true for {@code files.access: open}: no grants asked, uploads have no owner
   * @param grantTtl     how long an upload grant (a bearer token) is valid after it is issued
   * @param quota        bytes a consumer's live uploads may hold together, unless the admin API set it another quota
   * @param allowedTypes the file types an upload's first bytes may show ({@code pdf}, {@code ofd}, ...); empty for any
   */
  public record Access(boolean open, Duration grantTtl, long quota, List<String> allowedTypes) {
  }

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
                + "be resumed on another member once this has passed.")
        .define(ACCESS, ConfigType.STRING, GRANT, Validator.oneOf(GRANT, OPEN),
            "grant: every tus request sends an upload grant (POST /api/v1/files/grants, signed as for the proxy) and an"
                + " upload is its consumer's alone; open: no grants, uploads belong to nobody (a closed network only).")
        .define(GRANT_TTL, ConfigType.DURATION, "1h", Validator.between(Duration.ofSeconds(10), Duration.ofDays(1)),
            "How long an upload grant is valid after it is issued.")
        .define(QUOTA, ConfigType.SIZE, "10GiB", Validator.between(0, 1L << 50),
            "Bytes one consumer's live uploads may hold together (lengths, or offsets while deferred); a consumer's own"
                + " quota is set through the admin API. An upload past it is answered 413 HT-UPLOAD-QUOTA.")
        .define(ALLOWED_TYPES, ConfigType.LIST, List.of(),
            Validator.each(Validator.oneOf(FileTypes.labels().toArray(String[]::new))),
            "File types an upload may be, told by its first bytes, never by its name (docs/files.md has the table);"
                + " another is answered 415 HT-UPLOAD-TYPE. Empty: any content.");
  }

  /** The local store's directory: the configured one, or {@code files/} under the data directory. */
  public Path storeDirectory(Path dataDir) {
    return directory.isEmpty() ? dataDir.resolve("files") : Path.of(directory);
  }

  public static FilesConfig from(Config c) {
    return new FilesConfig(c.getString(DIRECTORY), c.getSize(MAX_SIZE), c.getDuration(EXPIRATION),
        c.getDuration(SWEEP_INTERVAL), c.getBoolean(ENCRYPT), c.getDuration(LEASE),
        new Access(c.getString(ACCESS).equals(OPEN), c.getDuration(GRANT_TTL), c.getSize(QUOTA), c.getList(ALLOWED_TYPES)));
  }
}
