package io.huitong.hub.proxy;

import io.huitong.hub.config.Definitions;
import io.vertx.core.json.JsonObject;

/**
 * A connector of the definitions file: its id, its kind and the settings its factory reads (see
 * docs/connectors.md).
 */
public record ConnectorDeclaration(String id, String kind, JsonObject settings) {

  /** Reads {@code connectors.<id>}: a mapping with {@code kind} and the kind's settings. */
  static ConnectorDeclaration parse(String id, Object value, String path) {
    Definitions.matching(id, path, Definitions.TOKEN, Definitions.TOKEN_RULE);
    JsonObject json = Definitions.object(value, path).copy();
    String kind = Definitions.matching(Definitions.required(json, path, "kind"), Definitions.at(path, "kind"),
        Definitions.TOKEN, Definitions.TOKEN_RULE);
    json.remove("kind");
    return new ConnectorDeclaration(id, kind, json);
  }
}
