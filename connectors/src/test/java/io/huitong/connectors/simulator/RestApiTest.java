package io.huitong.connectors.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RestApiTest extends SimulatorTestBase {

  @Test
  void everyQueryOfSeed001IsServed() {
    JsonArray queries = get("/_sim/queries").bodyAsJsonObject().getJsonArray("queries");
    Set<Integer> items = new TreeSet<>();
    for (int i = 0; i < queries.size(); i++) {
      JsonObject q = queries.getJsonObject(i);
      q.getJsonArray("seedItems").forEach(n -> items.add((Integer) n));
      if (!q.getJsonArray("parameters").contains("name")) {
        String path = q.getString("path");
        JsonObject person = someoneWith(path.substring("/api/".length()));
        HttpResponse<Buffer> answer = get(path + "?idNumber=" + person.getString("idNumber"));
        assertEquals(200, answer.statusCode(), path + ": " + answer.bodyAsString());
        assertTrue(answer.getHeader("content-type").startsWith("application/json"));
        JsonObject body = answer.bodyAsJsonObject();
        assertEquals(person.getString("idNumber"), body.getString("idNumber"), path);
        assertEquals(person.getString("name"), body.getString("name"), path);
        assertTrue(body.size() >= 3, path + " answers only " + body);
      }
    }
    assertEquals(22, items.size(), "seed items served: " + items);
  }

  @Test
  void answersAreTheSameOnEveryCall() {
    String id = someoneWith("hrss/work-injury-insurance").getString("idNumber");
    String first = get("/api/hrss/work-injury-insurance?idNumber=" + id).bodyAsString();
    assertEquals(first, get("/api/hrss/work-injury-insurance?idNumber=" + id).bodyAsString());
    JsonArray records = new JsonObject(first).getJsonArray("records");
    assertEquals(12, records.size());
    assertNotNull(records.getJsonObject(0).getValue("employerAmount"));
  }

  static Stream<Arguments> statusTable() {
    String known = new Population(SimulatorOptions.DEFAULT_SEED, SimulatorOptions.DEFAULT_PEOPLE).person(7).idNumber();
    return Stream.of(
        Arguments.of("/_sim/health", 200, null),
        Arguments.of("/api/hrss/social-security-card?idNumber=" + known, 200, null),
        Arguments.of("/api/hrss/work-injury-insurance", 400, "MISSING_PARAMETER"),
        Arguments.of("/api/hrss/work-injury-insurance?idNumber=", 400, "MISSING_PARAMETER"),
        Arguments.of("/api/hrss/work-injury-insurance?idNumber=123456", 400, "INVALID_ID_NUMBER"),
        Arguments.of("/api/hrss/work-injury-insurance?idNumber=11010519491231002X", 404, "UNKNOWN_PERSON"),
        Arguments.of("/api/public-security/identity-verification?idNumber=" + known, 400, "MISSING_PARAMETER"),
        Arguments.of("/api/hrss/no-such-query?idNumber=" + known, 404, "UNKNOWN_QUERY"),
        Arguments.of("/api/no-such-department/anything?idNumber=" + known, 404, "UNKNOWN_DEPARTMENT"),
        Arguments.of("/api/bench/document", 400, "MISSING_PARAMETER"),
        Arguments.of("/_sim/people?has=hrss/nothing", 400, "UNKNOWN_QUERY"),
        Arguments.of("/_sim/people?limit=0", 400, "INVALID_PARAMETER"),
        Arguments.of("/nowhere", 404, "NOT_FOUND"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("statusTable")
  void answersWithTheStatusAndCodeTheContractNames(String uri, int status, String code) {
    HttpResponse<Buffer> response = get(uri);
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    if (code != null) {
      assertEquals(code, body.getString("code"));
      assertFalse(body.getString("message").isBlank());
    }
  }

  @Test
  void aPersonWithoutSuchARecordIsNotFound() {
    // Person 0 is born in 1935: no student status.
    Person elder = simulator.population().person(0);
    HttpResponse<Buffer> response = get("/api/education/student-status?idNumber=" + elder.idNumber());
    assertEquals(404, response.statusCode());
    assertEquals("NO_RECORD", response.bodyAsJsonObject().getString("code"));
  }

  @Test
  void identityVerificationComparesTheName() {
    JsonObject person = someoneWith("public-security/identity-verification");
    String uri = "/api/public-security/identity-verification?idNumber=" + person.getString("idNumber") + "&name=";
    JsonObject matched = get(uri + encode(person.getString("name"))).bodyAsJsonObject();
    assertEquals(true, matched.getBoolean("matched"));
    assertFalse(matched.containsKey("name"), "a verification never tells the name on file");
    assertEquals(false, get(uri + encode("无名氏")).bodyAsJsonObject().getBoolean("matched"));
  }

  @Test
  void reportingACardLostTwiceIsRefusedUntilItIsUnfrozen() {
    JsonObject id = new JsonObject().put("idNumber", someoneWith("hrss/social-security-card").getString("idNumber"));
    String card = "/api/hrss/social-security-card";
    assertEquals(200, await(client.post(card + "/report-loss").sendJsonObject(id)).statusCode());
    assertEquals("挂失", get(card + "?idNumber=" + id.getString("idNumber")).bodyAsJsonObject().getString("status"));
    HttpResponse<Buffer> again = await(client.post(card + "/report-loss").sendJsonObject(id));
    assertEquals(409, again.statusCode());
    assertEquals("REFUSED", again.bodyAsJsonObject().getString("code"));
    assertEquals(200, await(client.post(card + "/unfreeze").sendJsonObject(id)).statusCode());
    assertEquals("正常", get(card + "?idNumber=" + id.getString("idNumber")).bodyAsJsonObject().getString("status"));
    assertEquals(400, await(client.post(card + "/unfreeze").sendBuffer(Buffer.buffer("not json"))).statusCode());
  }

  @Test
  void certifyingAnElderlySubsidyReturnsAReceipt() {
    JsonObject request = new JsonObject().put("idNumber", someoneWith("civil-affairs/elderly-subsidy").getString("idNumber"))
        .put("bankCardNumber", "6222021234567890123");
    HttpResponse<Buffer> response = await(client.post("/api/civil-affairs/elderly-subsidy/certifications")
        .sendJsonObject(request));
    assertEquals(201, response.statusCode(), response.bodyAsString());
    JsonObject receipt = response.bodyAsJsonObject();
    assertTrue(receipt.getString("receiptNumber").startsWith("R"));
    assertEquals("6222***********0123", receipt.getString("bankCardNumber"));
  }

  @Test
  void benchDocumentIsAboutTenKilobytesAndDeterministic() {
    for (long id : new long[] {0, 7, Long.MAX_VALUE}) {
      HttpResponse<Buffer> response = get("/api/bench/document?id=" + id);
      assertEquals(200, response.statusCode());
      int size = response.body().length();
      assertTrue(size >= 10_000 && size <= 10_500, "size " + size);
      assertEquals(id, response.bodyAsJsonObject().getLong("id"));
      assertEquals(response.bodyAsString(), get("/api/bench/document?id=" + id).bodyAsString());
    }
  }

  @Test
  void statsCountRequestsByDepartment() {
    long before = get("/_sim/stats").bodyAsJsonObject().getJsonObject("requests").getLong("real-estate", 0L);
    get("/api/real-estate/property-transactions?idNumber=11010519491231002X");
    JsonObject stats = get("/_sim/stats").bodyAsJsonObject();
    assertEquals(before + 1, stats.getJsonObject("requests").getLong("real-estate"));
    assertTrue(stats.getLong("total") > 0);
  }

  @Test
  void peopleListedHaveTheRecord() {
    JsonArray people = get("/_sim/people?has=public-security/id-card-progress&limit=5").bodyAsJsonObject()
        .getJsonArray("people");
    assertEquals(5, people.size());
    for (int i = 0; i < people.size(); i++) {
      String id = people.getJsonObject(i).getString("idNumber");
      assertEquals(200, get("/api/public-security/id-card-progress?idNumber=" + id).statusCode());
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
