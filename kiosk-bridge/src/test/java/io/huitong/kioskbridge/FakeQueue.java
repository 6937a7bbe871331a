package io.huitong.kioskbridge;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the queue service and the device registry, for the protocol's unit tests only: it answers the
 * bus contract (snapshot, events, command, authenticate) and publishes hall events with gapless seq. The ITs run
 * against the real services.
 */
final class FakeQueue {
  final List<JsonObject> log = new CopyOnWriteArrayList<>();
  final List<JsonObject> commands = new CopyOnWriteArrayList<>();
  final List<JsonObject> telemetry = new CopyOnWriteArrayList<>();
  final List<JsonObject> presence = new CopyOnWriteArrayList<>();
  /** How many of the next snapshot requests to refuse, as a queue service that cannot read the hall. */
  final AtomicInteger snapshotsToRefuse = new AtomicInteger();
  final AtomicInteger snapshotsRefused = new AtomicInteger();
  final AtomicInteger snapshotsAnswered = new AtomicInteger();
  /** How many events behind the log its snapshots are: a snapshot read before the last commits, answered after. */
  volatile long snapshotSeqBehind;
  /** When set, the registry fails every authentication, as one that cannot read its table. */
  volatile boolean registryDown;
  /** The windows its snapshots show: none unless a test wants snapshots of a real hall's size. */
  volatile JsonArray windows = new JsonArray();
  private final Vertx vertx;
  private final String hall;

  FakeQueue(Vertx vertx, String hall) {
    this.vertx = vertx;
    this.hall = hall;
    vertx.eventBus().<JsonObject>consumer(BusAddresses.QUEUE_SNAPSHOT, m -> {
      if (snapshotsToRefuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        m.fail(503, "HT-NOT-READY: the queue service cannot read its tables");
        snapshotsRefused.incrementAndGet();
        return;
      }
      snapshotsAnswered.incrementAndGet();
      m.reply(new JsonObject().put("hall", hall).put("seq", log.size() - snapshotSeqBehind)
          .put("queues", new JsonArray()).put("windows", windows).put("recentCalls", new JsonArray()));
    });
    vertx.eventBus().<JsonObject>consumer(BusAddresses.QUEUE_EVENTS, m -> {
      long after = m.body().getLong("after");
      int limit = m.body().getInteger("limit");
      JsonArray events = new JsonArray();
      for (int i = (int) after; i < log.size() && events.size() < limit; i++) {
        events.add(log.get(i));
      }
      m.reply(new JsonObject().put("hall", hall).put("events", events).put("latest", (long) log.size()));
    });
    vertx.eventBus().<JsonObject>consumer(BusAddresses.QUEUE_COMMAND, m -> {
      commands.add(m.body());
      if ("call-next".equals(m.body().getString("action"))) {
        JsonObject called = publish("ticket.called", new JsonObject().put("ticket", "t" + log.size())
            .put("number", "A" + log.size()).put("window", m.body().getString("window")));
        m.reply(new JsonObject().put("ticket", called.getString("ticket")).put("number", called.getString("number")));
      } else {
        m.fail(409, "HT-QUEUE-NOTHING-TO-RECALL: no ticket is called at this window");
      }
    });
    vertx.eventBus().<JsonObject>consumer(BusAddresses.DEVICES_AUTHENTICATE, m -> {
      String id = m.body().getString("deviceId");
      if (registryDown) {
        m.fail(503, "HT-NOT-READY: the device registry cannot read its table");
        return;
      }
      if (!("token-" + id).equals(m.body().getString("token"))) {
        m.fail(401, "HT-DEVICE-UNAUTHENTICATED: wrong token");
        return;
      }
      String kind = id.startsWith("win") ? "window-terminal" : id.startsWith("kiosk") ? "kiosk"
          : id.startsWith("op") ? "operator" : "hall-screen";
      m.reply(new JsonObject().put("deviceId", id).put("kind", kind).put("hall", hall)
          .put("window", id.startsWith("win") ? "w1" : null));
    });
    vertx.eventBus().<JsonObject>consumer(BusAddresses.DEVICES_TELEMETRY, m -> telemetry.add(m.body()));
    vertx.eventBus().<JsonObject>consumer(BusAddresses.DEVICES_PRESENCE, m -> presence.add(m.body()));
  }

  /** Appends an event to the log and publishes it, as the queue service does after commit. */
  JsonObject publish(String type, JsonObject fields) {
    JsonObject event = append(type, fields);
    publish(new JsonArray().add(event));
    return event;
  }

  /** An event published bare, without the {@code {hall, events}} around it, as queue services before it did. */
  void publishBare(String type) {
    vertx.eventBus().publish(BusAddresses.QUEUE_HALL_PREFIX + hall, append(type, new JsonObject()));
  }

  /** One transaction's events, published in one message as the queue service does. */
  void publishTogether(String... types) {
    JsonArray events = new JsonArray();
    for (String type : types) {
      events.add(append(type, new JsonObject()));
    }
    publish(events);
  }

  private JsonObject append(String type, JsonObject fields) {
    JsonObject event = fields.copy().put("hall", hall).put("seq", (long) log.size() + 1).put("type", type)
        .put("at", System.currentTimeMillis());
    log.add(event);
    return event;
  }

  private void publish(JsonArray events) {
    vertx.eventBus().publish(BusAddresses.QUEUE_HALL_PREFIX + hall, new JsonObject().put("hall", hall)
        .put("events", events));
  }

  /** Appends without publishing: an event the bus lost, or one it has yet to deliver. */
  JsonObject lose(String type) {
    return append(type, new JsonObject());
  }

  /** Publishes logged events {@code from} to {@code to} in one message: what the bus delivers late. */
  void deliverLate(long from, long to) {
    publish(new JsonArray(new ArrayList<>(log.subList((int) from - 1, (int) to))));
  }

  List<JsonObject> calls(int n) {
    List<JsonObject> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(publish("ticket.called", new JsonObject().put("number", "A" + (log.size() + 1))));
    }
    return events;
  }
}
