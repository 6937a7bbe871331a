package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.config.Definitions;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** A dotted path into nested payload objects, such as {@code applicant.address.city}. */
final class FieldPath {
  static final int MAX_SEGMENTS = 8;
  /** What {@link #lookup} returns for a field that is absent, as opposed to present with the value null. */
  static final Object MISSING = new Object();

  private final String text;
  private final String[] segments;

  private FieldPath(String text) {
    this.text = text;
    this.segments = text.split("\\.", -1);
  }

  static FieldPath parse(Object value, String path) {
    String text = Definitions.string(value, path);
    FieldPath field = new FieldPath(text);
    if (field.segments.length > MAX_SEGMENTS) {
      throw new DefinitionException(path, "'" + Definitions.shorten(text) + "' has " + field.segments.length
          + " segments; at most " + MAX_SEGMENTS + " are allowed");
    }
    for (String segment : field.segments) {
      if (!Definitions.FIELD_NAME.matcher(segment).matches()) {
        throw new DefinitionException(path, "'" + Definitions.shorten(text) + "' is not a valid field path: each dot-separated"
            + " segment must be " + Definitions.FIELD_NAME_RULE);
      }
    }
    return field;
  }

  /** The value at this path, which may be null, or {@link #MISSING}. */
  Object lookup(JsonObject payload) {
    Object current = payload;
    for (String segment : segments) {
      // Parsed payloads hold nested objects as plain maps; objects built in code hold JsonObjects.
      Map<String, Object> fields;
      if (current instanceof JsonObject o) {
        fields = o.getMap();
      } else if (current instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) m;
        fields = map;
      } else {
        return MISSING;
      }
      current = fields.getOrDefault(segment, MISSING);
      if (current == MISSING) {
        return MISSING;
      }
    }
    return current;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldPath other && text.equals(other.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
