package io.huitong.hub.it;

import static io.huitong.hub.it.Answers.assertProblem;
import static io.huitong.hub.it.Answers.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluation end to end over a hub's REST API: a window system invites a case's rating, the citizen replies by SMS
 * (as the gateway's webhook delivers it), another case is rated on the portal, the bad rating's rectification task
 * is handled and closed by operators, and the statistics count it all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluationHubIT {
  private static final Duration START_LIMIT = Duration.ofMinutes(3);

  private HubProcess hub;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    hub = HubProcess.embedded(dir.resolve("hub"), "evaluation-it");
    hub.env.put("HUB_EVALUATION_RECTIFICATION_DEADLINE", "3d");
    hub.start().awaitReady(START_LIMIT);
  }

  @AfterAll
  void stop() throws Exception {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void rateBySmsAndPortalThenRectify() throws Exception {
    hub.adminJson("POST", "/evaluations/invitations", new JsonObject().put("caseNumber", "C-2026-0001").put("hall", "hall-1")
        .put("window", "w-08").put("staff", "zhang").put("department", "hrss").put("phone", "13900004001")
        .put("operator", "window-system"));
    JsonObject sms = json(hub.post("/api/v1/evaluations/sms", new JsonObject().put("phone", "13900004001").put("text", "1 等了两个小时")), 201);
    assertEquals("C-2026-0001", sms.getString("caseNumber"));
    assertEquals("SMS", sms.getString("channel"));
    assertEquals("w-08", sms.getString("window"));
    String task = sms.getString("rectificationId");
    assertNotNull(task);
    assertProblem(hub.post("/api/v1/evaluations/sms", new JsonObject().put("phone", "13900004001").put("text", "5")), 404,
        "HT-INVITATION-NOT-FOUND");

    JsonObject portal = json(hub.post("/api/v1/evaluations", new JsonObject().put("caseNumber", "C-2026-0002").put("rating", 5)
        .put("comment", "很快").put("window", "w-08").put("staff", "zhang").put("department", "hrss")), 201);
    assertEquals("PORTAL", portal.getString("channel"));
    assertNull(portal.getString("rectificationId"));
    assertProblem(hub.post("/api/v1/evaluations", new JsonObject().put("caseNumber", "C-2026-0002").put("rating", 1)
        .put("window", "w-08").put("staff", "zhang").put("department", "hrss")), 409, "HT-EVALUATION-EXISTS");
    assertProblem(hub.post("/api/v1/evaluations", new JsonObject().put("caseNumber", "C-2026-0003").put("rating", 9)
        .put("window", "w-08").put("staff", "zhang").put("department", "hrss")), 422, "HT-EVALUATION-INVALID");

    JsonArray open = hub.adminJson("GET", "/evaluations/rectifications?state=open", null).getJsonArray("rectifications");
    assertEquals(1, open.size());
    assertEquals(task, open.getJsonObject(0).getString("id"));
    assertEquals(false, open.getJsonObject(0).getBoolean("overdue"));
    assertProblem(hub.admin("POST", "/evaluations/rectifications/" + task + "/close",
        new JsonObject().put("note", "ok").put("operator", "li")), 409, "HT-RECTIFICATION-STATE");
    JsonObject handled = hub.adminJson("POST", "/evaluations/rectifications/" + task + "/handle",
        new JsonObject().put("note", "已回访并道歉，调整窗口排班").put("operator", "li"));
    assertEquals("HANDLED", handled.getString("state"));
    assertEquals("operator:li", handled.getString("handledBy"));
    JsonObject closed = hub.adminJson("POST", "/evaluations/rectifications/" + task + "/close",
        new JsonObject().put("note", "整改到位").put("operator", "wang"));
    assertEquals("CLOSED", closed.getString("state"));

    JsonObject stats = hub.adminJson("GET", "/evaluations/statistics?by=staff", null);
    JsonObject zhang = stats.getJsonArray("statistics").getJsonObject(0);
    assertEquals("zhang", zhang.getString("key"));
    assertEquals(2, zhang.getInteger("total"));
    assertEquals(1, zhang.getJsonObject("ratings").getInteger("1"));
    assertEquals(1, zhang.getJsonObject("ratings").getInteger("5"));
    assertEquals(0.5, zhang.getDouble("satisfactionRate"));
  }
}
