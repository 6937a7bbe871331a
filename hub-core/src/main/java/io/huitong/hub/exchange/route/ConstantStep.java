package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.config.Definitions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** {@code {"constant": {"field": value, ...}}}: sets top-level fields to fixed JSON values. */
final class ConstantStep extends JsonStep {
  /** Never changed after parsing, so every output may share its values. */
  private final JsonObject constants;

  private ConstantStep(JsonObject constants) {
    this.constants = constants;
  }

  static ConstantStep parse(Object value, String path) {
    JsonObject o = Definitions.nonEmptyObject(value, path);
    for (String field : o.fieldNames()) {
      String at = Definitions.at(path, field);
      fieldName(field, at);
      Object constant = o.getValue(field);
      if (!(constant == null || constant instanceof String || constant instanceof Number || constant instanceof Boolean
          || constant instanceof JsonObject || constant instanceof JsonArray)) {
        throw new DefinitionException(at, "expected a JSON value, got " + Definitions.describe(constant));
      }
    }
    // A deep copy, so neither the caller's document nor YAML's maps can change the step afterwards.
    return new ConstantStep(o.copy());
  }

  @Override
  String name() {
    return "constant";
  }

  @Override
  JsonObject applyJson(JsonObject payload) {
    Map<String, Object> fields = copyOf(payload);
    fields.putAll(constants.getMap());
    return new JsonObject(fields);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("constant", constants.copy());
  }
}
