package io.huitong.hub.exchange.route;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** A step from a JSON object to a JSON object. */
abstract class JsonStep extends TransformStep {
  /** The step's name in error messages. */
  abstract String name();

  /** Builds a new object; never changes {@code payload}, whose nested values the result may share. */
  abstract JsonObject applyJson(JsonObject payload);

  @Override
  final Payload applyTo(Payload payload) {
    return Payload.of(applyJson(payload.requireJson(name())));
  }

  /** A shallow copy that a step may change: nested values stay shared, and no step changes them. */
  static Map<String, Object> copyOf(JsonObject payload) {
    return new LinkedHashMap<>(payload.getMap());
  }
}
