package io.huitong.hub.exchange.route;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record's payload on its way through the steps of routes, held as bytes, as a JSON object or both. It parses and
 * encodes each at most once, so the {@link Router} parses a record once for all routes and a chain of JSON steps
 * encodes once at the end. Not thread-safe: one belongs to one record being routed.
 */
final class Payload {
  /** Decimals are read as BigDecimal, so that steps pass on 0.10 or 12345678901234567.891 as they came. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final TypeReference<LinkedHashMap<String, Object>> FIELDS = new TypeReference<>() {
  };

  private byte[] bytes;
  private JsonObject json;
  private boolean parsed;

  private Payload(byte[] bytes, JsonObject json) {
    this.bytes = bytes;
    this.json = json;
    this.parsed = json != null;
  }

  static Payload of(byte[] bytes) {
    return new Payload(bytes, null);
  }

  /** The object must not be changed afterwards: steps share it rather than copy it. */
  static Payload of(JsonObject json) {
    return new Payload(null, json);
  }

  /** The payload as a JSON object, or null if it is not one. */
  JsonObject json() {
    if (!parsed) {
      parsed = true;
      json = startsAsObject(bytes) ? decode(bytes) : null;
    }
    return json;
  }

  /** The payload as a JSON object for the step named, which cannot handle anything else. */
  JsonObject requireJson(String step) {
    JsonObject object = json();
    if (object == null) {
      String hint = firstByte(bytes) == '<' ? " (it looks like XML: a JSON step cannot follow format: xml)" : "";
      throw new TransformException(step + " needs a JSON object payload, but the payload is not one" + hint);
    }
    return object;
  }

  byte[] bytes() {
    if (bytes == null) {
      bytes = json.toBuffer().getBytes();
    }
    return bytes;
  }

  private static JsonObject decode(byte[] bytes) {
    try {
      Map<String, Object> fields = JSON.readValue(bytes, FIELDS);
      return fields == null ? null : new JsonObject(fields);
    } catch (IOException e) {
      return null;
    }
  }

  /** Saves the cost of a failed parse, with its exception, for payloads that are plainly not JSON objects. */
  private static boolean startsAsObject(byte[] bytes) {
    return firstByte(bytes) == '{';
  }

  /** The first byte after whitespace and a UTF-8 byte order mark, or -1. */
  private static int firstByte(byte[] bytes) {
    int i = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF ? 3 : 0;
    while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r')) {
      i++;
    }
    return i < bytes.length ? bytes[i] : -1;
  }
}
