package io.huitong.hub.queue.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.hub.Eventually;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.queue.QueueConfig;
import io.huitong.hub.queue.QueueService;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.storage.ScratchDatabase;
import io.huitong.hub.storage.Storage;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The queue service against the machine's PostgreSQL (a fresh database for the class) and a real event bus: each
 * test builds its own hall, so tests do not see each other's tickets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgQueueServiceIT {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final double WEIGHT = 0.2;
  private static final long INITIAL_SERVICE = 300;

  private final Vertx vertx = Vertx.vertx();
  private final Storage storage = new Storage();
  private final AtomicInteger halls = new AtomicInteger();
  /** Each message published on a hall's address: one committed transaction, {@code {hall, events}}. */
  private final List<JsonObject> published = new CopyOnWriteArrayList<>();
  private ScratchDatabase database;
  private QueueService queues;

  @BeforeAll
  void start() throws Exception {
    database = ScratchDatabase.create("queue", "queue");
    storage.open(vertx, database.location(), 4);
    queues = QueueService.start(vertx, storage, MasterKey.of(new byte[16]), new QueueConfig(Duration.ofMinutes(30),
        (int) (WEIGHT * 100), Duration.ofSeconds(INITIAL_SERVICE), Duration.ofMinutes(2), ZoneId.of("Asia/Shanghai")))
        .await().atMost(LIMIT);
  }

  @AfterAll
  void stop() throws Exception {
    queues.close().await().atMost(LIMIT);
    storage.close().await().atMost(LIMIT);
    vertx.closeAndAwait();
    database.close();
  }

  /** A hall with queues A (qa) and B (qb); window 1 serves A, window 2 serves A and B; both idle, 1 for longer. */
  private String hall() {
    String hall = "h" + halls.incrementAndGet();
    vertx.eventBus().<JsonObject>consumer(QueueService.hallAddress(hall)).handler(m -> published.add(m.body()));
    queues.createHall(hall, "Hall " + hall).await().atMost(LIMIT);
    queues.createQueue(hall, hall + "-qa", "A", "Social insurance").await().atMost(LIMIT);
    queues.createQueue(hall, hall + "-qb", "B", "Housing fund").await().atMost(LIMIT);
    queues.createWindow(hall, hall + "-w1", 1, "Window 1", List.of(hall + "-qa")).await().atMost(LIMIT);
    queues.createWindow(hall, hall + "-w2", 2, "Window 2", List.of(hall + "-qa", hall + "-qb")).await().atMost(LIMIT);
    windowState(hall, "w1", "idle");
    windowState(hall, "w2", "idle");
    return hall;
  }

  private JsonObject run(JsonObject command) {
    return queues.command(command).await().atMost(LIMIT);
  }

  private JsonObject take(String hall, String queue, String kind) {
    return run(new JsonObject().put("action", "take-ticket").put("hall", hall).put("queue", hall + "-" + queue)
        .put("kind", kind).put("phone", "13912345678").put("by", "ticket-machine-1"));
  }

  private JsonObject callNext(String hall, String window) {
    return run(new JsonObject().put("action", "call-next").put("hall", hall).put("window", hall + "-" + window));
  }

  private JsonObject onTicket(String action, String hall, JsonObject ticket) {
    return run(new JsonObject().put("action", action).put("hall", hall).put("ticket", ticket.getString("id")));
  }

  private JsonObject windowState(String hall, String window, String state) {
    return run(new JsonObject().put("action", "window-state").put("hall", hall).put("window", hall + "-" + window)
        .put("state", state));
  }

  private static HubError failure(Runnable call) {
    return assertThrows(HubException.class, call::run).error();
  }

  private void sql(String statement) throws Exception {
    database.execute(statement);
  }

  @Test
  void callNextServesGreenChannelThenVipThenAppointmentThenNormalThenByArrival() {
    String hall = hall();
    windowState(hall, "w2", "paused");
    JsonObject normal1 = take(hall, "qa", "normal");
    JsonObject appointment = take(hall, "qa", "appointment");
    JsonObject normal2 = take(hall, "qa", "normal");
    JsonObject vip = take(hall, "qa", "vip");
    JsonObject green = take(hall, "qa", "green-channel");
    assertEquals(List.of("A001", "A002", "A003", "A004", "A005"), List.of(normal1.getString("number"),
        appointment.getString("number"), normal2.getString("number"), vip.getString("number"), green.getString("number")));
    List<String> called = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      JsonObject ticket = callNext(hall, "w1");
      assertEquals("called", ticket.getString("state"));
      assertEquals(1, ticket.getInteger("windowNumber"));
      called.add(ticket.getString("number"));
      onTicket("finish", hall, ticket);
    }
    assertEquals(List.of("A005", "A004", "A002", "A001", "A003"), called);
    assertEquals(HubError.QUEUE_NO_TICKET, failure(() -> callNext(hall, "w1")));
  }

  @Test
  void theLongestIdleWindowHasTheNextTicketUntilItsClaimLapses() throws Exception {
    String hall = hall();
    take(hall, "qa", "normal");
    // Window 1 became idle first: window 2 may not take queue A's only ticket ahead of it.
    assertEquals(HubError.QUEUE_NO_TICKET, failure(() -> callNext(hall, "w2")));
    take(hall, "qa", "normal");
    JsonObject first = callNext(hall, "w2");
    assertEquals("A001", first.getString("number"), "two tickets, one window idle longer: one is left for it");
    assertEquals("A002", callNext(hall, "w1").getString("number"));
    onTicket("finish", hall, first);
    // Window 2 is idle again, window 1 serves: a new ticket of queue A goes to window 2.
    take(hall, "qa", "normal");
    assertEquals("A003", callNext(hall, "w2").getString("number"));

    String other = hall();
    take(other, "qa", "normal");
    sql("UPDATE queue.service_window SET state_since = now() - interval '1 hour' WHERE id = '" + other + "-w1'");
    assertEquals("A001", callNext(other, "w2").getString("number"), "window 1 idle an hour: unattended, it yields");
  }

  @Test
  void aPausedOrOfflineWindowHasNoClaimAndCannotCall() {
    String hall = hall();
    take(hall, "qa", "normal");
    windowState(hall, "w1", "paused");
    assertEquals(HubError.QUEUE_STATE, failure(() -> callNext(hall, "w1")));
    JsonObject ticket = callNext(hall, "w2");
    assertEquals(HubError.QUEUE_STATE, failure(() -> windowState(hall, "w2", "offline")));
    assertEquals(HubError.QUEUE_STATE, failure(() -> callNext(hall, "w2")));
    onTicket("finish", hall, ticket);
    assertEquals("offline", windowState(hall, "w2", "offline").getString("state"));
  }

  @Test
  void recallAnnouncesAgainSkipParksAndRecheckInWithinTheWindowGoesToTheFront() throws Exception {
    String hall = hall();
    JsonObject a1 = take(hall, "qa", "normal");
    take(hall, "qa", "normal");
    take(hall, "qa", "normal");
    JsonObject called = callNext(hall, "w1");
    assertEquals(a1.getString("id"), called.getString("id"));
    assertEquals(2, onTicket("recall", hall, a1).getInteger("callCount"));
    assertEquals("skipped", onTicket("skip", hall, a1).getString("state"));
    assertEquals(HubError.QUEUE_STATE, failure(() -> onTicket("skip", hall, a1)));
    assertEquals("waiting", onTicket("recheck-in", hall, a1).getString("state"));
    assertEquals("A001", callNext(hall, "w1").getString("number"), "a re-checked ticket goes to the front");

    onTicket("skip", hall, a1);
    sql("UPDATE queue.ticket SET skipped_at = now() - interval '31 minutes' WHERE id = '" + a1.getString("id") + "'");
    assertEquals(HubError.QUEUE_RECHECK_EXPIRED, failure(() -> onTicket("recheck-in", hall, a1)));
    assertEquals(HubError.QUEUE_TICKET_NOT_FOUND, failure(() -> onTicket("recall", hall,
        new JsonObject().put("id", UUID.randomUUID().toString()))));
  }

  @Test
  void transferPutsTheTicketAtTheFrontOrTheBackOfTheOtherQueue() {
    String hall = hall();
    windowState(hall, "w2", "paused");
    JsonObject a1 = take(hall, "qa", "normal");
    JsonObject a2 = take(hall, "qa", "normal");
    take(hall, "qb", "normal");
    take(hall, "qb", "normal");
    callNext(hall, "w1");
    JsonObject front = transfer(hall, a1, "qb", "front");
    assertEquals("waiting", front.getString("state"));
    assertEquals("A001", front.getString("number"), "a transferred ticket keeps its number");
    assertEquals(1, front.getInteger("transferCount"));
    assertEquals(a2.getString("id"), callNext(hall, "w1").getString("id"));
    assertEquals(hall + "-qb", transfer(hall, a2, "qb", "back").getString("queue"));
    assertEquals(HubError.QUEUE_QUEUE_NOT_FOUND, failure(() -> transfer(hall, a2, "nowhere", "back")));

    windowState(hall, "w2", "idle");
    List<String> order = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      JsonObject ticket = callNext(hall, "w2");
      order.add(ticket.getString("number"));
      onTicket("finish", hall, ticket);
    }
    assertEquals(List.of("A001", "B001", "B002", "A002"), order);
  }

  private JsonObject transfer(String hall, JsonObject ticket, String queue, String position) {
    return run(new JsonObject().put("action", "transfer").put("hall", hall).put("ticket", ticket.getString("id"))
        .put("queue", hall + "-" + queue).put("position", position));
  }

  @Test
  void holdFreesTheWindowAndRecallTakesTheTicketBackThenFinishEnds() {
    String hall = hall();
    windowState(hall, "w2", "paused");
    JsonObject a1 = take(hall, "qa", "normal");
    take(hall, "qa", "normal");
    callNext(hall, "w1");
    assertEquals("held", onTicket("hold", hall, a1).getString("state"));
    JsonObject next = callNext(hall, "w1");
    assertEquals("A002", next.getString("number"), "a held ticket frees its window");
    assertEquals(HubError.QUEUE_STATE, failure(() -> run(new JsonObject().put("action", "recall").put("hall", hall)
        .put("ticket", a1.getString("id")).put("window", hall + "-w1"))), "window 1 is serving A002");
    windowState(hall, "w2", "idle");
    JsonObject back = run(new JsonObject().put("action", "recall").put("hall", hall).put("ticket", a1.getString("id"))
        .put("window", hall + "-w2"));
    assertEquals("called", back.getString("state"));
    assertEquals(2, back.getInteger("windowNumber"));
    assertEquals("finished", onTicket("finish", hall, a1).getString("state"));
    assertEquals(HubError.QUEUE_STATE, failure(() -> onTicket("finish", hall, a1)));
    assertEquals(HubError.QUEUE_STATE, failure(() -> onTicket("hold", hall, a1)));
  }

  @Test
  void aCommandNamingAWindowActsOnlyOnATicketOfThatWindowAndChangesNothingElse() {
    String hall = hall();
    windowState(hall, "w1", "paused");
    JsonObject a1 = take(hall, "qa", "normal");
    JsonObject a2 = take(hall, "qa", "normal");
    callNext(hall, "w2");
    JsonObject before = queues.snapshot(hall).await().atMost(LIMIT);
    // Window 1's terminal, on the ticket called to window 2, and on a waiting one (called to no window).
    for (JsonObject ticket : List.of(a1, a2)) {
      for (String action : List.of("finish", "skip", "hold")) {
        assertEquals(HubError.QUEUE_STATE, failure(() -> run(atWindow(action, hall, ticket, "w1"))), action);
      }
      assertEquals(HubError.QUEUE_STATE, failure(() -> run(atWindow("transfer", hall, ticket, "w1")
          .put("queue", hall + "-qb"))), "transfer");
    }
    assertEquals(before, queues.snapshot(hall).await().atMost(LIMIT), "window 2 serves A001, nothing journalled");

    assertEquals("held", run(atWindow("hold", hall, a1, "w2")).getString("state"));
    windowState(hall, "w1", "idle");
    assertEquals(HubError.QUEUE_STATE, failure(() -> run(atWindow("finish", hall, a1, "w1"))),
        "a ticket held at window 2 is window 2's to finish");
    assertEquals("finished", run(atWindow("finish", hall, a1, "w2")).getString("state"));
  }

  /** The command a window terminal sends through the kiosk bridge: the bridge names the terminal's window. */
  private static JsonObject atWindow(String action, String hall, JsonObject ticket, String window) {
    return new JsonObject().put("action", action).put("hall", hall).put("ticket", ticket.getString("id"))
        .put("window", hall + "-" + window);
  }

  @Test
  void finishingFoldsTheServiceTimeIntoTheQueuesMovingAverageAndTheEstimatedWait() throws Exception {
    String hall = hall();
    JsonObject a1 = take(hall, "qa", "normal");
    take(hall, "qa", "normal");
    take(hall, "qa", "normal");
    callNext(hall, "w1");
    sql("UPDATE queue.ticket SET serving_since = now() - interval '100 seconds' WHERE id = '" + a1.getString("id") + "'");
    onTicket("finish", hall, a1);
    double expected = WEIGHT * 100 + (1 - WEIGHT) * INITIAL_SERVICE;
    JsonObject stats = queueStats(hall, "qa");
    // Two waiting; windows 1 and 2 both open on queue A.
    assertEquals(2, stats.getInteger("waiting"));
    assertEquals(Math.round(2 * expected / 2), stats.getLong("estimatedWaitSeconds"), 1.0);
    JsonObject finished = lastEvent(hall, "ticket.finished");
    assertEquals(100.0, finished.getDouble("serviceSeconds"), 1.0);
    windowState(hall, "w2", "paused");
    assertEquals(Math.round(2 * expected), queueStats(hall, "qa").getLong("estimatedWaitSeconds"), 1.0,
        "a paused window does not count");
  }

  private JsonObject queueStats(String hall, String queue) {
    return queues.snapshot(hall).await().atMost(LIMIT).getJsonArray("queues").stream().map(JsonObject.class::cast)
        .filter(q -> q.getString("id").equals(hall + "-" + queue)).findFirst().orElseThrow();
  }

  private JsonObject lastEvent(String hall, String type) {
    JsonArray events = queues.events(hall, 0, 1000).await().atMost(LIMIT).getJsonArray("events");
    JsonObject last = null;
    for (Object e : events) {
      if (type.equals(((JsonObject) e).getString("type"))) {
        last = (JsonObject) e;
      }
    }
    assertNotNull(last, "a " + type + " event");
    return last;
  }

  private List<JsonObject> publishedEvents(String hall) {
    return published.stream().filter(m -> hall.equals(m.getString("hall")))
        .flatMap(m -> m.getJsonArray("events").stream().map(e -> (JsonObject) e)).toList();
  }

  @Test
  void everyChangeIsJournalledWithAGaplessSeqAndPublishedAfterCommit() throws Exception {
    String hall = hall();
    JsonObject a1 = take(hall, "qa", "vip");
    failure(() -> callNext(hall, "w2"));
    JsonObject called = callNext(hall, "w1");
    onTicket("finish", hall, called);
    JsonObject journal = queues.events(hall, 0, 1000).await().atMost(LIMIT);
    JsonArray events = journal.getJsonArray("events");
    assertEquals((long) events.size(), journal.getLong("latest"));
    for (int i = 0; i < events.size(); i++) {
      JsonObject event = events.getJsonObject(i);
      assertEquals(i + 1L, event.getLong("seq"), "gapless: the failed call-next left no seq behind");
      assertEquals(hall, event.getString("hall"));
      assertNotNull(event.getString("at"));
    }
    JsonObject call = lastEvent(hall, "ticket.called");
    assertEquals(a1.getString("id"), call.getString("ticket"));
    assertEquals("A001", call.getString("number"));
    assertEquals(hall + "-w1", call.getString("window"));
    assertEquals(1, call.getInteger("windowNumber"));
    assertEquals(3, queues.events(hall, events.size() - 3, 1000).await().atMost(LIMIT).getJsonArray("events").size());

    Eventually.holds("every event published on the bus", LIMIT, () -> publishedEvents(hall).size() >= events.size());
    assertEquals(events.encode(), new JsonArray(publishedEvents(hall).stream()
        .sorted(java.util.Comparator.comparingLong(e -> e.getLong("seq"))).toList()).encode());
    JsonObject callNext = published.stream()
        .filter(m -> hall.equals(m.getString("hall"))
            && "ticket.called".equals(m.getJsonArray("events").getJsonObject(0).getString("type")))
        .findFirst().orElseThrow();
    assertEquals(List.of("ticket.called", "window.state", "queue.stats"), callNext.getJsonArray("events").stream()
        .map(e -> ((JsonObject) e).getString("type")).toList(), "a call-next's events in one message, in seq order");

    JsonObject snapshot = queues.snapshot(hall).await().atMost(LIMIT);
    assertEquals(journal.getLong("latest"), snapshot.getLong("seq"));
    assertEquals(1, snapshot.getJsonArray("recentCalls").size());
    assertEquals(2, snapshot.getJsonArray("windows").size());
    assertEquals("idle", snapshot.getJsonArray("windows").getJsonObject(0).getString("state"));
  }

  @Test
  void changingAWindowsQueuesJournalsAndPublishesTheFiguresOfEachQueueAddedOrRemoved() throws Exception {
    String hall = hall();
    take(hall, "qb", "normal");
    take(hall, "qb", "normal");
    assertEquals(600, queueStats(hall, "qb").getLong("estimatedWaitSeconds"), "2 × 300 s at window 2 alone");
    long before = latest(hall);
    // Window 1 leaves queue A for queue B: B's two tickets now have two open windows.
    JsonObject window = queues.setWindowQueues(hall, hall + "-w1", List.of(hall + "-qb")).await().atMost(LIMIT);
    assertEquals(List.of(hall + "-qb"), window.getJsonArray("queues").getList());
    JsonArray events = queues.events(hall, before, 1000).await().atMost(LIMIT).getJsonArray("events");
    assertEquals(List.of(before + 1, before + 2), events.stream().map(e -> ((JsonObject) e).getLong("seq")).toList());
    assertEquals(List.of("queue.stats", "queue.stats"), events.stream()
        .map(e -> ((JsonObject) e).getString("type")).toList());
    assertEquals(List.of(hall + "-qa", hall + "-qb"), events.stream()
        .map(e -> ((JsonObject) e).getString("queue")).toList(), "the queue removed and the queue added");
    JsonObject qb = events.getJsonObject(1);
    assertEquals(2, qb.getInteger("waiting"));
    assertEquals(300, qb.getLong("estimatedWaitSeconds"));
    Eventually.holds("the change's figures published in one message", LIMIT, () -> published.stream()
        .anyMatch(m -> hall.equals(m.getString("hall")) && events.equals(m.getJsonArray("events"))));

    queues.setWindowQueues(hall, hall + "-w1", List.of(hall + "-qb")).await().atMost(LIMIT);
    assertEquals(before + 2, latest(hall), "the same queues again move no figure");
    assertEquals(HubError.QUEUE_QUEUE_NOT_FOUND, failure(() -> queues.setWindowQueues(hall, hall + "-w1",
        List.of(hall + "-qa", "elsewhere")).await().atMost(LIMIT)));
    assertEquals(List.of(hall + "-qb"), queues.snapshot(hall).await().atMost(LIMIT).getJsonArray("windows")
        .getJsonObject(0).getJsonArray("queues").getList(), "a refused change changes nothing");
    assertEquals(before + 2, latest(hall));
  }

  private long latest(String hall) {
    return queues.events(hall, 0, 1).await().atMost(LIMIT).getLong("latest");
  }

  @Test
  void theBusAnswersCommandsAndRequestsAndFailsWithStatusAndCode() {
    String hall = hall();
    JsonObject ticket = vertx.eventBus().<JsonObject>request(QueueService.COMMAND_ADDRESS, new JsonObject()
            .put("action", "take-ticket").put("hall", hall).put("queue", hall + "-qb").put("kind", "normal")
            .put("idNumber", "11010519491231002x").put("by", "kiosk-3"))
        .await().atMost(LIMIT).body();
    assertEquals("B001", ticket.getString("number"));
    assertEquals("id-card", ticket.getString("channel"));
    JsonObject events = vertx.eventBus().<JsonObject>request(QueueService.EVENTS_ADDRESS,
        new JsonObject().put("hall", hall).put("after", 0).put("limit", 2)).await().atMost(LIMIT).body();
    assertEquals(2, events.getJsonArray("events").size());
    JsonObject snapshot = vertx.eventBus().<JsonObject>request(QueueService.SNAPSHOT_ADDRESS,
        new JsonObject().put("hall", hall)).await().atMost(LIMIT).body();
    assertEquals(events.getLong("latest"), snapshot.getLong("seq"));

    ReplyException missing = assertThrows(ReplyException.class, () -> vertx.eventBus().request(
        QueueService.COMMAND_ADDRESS, new JsonObject().put("action", "call-next").put("hall", "no-such-hall")
            .put("window", "w")).await().atMost(LIMIT));
    assertEquals(404, missing.failureCode());
    assertTrue(missing.getMessage().startsWith("HT-QUEUE-HALL-NOT-FOUND: "), missing.getMessage());
    ReplyException bad = assertThrows(ReplyException.class, () -> vertx.eventBus().request(
        QueueService.COMMAND_ADDRESS, new JsonObject().put("action", "take-ticket").put("hall", hall)
            .put("queue", hall + "-qa").put("phone", "123").put("by", "k")).await().atMost(LIMIT));
    assertEquals(422, bad.failureCode());
    assertTrue(bad.getMessage().startsWith("HT-QUEUE-INPUT-INVALID: "), bad.getMessage());
    ReplyException text = assertThrows(ReplyException.class, () -> vertx.eventBus().request(
        QueueService.SNAPSHOT_ADDRESS, "main-hall").await().atMost(LIMIT));
    assertEquals(422, text.failureCode(), "a body that is not a JSON object");
    ReplyException limit = assertThrows(ReplyException.class, () -> vertx.eventBus().request(
        QueueService.EVENTS_ADDRESS, new JsonObject().put("hall", hall).put("limit", 1001)).await().atMost(LIMIT));
    assertEquals(422, limit.failureCode());
  }

  @Test
  void appointmentCheckInIsIdempotentAndPersonalNumbersAreSealed() throws Exception {
    String hall = hall();
    JsonObject command = new JsonObject().put("action", "take-ticket").put("hall", hall).put("queue", hall + "-qa")
        .put("appointmentId", "APT-2026-0001").put("by", "appointments");
    JsonObject first = run(command.copy());
    assertEquals("appointment", first.getString("kind"));
    assertEquals(first.getString("id"), run(command.copy()).getString("id"), "checking in again answers the same ticket");
    assertEquals(HubError.QUEUE_INPUT_INVALID, failure(() -> run(command.copy().put("phone", "13912345678"))));

    JsonObject byId = run(new JsonObject().put("action", "take-ticket").put("hall", hall).put("queue", hall + "-qa")
        .put("idNumber", "11010519491231002X").put("by", "kiosk"));
    byte[] sealed = database.bytes("SELECT id_number_sealed FROM queue.ticket WHERE id = '" + byId.getString("id") + "'");
    assertNotNull(sealed);
    assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("11010519491231002X"));
    assertArrayEquals("11010519491231002X".getBytes(StandardCharsets.UTF_8), MasterKey.of(new byte[16])
        .open(sealed, "queue.ticket/" + byId.getString("id") + "/id-number"));
    windowState(hall, "w2", "paused");
    JsonObject called = callNext(hall, "w1");
    assertEquals(first.getString("id"), called.getString("id"));
    onTicket("finish", hall, called);
    assertEquals(byId.getString("id"), callNext(hall, "w1").getString("id"));
    onTicket("skip", hall, byId);
    JsonObject recheckByCard = new JsonObject().put("action", "recheck-in").put("hall", hall)
        .put("idNumber", "11010519491231002x");
    assertEquals(byId.getString("id"), run(recheckByCard.copy()).getString("id"), "found by the card's blind index");
    assertEquals(HubError.QUEUE_TICKET_NOT_FOUND, failure(() -> run(recheckByCard.copy())), "no longer skipped");
    assertEquals(HubError.QUEUE_TICKET_NOT_FOUND, failure(() -> run(new JsonObject().put("action", "recheck-in")
        .put("hall", hall).put("phone", "13912345678"))));
    assertEquals(HubError.QUEUE_EXISTS, assertThrows(HubException.class,
        () -> queues.createQueue(hall, "another", "A", "Same prefix").await().atMost(LIMIT)).error());
  }
}
