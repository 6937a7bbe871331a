package io.huitong.hub.it;

import static io.huitong.hub.it.Jdbc.count;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Call-next is atomic across the cluster: 50 windows, half on each of two members sharing one database, call and
 * finish concurrently until 2,000 tickets are through; each ticket is called exactly once, by the database and by
 * the hall's journal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueueClusterIT {
  private static final int WINDOWS = 50;
  private static final int TICKETS = 2000;
  private static final Duration LIMIT = Duration.ofMinutes(10);

  private final List<HubProcess> hubs = new ArrayList<>();

  // After each test, not all: the test's temporary directory is removed when it ends, and a member's embedded
  // PostgreSQL still writing into it made that removal fail.
  @AfterEach
  void stop() throws Exception {
    for (HubProcess hub : hubs) {
      hub.close();
    }
  }

  @Test
  void fiftyWindowsOnTwoMembersCallEveryTicketExactlyOnce(@TempDir Path dir) throws Exception {
    HubProcess first = started(HubProcess.embedded(dir.resolve("m1"), "queue-m1"));
    HubProcess second = started(HubProcess.joining(first, dir.resolve("m2"), "queue-m2"));
    QueueSetup.hall(first, WINDOWS);

    ExecutorService pool = Executors.newFixedThreadPool(WINDOWS);
    try {
      List<Future<?>> takers = new ArrayList<>();
      AtomicInteger taken = new AtomicInteger();
      for (int t = 0; t < 8; t++) {
        HubProcess member = t % 2 == 0 ? first : second;
        takers.add(pool.submit(() -> {
          for (int n = taken.incrementAndGet(); n <= TICKETS; n = taken.incrementAndGet()) {
            HttpResponse<String> ticket = QueueSetup.take(member, String.format("139%08d", n));
            if (ticket.statusCode() != 201) {
              throw new AssertionError("take-ticket answered " + ticket.statusCode() + ": " + ticket.body());
            }
          }
          return null;
        }));
      }
      for (Future<?> taker : takers) {
        taker.get(LIMIT.toMinutes(), TimeUnit.MINUTES);
      }

      ConcurrentLinkedQueue<String> called = new ConcurrentLinkedQueue<>();
      AtomicInteger finished = new AtomicInteger();
      List<Future<?>> windows = new ArrayList<>();
      long deadline = System.nanoTime() + LIMIT.toNanos();
      for (int w = 1; w <= WINDOWS; w++) {
        int window = w;
        HubProcess member = w <= WINDOWS / 2 ? first : second;
        windows.add(pool.submit(() -> {
          while (finished.get() < TICKETS) {
            if (System.nanoTime() > deadline) {
              throw new AssertionError("not through " + TICKETS + " tickets within " + LIMIT);
            }
            HttpResponse<String> call = QueueSetup.callNext(member, window);
            if (call.statusCode() == 404 && call.body().contains("HT-QUEUE-NO-TICKET")) {
              // Nothing left, or what is left goes to windows idle longer: ask again, as a terminal would.
              TimeUnit.MILLISECONDS.sleep(20);
              continue;
            }
            if (call.statusCode() != 200) {
              throw new AssertionError("call-next answered " + call.statusCode() + ": " + call.body());
            }
            String ticket = new JsonObject(call.body()).getString("id");
            called.add(ticket);
            HttpResponse<String> done = QueueSetup.finish(member, ticket);
            if (done.statusCode() != 200) {
              throw new AssertionError("finish answered " + done.statusCode() + ": " + done.body());
            }
            finished.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> window : windows) {
        window.get(LIMIT.toMinutes() + 1, TimeUnit.MINUTES);
      }

      assertEquals(TICKETS, called.size(), "calls answered");
      assertEquals(TICKETS, new HashSet<>(called).size(), "no ticket answered to two calls");
    } finally {
      pool.shutdownNow();
    }

    try (Connection db = first.database()) {
      assertEquals(TICKETS, count(db, "SELECT count(*) FROM queue.ticket WHERE state = 'finished' AND call_count = 1"));
      assertEquals(TICKETS, count(db, "SELECT count(*) FROM queue.ticket"));
      assertEquals(0, count(db, "SELECT count(*) FROM queue.service_window WHERE state <> 'idle'"));
      assertEquals(WINDOWS, count(db, "SELECT count(DISTINCT window_id) FROM queue.ticket"),
          "every window took part");
      List<JsonObject> events = QueueSetup.events(second);
      QueueSetup.assertGapless(events, count(db, "SELECT seq FROM queue.hall"));
      List<String> calls = events.stream().filter(e -> e.getString("type").equals("ticket.called"))
          .map(e -> e.getString("ticket")).toList();
      assertEquals(TICKETS, calls.size(), "ticket.called events");
      Set<String> distinct = new HashSet<>(calls);
      assertEquals(TICKETS, distinct.size(), "each ticket called once in the journal");
      assertEquals(distinct, events.stream().filter(e -> e.getString("type").equals("ticket.taken"))
          .map(e -> e.getString("ticket")).collect(Collectors.toSet()), "the tickets called are the tickets taken");
    }
  }

  private HubProcess started(HubProcess hub) throws Exception {
    hubs.add(0, hub);
    hub.start().awaitReady(Duration.ofMinutes(3));
    return hub;
  }
}
