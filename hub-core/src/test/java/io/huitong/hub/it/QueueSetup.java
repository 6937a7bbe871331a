package io.huitong.hub.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A hall set up and driven over a hub's queue API, as ticket machines and window terminals would. */
final class QueueSetup {
  static final String HALL = "main-hall";
  static final String QUEUE = "social-insurance";

  private QueueSetup() {
  }

  /** Hall {@link #HALL} with queue {@link #QUEUE} (prefix A) and windows 1 to {@code windows}, all idle. */
  static void hall(HubProcess hub, int windows) throws Exception {
    hub.adminJson("POST", "/queue/halls", new JsonObject().put("id", HALL).put("name", "Service hall"));
    hub.adminJson("POST", "/queue/halls/" + HALL + "/queues", new JsonObject().put("id", QUEUE).put("prefix", "A")
        .put("name", "Social insurance"));
    for (int w = 1; w <= windows; w++) {
      hub.adminJson("POST", "/queue/halls/" + HALL + "/windows", new JsonObject().put("id", window(w)).put("number", w)
          .put("name", "Window " + w).put("queues", new JsonArray().add(QUEUE)));
      HttpResponse<String> idle = post(hub, "/windows/" + window(w) + "/state", new JsonObject().put("state", "idle"), true);
      if (idle.statusCode() != 200) {
        throw new AssertionError("window " + w + " not idle: " + idle.body());
      }
    }
  }

  static String window(int number) {
    return "w" + number;
  }

  /** A POST under /api/v1/queue/halls/{hall}, with the operator token when {@code operator}. */
  static HttpResponse<String> post(HubProcess hub, String path, JsonObject body, boolean operator)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(hub.uri("/api/v1/queue/halls/" + HALL + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (operator) {
      request.header("Authorization", "Bearer " + hub.token());
    }
    return hub.send(request);
  }

  static HttpResponse<String> take(HubProcess hub, String phone) throws IOException, InterruptedException {
    return post(hub, "/tickets", new JsonObject().put("queue", QUEUE).put("phone", phone).put("by", "ticket-machine"), false);
  }

  static HttpResponse<String> callNext(HubProcess hub, int window) throws IOException, InterruptedException {
    return post(hub, "/windows/" + window(window) + "/call-next", new JsonObject(), true);
  }

  static HttpResponse<String> finish(HubProcess hub, String ticket) throws IOException, InterruptedException {
    return post(hub, "/tickets/" + ticket + "/finish", new JsonObject(), true);
  }

  /** The hall's whole journal, read page by page over the API. */
  static List<JsonObject> events(HubProcess hub) throws Exception {
    List<JsonObject> events = new ArrayList<>();
    while (true) {
      HttpResponse<String> page = hub.get("/api/v1/queue/halls/" + HALL + "/events?after=" + events.size() + "&limit=1000");
      if (page.statusCode() != 200) {
        throw new AssertionError("events answered " + page.statusCode() + ": " + page.body());
      }
      JsonArray batch = new JsonObject(page.body()).getJsonArray("events");
      if (batch.isEmpty()) {
        return events;
      }
      batch.forEach(e -> events.add((JsonObject) e));
    }
  }

  /** Every event's seq is its place in the journal, from 1: no gap, no repeat. */
  static void assertGapless(List<JsonObject> events, long latest) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).getLong("seq") != i + 1) {
        throw new AssertionError("event " + i + " has seq " + events.get(i).getLong("seq"));
      }
    }
    if (events.size() != latest) {
      throw new AssertionError(events.size() + " events, but the hall's seq is " + latest);
    }
  }

  /** The rows of {@code sql}, each row's columns joined by '|'. */
  static List<String> rows(Connection c, String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        StringBuilder row = new StringBuilder(String.valueOf(rs.getObject(1)));
        for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
          row.append('|').append(rs.getObject(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
