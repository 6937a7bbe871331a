package io.huitong.hub.it;

import static io.huitong.hub.it.Answers.assertProblem;
import static io.huitong.hub.it.Answers.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.connectors.simulator.DepartmentSimulator;
import io.huitong.connectors.simulator.ResidentIdNumber;
import io.huitong.connectors.simulator.SimulatorOptions;
import io.huitong.hub.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appointments end to end: an operator lays out a slot starting shortly, citizens book, look up and cancel it over
 * the hub's REST API, the hub's own sweep sends the reminder through the department simulator's SMS gateway, and
 * check-in gets a ticket from the hub's hall queue, which a window then calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppointmentsHubIT {
  private static final Duration START_LIMIT = Duration.ofMinutes(3);
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  private final Vertx vertx = Vertx.vertx();
  private DepartmentSimulator simulator;
  private int simulatorPort;
  private HubProcess hub;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    simulator = DepartmentSimulator.create(vertx, SimulatorOptions.forTests().withPeople(100));
    simulatorPort = simulator.start().await().atMost(Duration.ofSeconds(30));
    hub = HubProcess.embedded(dir.resolve("hub"), "appointments-it");
    hub.env.put("HUB_APPOINTMENTS_SMS_BASE_URL", "http://127.0.0.1:" + simulatorPort);
    // A reminder a minute ahead, looked for every second, so the test sees one go out.
    hub.env.put("HUB_APPOINTMENTS_REMINDERS_LEADS", "24h,1m");
    hub.env.put("HUB_APPOINTMENTS_REMINDERS_SWEEP_INTERVAL", "1s");
    hub.start().awaitReady(START_LIMIT);
  }

  @AfterAll
  void stop() throws Exception {
    if (hub != null) {
      hub.close();
    }
    if (simulator != null) {
      simulator.close().await().atMost(Duration.ofSeconds(30));
    }
    vertx.closeAndAwait();
  }

  @Test
  void bookRemindCancelAndCheckIn() throws Exception {
    QueueSetup.hall(hub, 1);
    // A one-minute slot starting 2 minutes from now, in the hall's zone: bookings made within the first minute get
    // the one-minute reminder.
    LocalDateTime start = LocalDateTime.ofInstant(Instant.now().plusSeconds(120).truncatedTo(ChronoUnit.SECONDS), ZONE);
    JsonObject plan = new JsonObject().put("hall", QueueSetup.HALL).put("queue", QueueSetup.QUEUE)
        .put("dates", new JsonArray().add(start.toLocalDate().toString()))
        .put("periods", new JsonArray().add(new JsonObject().put("from", start.toLocalTime().toString())
            .put("to", start.toLocalTime().plusMinutes(1).toString()).put("slotMinutes", 1).put("capacity", 2)));
    assertEquals(401, hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/admin/appointments/plans"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(plan.encode()))).statusCode());
    JsonObject slot = hub.adminJson("POST", "/appointments/plans", plan).getJsonArray("slots").getJsonObject(0);
    assertEquals(2, slot.getInteger("available"));

    String alice = ResidentIdNumber.complete("11010519850101001");
    String bob = ResidentIdNumber.complete("11010519850101002");
    JsonObject elsewhere = hub.adminJson("POST", "/appointments/plans", plan.copy().put("hall", "no-such-hall"))
        .getJsonArray("slots").getJsonObject(0);
    JsonObject carols = json(hub.post("/api/v1/appointments", booking(elsewhere, bob, "13900003004", "kiosk")), 201);
    JsonObject booked = json(hub.post("/api/v1/appointments", booking(slot, alice, "13900003001", "portal")), 201);
    assertEquals("BOOKED", booked.getString("state"));
    assertEquals("139****3001", booked.getString("maskedPhone"));
    assertProblem(hub.post("/api/v1/appointments", booking(slot, alice, "13900003001", "kiosk")), 409, "HT-APPOINTMENT-EXISTS");
    JsonObject bobs = json(hub.post("/api/v1/appointments", booking(slot, bob, "13900003002", "kiosk")), 201);
    assertProblem(hub.post("/api/v1/appointments", booking(slot, ResidentIdNumber.complete("11010519850101003"), "13900003003",
        "portal")), 409, "HT-SLOT-FULL");
    JsonObject day = json(hub.get("/api/v1/appointments/slots?hall=" + QueueSetup.HALL + "&queue=" + QueueSetup.QUEUE + "&date=" + start.toLocalDate()), 200);
    assertEquals(0, day.getJsonArray("slots").getJsonObject(0).getInteger("available"));

    json(hub.post("/api/v1/appointments/" + bobs.getString("id") + "/cancel", new JsonObject().put("idNumber", bob)), 200);
    assertProblem(hub.post("/api/v1/appointments/" + bobs.getString("id") + "/cancel", new JsonObject().put("idNumber", bob)),
        409, "HT-APPOINTMENT-CANCELLED");
    assertProblem(hub.post("/api/v1/appointments/" + booked.getString("id") + "/cancel", new JsonObject().put("idNumber", bob)),
        404, "HT-APPOINTMENT-NOT-FOUND");

    // The one-minute reminder: Alice's, not Bob's, who cancelled.
    Eventually.holds("the reminder reached the SMS gateway", Duration.ofMinutes(2), () -> texts("13900003001").size() == 1);
    assertTrue(texts("13900003001").getString(0).contains(QueueSetup.QUEUE), texts("13900003001").encode());
    assertEquals(0, texts("13900003002").size(), "no reminder for a cancelled appointment");

    JsonObject checkedIn = json(hub.post("/api/v1/appointments/" + booked.getString("id") + "/check-in",
        new JsonObject().put("idNumber", alice)), 200);
    assertEquals("CHECKED_IN", checkedIn.getString("state"));
    JsonObject ticket = checkedIn.getJsonObject("ticket");
    assertEquals("appointment", ticket.getString("kind"));
    assertEquals(QueueSetup.QUEUE, ticket.getString("queue"));
    assertEquals(booked.getString("id"), ticket.getString("appointmentId"));
    assertProblem(hub.post("/api/v1/appointments/" + booked.getString("id") + "/check-in", new JsonObject().put("idNumber", alice)),
        409, "HT-APPOINTMENT-CHECKED-IN");
    JsonArray mine = json(hub.post("/api/v1/appointments/lookup", new JsonObject().put("idNumber", alice)), 200)
        .getJsonArray("appointments");
    assertEquals(ticket.getString("number"), mine.getJsonObject(0).getJsonObject("ticket").getString("number"));
    JsonObject called = json(QueueSetup.callNext(hub, 1), 200);
    assertEquals(ticket.getString("id"), called.getString("id"), called.encode());

    // A hall the queue does not know refuses the ticket: the appointment stays booked.
    assertProblem(hub.post("/api/v1/appointments/" + carols.getString("id") + "/check-in", new JsonObject().put("idNumber", bob)),
        409, "HT-CHECK-IN-REFUSED");

    assertEquals(1, texts("13900003001").size());
    try (Connection c = hub.database(); Statement s = c.createStatement();
         ResultSet rows = s.executeQuery("SELECT count(*) FROM appointments.appointment a WHERE a::text LIKE '%"
             + alice.substring(6, 14) + "%' OR a::text LIKE '%13900003001%'")) {
      rows.next();
      assertEquals(0, rows.getLong(1), "ID numbers and phones are stored sealed");
    }
    JsonArray audit = hub.adminJson("GET", "/audit?limit=200", null).getJsonArray("entries");
    assertTrue(audit.stream().map(JsonObject.class::cast).anyMatch(e -> "appointments.book".equals(e.getString("action"))
        && booked.getString("id").equals(e.getString("target"))), audit.encode());
  }

  private static JsonObject booking(JsonObject slot, String idNumber, String phone, String channel) {
    return new JsonObject().put("slotId", slot.getString("id")).put("idNumber", idNumber).put("name", "王五")
        .put("phone", phone).put("channel", channel);
  }

  private JsonArray texts(String phone) throws Exception {
    HttpResponse<String> answer = HubProcess.HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + simulatorPort + "/_sim/sms?phone=" + phone)).build(), HttpResponse.BodyHandlers.ofString());
    return new JsonArray(new JsonObject(answer.body()).getJsonArray("messages").stream()
        .map(m -> ((JsonObject) m).getString("text")).toList());
  }
}
