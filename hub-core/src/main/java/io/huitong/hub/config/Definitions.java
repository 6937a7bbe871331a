package io.huitong.hub.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict reading of definition documents (exchange routes, proxy services and connectors), whether they came from the
 * API as JSON or from a definitions file as YAML: every check names the path of the value it rejects.
 */
public final class Definitions {
  /** Node ids and message types. */
  public static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");
  public static final String TOKEN_RULE = "1 to 128 letters, digits and . _ : / -";
  /** One payload field name, or one segment of a dotted field path. */
  public static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9_$-]{1,64}");
  public static final String FIELD_NAME_RULE = "1 to 64 letters, digits and _ $ -";
  /** Every list and map in a definition has a bound, so a definition's size is bounded by its nesting. */
  public static final int MAX_ENTRIES = 256;

  private Definitions() {
  }

  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  /**
   * Reads a definitions file: a YAML mapping of the {@code allowed} keys, at most {@code maxBytes} long.
   *
   * @return the mapping, or null for an empty file
   * @throws DefinitionException with an empty path for a file that cannot be read or is not such a mapping, with
   *                             the key's path for an unknown key; the caller adds the file's name
   */
  public static JsonObject readYaml(Path file, long maxBytes, List<String> allowed) {
    JsonNode document;
    try {
      long size = Files.size(file);
      if (size > maxBytes) {
        throw new DefinitionException("", "the file has " + size + " bytes; at most " + maxBytes + " are allowed");
      }
      document = YAML.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new DefinitionException("", "not valid YAML" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new DefinitionException("", "cannot read the file: " + e);
    }
    if (document == null || document.isMissingNode() || document.isNull()) {
      return null;
    }
    Object tree = YAML.convertValue(document, Object.class);
    if (!(tree instanceof Map<?, ?>)) {
      throw new DefinitionException("", "expected a mapping of " + String.join(", ", allowed) + ", got "
          + describe(tree));
    }
    JsonObject root = object(tree, "");
    onlyKeys(root, "", allowed);
    return root;
  }

  public static String at(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public static String at(String path, int index) {
    return path + "[" + index + "]";
  }

  public static JsonObject object(Object value, String path) {
    if (value instanceof JsonObject o) {
      return o;
    }
    if (value instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) map;
      return new JsonObject(fields);
    }
    throw new DefinitionException(path, "expected an object, got " + describe(value));
  }

  /** A list of 1 to {@link #MAX_ENTRIES} entries. */
  public static JsonArray nonEmptyList(Object value, String path) {
    JsonArray list = list(value, path);
    if (list.isEmpty()) {
      throw new DefinitionException(path, "must not be empty");
    }
    return list;
  }

  /** A list of at most {@link #MAX_ENTRIES} entries. */
  public static JsonArray list(Object value, String path) {
    return list(value, path, MAX_ENTRIES);
  }

  public static JsonArray list(Object value, String path, int max) {
    JsonArray list;
    if (value instanceof JsonArray a) {
      list = a;
    } else if (value instanceof List<?> l) {
      list = new JsonArray(new ArrayList<>(l));
    } else {
      throw new DefinitionException(path, "expected a list, got " + describe(value));
    }
    if (list.size() > max) {
      throw new DefinitionException(path, "has " + list.size() + " entries; at most " + max + " are allowed");
    }
    return list;
  }

  /** An object of 1 to {@link #MAX_ENTRIES} fields. */
  public static JsonObject nonEmptyObject(Object value, String path) {
    JsonObject object = object(value, path);
    if (object.isEmpty()) {
      throw new DefinitionException(path, "must not be empty");
    }
    if (object.size() > MAX_ENTRIES) {
      throw new DefinitionException(path, "has " + object.size() + " entries; at most " + MAX_ENTRIES + " are allowed");
    }
    return object;
  }

  public static String string(Object value, String path) {
    if (value instanceof String s) {
      return s;
    }
    // YAML turns unquoted 1.0 or 0101 into numbers, whose text cannot be recovered: say how to keep the text.
    String hint = value instanceof Number ? " (quote it in YAML)" : "";
    throw new DefinitionException(path, "expected a string, got " + describe(value) + hint);
  }

  public static boolean bool(Object value, String path) {
    if (value instanceof Boolean b) {
      return b;
    }
    throw new DefinitionException(path, "expected true or false, got " + describe(value));
  }

  public static String matching(Object value, String path, Pattern pattern, String rule) {
    String s = string(value, path);
    if (!pattern.matcher(s).matches()) {
      throw new DefinitionException(path, "'" + shorten(s) + "' is not valid: expected " + rule);
    }
    return s;
  }

  /** A list of distinct tokens; empty is allowed unless {@code nonEmpty}. */
  public static List<String> tokens(Object value, String path, boolean nonEmpty) {
    JsonArray list = nonEmpty ? nonEmptyList(value, path) : list(value, path);
    List<String> tokens = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      tokens.add(matching(list.getValue(i), at(path, i), TOKEN, TOKEN_RULE));
    }
    requireDistinct(tokens, path);
    return List.copyOf(tokens);
  }

  public static void requireDistinct(List<String> values, String path) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < values.size(); i++) {
      if (!seen.add(values.get(i))) {
        throw new DefinitionException(at(path, i), "'" + values.get(i) + "' is listed twice");
      }
    }
  }

  /** Rejects the first key not in {@code allowed}, so a misspelt optional key is not silently ignored. */
  public static void onlyKeys(JsonObject object, String path, List<String> allowed) {
    for (String key : object.fieldNames()) {
      if (!allowed.contains(key)) {
        throw new DefinitionException(at(path, key), "unknown key; expected one of " + String.join(", ", allowed));
      }
    }
  }

  public static Object required(JsonObject object, String path, String key) {
    Object value = object.getValue(key);
    if (value == null) {
      throw new DefinitionException(at(path, key), "is required");
    }
    return value;
  }

  public static String describe(Object value) {
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
  public static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
