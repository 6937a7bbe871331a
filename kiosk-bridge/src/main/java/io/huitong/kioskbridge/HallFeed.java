package io.huitong.kioskbridge;

import io.smallrye.mutiny.Uni;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.core.eventbus.MessageConsumer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hall's events as one bridge verticle sees them: it subscribes to the queue service's hall address while a
 * device of the hall is connected here, keeps the last {@code replay-buffer} events in order, fills a gap in what
 * the bus delivered from the queue service's event log, and fans the events out to the hall's sessions: the events
 * of one queue transaction, which the queue service publishes in one message, go out as one frame.
 *
 * <p>Runs on its verticle's event loop only. The feed starts from a snapshot: its sequence number is where the feed
 * begins, and events up to it that arrive late are dropped.
 */
final class HallFeed {
  private static final Logger LOG = LoggerFactory.getLogger(HallFeed.class);
  static final int PAGE = 1000;
  /** The most events in one frame, so that the events a gap fill brings at once still make small frames. */
  static final int MAX_FRAME_EVENTS = 32;

  private final String hall;
  private final EventBus bus;
  private final BridgeConfig config;
  private final Consumer<HallFeed> onEnd;
  private final Set<DeviceSession> sessions = new LinkedHashSet<>();
  private final ArrayDeque<JsonObject> buffer = new ArrayDeque<>();
  private final List<JsonObject> pending = new ArrayList<>();
  private final List<Runnable> waiting = new ArrayList<>();
  /** Appended in order and not yet sent to the sessions. */
  private final List<JsonObject> fresh = new ArrayList<>();
  private MessageConsumer<JsonObject> consumer;
  /** The last event in order; -1 until the first snapshot answered. */
  private long latest = -1;
  private boolean filling;
  private boolean closed;

  /** @param onEnd told when the feed ends (its last device went, or its snapshot failed): its hall has none now */
  HallFeed(String hall, EventBus bus, BridgeConfig config, Consumer<HallFeed> onEnd) {
    this.hall = hall;
    this.bus = bus;
    this.config = config;
    this.onEnd = onEnd;
  }

  String hall() {
    return hall;
  }

  long latest() {
    return latest;
  }

  /** Subscribes, then asks for a snapshot to start from; the events that arrive meanwhile wait in order. */
  void open() {
    consumer = bus.<JsonObject>consumer(BusAddresses.QUEUE_HALL_PREFIX + hall);
    consumer.handler(message -> onTransaction(message.body()));
    consumer.completionHandler()
        .chain(() -> snapshot())
        .subscribe().with(snapshot -> {
          if (closed) {
            return;
          }
          latest = snapshot.getLong("seq", 0L);
          List<Runnable> ready = new ArrayList<>(waiting);
          waiting.clear();
          drainPending();
          ready.forEach(Runnable::run);
        }, failure -> {
          LOG.warn("Hall {}: no snapshot from the queue service ({}); closing its devices", hall, failure.toString());
          // Ended before its devices have closed: one that authenticates meanwhile opens a fresh feed, not this one.
          end();
          waiting.clear();
          List<DeviceSession> those = new ArrayList<>(sessions);
          those.forEach(s -> s.fail(DeviceSession.UNAVAILABLE, "the queue service does not answer for hall " + hall));
        });
  }

  /** Runs {@code action} once the feed has its starting point (at once if it has). */
  void whenReady(Runnable action) {
    if (latest >= 0) {
      action.run();
    } else {
      waiting.add(action);
    }
  }

  void add(DeviceSession session) {
    sessions.add(session);
  }

  void remove(DeviceSession session) {
    sessions.remove(session);
    if (sessions.isEmpty()) {
      end();
    }
  }

  private void end() {
    close();
    onEnd.accept(this);
  }

  void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (consumer != null) {
      consumer.unregisterAndForget();
    }
  }

  Uni<JsonObject> snapshot() {
    return bus.<JsonObject>request(BusAddresses.QUEUE_SNAPSHOT, new JsonObject().put("hall", hall), options())
        .map(m -> m.body());
  }

  /** The queue service's log after {@code after}, at most {@link #PAGE} events. */
  Uni<JsonArray> eventsAfter(long after) {
    return bus.<JsonObject>request(BusAddresses.QUEUE_EVENTS,
            new JsonObject().put("hall", hall).put("after", after).put("limit", PAGE), options())
        .map(m -> m.body().getJsonArray("events", new JsonArray()));
  }

  private DeliveryOptions options() {
    return new DeliveryOptions().setSendTimeout(config.requestTimeout().toMillis());
  }

  /** The buffered events after {@code after}, in order; null if the buffer no longer reaches back that far. */
  List<JsonObject> bufferedAfter(long after) {
    if (after >= latest) {
      return List.of();
    }
    if (buffer.isEmpty() || buffer.peekFirst().getLong("seq") > after + 1) {
      return null;
    }
    // The buffer is gapless, so the events wanted start at a known position.
    return buffer.stream().skip(after + 1 - buffer.peekFirst().getLong("seq")).toList();
  }

  /**
   * One committed queue transaction: {@code {hall, events}}, its events in seq order. A single event on its own is
   * taken too: it is what a queue service of an earlier version publishes, so bridges can be upgraded first.
   */
  private void onTransaction(JsonObject transaction) {
    JsonArray events = transaction.getJsonArray("events");
    if (events == null) {
      onEvent(transaction);
    } else {
      for (int i = 0; i < events.size(); i++) {
        onEvent(events.getJsonObject(i));
      }
    }
    fanOut();
  }

  private void onEvent(JsonObject event) {
    if (closed) {
      return;
    }
    Long seq = event.getLong("seq");
    if (seq == null) {
      LOG.warn("Hall {}: an event without seq dropped: {}", hall, event.encode());
      return;
    }
    if (latest < 0 || filling) {
      pending.add(event);
      return;
    }
    if (seq <= latest) {
      return;
    }
    if (seq == latest + 1) {
      append(event);
      return;
    }
    pending.add(event);
    fillGap();
  }

  /** The bus lost or reordered something: fetch what is missing from the queue service's log, in pages. */
  private void fillGap() {
    filling = true;
    eventsAfter(latest).subscribe().with(events -> {
      if (closed) {
        return;
      }
      for (int i = 0; i < events.size(); i++) {
        JsonObject event = events.getJsonObject(i);
        if (event.getLong("seq") == latest + 1) {
          append(event);
        }
      }
      filling = false;
      drainPending();
    }, failure -> {
      LOG.warn("Hall {}: missing events after {} not fetched ({}); retrying with the next event", hall, latest,
          failure.toString());
      filling = false;
    });
  }

  private void drainPending() {
    pending.sort((a, b) -> Long.compare(a.getLong("seq"), b.getLong("seq")));
    List<JsonObject> those = new ArrayList<>(pending);
    pending.clear();
    for (JsonObject event : those) {
      if (filling) {
        pending.add(event);
      } else {
        onEvent(event);
      }
    }
    fanOut();
  }

  private void append(JsonObject event) {
    latest = event.getLong("seq");
    buffer.addLast(event);
    while (buffer.size() > config.replayBuffer()) {
      buffer.removeFirst();
    }
    fresh.add(event);
  }

  /**
   * Sends what was appended since the last fan-out, in runs of up to {@link #MAX_FRAME_EVENTS} events. With thousands
   * of screens in a hall the cost is per frame and socket (a write, and the ack that answers it), so a call-next's
   * three events go to a device of protocol version 2 as one frame.
   */
  private void fanOut() {
    for (int from = 0; from < fresh.size(); from += MAX_FRAME_EVENTS) {
      HallRun run = new HallRun(fresh.subList(from, Math.min(fresh.size(), from + MAX_FRAME_EVENTS)));
      for (DeviceSession session : sessions) {
        session.onHallEvents(run);
      }
    }
    fresh.clear();
  }
}
