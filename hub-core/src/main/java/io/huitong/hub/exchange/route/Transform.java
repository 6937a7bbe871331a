package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import io.vertx.core.json.JsonObject;

/**
 * One step of a route's payload transformation (报文转换). Its JSON form is an object with a single key:
 * <ul>
 *   <li>{@code {"rename": {"from": "to", ...}}} renames top-level fields, keeping their order;</li>
 *   <li>{@code {"map": {"target": "source.path", ...}}} builds a new object of exactly these fields, each taken
 *       from a dotted source path (a missing source leaves its field out);</li>
 *   <li>{@code {"drop": ["a", "b"]}} removes top-level fields;</li>
 *   <li>{@code {"constant": {"field": value, ...}}} sets fields to constant JSON values;</li>
 *   <li>{@code {"format": "xml"}}, optionally with {@code "root": "NAME"} (default {@code record}), turns the JSON
 *       object into an XML document: one element per field, nested objects nested, an array's items as the element
 *       repeated, null as an empty element with {@code nil="true"}, other values as text;</li>
 *   <li>{@code {"format": "json"}} turns such an XML document back into a JSON object: the root's child elements
 *       become fields, an element with children a nested object, a repeated element an array, text a string and
 *       {@code nil="true"} null. Documents with a DTD are refused.</li>
 * </ul>
 * The XML form loses what XML cannot say: numbers and booleans come back as strings, a one-item array as the item
 * and an empty array not at all. Field names are 1 to 64 letters, digits and {@code _ $ -}. JSON output is compact
 * UTF-8, and decimals keep their digits (0.10 stays 0.10). Instances are immutable, and {@code parse(t.toJson())}
 * equals {@code t}.
 */
public interface Transform {
  /**
   * Transforms one payload.
   *
   * @throws TransformException if the payload is not what this step takes, such as XML given to a JSON step
   */
  byte[] apply(byte[] payload);

  /** The JSON form, which {@link #parse} reads back to an equal step. */
  JsonObject toJson();

  /**
   * Reads a step from its JSON form (a {@link JsonObject} or a {@code Map} as YAML gives it).
   *
   * @param path where the value sits in its document, such as {@code transforms[0]}, for error messages
   * @throws DefinitionException naming the path of the first invalid value
   */
  static Transform parse(Object json, String path) {
    return TransformStep.parse(json, path);
  }
}
