package io.huitong.consumer;

import io.huitong.crypto.Sm2;
import io.huitong.crypto.Sm2PrivateKey;
import io.huitong.crypto.Sm3;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signature of a consumer's call. The signed text is
 * <pre>METHOD \n PATH?QUERY \n TIMESTAMP \n NONCE \n hex(SM3(body))</pre>
 * (the path and query exactly as sent, the timestamp in epoch milliseconds, hex in lower case), signed with
 * HMAC-SM3 under the UTF-8 bytes of the app secret (lower-case hex), or with the consumer's SM2 key (base64 DER,
 * default signer id) when {@code X-Signature-Method: SM2} is sent.
 */
public final class ConsumerSignature {
  public static final String APP_KEY = "X-App-Key";
  public static final String TIMESTAMP = "X-Timestamp";
  public static final String NONCE = "X-Nonce";
  public static final String SIGNATURE = "X-Signature";
  public static final String SIGNATURE_METHOD = "X-Signature-Method";
  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();

  private ConsumerSignature() {
  }

  /** The text a consumer signs. */
  public static String stringToSign(String method, String pathAndQuery, String timestamp, String nonce, byte[] bodyDigest) {
    return method + "\n" + pathAndQuery + "\n" + timestamp + "\n" + nonce + "\n" + HEX.formatHex(bodyDigest);
  }

  /** HMAC-SM3 of the signed text under the app secret, in lower-case hex. */
  public static String hmac(String appSecret, String stringToSign) {
    return HEX.formatHex(Sm3.hmac(appSecret.getBytes(StandardCharsets.UTF_8), stringToSign.getBytes(StandardCharsets.UTF_8)));
  }

  /** A fresh nonce: 24 random bytes, base64url. */
  public static String newNonce() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The headers of a call signed now with HMAC-SM3, in the order they are listed above. */
  public static Map<String, String> headers(String appKey, String appSecret, String method, String pathAndQuery, byte[] body) {
    String timestamp = Long.toString(System.currentTimeMillis());
    String nonce = newNonce();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(APP_KEY, appKey);
    headers.put(TIMESTAMP, timestamp);
    headers.put(NONCE, nonce);
    headers.put(SIGNATURE, hmac(appSecret, stringToSign(method, pathAndQuery, timestamp, nonce, Sm3.hash(body))));
    return headers;
  }

  /** The headers of a call signed now with the consumer's SM2 key. */
  public static Map<String, String> sm2Headers(String appKey, Sm2PrivateKey key, String method, String pathAndQuery, byte[] body) {
    String timestamp = Long.toString(System.currentTimeMillis());
    String nonce = newNonce();
    byte[] signed = stringToSign(method, pathAndQuery, timestamp, nonce, Sm3.hash(body)).getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(APP_KEY, appKey);
    headers.put(TIMESTAMP, timestamp);
    headers.put(NONCE, nonce);
    headers.put(SIGNATURE_METHOD, "SM2");
    headers.put(SIGNATURE, Base64.getEncoder().encodeToString(Sm2.sign(key, signed)));
    return headers;
  }
}
