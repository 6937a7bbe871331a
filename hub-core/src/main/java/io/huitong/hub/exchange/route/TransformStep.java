package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.config.Definitions;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The transform steps this package knows. They work on a {@link Payload}, so that consecutive steps pass a parsed
 * object along instead of encoding and parsing it between them.
 */
abstract class TransformStep implements Transform {
  private static final List<String> KINDS = List.of("rename", "map", "drop", "constant", "format");

  private int hash;

  /** Never changes the object {@code payload} holds, which other routes of the same record may be using. */
  abstract Payload applyTo(Payload payload);

  @Override
  public final byte[] apply(byte[] payload) {
    return applyTo(Payload.of(payload)).bytes();
  }

  static TransformStep parse(Object json, String path) {
    JsonObject o = Definitions.object(json, path);
    String kind = null;
    for (String key : o.fieldNames()) {
      if (key.equals("root") && o.containsKey("format")) {
        continue;
      }
      if (!KINDS.contains(key)) {
        throw new DefinitionException(Definitions.at(path, key), "unknown key; expected one of " + String.join(", ", KINDS));
      }
      if (kind != null) {
        throw new DefinitionException(Definitions.at(path, key), "a step does one thing; this one has " + kind + " already");
      }
      kind = key;
    }
    if (kind == null) {
      throw new DefinitionException(path, "empty step; expected one of " + String.join(", ", KINDS));
    }
    Object value = o.getValue(kind);
    String at = Definitions.at(path, kind);
    return switch (kind) {
      case "rename" -> RenameStep.parse(value, at);
      case "map" -> MapStep.parse(value, at);
      case "drop" -> DropStep.parse(value, at);
      case "constant" -> ConstantStep.parse(value, at);
      default -> parseFormat(o, path);
    };
  }

  private static TransformStep parseFormat(JsonObject o, String path) {
    String format = Definitions.string(o.getValue("format"), Definitions.at(path, "format"));
    switch (format) {
      case "xml":
        return o.containsKey("root") ? new XmlFormatStep(XmlFormatStep.parseRoot(o.getValue("root"),
            Definitions.at(path, "root"))) : new XmlFormatStep(XmlFormatStep.DEFAULT_ROOT);
      case "json":
        if (o.containsKey("root")) {
          throw new DefinitionException(Definitions.at(path, "root"), "only format xml takes a root");
        }
        return new JsonFormatStep();
      default:
        throw new DefinitionException(Definitions.at(path, "format"), "unknown format '" + Definitions.shorten(format)
            + "'; expected xml or json");
    }
  }

  static String fieldName(Object value, String path) {
    return Definitions.matching(value, path, Definitions.FIELD_NAME, Definitions.FIELD_NAME_RULE);
  }

  /** Routes serve as map keys for each delivery, so their steps hash once rather than build their JSON each time. */
  @Override
  public final int hashCode() {
    int h = hash;
    if (h == 0) {
      h = toJson().hashCode();
      hash = h;
    }
    return h;
  }

  @Override
  public final boolean equals(Object o) {
    return o instanceof TransformStep other && getClass() == other.getClass() && toJson().equals(other.toJson());
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
