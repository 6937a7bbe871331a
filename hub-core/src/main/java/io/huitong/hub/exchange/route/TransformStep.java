package io.huitong.hub.exchange.route;

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
    JsonObject o = Parsing.object(json, path);
    String kind = null;
    for (String key : o.fieldNames()) {
      if (key.equals("root") && o.containsKey("format")) {
        continue;
      }
      if (!KINDS.contains(key)) {
        throw new RouteException(Parsing.at(path, key), "unknown key; expected one of " + String.join(", ", KINDS));
      }
      if (kind != null) {
        throw new RouteException(Parsing.at(path, key), "a step does one thing; this one has " + kind + " already");
      }
      kind = key;
    }
    if (kind == null) {
      throw new RouteException(path, "empty step; expected one of " + String.join(", ", KINDS));
    }
    Object value = o.getValue(kind);
    String at = Parsing.at(path, kind);
    return switch (kind) {
      case "rename" -> RenameStep.parse(value, at);
      case "map" -> MapStep.parse(value, at);
      case "drop" -> DropStep.parse(value, at);
      case "constant" -> ConstantStep.parse(value, at);
      default -> parseFormat(o, path);
    };
  }

  private static TransformStep parseFormat(JsonObject o, String path) {
    String format = Parsing.string(o.getValue("format"), Parsing.at(path, "format"));
    switch (format) {
      case "xml":
        return o.containsKey("root") ? new XmlFormatStep(XmlFormatStep.parseRoot(o.getValue("root"),
            Parsing.at(path, "root"))) : new XmlFormatStep(XmlFormatStep.DEFAULT_ROOT);
      case "json":
        if (o.containsKey("root")) {
          throw new RouteException(Parsing.at(path, "root"), "only format xml takes a root");
        }
        return new JsonFormatStep();
      default:
        throw new RouteException(Parsing.at(path, "format"), "unknown format '" + Parsing.shorten(format)
            + "'; expected xml or json");
    }
  }

  static String fieldName(Object value, String path) {
    return Parsing.matching(value, path, Parsing.FIELD_NAME, Parsing.FIELD_NAME_RULE);
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
