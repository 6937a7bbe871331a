package io.huitong.hub.files.impl;

import io.huitong.crypto.Sm3;
import io.huitong.hub.http.HubError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Upload grants (上传授权): stateless bearer tokens naming a consumer and an expiry, with an HMAC-SM3 under a key
 * derived from the master key for this purpose alone. Any member checks one without a lookup, since members share
 * the master key. A token is {@code base64url(appKey) "." expiry-epoch-seconds "." base64url(mac)}, the MAC taken over
 * {@code "huitong-upload-grant\n" appKey "\n" expiry}. Immutable; safe on any thread.
 */
final class UploadGrants {
  /** The purpose the grant key is derived for from the master key. */
  static final String KEY_PURPOSE = "files/upload-grant";
  /** Longest token looked at: an app key of at most 64 characters, an expiry and a MAC fit well within it. */
  private static final int MAX_TOKEN = 256;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final byte[] key;
  private final Duration ttl;
  private final Clock clock;

  UploadGrants(byte[] key, Duration ttl, Clock clock) {
    this.key = key.clone();
    this.ttl = ttl;
    this.clock = clock;
  }

  /** A token and the instant it stops being accepted. */
  record Grant(String token, Instant expiresAt) {
  }

  Grant issue(String appKey) {
    Instant expires = clock.instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String seconds = Long.toString(expires.getEpochSecond());
    return new Grant(B64.encodeToString(appKey.getBytes(StandardCharsets.UTF_8)) + "." + seconds + "."
        + B64.encodeToString(mac(appKey, seconds)), expires);
  }

  /**
   * The app key {@code token} was issued to. 401 {@code HT-UPLOAD-GRANT-INVALID} for a token that is malformed or
   * whose MAC does not verify, {@code HT-UPLOAD-GRANT-EXPIRED} for a genuine one past its expiry.
   */
  String verify(String token) {
    String[] parts = token.length() > MAX_TOKEN ? new String[0] : token.split("\\.", -1);
    String appKey;
    byte[] mac;
    long expires;
    try {
      if (parts.length != 3 || !parts[1].matches("\\d{1,12}")) {
        throw invalid();
      }
      appKey = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
      mac = Base64.getUrlDecoder().decode(parts[2]);
      expires = Long.parseLong(parts[1]);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    if (!MessageDigest.isEqual(mac, mac(appKey, parts[1]))) {
      throw invalid();
    }
    if (clock.instant().getEpochSecond() >= expires) {
      throw HubError.UPLOAD_GRANT_EXPIRED.exception("The upload grant expired at " + Instant.ofEpochSecond(expires)
          + "; ask for a new one with POST /api/v1/files/grants");
    }
    return appKey;
  }

  private static RuntimeException invalid() {
    return HubError.UPLOAD_GRANT_INVALID.exception("The bearer token is not an upload grant of this hub");
  }

  private byte[] mac(String appKey, String expires) {
    return Sm3.hmac(key, ("huitong-upload-grant\n" + appKey + "\n" + expires).getBytes(StandardCharsets.UTF_8));
  }
}
