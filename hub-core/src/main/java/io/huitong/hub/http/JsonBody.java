package io.huitong.hub.http;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.RoutingContext;
import java.util.Base64;
import java.util.Locale;

/**
 * Reads fields of a JSON request body and answers {@link HubError#BAD_REQUEST}, naming the field, when one is
 * missing or of the wrong kind. Immutable.
 */
public final class JsonBody {
  private final JsonObject json;

  private JsonBody(JsonObject json) {
    this.json = json;
  }

  /** The request body as a JSON object; a body route handler must have read it. */
  public static JsonBody of(RoutingContext ctx) {
    String type = ctx.parsedHeaders().contentType().value();
    if (!type.isEmpty() && !type.equals("application/json")) {
      throw HubError.UNSUPPORTED_MEDIA_TYPE.exception("Send the request body as application/json");
    }
    Object value;
    try {
      value = ctx.body().asString() == null ? null : io.vertx.core.json.Json.decodeValue(ctx.body().asString());
    } catch (io.vertx.core.json.DecodeException e) {
      throw HubError.BAD_REQUEST.exception("The request body is not valid JSON");
    }
    if (!(value instanceof JsonObject object)) {
      throw HubError.BAD_REQUEST.exception("The request body must be a JSON object");
    }
    return new JsonBody(object);
  }

  /** A JSON object nested in a body, such as one element of a list, read with the same checks. */
  public static JsonBody of(JsonObject object) {
    return new JsonBody(object.copy());
  }

  /** The whole body. */
  public JsonObject object() {
    return json.copy();
  }

  /** A required string. */
  public String string(String field) {
    String s = optionalString(field);
    if (s == null || s.isBlank()) {
      throw HubError.BAD_REQUEST.exception("Field '" + field + "' is required");
    }
    return s;
  }

  /** A string, or null when absent. */
  public String optionalString(String field) {
    Object v = json.getValue(field);
    if (v != null && !(v instanceof String)) {
      throw HubError.BAD_REQUEST.exception("Field '" + field + "' must be a string");
    }
    return (String) v;
  }

  /** Required bytes given as standard base64. */
  public byte[] base64(String field) {
    return decode(field, string(field));
  }

  /** Bytes given as standard base64, or null when absent. */
  public byte[] optionalBase64(String field) {
    String s = optionalString(field);
    return s == null ? null : decode(field, s);
  }

  /** A whole number within [min, max], or {@code fallback} when absent. */
  public Integer integer(String field, Integer fallback, int min, int max) {
    Object v = json.getValue(field);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min || ((Number) v).longValue() > max) {
      throw HubError.BAD_REQUEST.exception("Field '" + field + "' must be a whole number from " + min + " to " + max);
    }
    return ((Number) v).intValue();
  }

  /** One of an enum's constants, matched without regard to case, or {@code fallback} when absent. */
  public <E extends Enum<E>> E choice(String field, Class<E> type, E fallback) {
    String s = optionalString(field);
    if (s == null) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw HubError.BAD_REQUEST.exception("Field '" + field + "' must be one of "
          + java.util.Arrays.toString(type.getEnumConstants()));
    }
  }

  private static byte[] decode(String field, String s) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw HubError.BAD_REQUEST.exception("Field '" + field + "' must be standard base64");
    }
  }
}
