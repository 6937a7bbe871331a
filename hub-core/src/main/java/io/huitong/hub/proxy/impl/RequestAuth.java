package io.huitong.hub.proxy.impl;

import io.huitong.consumer.ConsumerSignature;
import io.huitong.crypto.CryptoException;
import io.huitong.crypto.Sm2;
import io.huitong.hub.http.HubError;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Checks a consumer's signed request: the app key names a consumer; the timestamp is within
 * {@code proxy.signature.max-skew} of the hub's clock; the signature covers
 * {@code METHOD \n PATH?QUERY \n TIMESTAMP \n NONCE \n hex(SM3(body))} under the consumer's secret (HMAC-SM3) or, when
 * {@code X-Signature-Method: SM2} is sent, under its registered SM2 key; and the nonce was not used before anywhere
 * in the cluster. The format is {@link ConsumerSignature}'s. The nonce is remembered only after the signature verifies, so forged requests cannot use up a
 * consumer's nonces.
 */
final class RequestAuth {
  private static final Pattern NONCE_FORM = Pattern.compile("[A-Za-z0-9_-]{16,64}");

  private final Catalogue catalogue;
  private final NonceGuard nonces;
  private final long maxSkewMillis;

  RequestAuth(Catalogue catalogue, NonceGuard nonces, Duration maxSkew) {
    this.catalogue = catalogue;
    this.nonces = nonces;
    this.maxSkewMillis = maxSkew.toMillis();
  }

  /**
   * The consumer that signed {@code request}, or a failure with a 401 error saying what was wrong.
   *
   * @param bodyDigest SM3 of the request body
   * @param appKeySeen told the app key as soon as it is read, so the audit names who tried even when the check fails
   */
  Uni<ConsumerApp> authenticate(HttpServerRequest request, byte[] bodyDigest, java.util.function.Consumer<String> appKeySeen) {
    String appKey = request.getHeader(ConsumerSignature.APP_KEY);
    String timestamp = request.getHeader(ConsumerSignature.TIMESTAMP);
    String nonce = request.getHeader(ConsumerSignature.NONCE);
    String signature = request.getHeader(ConsumerSignature.SIGNATURE);
    if (appKey == null || timestamp == null || nonce == null || signature == null) {
      throw HubError.SIGNATURE_MISSING.exception("Send the headers " + ConsumerSignature.APP_KEY + ", "
          + ConsumerSignature.TIMESTAMP + ", " + ConsumerSignature.NONCE + " and " + ConsumerSignature.SIGNATURE);
    }
    if (appKey.length() > 64) {
      throw HubError.APP_KEY_UNKNOWN.exception("No consumer has this app key");
    }
    appKeySeen.accept(appKey);
    if (!NONCE_FORM.matcher(nonce).matches()) {
      throw HubError.SIGNATURE_INVALID.exception(ConsumerSignature.NONCE + " must be 16 to 64 letters, digits, _ or -");
    }
    long sentAt;
    try {
      sentAt = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      throw HubError.TIMESTAMP_STALE.exception(ConsumerSignature.TIMESTAMP + " must be milliseconds since the epoch");
    }
    long skew = Math.abs(System.currentTimeMillis() - sentAt);
    if (skew > maxSkewMillis) {
      throw HubError.TIMESTAMP_STALE.exception("The timestamp is " + skew + " ms from the hub's clock; at most "
          + maxSkewMillis + " ms are allowed");
    }
    ConsumerApp known = catalogue.snapshot().consumers().get(appKey);
    return catalogue.afterMiss(known != null)
        .map(snapshot -> {
          ConsumerApp consumer = snapshot.consumers().get(appKey);
          if (consumer == null) {
            throw HubError.APP_KEY_UNKNOWN.exception("No consumer has this app key");
          }
          String signed = ConsumerSignature.stringToSign(request.method().name(), request.uri(), timestamp, nonce, bodyDigest);
          String method = request.getHeader(ConsumerSignature.SIGNATURE_METHOD);
          if (!verifies(consumer, signed.getBytes(StandardCharsets.UTF_8), signature, method)) {
            throw HubError.SIGNATURE_INVALID.exception("The signature does not verify; sign METHOD\\nPATH?QUERY\\n"
                + "TIMESTAMP\\nNONCE\\nhex(SM3(body)) with the app secret (HMAC-SM3, lowercase hex)");
          }
          return consumer;
        })
        .chain(consumer -> nonces.firstUse(appKey, nonce, sentAt).map(first -> {
          if (!first) {
            throw HubError.NONCE_REPLAYED.exception("This nonce was used already; send a fresh one with every request");
          }
          return consumer;
        }));
  }

  private static boolean verifies(ConsumerApp consumer, byte[] signed, String signature, String method) {
    if (method == null || method.equalsIgnoreCase("HMAC-SM3")) {
      byte[] expected = ConsumerSignature.hmac(new String(consumer.secret(), StandardCharsets.UTF_8),
          new String(signed, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
      return MessageDigest.isEqual(expected, signature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
    if (method.equalsIgnoreCase("SM2") && consumer.sm2Key() != null) {
      try {
        return Sm2.verify(consumer.sm2Key(), signed, Base64.getDecoder().decode(signature));
      } catch (IllegalArgumentException | CryptoException e) {
        return false;
      }
    }
    return false;
  }
}
