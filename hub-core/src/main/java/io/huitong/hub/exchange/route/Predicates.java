package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.config.Definitions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The kinds of {@link Predicate} and the reading of their JSON forms. */
final class Predicates {
  static final int MAX_REGEX_LENGTH = 256;
  private static final List<String> COMBINATORS = List.of("all", "any", "not");
  private static final List<String> OPERATORS = List.of("equals", "in", "exists", "matches", "greaterThan", "lessThan");
  private static final List<String> FIELD_KEYS = List.of("field", "equals", "in", "exists", "matches", "greaterThan",
      "lessThan");

  private Predicates() {
  }

  static Predicate parse(Object json, String path, int depth) {
    if (depth > Predicate.MAX_DEPTH) {
      throw new DefinitionException(path, "predicates nest more than " + Predicate.MAX_DEPTH + " levels deep");
    }
    JsonObject o = Definitions.object(json, path);
    if (o.containsKey("field")) {
      return parseField(o, path);
    }
    if (o.isEmpty()) {
      throw new DefinitionException(path, "empty predicate; expected all, any, not or field");
    }
    String kind = null;
    for (String key : o.fieldNames()) {
      if (!COMBINATORS.contains(key)) {
        throw new DefinitionException(Definitions.at(path, key), "unknown key; expected all, any, not or field");
      }
      if (kind != null) {
        throw new DefinitionException(Definitions.at(path, key), "a predicate has one of all, any and not; this one has "
            + kind + " already");
      }
      kind = key;
    }
    String at = Definitions.at(path, kind);
    if (kind.equals("not")) {
      return new Not(parse(o.getValue("not"), at, depth + 1));
    }
    JsonArray list = Definitions.nonEmptyList(o.getValue(kind), at);
    List<Predicate> parts = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      parts.add(parse(list.getValue(i), Definitions.at(at, i), depth + 1));
    }
    return kind.equals("all") ? new All(List.copyOf(parts)) : new Any(List.copyOf(parts));
  }

  private static Predicate parseField(JsonObject o, String path) {
    Definitions.onlyKeys(o, path, FIELD_KEYS);
    FieldPath field = FieldPath.parse(o.getValue("field"), Definitions.at(path, "field"));
    String operator = null;
    for (String key : o.fieldNames()) {
      if (OPERATORS.contains(key)) {
        if (operator != null) {
          throw new DefinitionException(Definitions.at(path, key), "a field predicate has exactly one operator; this one has "
              + operator + " already");
        }
        operator = key;
      }
    }
    if (operator == null) {
      throw new DefinitionException(path, "missing operator; expected one of " + String.join(", ", OPERATORS));
    }
    Object value = o.getValue(operator);
    String at = Definitions.at(path, operator);
    return switch (operator) {
      case "equals" -> new Equals(field, scalar(value, at));
      case "in" -> {
        JsonArray list = Definitions.nonEmptyList(value, at);
        List<Object> values = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
          values.add(scalar(list.getValue(i), Definitions.at(at, i)));
        }
        yield new In(field, Collections.unmodifiableList(values));
      }
      case "exists" -> new Exists(field, Definitions.bool(value, at));
      case "matches" -> new Matches(field, regex(value, at));
      case "greaterThan" -> new GreaterThan(field, number(value, at));
      default -> new LessThan(field, number(value, at));
    };
  }

  private static Object scalar(Object value, String path) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number) {
      return number(value, path);
    }
    throw new DefinitionException(path, "expected a string, number, boolean or null, got " + Definitions.describe(value));
  }

  private static Number number(Object value, String path) {
    if (!(value instanceof Number n)) {
      throw new DefinitionException(path, "expected a number, got " + Definitions.describe(value));
    }
    if ((n instanceof Double || n instanceof Float) && !Double.isFinite(n.doubleValue())) {
      throw new DefinitionException(path, "expected a finite number");
    }
    return n;
  }

  private static Pattern regex(Object value, String path) {
    String regex = Definitions.string(value, path);
    if (regex.length() > MAX_REGEX_LENGTH) {
      throw new DefinitionException(path, "the expression has " + regex.length() + " characters; at most "
          + MAX_REGEX_LENGTH + " are allowed");
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new DefinitionException(path, "not a valid regular expression: " + e.getDescription() + " near index "
          + e.getIndex());
    }
  }

  /** JSON equality of a scalar: numbers by value whatever their Java type, the rest by type and value. */
  static boolean sameValue(Object expected, Object actual) {
    if (expected == null) {
      return actual == null;
    }
    if (expected instanceof Number e) {
      return actual instanceof Number a && compare(e, a) == 0;
    }
    return expected.equals(actual);
  }

  static int compare(Number a, Number b) {
    if (isSmallIntegral(a) && isSmallIntegral(b)) {
      return Long.compare(a.longValue(), b.longValue());
    }
    if (!isFinite(a) || !isFinite(b)) {
      return Double.compare(a.doubleValue(), b.doubleValue());
    }
    return decimal(a).compareTo(decimal(b));
  }

  private static boolean isSmallIntegral(Number n) {
    return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
  }

  private static boolean isFinite(Number n) {
    return !(n instanceof Double || n instanceof Float) || Double.isFinite(n.doubleValue());
  }

  private static BigDecimal decimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (isSmallIntegral(n)) {
      return BigDecimal.valueOf(n.longValue());
    }
    // The decimal the JSON text most likely had, so 0.1 equals 0.1 whether it was read as a float or a double.
    return new BigDecimal(n.toString());
  }

  record All(List<Predicate> predicates) implements Predicate {
    @Override
    public boolean test(JsonObject payload) {
      for (Predicate p : predicates) {
        if (!p.test(payload)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("all", toJsonList(predicates));
    }
  }

  record Any(List<Predicate> predicates) implements Predicate {
    @Override
    public boolean test(JsonObject payload) {
      for (Predicate p : predicates) {
        if (p.test(payload)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("any", toJsonList(predicates));
    }
  }

  record Not(Predicate predicate) implements Predicate {
    @Override
    public boolean test(JsonObject payload) {
      return !predicate.test(payload);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("not", predicate.toJson());
    }
  }

  record Equals(FieldPath field, Object value) implements Predicate {
    @Override
    public boolean test(JsonObject payload) {
      Object actual = field.lookup(payload);
      return actual != FieldPath.MISSING && sameValue(value, actual);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("field", field.toString()).put("equals", value);
    }
  }

  record In(FieldPath field, List<Object> values) implements Predicate {
    @Override
    public boolean test(JsonObject payload) {
      Object actual = field.lookup(payload);
      if (actual == FieldPath.MISSING) {
        return false;
      }
      for (Object value : values) {
        if (sameValue(value, actual)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("field", field.toString()).put("in", new JsonArray(new ArrayList<>(values)));
    }
  }

  record Exists(FieldPath field, boolean exists) implements Predicate {
    @Override
    public boolean test(JsonObject payload) {
      return (field.lookup(payload) != FieldPath.MISSING) == exists;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("field", field.toString()).put("exists", exists);
    }
  }

  record Matches(FieldPath field, Pattern pattern) implements Predicate {
    @Override
    public boolean test(JsonObject payload) {
      return field.lookup(payload) instanceof String s && pattern.matcher(s).matches();
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("field", field.toString()).put("matches", pattern.pattern());
    }

    // Pattern has identity equality; two predicates with the same expression are the same predicate.
    @Override
    public boolean equals(Object o) {
      return o instanceof Matches m && field.equals(m.field) && pattern.pattern().equals(m.pattern.pattern());
    }

    @Override
    public int hashCode() {
      return field.hashCode() * 31 + pattern.pattern().hashCode();
    }
  }

  record GreaterThan(FieldPath field, Number bound) implements Predicate {
    @Override
    public boolean test(JsonObject payload) {
      return field.lookup(payload) instanceof Number n && compare(n, bound) > 0;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("field", field.toString()).put("greaterThan", bound);
    }
  }

  record LessThan(FieldPath field, Number bound) implements Predicate {
    @Override
    public boolean test(JsonObject payload) {
      return field.lookup(payload) instanceof Number n && compare(n, bound) < 0;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("field", field.toString()).put("lessThan", bound);
    }
  }

  private static JsonArray toJsonList(List<Predicate> predicates) {
    JsonArray list = new JsonArray();
    predicates.forEach(p -> list.add(p.toJson()));
    return list;
  }
}
