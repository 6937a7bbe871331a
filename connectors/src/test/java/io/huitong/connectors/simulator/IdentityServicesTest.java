package io.huitong.connectors.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SMS gateway and face comparison that registration relies on, one row per answer docs/simulator.md names. */
class IdentityServicesTest extends SimulatorTestBase {

  private static HttpResponse<Buffer> post(String uri, JsonObject body) {
    return await(client.post(uri).sendJsonObject(body));
  }

  private static String image(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void smsGatewayKeepsMessagesAndTellsTheLastCode() {
    String phone = "13900002001";
    assertEquals(202, post("/sms/messages", new JsonObject().put("phone", phone).put("text", "验证码 123456")).statusCode());
    HttpResponse<Buffer> sent = post("/sms/messages", new JsonObject().put("phone", phone).put("text", "【汇通】码 654321,5分钟内有效"));
    assertEquals(202, sent.statusCode());
    assertTrue(sent.bodyAsJsonObject().getString("messageId").startsWith("sms-"));
    JsonObject kept = get("/_sim/sms?phone=" + phone).bodyAsJsonObject();
    assertEquals(2, kept.getJsonArray("messages").size());
    assertEquals("654321", kept.getString("lastCode"));
    assertEquals(0, get("/_sim/sms?phone=13900002999").bodyAsJsonObject().getJsonArray("messages").size());
  }

  @ParameterizedTest
  @CsvSource({"12345, code 123456, INVALID_PHONE", "13900002001, '', INVALID_TEXT"})
  void smsGatewayRefusesMalformedMessages(String phone, String text, String code) {
    HttpResponse<Buffer> answer = post("/sms/messages", new JsonObject().put("phone", phone).put("text", text));
    assertEquals(400, answer.statusCode());
    assertEquals(code, answer.bodyAsJsonObject().getString("code"));
  }

  @Test
  void facesScoreTheSameEveryTimeAndOnlyTheOwnFacePasses() {
    String id = get("/_sim/people?limit=1").bodyAsJsonObject().getJsonArray("people").getJsonObject(0).getString("idNumber");
    JsonObject own = new JsonObject().put("idNumber", id).put("image", image("face:" + id));
    assertEquals(IdentityServices.MATCH_SCORE, post("/face/compare", own).bodyAsJsonObject().getInteger("score"));
    JsonObject other = new JsonObject().put("idNumber", id).put("image", image("a stranger"));
    int score = post("/face/compare", other).bodyAsJsonObject().getInteger("score");
    assertTrue(score < 40, "score " + score);
    assertEquals(score, post("/face/compare", other).bodyAsJsonObject().getInteger("score"));
  }

  @ParameterizedTest
  @CsvSource({"11010519491231002X, ZmFjZQ==, 404, UNKNOWN_PERSON", "110105194912310021, ZmFjZQ==, 400, INVALID_ID_NUMBER",
      "11010519491231002X, '%%%', 400, INVALID_IMAGE"})
  void faceComparisonRefusesUnknownPeopleAndBadInput(String idNumber, String image, int status, String code) {
    HttpResponse<Buffer> answer = post("/face/compare", new JsonObject().put("idNumber", idNumber).put("image", image));
    assertEquals(status, answer.statusCode(), answer.bodyAsString());
    assertEquals(code, answer.bodyAsJsonObject().getString("code"));
  }
}
