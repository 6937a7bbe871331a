package io.huitong.hub.sso.impl;

import io.huitong.crypto.Sm3Mac;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Refresh tokens: {@code <family>~<generation>~<secret>~<tag>}. The family names the one PostgreSQL row that holds
 * the live generation and the SHA-256 of its secret (256 random bits), so a rotation updates that row and inserts
 * nothing. The tag, an HMAC-SM3 under a key derived from the master key, proves the hub issued the token: a token
 * of an earlier generation with a good tag is a real token presented again (its family is revoked), while a made-up
 * one is only refused. {@code ~} is unreserved in URLs and forms, and no JWS contains it.
 */
final class RefreshTokens {
  /** Longest token accepted: its parts are 22, at most 9, 43 and 22 characters and three separators. */
  static final int MAX_LENGTH = 99;
  private static final int TAG_BYTES = 16;
  private static final Pattern FORM = Pattern.compile("([A-Za-z0-9_-]{22})~(0|[1-9][0-9]{0,8})~([A-Za-z0-9_-]{43})~([A-Za-z0-9_-]{22})");

  /** A token whose tag checked out: its family, its generation and the hash its row keeps of its secret. */
  record Presented(String familyId, int generation, String secretHash) {
  }

  /** A token of {@code generation} of a family, and the hash to store for it. */
  record Issued(String token, String secretHash) {
  }

  private final Sm3Mac tags;

  RefreshTokens(byte[] key) {
    this.tags = new Sm3Mac(key);
  }

  Issued issue(String familyId, int generation) {
    String secret = Jose.randomToken();
    String body = familyId + "~" + generation + "~" + secret;
    return new Issued(body + "~" + tag(body), Jose.hash(secret));
  }

  /** The token's parts, or null when it is malformed or its tag is not the hub's. */
  Presented parse(String token) {
    if (token == null || token.length() > MAX_LENGTH) {
      return null;
    }
    var parts = FORM.matcher(token);
    if (!parts.matches()) {
      return null;
    }
    String body = token.substring(0, parts.start(4) - 1);
    if (!MessageDigest.isEqual(tag(body).getBytes(StandardCharsets.US_ASCII),
        parts.group(4).getBytes(StandardCharsets.US_ASCII))) {
      return null;
    }
    return new Presented(parts.group(1), Integer.parseInt(parts.group(2)), Jose.hash(parts.group(3)));
  }

  private String tag(String body) {
    return Jose.encode(Arrays.copyOf(tags.of(body.getBytes(StandardCharsets.US_ASCII)), TAG_BYTES));
  }
}
