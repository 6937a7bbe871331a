package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import io.vertx.core.json.JsonObject;

/**
 * A condition on a record's JSON payload that decides whether a route takes the record (路由条件). Its JSON forms:
 * <ul>
 *   <li>{@code {"all": [p, ...]}}, {@code {"any": [p, ...]}} with non-empty lists, and {@code {"not": p}};</li>
 *   <li>{@code {"field": "a.b", OP: value}} with exactly one operator: {@code equals} (a string, number, boolean or
 *       null; numbers compare by value, so 1 equals 1.0; null matches a field present with the value null, not an
 *       absent one), {@code in} (a non-empty list of such values),
 *       {@code exists} (true or false; a field present with the value null exists), {@code matches} (a Java regular
 *       expression of at most 256 characters that the whole string value must match), {@code greaterThan} and
 *       {@code lessThan} (a number).</li>
 * </ul>
 * {@code field} is a dotted path into nested objects: at most 8 segments, each 1 to 64 letters, digits and
 * {@code _ $ -}. A value of the wrong type never matches: {@code matches} needs a string, the comparisons a number.
 * Predicates nest at most 8 deep. Instances are immutable, and {@code parse(p.toJson())} equals {@code p}.
 */
public interface Predicate {
  int MAX_DEPTH = 8;

  boolean test(JsonObject payload);

  /** The JSON form, which {@link #parse} reads back to an equal predicate. */
  JsonObject toJson();

  /**
   * Reads a predicate from its JSON form (a {@link JsonObject} or a {@code Map} as YAML gives it).
   *
   * @param path where the value sits in its document, such as {@code routes[0].when}, for error messages
   * @throws DefinitionException naming the path of the first invalid value
   */
  static Predicate parse(Object json, String path) {
    return Predicates.parse(json, path, 1);
  }
}
