package io.huitong.hub.it;

import static io.huitong.hub.it.Jdbc.execute;
import static io.huitong.hub.it.Jdbc.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.huitong.hub.Eventually;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dispatch to a department over the exchange bus: the hub hosts its own node {@code hub-cases} and, playing the land
 * department's front-exchange node, {@code dept-zrzy}. Accepting a promised case sends a signed CASE_DISPATCH
 * envelope through Kafka to the department's table; rows the department writes to its status table travel back as
 * CASE_STATUS envelopes and move the case. A department that never answers is LAGGING, one that refuses REFUSED.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaseDispatchIT {
  private static final Duration LIMIT = Duration.ofMinutes(3);

  private HubProcess hub;
  private String token;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("hub"));
    Files.writeString(dir.resolve("hub").resolve("exchange.yaml"), """
        routes:
          - id: cases-to-departments
            senders: [hub-cases]
            types: [CASE_DISPATCH]
            when: {field: department, in: [ZRZYJ, JTJ]}
            receivers: [dept-zrzy]
          - id: department-status-to-cases
            senders: [dept-zrzy]
            types: [CASE_STATUS]
            receivers: [hub-cases]
        table-sources:
          - node: dept-zrzy
            table: public.zrzy_status
            issue-column: case_number
            type: CASE_STATUS
            schema: case-status
        table-sinks:
          - node: dept-zrzy
            type: CASE_DISPATCH
            senders: [hub-cases]
            table: public.zrzy_inbox
            key-columns: [case_number]
            columns: {case_number: caseNumber, department: department, item_name: itemName, promised_due_at: promisedDueAt}
          - node: hub-cases
            type: CASE_STATUS
            senders: [dept-zrzy]
            table: cases.department_status
            key-columns: [id]
            columns: {id: id, case_number: case_number, action: action, at: at, actor: actor, detail: detail}
        """);
    hub = HubProcess.embedded(dir.resolve("hub"), "case-dispatch-it");
    hub.env.put("HUB_EXCHANGE_NODES", "hub-cases,dept-zrzy");
    hub.env.put("HUB_EXCHANGE_DEFINITIONS", "exchange.yaml");
    hub.env.put("HUB_CASES_DISPATCH_NODE", "hub-cases");
    hub.env.put("HUB_CASES_DISPATCH_LAG", "10s");
    hub.env.put("HUB_CASES_SUPERVISION_SWEEP_INTERVAL", "1s");
    hub.env.put("HUB_CASES_DEFAULT_REGION", "370800000000");
    hub.start().awaitReady(LIMIT);
    token = hub.token();
    try (Connection c = hub.database()) {
      execute(c, "CREATE TABLE public.zrzy_inbox (case_number text PRIMARY KEY, department text, item_name text,"
          + " promised_due_at timestamptz)");
      execute(c, "CREATE TABLE public.zrzy_status (id text PRIMARY KEY, case_number text NOT NULL, action text NOT NULL,"
          + " at timestamptz, actor text, detail jsonb)");
    }
    Eventually.holds("the table adapters are ready", LIMIT, () -> {
      JsonObject stats = hub.adminJson("GET", "/exchange/stats", null);
      return stats.getJsonArray("tableSources").stream().allMatch(s -> ((JsonObject) s).getBoolean("ready"))
          && stats.getJsonArray("tableSinks").stream().allMatch(s -> ((JsonObject) s).getBoolean("ready"));
    });
  }

  @AfterAll
  void stop() throws Exception {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void aDepartmentsStatusMessagesOverTheExchangeBusMoveTheCase() throws Exception {
    String number = acceptedCase("ZRZYJ");
    assertEquals("DISPATCHED", get(number).getString("dispatch"));
    Eventually.holds("the case reached the department's table", LIMIT, () -> query(
        "SELECT count(*) FROM public.zrzy_inbox WHERE case_number = '" + number + "' AND department = 'ZRZYJ'").equals("1"));

    status("S-1", number, "STEP", "{\"stepCode\": \"SC\", \"stepName\": \"审查\", \"opinion\": \"材料齐全\"}");
    Eventually.holds("the department's step moved the case", LIMIT, () -> "IN_PROCESS".equals(get(number).getString("state")));
    JsonObject moved = get(number);
    assertEquals("ACKNOWLEDGED", moved.getString("dispatch"));
    JsonObject step = moved.getJsonArray("events").getJsonObject(2);
    assertEquals("STEP", step.getString("action"));
    assertEquals("zrzy-clerk", step.getString("actor"));
    assertEquals("审查", step.getJsonObject("detail").getString("stepName"));

    status("S-2", number, "CLOSE", "{\"resultCode\": \"6\"}");
    Eventually.holds("the department's decision closed the case", LIMIT, () -> "CLOSED".equals(get(number).getString("state")));

    // A move the state machine refuses changes nothing and is kept with its code.
    status("S-3", number, "SUSPEND", "{\"type\": \"听证\"}");
    Eventually.holds("the refused status is recorded", LIMIT, () -> "1".equals(query(
        "SELECT count(*) FROM cases.department_status WHERE id = 'S-3' AND outcome = 'HT-CASE-TRANSITION'")));
    assertEquals("CLOSED", get(number).getString("state"));
    assertEquals("ok", query("SELECT outcome FROM cases.department_status WHERE id = 'S-1'"));
  }

  @Test
  void aDepartmentThatLagsOrRefusesShowsInSupervision() throws Exception {
    String silent = acceptedCase("JTJ");
    String refused = acceptedCase("ZRZYJ");
    status("R-1", refused, "REFUSE", "{\"reason\": \"不属于本部门职责\"}");
    Eventually.holds("the refusal shows", LIMIT, () -> "REFUSED".equals(get(refused).getString("dispatch")));
    Eventually.holds("the silent department lags", LIMIT, () -> "LAGGING".equals(get(silent).getString("dispatch")));
  }

  private String acceptedCase(String department) throws Exception {
    JsonObject created = post("/api/v1/cases", new JsonObject().put("itemCode", "ITEM-" + department)
        .put("itemName", "建设用地规划许可").put("department", department).put("kind", "PROMISED").put("promiseDays", 10));
    String number = created.getString("caseNumber");
    post("/api/v1/cases/" + number + "/transitions", new JsonObject().put("action", "ACCEPT").put("actor", "window-03"));
    return number;
  }

  /** The department writes a status row; its table source sends it to the hub. */
  private void status(String id, String caseNumber, String action, String detail) throws Exception {
    try (Connection c = hub.database()) {
      execute(c, "INSERT INTO public.zrzy_status VALUES ('" + id + "', '" + caseNumber + "', '" + action + "', now(),"
          + " 'zrzy-clerk', '" + detail + "'::jsonb)");
    }
  }

  private String query(String sql) throws Exception {
    try (Connection c = hub.database()) {
      return row(c, sql);
    }
  }

  private JsonObject get(String number) throws Exception {
    HttpResponse<String> response = hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/cases/" + number))
        .header("Authorization", "Bearer " + token));
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private JsonObject post(String path, JsonObject body) throws Exception {
    HttpResponse<String> response = hub.send(HttpRequest.newBuilder(hub.uri(path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    if (response.statusCode() / 100 != 2) {
      throw new AssertionError("POST " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return new JsonObject(response.body());
  }
}
