package io.huitong.hub.exchange.route;

import io.huitong.hub.config.Definitions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code {"drop": ["a", "b"]}}: removes top-level fields; absent ones are no error. */
final class DropStep extends JsonStep {
  private final List<String> fields;

  private DropStep(List<String> fields) {
    this.fields = fields;
  }

  static DropStep parse(Object value, String path) {
    JsonArray list = Definitions.nonEmptyList(value, path);
    List<String> fields = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      fields.add(fieldName(list.getValue(i), Definitions.at(path, i)));
    }
    Definitions.requireDistinct(fields, path);
    return new DropStep(List.copyOf(fields));
  }

  @Override
  String name() {
    return "drop";
  }

  @Override
  JsonObject applyJson(JsonObject payload) {
    Map<String, Object> kept = copyOf(payload);
    fields.forEach(kept::remove);
    return new JsonObject(kept);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("drop", new JsonArray(new ArrayList<>(fields)));
  }
}
