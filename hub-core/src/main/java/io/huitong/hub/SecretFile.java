package io.huitong.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * A secret the hub generates once into its data directory (operator token, master key, database password) and
 * reads back on every later start. The file is readable by its owner only, and written whole under another name
 * then moved into place, so a crash never leaves half a secret that the next start would trust. Blocking file I/O.
 */
public final class SecretFile {
  private SecretFile() {
  }

  /** The file's content (trimmed) if it exists, else {@code generate}'s value, written to it first. */
  public static String readOrCreate(Path file, Supplier<String> generate) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file).trim();
    }
    String secret = generate.get();
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path partial = Files.createTempFile(dir, file.getFileName().toString(), ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(partial, secret + "\n");
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    return secret;
  }

  /** {@code bytes} random bytes as unpadded base64url: safe in a shell, a URL and an SQL literal. */
  public static String randomToken(int bytes) {
    byte[] random = new byte[bytes];
    new java.security.SecureRandom().nextBytes(random);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }
}
