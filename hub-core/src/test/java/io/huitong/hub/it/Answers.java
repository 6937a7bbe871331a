package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;

/** Checks on a hub's HTTP answers. */
final class Answers {
  private Answers() {
  }

  /** The JSON body of an answer that must have {@code status}. */
  static JsonObject json(HttpResponse<String> answer, int status) {
    assertEquals(status, answer.statusCode(), answer.body());
    return new JsonObject(answer.body());
  }

  /** The answer is a problem of {@code status} with this stable code. */
  static void assertProblem(HttpResponse<String> answer, int status, String code) {
    assertEquals(status, answer.statusCode(), answer.body());
    assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElse(""));
    assertEquals(code, new JsonObject(answer.body()).getString("code"), answer.body());
  }
}
