package io.huitong.hub.it;

import static io.huitong.hub.it.Jdbc.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.hub.Eventually;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub killed (SIGKILL) while ticket machines and windows are busy: after restart the hall is exactly as
 * acknowledged. Every ticket taken, called or finished with a 2xx answer is there in that state; whatever was in
 * flight is either wholly there or wholly absent (the journal, the tickets and the windows agree); seq is gapless.
 */
class QueueCrashIT {
  private static final int WINDOWS = 5;
  private static final int TAKERS = 3;
  private static final Duration LIMIT = Duration.ofMinutes(5);

  private HubProcess hub;

  @AfterEach
  void stop() throws Exception {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void afterAKillTheQueueIsExactlyAsAcknowledged(@TempDir Path dir) throws Exception {
    hub = HubProcess.embedded(dir.resolve("hub"), "queue-crash");
    hub.start().awaitReady(Duration.ofMinutes(3));
    QueueSetup.hall(hub, WINDOWS);
    HubProcess busy = hub;
    // A hall screen connected when the hub dies, and not back after the restart: it must not stay online.
    String screenToken = hub.adminJson("POST", "/devices", new JsonObject().put("id", "screen-crash")
        .put("kind", "hall-screen").put("hall", QueueSetup.HALL)).getString("token");
    KioskDevice screen = KioskDevice.hello(hub, "screen-crash", screenToken);
    Eventually.holds("the screen online", Duration.ofSeconds(30),
        () -> hub.adminJson("GET", "/devices/screen-crash", null).getBoolean("online"));

    Set<String> taken = ConcurrentHashMap.newKeySet();
    Map<String, String> calledTo = new ConcurrentHashMap<>();
    Set<String> finished = ConcurrentHashMap.newKeySet();
    AtomicInteger phones = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(TAKERS + WINDOWS);
    List<Future<?>> workers = new ArrayList<>();
    try {
      for (int t = 0; t < TAKERS; t++) {
        workers.add(pool.submit(() -> untilTheHubDies(() -> {
          HttpResponse<String> ticket = QueueSetup.take(busy, String.format("138%08d", phones.incrementAndGet()));
          if (ticket.statusCode() == 201) {
            taken.add(new JsonObject(ticket.body()).getString("id"));
          }
          return ticket.statusCode() < 500;
        })));
      }
      for (int w = 1; w <= WINDOWS; w++) {
        int window = w;
        workers.add(pool.submit(() -> untilTheHubDies(() -> {
          HttpResponse<String> call = QueueSetup.callNext(busy, window);
          if (call.statusCode() != 200) {
            TimeUnit.MILLISECONDS.sleep(10);
            return call.statusCode() < 500;
          }
          String ticket = new JsonObject(call.body()).getString("id");
          calledTo.put(ticket, QueueSetup.window(window));
          HttpResponse<String> done = QueueSetup.finish(busy, ticket);
          if (done.statusCode() == 200) {
            finished.add(ticket);
          }
          return done.statusCode() < 500;
        })));
      }
      Eventually.holds("the hall busy", LIMIT, () -> taken.size() >= 150 && finished.size() >= 50);
      hub.kill();
      for (Future<?> worker : workers) {
        worker.get(1, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    screen.close();
    hub = hub.again();
    hub.start().awaitReady(Duration.ofMinutes(3));
    assertFalse(hub.adminJson("GET", "/devices/screen-crash", null).getBoolean("online"),
        "a device the killed hub held is offline once it is ready again");
    assertTrue(hub.adminJson("GET", "/device-alarms", null).getJsonArray("alarms").stream()
        .map(JsonObject.class::cast).anyMatch(a -> a.getString("deviceId").equals("screen-crash")
            && a.getString("condition").equals("offline") && a.getString("state").equals("RAISED")),
        "and its offline alarm raised");
    try (Connection db = hub.database()) {
      Set<String> tickets = new HashSet<>(QueueSetup.rows(db, "SELECT id FROM queue.ticket"));
      assertTrue(tickets.containsAll(taken), "every acknowledged take is there");
      for (Map.Entry<String, String> call : calledTo.entrySet()) {
        String state = Jdbc.row(db, "SELECT state, call_count, window_id FROM queue.ticket WHERE id = '" + call.getKey() + "'");
        Set<String> expected = finished.contains(call.getKey()) ? Set.of("finished|1|" + call.getValue())
            : Set.of("called|1|" + call.getValue(), "finished|1|" + call.getValue());
        assertTrue(expected.contains(state), "acknowledged call of " + call.getKey() + " to " + call.getValue()
            + (finished.contains(call.getKey()) ? " and its finish" : "") + ", but " + state);
      }

      // Nothing half-applied: windows and tickets agree, numbers are consecutive, and the journal is the history.
      assertEquals(List.of(), QueueSetup.rows(db, "SELECT w.id FROM queue.service_window w"
          + " LEFT JOIN queue.ticket t ON t.id = w.serving_ticket"
          + " WHERE (w.state = 'serving') <> (t.state = 'called' AND t.window_id = w.id AND t.id IS NOT NULL)"
          + " OR (w.state <> 'serving' AND w.serving_ticket IS NOT NULL)"), "windows serving exactly their called ticket");
      assertEquals(count(db, "SELECT count(*) FROM queue.service_window WHERE state = 'serving'"),
          count(db, "SELECT count(*) FROM queue.ticket WHERE state = 'called'"));
      long n = tickets.size();
      assertEquals(n, count(db, "SELECT last_number FROM queue.business_queue"));
      assertEquals(n, count(db, "SELECT count(DISTINCT number) FROM queue.ticket WHERE number ~ '^A[0-9]+$'"
          + " AND substring(number, 2)::int BETWEEN 1 AND " + n));

      List<JsonObject> events = QueueSetup.events(hub);
      QueueSetup.assertGapless(events, count(db, "SELECT seq FROM queue.hall"));
      assertEquals(tickets, ticketsOf(events, "ticket.taken"));
      assertEquals(new HashSet<>(QueueSetup.rows(db, "SELECT id FROM queue.ticket WHERE call_count > 0")),
          ticketsOf(events, "ticket.called"));
      assertEquals(new HashSet<>(QueueSetup.rows(db, "SELECT id FROM queue.ticket WHERE state = 'finished'")),
          ticketsOf(events, "ticket.finished"));
      assertEquals(events.stream().filter(e -> e.getString("type").equals("ticket.called")).count(),
          count(db, "SELECT sum(call_count) FROM queue.ticket"), "one ticket.called per call");
    }

    // And the hall goes on: a window serving when the hub died finishes, and calls the next ticket.
    try (Connection db = hub.database()) {
      List<String> serving = QueueSetup.rows(db, "SELECT substring(id, 2), serving_ticket FROM queue.service_window"
          + " WHERE state = 'serving' ORDER BY id LIMIT 1");
      int window = serving.isEmpty() ? 1 : Integer.parseInt(serving.get(0).split("\\|")[0]);
      if (!serving.isEmpty()) {
        assertEquals(200, QueueSetup.finish(hub, serving.get(0).split("\\|")[1]).statusCode());
      }
      assertEquals(201, QueueSetup.take(hub, "13700000000").statusCode());
      Eventually.holds("window " + window + " calls a ticket", Duration.ofMinutes(1),
          () -> QueueSetup.callNext(hub, window).statusCode() == 200);
    }
  }

  private static Set<String> ticketsOf(List<JsonObject> events, String type) {
    return events.stream().filter(e -> e.getString("type").equals(type)).map(e -> e.getString("ticket"))
        .collect(Collectors.toSet());
  }

  private interface Step {
    /** One request and what its answer means; false when the hub answered 5xx. */
    boolean run() throws Exception;
  }

  /** Repeats {@code step} until the hub stops answering (killed): a refused or broken connection ends it. */
  private static Void untilTheHubDies(Step step) throws Exception {
    try {
      while (step.run()) {
        Thread.onSpinWait();
      }
    } catch (IOException killed) {
      // the hub is gone; what it acknowledged before is what the test checks
    }
    return null;
  }
}
