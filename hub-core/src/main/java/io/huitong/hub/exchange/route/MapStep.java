package io.huitong.hub.exchange.route;

import io.huitong.hub.config.Definitions;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code {"map": {"target": "source.path", ...}}}: a new object of exactly these fields, in this order. */
final class MapStep extends JsonStep {
  private final Map<String, FieldPath> sources;

  private MapStep(Map<String, FieldPath> sources) {
    this.sources = sources;
  }

  static MapStep parse(Object value, String path) {
    JsonObject o = Definitions.nonEmptyObject(value, path);
    Map<String, FieldPath> sources = new LinkedHashMap<>();
    for (String target : o.fieldNames()) {
      String at = Definitions.at(path, target);
      fieldName(target, at);
      sources.put(target, FieldPath.parse(o.getValue(target), at));
    }
    return new MapStep(Collections.unmodifiableMap(sources));
  }

  @Override
  String name() {
    return "map";
  }

  @Override
  JsonObject applyJson(JsonObject payload) {
    Map<String, Object> mapped = new LinkedHashMap<>();
    for (Map.Entry<String, FieldPath> field : sources.entrySet()) {
      Object value = field.getValue().lookup(payload);
      if (value != FieldPath.MISSING) {
        mapped.put(field.getKey(), value);
      }
    }
    return new JsonObject(mapped);
  }

  @Override
  public JsonObject toJson() {
    JsonObject map = new JsonObject();
    sources.forEach((target, source) -> map.put(target, source.toString()));
    return new JsonObject().put("map", map);
  }
}
