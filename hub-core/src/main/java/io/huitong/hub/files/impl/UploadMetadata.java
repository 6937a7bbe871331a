package io.huitong.hub.files.impl;

import io.huitong.hub.http.HubError;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/**
 * The {@code Upload-Metadata} header: comma-separated {@code key base64value} pairs. Checked strictly, so the value
 * kept and echoed in later responses can carry nothing but printable ASCII.
 */
final class UploadMetadata {
  /** Longest header accepted. */
  static final int MAX_LENGTH = 8192;

  private UploadMetadata() {
  }

  /** The header as sent once checked, or null when absent or empty; 400 when malformed. */
  static String check(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    if (header.length() > MAX_LENGTH) {
      throw HubError.UPLOAD_HEADER_INVALID.exception("Upload-Metadata is longer than " + MAX_LENGTH + " characters");
    }
    Set<String> keys = new HashSet<>();
    for (String pair : header.split(",", -1)) {
      String[] parts = pair.trim().split(" ", -1);
      String key = parts[0];
      if (parts.length > 2 || key.isEmpty() || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ',')) {
        throw HubError.UPLOAD_HEADER_INVALID.exception("Upload-Metadata pair '" + pair.trim() + "' is not 'key base64value'");
      }
      if (!keys.add(key)) {
        throw HubError.UPLOAD_HEADER_INVALID.exception("Upload-Metadata repeats the key '" + key + "'");
      }
      if (parts.length == 2) {
        try {
          Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
          throw HubError.UPLOAD_HEADER_INVALID.exception("The Upload-Metadata value of '" + key + "' is not Base64");
        }
      }
    }
    return header.trim();
  }
}
