package io.huitong.hub.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.huitong.config.Secret;
import io.huitong.hub.Eventually;
import io.huitong.hub.http.ApiRouter;
import io.huitong.hub.http.Drain;
import io.huitong.hub.http.Problems;
import io.huitong.hub.ops.AdminRoutes;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.ops.OperatorAuth;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.storage.Migrations;
import io.huitong.hub.storage.ScratchDatabase;
import io.huitong.hub.storage.Storage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The queue API's status codes, one row per case, over a real HTTP server and the machine's PostgreSQL (a fresh
 * database for the class). The rows run in order against one hall, as a hall's day would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueueRoutesIT {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final String TOKEN = "q".repeat(32);
  private static final String HALL = "/api/v1/queue/halls/h1";
  private static final String ADMIN = "/api/v1/admin/queue/halls";

  private final Vertx vertx = Vertx.vertx();
  private final Storage storage = new Storage();
  private final HttpClient http = HttpClient.newHttpClient();
  private ScratchDatabase database;
  private QueueService queues;
  private HttpServer server;

  @BeforeAll
  void start() throws Exception {
    database = ScratchDatabase.create("queue_routes", "queue");
    Migrations.migrate(database.location(), "ops");
    storage.open(vertx, database.location(), 4);
    queues = QueueService.start(vertx, storage, MasterKey.of(new byte[16]), new QueueConfig(Duration.ofMinutes(30), 20,
        Duration.ofMinutes(5), Duration.ofMinutes(2), ZoneId.of("Asia/Shanghai"))).await().atMost(LIMIT);
    Problems problems = new Problems(new SimpleMeterRegistry());
    QueueRoutes routes = new QueueRoutes(() -> queues, AuditLog.create(storage, "queue-routes-it"),
        Secret.of(TOKEN), 64 * 1024);
    server = vertx.createHttpServer().requestHandler(ApiRouter.create(vertx, problems, new Drain(problems), List.of(
            r -> r.route(AdminRoutes.PREFIX + "/*").handler(new OperatorAuth(Secret.of(TOKEN))), routes::mount)))
        .listenAndAwait(0, "127.0.0.1");
  }

  @AfterAll
  void stop() throws Exception {
    queues.close().await().atMost(LIMIT);
    storage.close().await().atMost(LIMIT);
    vertx.closeAndAwait();
    database.close();
  }

  private record Row(String method, String path, String body, boolean operator, int status, String code) {
  }

  @Test
  void eachCaseAnswersItsStatusAndCode() throws Exception {
    List<Row> rows = List.of(
        new Row("POST", ADMIN, "{\"id\":\"h1\",\"name\":\"Hall\"}", false, 401, "HT-UNAUTHORIZED"),
        new Row("POST", ADMIN, "{\"id\":\"h1\",\"name\":\"Hall\"}", true, 201, null),
        new Row("POST", ADMIN, "{\"id\":\"h1\",\"name\":\"Again\"}", true, 409, "HT-QUEUE-EXISTS"),
        new Row("POST", ADMIN, "{\"id\":\"bad id\",\"name\":\"Hall\"}", true, 422, "HT-QUEUE-INPUT-INVALID"),
        new Row("POST", ADMIN + "/h1/queues", "{\"id\":\"qa\",\"prefix\":\"A\",\"name\":\"Social\"}", true, 201, null),
        new Row("POST", ADMIN + "/h1/queues", "{\"id\":\"qb\",\"prefix\":\"B\",\"name\":\"Housing\"}", true, 201, null),
        new Row("POST", ADMIN + "/h1/queues", "{\"id\":\"qc\",\"prefix\":\"a1\",\"name\":\"Bad prefix\"}", true, 422, "HT-QUEUE-INPUT-INVALID"),
        new Row("POST", ADMIN + "/h9/queues", "{\"id\":\"qz\",\"prefix\":\"Z\",\"name\":\"No hall\"}", true, 404, "HT-QUEUE-HALL-NOT-FOUND"),
        new Row("POST", ADMIN + "/h1/windows", "{\"id\":\"w1\",\"number\":1,\"name\":\"One\",\"queues\":[\"qa\",\"nope\"]}", true, 404, "HT-QUEUE-QUEUE-NOT-FOUND"),
        new Row("POST", ADMIN + "/h1/windows", "{\"id\":\"w1\",\"number\":\"one\",\"name\":\"One\",\"queues\":[\"qa\"]}", true, 422, "HT-QUEUE-INPUT-INVALID"),
        new Row("POST", ADMIN + "/h1/windows", "{\"id\":\"w1\",\"number\":1,\"name\":\"One\",\"queues\":[\"qa\"]}", true, 201, null),
        new Row("POST", ADMIN + "/h1/windows", "{\"id\":\"w2\",\"number\":1,\"name\":\"Same number\",\"queues\":[\"qa\"]}", true, 409, "HT-QUEUE-EXISTS"),
        new Row("PUT", ADMIN + "/h1/windows/w1/queues", "{\"queues\":[\"qa\",\"qb\"]}", true, 200, null),
        new Row("PUT", ADMIN + "/h1/windows/w9/queues", "{\"queues\":[\"qa\"]}", true, 404, "HT-QUEUE-WINDOW-NOT-FOUND"),
        new Row("GET", ADMIN, null, true, 200, null),

        new Row("POST", HALL + "/tickets", "{\"queue\":\"qa\",\"phone\":\"13912345678\",\"by\":\"m1\"}", false, 201, null),
        new Row("POST", HALL + "/tickets", "{\"queue\":\"qa\",\"phone\":\"12345\",\"by\":\"m1\"}", false, 422, "HT-QUEUE-INPUT-INVALID"),
        new Row("POST", HALL + "/tickets", "{\"queue\":\"qa\",\"idNumber\":\"110105194912310021\",\"by\":\"m1\"}", false, 422, "HT-QUEUE-INPUT-INVALID"),
        new Row("POST", HALL + "/tickets", "{\"queue\":\"qa\",\"by\":\"m1\"}", false, 422, "HT-QUEUE-INPUT-INVALID"),
        new Row("POST", HALL + "/tickets", "{\"queue\":\"qa\",\"phone\":\"13912345678\",\"kind\":\"gold\",\"by\":\"m1\"}", false, 422, "HT-QUEUE-INPUT-INVALID"),
        new Row("POST", HALL + "/tickets", "[1,2]", false, 422, "HT-QUEUE-INPUT-INVALID"),
        new Row("POST", HALL + "/tickets", "{\"queue\":\"qx\",\"phone\":\"13912345678\",\"by\":\"m1\"}", false, 404, "HT-QUEUE-QUEUE-NOT-FOUND"),
        new Row("POST", "/api/v1/queue/halls/h9/tickets", "{\"queue\":\"qa\",\"phone\":\"13912345678\",\"by\":\"m1\"}", false, 404, "HT-QUEUE-HALL-NOT-FOUND"),
        new Row("POST", HALL + "/windows/w1/call-next", "", false, 401, "HT-UNAUTHORIZED"),
        new Row("POST", HALL + "/windows/w1/call-next", "", true, 409, "HT-QUEUE-STATE"),
        new Row("POST", HALL + "/windows/w1/state", "{\"state\":\"serving\"}", true, 422, "HT-QUEUE-INPUT-INVALID"),
        new Row("POST", HALL + "/windows/w9/state", "{\"state\":\"idle\"}", true, 404, "HT-QUEUE-WINDOW-NOT-FOUND"),
        new Row("POST", HALL + "/windows/w1/state", "{\"state\":\"idle\"}", true, 200, null),
        new Row("POST", HALL + "/windows/w1/call-next", "", true, 200, null),
        new Row("POST", HALL + "/windows/w1/call-next", "", true, 409, "HT-QUEUE-STATE"),
        new Row("POST", HALL + "/tickets/not-a-uuid/skip", "", true, 422, "HT-QUEUE-INPUT-INVALID"),
        new Row("POST", HALL + "/tickets/00000000-0000-0000-0000-000000000000/skip", "", true, 404, "HT-QUEUE-TICKET-NOT-FOUND"),
        new Row("POST", HALL + "/tickets/00000000-0000-0000-0000-000000000000/recheck-in", "", false, 404, "HT-QUEUE-TICKET-NOT-FOUND"),
        new Row("POST", HALL + "/recheck-in", "{\"phone\":\"13912345678\"}", false, 404, "HT-QUEUE-TICKET-NOT-FOUND"),
        new Row("POST", HALL + "/recheck-in", "{}", false, 422, "HT-QUEUE-INPUT-INVALID"),
        new Row("GET", HALL + "/events?limit=1001", null, false, 400, "HT-BAD-REQUEST"),
        new Row("GET", HALL + "/events?after=2&limit=3", null, false, 200, null),
        new Row("GET", "/api/v1/queue/halls/h9/snapshot", null, false, 404, "HT-QUEUE-HALL-NOT-FOUND"),
        new Row("GET", HALL + "/snapshot", null, false, 200, null));
    check(rows);
  }

  @Test
  void windowActionsOnTheCalledTicketFollowItsStates() throws Exception {
    send(new Row("POST", ADMIN, "{\"id\":\"h2\",\"name\":\"Hall 2\"}", true, 201, null));
    send(new Row("POST", ADMIN + "/h2/queues", "{\"id\":\"h2-qa\",\"prefix\":\"A\",\"name\":\"A\"}", true, 201, null));
    send(new Row("POST", ADMIN + "/h2/queues", "{\"id\":\"h2-qb\",\"prefix\":\"B\",\"name\":\"B\"}", true, 201, null));
    send(new Row("POST", ADMIN + "/h2/windows", "{\"id\":\"h2-w1\",\"number\":1,\"name\":\"One\",\"queues\":[\"h2-qa\"]}", true, 201, null));
    String hall = "/api/v1/queue/halls/h2";
    send(new Row("POST", hall + "/windows/h2-w1/state", "{\"state\":\"idle\"}", true, 200, null));
    String ticket = new JsonObject(send(new Row("POST", hall + "/tickets",
        "{\"queue\":\"h2-qa\",\"appointmentId\":\"APT-1\",\"by\":\"appointments\"}", false, 201, null)).body()).getString("id");
    String path = hall + "/tickets/" + ticket;
    List<Row> rows = List.of(
        new Row("POST", path + "/hold", "", true, 409, "HT-QUEUE-STATE"),
        new Row("POST", hall + "/windows/h2-w1/call-next", "", true, 200, null),
        new Row("POST", path + "/recall", "", true, 200, null),
        new Row("POST", path + "/recall", "{\"window\":\"h2-w9\"}", true, 409, "HT-QUEUE-STATE"),
        new Row("POST", path + "/recheck-in", "", false, 409, "HT-QUEUE-STATE"),
        new Row("POST", path + "/skip", "", true, 200, null),
        new Row("POST", path + "/recheck-in", "", false, 200, null),
        new Row("POST", path + "/transfer", "{\"queue\":\"h2-qb\",\"position\":\"middle\"}", true, 422, "HT-QUEUE-INPUT-INVALID"),
        new Row("POST", path + "/transfer", "{\"position\":\"front\"}", true, 422, "HT-QUEUE-INPUT-INVALID"),
        new Row("POST", path + "/transfer", "{\"queue\":\"h2-qb\",\"position\":\"front\"}", true, 200, null),
        new Row("POST", path + "/transfer", "{\"queue\":\"h2-qa\"}", true, 200, null),
        new Row("POST", hall + "/windows/h2-w1/call-next", "", true, 200, null),
        new Row("POST", hall + "/windows/h2-w1/state", "{\"state\":\"paused\"}", true, 409, "HT-QUEUE-STATE"),
        new Row("POST", path + "/hold", "", true, 200, null),
        new Row("POST", path + "/recall", "", true, 422, "HT-QUEUE-INPUT-INVALID"),
        new Row("POST", path + "/finish", "", true, 200, null),
        new Row("POST", path + "/finish", "", true, 409, "HT-QUEUE-STATE"),
        new Row("POST", path + "/skip", "", true, 409, "HT-QUEUE-STATE"),
        new Row("POST", hall + "/windows/h2-w1/state", "{\"state\":\"paused\"}", true, 200, null));
    check(rows);
    // Window actions are audited with their outcome; the ticket machine's take is not an operator's action.
    Eventually.holds("both finishes audited", LIMIT, () -> audited(ticket, "queue.finish") >= 2);
    assertEquals(2, audited(ticket, "queue.finish"), "one finish that worked, one refused");
    assertEquals(2, audited(ticket, "queue.skip"));
    assertEquals(0, audited(ticket, "queue.take-ticket"));
  }

  private long audited(String target, String action) throws Exception {
    try (var c = database.connect(); var s = c.createStatement();
         var rows = s.executeQuery("SELECT count(*) FROM ops.audit_log WHERE target = '" + target + "' AND action = '"
             + action + "' AND actor = 'operator'")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Sends the rows in order; each must answer its status and, for a problem, its code. */
  private void check(List<Row> rows) throws Exception {
    for (Row row : rows) {
      HttpResponse<String> response = send(row);
      String what = row.method() + " " + row.path() + " " + row.body() + " answered " + response.body();
      assertEquals(row.status(), response.statusCode(), what);
      if (row.code() != null) {
        assertEquals(row.code(), new JsonObject(response.body()).getString("code"), what);
      }
    }
  }

  private HttpResponse<String> send(Row row) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + row.path()))
        .timeout(LIMIT)
        .method(row.method(), row.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(row.body()));
    if (row.body() != null) {
      request.header("Content-Type", "application/json");
    }
    if (row.operator()) {
      request.header("Authorization", "Bearer " + TOKEN);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (row.code() == null && row.status() / 100 == 2 && response.statusCode() != row.status()) {
      throw new AssertionError(row + " answered " + response.statusCode() + ": " + response.body());
    }
    return response;
  }
}
