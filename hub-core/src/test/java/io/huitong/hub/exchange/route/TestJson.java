package io.huitong.hub.exchange.route;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** JSON written with single quotes, so that test tables stay readable. */
final class TestJson {
  private TestJson() {
  }

  static JsonObject obj(String singleQuoted) {
    return new JsonObject(singleQuoted.replace('\'', '"'));
  }

  /** Any JSON value: an object, a list, a string, a number... */
  static Object value(String singleQuoted) {
    return Json.decodeValue(singleQuoted.replace('\'', '"'));
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
