package io.huitong.hub.exchange.route;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict reading of definition documents, whether they came from the API as JSON or from the file as YAML: every
 * check names the path of the value it rejects.
 */
final class Parsing {
  /** Node ids and message types. */
  static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");
  static final String TOKEN_RULE = "1 to 128 letters, digits and . _ : / -";
  /** One payload field name, or one segment of a dotted field path. */
  static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9_$-]{1,64}");
  static final String FIELD_NAME_RULE = "1 to 64 letters, digits and _ $ -";
  /** Every list and map in a definition has a bound, so a definition's size is bounded by its nesting. */
  static final int MAX_ENTRIES = 256;

  private Parsing() {
  }

  static String at(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String at(String path, int index) {
    return path + "[" + index + "]";
  }

  static JsonObject object(Object value, String path) {
    if (value instanceof JsonObject o) {
      return o;
    }
    if (value instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) map;
      return new JsonObject(fields);
    }
    throw new RouteException(path, "expected an object, got " + describe(value));
  }

  /** A list of 1 to {@link #MAX_ENTRIES} entries. */
  static JsonArray nonEmptyList(Object value, String path) {
    JsonArray list = list(value, path);
    if (list.isEmpty()) {
      throw new RouteException(path, "must not be empty");
    }
    return list;
  }

  /** A list of at most {@link #MAX_ENTRIES} entries. */
  static JsonArray list(Object value, String path) {
    return list(value, path, MAX_ENTRIES);
  }

  static JsonArray list(Object value, String path, int max) {
    JsonArray list;
    if (value instanceof JsonArray a) {
      list = a;
    } else if (value instanceof List<?> l) {
      list = new JsonArray(new ArrayList<>(l));
    } else {
      throw new RouteException(path, "expected a list, got " + describe(value));
    }
    if (list.size() > max) {
      throw new RouteException(path, "has " + list.size() + " entries; at most " + max + " are allowed");
    }
    return list;
  }

  /** An object of 1 to {@link #MAX_ENTRIES} fields. */
  static JsonObject nonEmptyObject(Object value, String path) {
    JsonObject object = object(value, path);
    if (object.isEmpty()) {
      throw new RouteException(path, "must not be empty");
    }
    if (object.size() > MAX_ENTRIES) {
      throw new RouteException(path, "has " + object.size() + " entries; at most " + MAX_ENTRIES + " are allowed");
    }
    return object;
  }

  static String string(Object value, String path) {
    if (value instanceof String s) {
      return s;
    }
    // YAML turns unquoted 1.0 or 0101 into numbers, whose text cannot be recovered: say how to keep the text.
    String hint = value instanceof Number ? " (quote it in YAML)" : "";
    throw new RouteException(path, "expected a string, got " + describe(value) + hint);
  }

  static boolean bool(Object value, String path) {
    if (value instanceof Boolean b) {
      return b;
    }
    throw new RouteException(path, "expected true or false, got " + describe(value));
  }

  static String matching(Object value, String path, Pattern pattern, String rule) {
    String s = string(value, path);
    if (!pattern.matcher(s).matches()) {
      throw new RouteException(path, "'" + shorten(s) + "' is not valid: expected " + rule);
    }
    return s;
  }

  /** A list of distinct tokens; empty is allowed unless {@code nonEmpty}. */
  static List<String> tokens(Object value, String path, boolean nonEmpty) {
    JsonArray list = nonEmpty ? nonEmptyList(value, path) : list(value, path);
    List<String> tokens = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      tokens.add(matching(list.getValue(i), at(path, i), TOKEN, TOKEN_RULE));
    }
    requireDistinct(tokens, path);
    return List.copyOf(tokens);
  }

  static void requireDistinct(List<String> values, String path) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < values.size(); i++) {
      if (!seen.add(values.get(i))) {
        throw new RouteException(at(path, i), "'" + values.get(i) + "' is listed twice");
      }
    }
  }

  /** Rejects the first key not in {@code allowed}, so a misspelt optional key is not silently ignored. */
  static void onlyKeys(JsonObject object, String path, List<String> allowed) {
    for (String key : object.fieldNames()) {
      if (!allowed.contains(key)) {
        throw new RouteException(at(path, key), "unknown key; expected one of " + String.join(", ", allowed));
      }
    }
  }

  static Object required(JsonObject object, String path, String key) {
    Object value = object.getValue(key);
    if (value == null) {
      throw new RouteException(at(path, key), "is required");
    }
    return value;
  }

  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof JsonObject || value instanceof Map) {
      return "an object";
    }
    if (value instanceof JsonArray || value instanceof List) {
      return "a list";
    }
    return "a " + value.getClass().getSimpleName();
  }

  /** Values quoted in messages come from the request or file itself; a bound keeps messages readable. */
  static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
