package io.huitong.hub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.hub.Eventually;
import io.huitong.hub.storage.ScratchDatabase;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The audit log over the machine's PostgreSQL: events recorded together are committed together (group commit), each
 * event's answer means its row is there, and a row the database refuses fails only its own event.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditLogIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private final Vertx vertx = Vertx.vertx();
  private final Storage storage = new Storage();
  private ScratchDatabase database;
  private AuditLog audit;

  @BeforeAll
  void start() throws Exception {
    database = ScratchDatabase.create("audit", "ops");
    storage.open(vertx, database.location(), 2);
    audit = AuditLog.create(storage, "it-node");
  }

  @AfterAll
  void stop() throws Exception {
    storage.close().await().atMost(LIMIT);
    vertx.closeAndAwait();
    database.close();
  }

  @Test
  void eventsRecordedWhileAWriteIsInFlightAreCommittedTogetherAndEachAnswerMeansItsRowIsThere() throws Exception {
    List<Uni<Void>> answers = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      answers.add(audit.record(event("burst", "user-" + i, new JsonObject().put("n", i))).memoize().indefinitely());
    }
    answers.forEach(a -> a.subscribe().with(x -> { }, x -> { }));
    for (Uni<Void> a : answers) {
      a.await().atMost(LIMIT);
    }

    Set<String> targets = new TreeSet<>();
    Set<Long> transactions = new TreeSet<>();
    try (Connection c = database.connect(); Statement s = c.createStatement();
         ResultSet rows = s.executeQuery("SELECT target, xmin::text::bigint FROM ops.audit_log WHERE action = 'burst'")) {
      while (rows.next()) {
        targets.add(rows.getString(1));
        transactions.add(rows.getLong(2));
      }
    }
    assertEquals(300, targets.size(), "every answered event has its row");
    assertTrue(transactions.size() < 300, "300 events recorded at once took " + transactions.size() + " transactions");
    assertTrue(transactions.size() >= 2, "no transaction holds more than " + 256 + " events");

    List<AuditEntry> newest = audit.page(Long.MAX_VALUE, 1).await().atMost(LIMIT);
    assertEquals("it-node", newest.get(0).node());
    assertEquals("burst", newest.get(0).event().action());
  }

  @Test
  void aRowTheDatabaseRefusesFailsOnlyItsOwnEvent() {
    List<Uni<Void>> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      // PostgreSQL's jsonb holds no NUL character: this one row cannot be stored.
      JsonObject detail = i == 7 ? new JsonObject().put("bad", "\u0000") : new JsonObject().put("n", i);
      answers.add(audit.record(event("mixed", "user-" + i, detail)).memoize().indefinitely());
    }
    answers.forEach(a -> a.subscribe().with(x -> { }, x -> { }));
    for (int i = 0; i < answers.size(); i++) {
      Uni<Void> answer = answers.get(i);
      if (i == 7) {
        assertThrows(RuntimeException.class, () -> answer.await().atMost(LIMIT));
      } else {
        answer.await().atMost(LIMIT);
      }
    }
    List<AuditEntry> page = audit.page(Long.MAX_VALUE, 100).await().atMost(LIMIT);
    long mixed = page.stream().filter(e -> e.event().action().equals("mixed")).count();
    assertEquals(19, mixed, "the 19 good events are stored, the refused one is not");
  }

  @Test
  void eachCallerHearsBackOnItsOwnVertxContext() throws Exception {
    List<CompletableFuture<Boolean>> answers = new ArrayList<>();
    List<Context> contexts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      // getOrCreateContext() would give this thread's one sticky context eight times.
      contexts.add(((io.vertx.core.impl.VertxInternal) vertx.getDelegate()).createEventLoopContext());
    }
    // Each context records 25 events at once, so most wait for a write another context started.
    for (Context context : contexts) {
      context.runOnContext(v -> {
        for (int i = 0; i < 25; i++) {
          CompletableFuture<Boolean> onItsContext = new CompletableFuture<>();
          audit.record(event("contexts", "caller-" + i, new JsonObject())).subscribe().with(
              done -> onItsContext.complete(io.vertx.core.Vertx.currentContext() == context),
              onItsContext::completeExceptionally);
          synchronized (answers) {
            answers.add(onItsContext);
          }
        }
      });
    }
    Eventually.holds("every context's 25 recordings started", LIMIT, () -> {
      synchronized (answers) {
        return answers.size() == 200;
      }
    });
    for (CompletableFuture<Boolean> answer : answers) {
      assertTrue(answer.get(60, TimeUnit.SECONDS), "an answer came on another context than its caller's");
    }
  }

  private static AuditEvent event(String action, String target, JsonObject detail) {
    return new AuditEvent("operator:it", action, target, "ok", null, "127.0.0.1", detail);
  }
}
