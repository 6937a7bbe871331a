package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.config.Definitions;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code {"rename": {"from": "to", ...}}}: renames top-level fields in place, all at once, so a swap works. */
final class RenameStep extends JsonStep {
  private final Map<String, String> renames;

  private RenameStep(Map<String, String> renames) {
    this.renames = renames;
  }

  static RenameStep parse(Object value, String path) {
    JsonObject o = Definitions.nonEmptyObject(value, path);
    Map<String, String> renames = new LinkedHashMap<>();
    Map<String, String> sourceOfTarget = new HashMap<>();
    for (String from : o.fieldNames()) {
      String at = Definitions.at(path, from);
      fieldName(from, at);
      String to = fieldName(o.getValue(from), at);
      String other = sourceOfTarget.putIfAbsent(to, from);
      if (other != null) {
        throw new DefinitionException(at, "'" + from + "' and '" + other + "' would both become '" + to + "'");
      }
      renames.put(from, to);
    }
    return new RenameStep(Collections.unmodifiableMap(renames));
  }

  @Override
  String name() {
    return "rename";
  }

  @Override
  JsonObject applyJson(JsonObject payload) {
    Map<String, Object> renamed = new LinkedHashMap<>();
    for (Map.Entry<String, Object> field : payload.getMap().entrySet()) {
      String name = renames.getOrDefault(field.getKey(), field.getKey());
      if (renamed.containsKey(name)) {
        // Keeping either value would silently lose the other.
        throw new TransformException("rename: the payload has a field '" + name + "' already, so '"
            + (field.getKey().equals(name) ? sourceOf(name) : field.getKey()) + "' cannot become it");
      }
      renamed.put(name, field.getValue());
    }
    return new JsonObject(renamed);
  }

  private String sourceOf(String target) {
    for (Map.Entry<String, String> rename : renames.entrySet()) {
      if (rename.getValue().equals(target)) {
        return rename.getKey();
      }
    }
    return target;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("rename", new JsonObject(new LinkedHashMap<>(renames)));
  }
}
