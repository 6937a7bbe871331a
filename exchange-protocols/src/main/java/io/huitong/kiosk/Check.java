package io.huitong.kiosk;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** Field checks shared by the message records. */
final class Check {
  private static final Pattern ID = Pattern.compile(KioskMessage.ID_PATTERN);

  private Check() {
  }

  static KioskProtocolException invalid(String message) {
    return new KioskProtocolException(KioskProtocolException.INVALID, message);
  }

  static void id(String field, String value) {
    if (value == null || !ID.matcher(value).matches()) {
      throw invalid(field + " must be 1 to 64 letters, digits and . _ : -");
    }
  }

  static void optional(String field, String value, int maxLength) {
    if (value != null && (value.isEmpty() || value.length() > maxLength)) {
      throw invalid(field + " must be 1 to " + maxLength + " characters");
    }
  }

  static void seq(String field, Long value) {
    if (value != null && value < 0) {
      throw invalid(field + " must not be negative");
    }
  }

  /** A hall event's own sequence number, which it must have. */
  static long eventSeq(JsonObject event) {
    Object seq = event == null ? null : event.getValue("seq");
    if (!(seq instanceof Integer || seq instanceof Long) || ((Number) seq).longValue() < 0) {
      throw invalid("every event must have a whole, non-negative seq");
    }
    return ((Number) seq).longValue();
  }

  static JsonObject frame(String type) {
    return new JsonObject().put("type", type);
  }
}
