package io.huitong.hub.files.impl;

import io.huitong.hub.http.HubError;
import io.vertx.mutiny.core.buffer.Buffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;

/** The {@code Upload-Checksum} of one chunk (tus checksum extension), updated as the chunk's bytes arrive. */
final class Checksum {
  /** Algorithms announced in {@code Tus-Checksum-Algorithm}, most preferred first. */
  static final List<String> ALGORITHMS = List.of("sm3", "sha256", "sha1");

  private final Digest digest;
  private final byte[] expected;

  private Checksum(Digest digest, byte[] expected) {
    this.digest = digest;
    this.expected = expected;
  }

  /** The checksum a header asks for, or null when there is none; 400 for an unknown algorithm or a bad digest. */
  static Checksum parse(String header) {
    if (header == null) {
      return null;
    }
    String[] parts = header.trim().split(" ");
    if (parts.length != 2) {
      throw HubError.CHECKSUM_ALGORITHM.exception("Upload-Checksum is '<algorithm> <base64 digest>'");
    }
    Digest digest = switch (parts[0]) {
      case "sm3" -> new SM3Digest();
      case "sha256" -> new SHA256Digest();
      case "sha1" -> new SHA1Digest();
      default -> throw HubError.CHECKSUM_ALGORITHM.exception("Unsupported checksum algorithm '" + parts[0]
          + "'; supported: " + String.join(",", ALGORITHMS));
    };
    try {
      return new Checksum(digest, Base64.getDecoder().decode(parts[1]));
    } catch (IllegalArgumentException e) {
      throw HubError.CHECKSUM_ALGORITHM.exception("The Upload-Checksum digest is not Base64");
    }
  }

  void update(Buffer chunk) {
    byte[] bytes = chunk.getBytes();
    digest.update(bytes, 0, bytes.length);
  }

  boolean matches() {
    byte[] actual = new byte[digest.getDigestSize()];
    digest.doFinal(actual, 0);
    return MessageDigest.isEqual(actual, expected);
  }
}
