package io.huitong.connectors.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest extends SimulatorTestBase {
  private String workInjury;

  @BeforeEach
  void pickPerson() {
    workInjury = "/api/hrss/work-injury-insurance?idNumber=" + someoneWith("hrss/work-injury-insurance").getString("idNumber");
  }

  @AfterEach
  void clearFaults() {
    assertEquals(204, await(client.delete("/_sim/faults").send()).statusCode());
  }

  private static HttpResponse<Buffer> putFault(JsonObject fault) {
    return await(client.put("/_sim/faults").sendJsonObject(fault));
  }

  @Test
  void latencyDelaysTheDepartmentsAnswers() {
    assertEquals(200, putFault(new JsonObject().put("department", "hrss").put("latencyMs", 300)).statusCode());
    long start = System.nanoTime();
    assertEquals(200, get(workInjury).statusCode());
    assertTrue((System.nanoTime() - start) / 1_000_000 >= 300, "answered before the injected latency");
  }

  @Test
  void errorRateOneFailsEveryRequestWithTheStatusAsked() {
    putFault(new JsonObject().put("department", "hrss").put("errorRate", 1.0).put("errorStatus", 502));
    HttpResponse<Buffer> response = get(workInjury);
    assertEquals(502, response.statusCode());
    assertEquals("INJECTED_FAULT", response.bodyAsJsonObject().getString("code"));
    assertEquals(200, get("/api/bench/document?id=1").statusCode(), "another department is untouched");
  }

  @Test
  void aPartialErrorRateFailsTheSameRequestsAfterEverySetting() {
    JsonObject half = new JsonObject().put("department", "*").put("errorRate", 0.5);
    putFault(half);
    List<Integer> first = statuses(40);
    putFault(half);
    assertEquals(first, statuses(40), "the seeded draws restart with the setting");
    assertTrue(first.contains(200) && first.contains(503), first.toString());
  }

  private List<Integer> statuses(int n) {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      statuses.add(get(workInjury).statusCode());
    }
    return statuses;
  }

  @Test
  void aDepartmentDownClosesTheConnectionWithoutAnswer() {
    putFault(new JsonObject().put("department", "hrss").put("down", true));
    assertThrows(RuntimeException.class, () -> get(workInjury));
    assertEquals(200, get("/_sim/health").statusCode(), "the control API stays up");
    JsonObject stats = get("/_sim/stats").bodyAsJsonObject().getJsonObject("faults");
    assertTrue(stats.getLong("connectionsClosed") >= 1);
  }

  @Test
  void aDepartmentsOwnSettingsOverrideTheWildcard() {
    putFault(new JsonObject().put("department", "*").put("errorRate", 1.0));
    putFault(new JsonObject().put("department", "hrss").put("latencyMs", 0));
    assertEquals(200, get(workInjury).statusCode());
    assertEquals(503, get("/api/bench/document?id=1").statusCode());
    assertEquals(2, get("/_sim/faults").bodyAsJsonObject().getJsonArray("faults").size());
  }

  @Test
  void invalidSettingsAreRefusedWithTheFieldNamed() {
    for (JsonObject bad : List.of(new JsonObject().put("department", "hrss").put("errorRate", 2),
        new JsonObject().put("department", "nowhere"), new JsonObject().put("latencyMs", 5),
        new JsonObject().put("department", "hrss").put("latency", 5),
        new JsonObject().put("department", "hrss").put("errorStatus", 200),
        new JsonObject().put("department", "hrss").put("down", "yes"))) {
      HttpResponse<Buffer> response = putFault(bad);
      assertEquals(400, response.statusCode(), bad.encode());
      assertEquals("INVALID_FAULT", response.bodyAsJsonObject().getString("code"));
    }
    assertEquals(400, await(client.put("/_sim/faults").sendBuffer(Buffer.buffer("{"))).statusCode());
  }
}
