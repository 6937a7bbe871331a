package io.huitong.hub.sso.impl;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Compact JWS (RFC 7515) for the provider's tokens, and the random values and hashes tokens are made of. */
final class Jose {
  static final SecureRandom RANDOM = new SecureRandom();
  /** Longest token the provider reads; its own are well below. */
  static final int MAX_TOKEN_LENGTH = 8192;

  private Jose() {
  }

  /** A compact JWS as read, not yet verified. */
  record Jws(JsonObject header, JsonObject claims, byte[] signingInput, byte[] signature) {
    String kid() {
      return header.getString("kid");
    }
  }

  static String sign(SigningKey key, String type, JsonObject claims) {
    JsonObject header = new JsonObject().put("alg", key.alg).put("kid", key.kid).put("typ", type);
    String input = encode(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
        + encode(claims.encode().getBytes(StandardCharsets.UTF_8));
    return input + "." + encode(key.sign(input.getBytes(StandardCharsets.US_ASCII)));
  }

  /** The parts of a compact JWS, or null when {@code token} is not one. */
  static Jws parse(String token) {
    if (token == null || token.length() > MAX_TOKEN_LENGTH) {
      return null;
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0 || token.indexOf('.', second + 1) >= 0) {
      return null;
    }
    try {
      JsonObject header = new JsonObject(new String(decode(token.substring(0, first)), StandardCharsets.UTF_8));
      JsonObject claims = new JsonObject(new String(decode(token.substring(first + 1, second)), StandardCharsets.UTF_8));
      return new Jws(header, claims, token.substring(0, second).getBytes(StandardCharsets.US_ASCII),
          decode(token.substring(second + 1)));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      return null;
    }
  }

  static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static byte[] decode(String text) {
    return Base64.getUrlDecoder().decode(text);
  }

  /** 256 random bits, base64url: codes, refresh tokens, session secrets, client secrets. */
  static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return encode(bytes);
  }

  /** SHA-256 of a token, hex: the key tokens are stored and cached under, never the token itself. */
  static String hash(String token) {
    return HexFormat.of().formatHex(sha256(token.getBytes(StandardCharsets.UTF_8)));
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
