package io.huitong.hub.queue.impl;

import io.huitong.hub.http.HubError;
import io.huitong.hub.proxy.ResidentId;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/** Checks the fields of queue commands and definitions; every failure is 422 HT-QUEUE-INPUT-INVALID. Pure. */
final class QueueInput {
  private static final String ID = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";
  private static final int MAX_NAME = 100;
  private static final int MAX_QUEUES = 50;

  private QueueInput() {
  }

  static String text(JsonObject json, String field, int max) {
    Object value = json.getValue(field);
    if (!(value instanceof String s) || s.isBlank() || s.length() > max) {
      throw invalid("Field '" + field + "' must be a string of 1 to " + max + " characters");
    }
    return s;
  }

  /** A hall, queue, window or appointment id: 1 to 64 letters, digits, '_' or '-'. */
  static String id(JsonObject json, String field) {
    Object value = json.getValue(field);
    checkId(field, value instanceof String s ? s : null);
    return (String) value;
  }

  static String optionalId(JsonObject json, String field) {
    return json.getValue(field) == null ? null : id(json, field);
  }

  static void checkId(String field, String value) {
    if (value == null || !value.matches(ID)) {
      throw invalid("Field '" + field + "' must be 1 to 64 letters, digits, '_' or '-'");
    }
  }

  static void checkName(String name) {
    if (name == null || name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
      throw invalid("Field 'name' must be 1 to " + MAX_NAME + " characters");
    }
  }

  static void checkQueues(List<String> queues) {
    if (queues == null || queues.isEmpty() || queues.size() > MAX_QUEUES
        || queues.stream().anyMatch(q -> q == null || !q.matches(ID)) || queues.stream().distinct().count() != queues.size()) {
      throw invalid("Field 'queues' must list 1 to " + MAX_QUEUES + " distinct queue ids");
    }
  }

  static String oneOf(JsonObject json, String field, List<String> choices) {
    Object value = json.getValue(field);
    if (!(value instanceof String s) || !choices.contains(s)) {
      throw invalid("Field '" + field + "' must be one of " + choices);
    }
    return s;
  }

  static long number(JsonObject json, String field, long fallback, long min, long max) {
    Object value = json.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
        || ((Number) value).longValue() > max) {
      throw invalid("Field '" + field + "' must be a whole number from " + min + " to " + max);
    }
    return ((Number) value).longValue();
  }

  /** An 18-character resident ID number with its check character, the letter upper-cased; null when absent. */
  static String optionalIdNumber(JsonObject json) {
    if (json.getValue("idNumber") == null) {
      return null;
    }
    String s = text(json, "idNumber", 32).trim().toUpperCase(Locale.ROOT);
    if (!ResidentId.isValid(s)) {
      throw invalid("Field 'idNumber' must be an 18-character resident ID number with its check character");
    }
    return s;
  }

  /** A mainland mobile number as 11 digits, without +86, spaces or dashes; null when absent. */
  static String optionalPhone(JsonObject json) {
    if (json.getValue("phone") == null) {
      return null;
    }
    String s = text(json, "phone", 32).replaceAll("[\\s-]", "");
    if (s.startsWith("+86")) {
      s = s.substring(3);
    }
    if (!s.matches("1[3-9][0-9]{9}")) {
      throw invalid("Field 'phone' must be an 11-digit mainland mobile number, such as 13912345678");
    }
    return s;
  }

  private static io.huitong.hub.http.HubException invalid(String detail) {
    return HubError.QUEUE_INPUT_INVALID.exception(detail);
  }
}
