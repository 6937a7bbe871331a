package io.huitong.hub.proxy;

import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.config.Definitions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The input or output schema of a service: a subset of JSON Schema (draft 2020-12 keywords {@code type},
 * {@code properties}, {@code required}, {@code additionalProperties}, {@code items}, {@code enum}, {@code pattern},
 * {@code minLength}, {@code maxLength}, {@code minimum}, {@code maximum}, {@code format}) and one keyword of ours,
 * {@code mask}, naming how a field is masked for a consumer granted it only masked. Formats: {@code id-number}
 * (18-digit resident ID with a valid check digit), {@code phone} (mainland mobile), {@code date}.
 *
 * <p>Checked when the service is defined, so a typo in a schema is a definition error, not a surprise per call.
 */
public final class DataSchema {
  /** Stops a hostile or broken document from producing an unbounded error list. */
  static final int MAX_ERRORS = 20;
  private static final Set<String> KEYWORDS = Set.of("type", "properties", "required", "additionalProperties",
      "items", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum", "format", "mask", "description",
      "title");
  private static final Set<String> TYPES = Set.of("object", "array", "string", "integer", "number", "boolean", "null");
  private static final Pattern PHONE = Pattern.compile("1[3-9]\\d{9}");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private final JsonObject json;
  private final List<String> types;
  private final Map<String, DataSchema> properties;
  private final List<String> required;
  private final boolean additionalProperties;
  private final DataSchema items;
  private final JsonArray enumValues;
  private final Pattern pattern;
  private final Integer minLength;
  private final Integer maxLength;
  private final BigDecimal minimum;
  private final BigDecimal maximum;
  private final String format;
  private final Mask mask;
  private final Map<String, Mask> masks;

  private DataSchema(JsonObject json, String path) {
    this.json = json;
    Definitions.onlyKeys(json, path, List.copyOf(new java.util.TreeSet<>(KEYWORDS)));
    this.types = parseTypes(json.getValue("type"), Definitions.at(path, "type"));
    Map<String, DataSchema> props = new LinkedHashMap<>();
    if (json.containsKey("properties")) {
      String at = Definitions.at(path, "properties");
      JsonObject p = Definitions.object(json.getValue("properties"), at);
      for (String name : p.fieldNames()) {
        props.put(name, new DataSchema(Definitions.object(p.getValue(name), Definitions.at(at, name)), Definitions.at(at, name)));
      }
    }
    this.properties = Map.copyOf(props);
    this.required = json.containsKey("required")
        ? Definitions.tokens(json.getValue("required"), Definitions.at(path, "required"), false) : List.of();
    this.additionalProperties = !json.containsKey("additionalProperties")
        || Definitions.bool(json.getValue("additionalProperties"), Definitions.at(path, "additionalProperties"));
    this.items = json.containsKey("items") ? new DataSchema(
        Definitions.object(json.getValue("items"), Definitions.at(path, "items")), Definitions.at(path, "items")) : null;
    this.enumValues = json.containsKey("enum") ? Definitions.nonEmptyList(json.getValue("enum"), Definitions.at(path, "enum")) : null;
    this.pattern = json.containsKey("pattern") ? compile(json.getValue("pattern"), Definitions.at(path, "pattern")) : null;
    this.minLength = count(json, "minLength", path);
    this.maxLength = count(json, "maxLength", path);
    this.minimum = number(json, "minimum", path);
    this.maximum = number(json, "maximum", path);
    this.format = json.containsKey("format") ? format(json.getValue("format"), Definitions.at(path, "format")) : null;
    this.mask = json.containsKey("mask") ? Mask.parse(json.getValue("mask"), Definitions.at(path, "mask")) : null;
    Map<String, Mask> found = new LinkedHashMap<>();
    collectMasks("", found);
    this.masks = Map.copyOf(found);
  }

  /** Parses a schema; {@code path} prefixes the paths of errors, e.g. {@code services[0].input-schema}. */
  public static DataSchema parse(Object json, String path) {
    return new DataSchema(Definitions.object(json, path), path);
  }

  /** A schema that accepts anything. */
  public static DataSchema any() {
    return new DataSchema(new JsonObject(), "");
  }

  public JsonObject toJson() {
    return json;
  }

  /** The masks declared on this schema's fields, by dotted path ({@code records.idNumber} inside arrays too). */
  public Map<String, Mask> masks() {
    return masks;
  }

  private void collectMasks(String prefix, Map<String, Mask> out) {
    if (mask != null && !prefix.isEmpty()) {
      out.put(prefix, mask);
    }
    properties.forEach((name, schema) -> schema.collectMasks(prefix.isEmpty() ? name : prefix + "." + name, out));
    if (items != null) {
      items.collectMasks(prefix, out);
    }
  }

  /** The violations of {@code value}, each with its path ({@code $.records[2].idNumber}); empty when it conforms. */
  public List<String> validate(Object value) {
    List<String> errors = new ArrayList<>();
    check(value, "$", errors);
    return errors;
  }

  private void check(Object value, String path, List<String> errors) {
    if (errors.size() >= MAX_ERRORS) {
      return;
    }
    if (!types.isEmpty() && types.stream().noneMatch(t -> hasType(value, t))) {
      errors.add(path + ": expected " + String.join(" or ", types) + ", got " + Definitions.describe(value));
      return;
    }
    if (enumValues != null && !enumValues.contains(value)) {
      errors.add(path + ": must be one of " + enumValues.encode());
    }
    if (value instanceof String s) {
      checkString(s, path, errors);
    } else if (value instanceof Number n && !(value instanceof Boolean)) {
      BigDecimal d = new BigDecimal(n.toString());
      if (minimum != null && d.compareTo(minimum) < 0) {
        errors.add(path + ": must be at least " + minimum);
      }
      if (maximum != null && d.compareTo(maximum) > 0) {
        errors.add(path + ": must be at most " + maximum);
      }
    } else if (value instanceof JsonObject o) {
      for (String name : required) {
        if (o.getValue(name) == null) {
          errors.add(path + "." + name + ": is required");
        }
      }
      for (String name : o.fieldNames()) {
        DataSchema property = properties.get(name);
        if (property != null) {
          property.check(o.getValue(name), path + "." + name, errors);
        } else if (!additionalProperties) {
          errors.add(path + "." + name + ": is not a known field");
        }
      }
    } else if (value instanceof JsonArray a && items != null) {
      for (int i = 0; i < a.size(); i++) {
        items.check(a.getValue(i), path + "[" + i + "]", errors);
      }
    }
  }

  private void checkString(String s, String path, List<String> errors) {
    int length = s.codePointCount(0, s.length());
    if (minLength != null && length < minLength) {
      errors.add(path + ": must have at least " + minLength + " characters");
    }
    if (maxLength != null && length > maxLength) {
      errors.add(path + ": must have at most " + maxLength + " characters");
    }
    if (pattern != null && !pattern.matcher(s).find()) {
      errors.add(path + ": does not match " + pattern.pattern());
    }
    if (format != null && !formatMatches(format, s)) {
      errors.add(path + ": is not a valid " + format);
    }
  }

  private static boolean formatMatches(String format, String s) {
    return switch (format) {
      case "id-number" -> ResidentId.isValid(s);
      case "phone" -> PHONE.matcher(s).matches();
      default -> DATE.matcher(s).matches() && isDate(s);
    };
  }

  private static boolean isDate(String s) {
    try {
      java.time.LocalDate.parse(s);
      return true;
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }

  private static boolean hasType(Object value, String type) {
    return switch (type) {
      case "object" -> value instanceof JsonObject;
      case "array" -> value instanceof JsonArray;
      case "string" -> value instanceof String;
      case "boolean" -> value instanceof Boolean;
      case "null" -> value == null;
      case "integer" -> value instanceof Integer || value instanceof Long
          || (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && !Double.isInfinite(n.doubleValue()));
      default -> value instanceof Number;
    };
  }

  private static List<String> parseTypes(Object value, String path) {
    if (value == null) {
      return List.of();
    }
    List<String> list = value instanceof String s ? List.of(s) : Definitions.tokens(value, path, true);
    for (String t : list) {
      if (!TYPES.contains(t)) {
        throw new DefinitionException(path, "'" + t + "' is not a type; expected one of " + String.join(", ", new java.util.TreeSet<>(TYPES)));
      }
    }
    return list;
  }

  private static Pattern compile(Object value, String path) {
    String regex = Definitions.string(value, path);
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new DefinitionException(path, "not a valid regular expression: " + e.getDescription());
    }
  }

  private static String format(Object value, String path) {
    String f = Definitions.string(value, path);
    if (!List.of("id-number", "phone", "date").contains(f)) {
      throw new DefinitionException(path, "'" + f + "' is not a format; expected id-number, phone or date");
    }
    return f;
  }

  private static Integer count(JsonObject json, String key, String path) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Integer i) || i < 0) {
      throw new DefinitionException(Definitions.at(path, key), "expected a whole number of at least 0");
    }
    return i;
  }

  private static BigDecimal number(JsonObject json, String key, String path) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n)) {
      throw new DefinitionException(Definitions.at(path, key), "expected a number, got " + Definitions.describe(v));
    }
    return new BigDecimal(n.toString());
  }
}
