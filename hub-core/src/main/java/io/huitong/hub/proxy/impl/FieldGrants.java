package io.huitong.hub.proxy.impl;

import io.huitong.hub.proxy.Mask;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Applies a consumer's field grants to an answer: a field granted {@code clear} is shown as it is, one granted
 * {@code masked} through its mask (from the service's output schema, else replaced whole), and a field without a
 * grant is removed. Grants are dotted paths; a path into an array applies to each element
 * ({@code records.amount}). The grant {@code *} grants every field at once.
 */
final class FieldGrants {
  /** How a consumer may see a granted field. */
  enum Access { CLEAR, MASKED }

  static final String EVERYTHING = "*";

  private FieldGrants() {
  }

  static JsonObject apply(JsonObject output, Map<String, Access> grants, Map<String, Mask> masks) {
    Access all = grants.get(EVERYTHING);
    if (all == Access.CLEAR) {
      return output;
    }
    return (JsonObject) filter(output, "", grants, masks, all);
  }

  /** The value as the consumer may see it below {@code path}; {@code inherited} is an access granted to an ancestor. */
  private static Object filter(Object value, String path, Map<String, Access> grants, Map<String, Mask> masks,
                               Access inherited) {
    if (value instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      array.forEach(element -> out.add(filter(element, path, grants, masks, inherited)));
      return out;
    }
    if (value instanceof JsonObject object) {
      JsonObject out = new JsonObject();
      for (String name : object.fieldNames()) {
        String child = path.isEmpty() ? name : path + "." + name;
        Access access = grants.getOrDefault(child, inherited);
        if (access != null || grantsBelow(grants, child)) {
          out.put(name, filter(object.getValue(name), child, grants, masks, access));
        }
      }
      return out;
    }
    if (inherited == Access.MASKED) {
      return masks.getOrDefault(path, Mask.ALL).apply(value);
    }
    return inherited == Access.CLEAR ? value : null;
  }

  private static boolean grantsBelow(Map<String, Access> grants, String path) {
    String prefix = path + ".";
    for (String granted : grants.keySet()) {
      if (granted.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
