package io.huitong.hub.identity.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.http.Problems;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KdfAdmissionTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final Vertx vertx = Vertx.vertx();
  private final List<KdfAdmission> opened = new ArrayList<>();

  @AfterEach
  void close() {
    // Also when a test failed half-way: its pool's threads would otherwise hold whatever they were given.
    opened.forEach(admission -> admission.close().await().atMost(WAIT));
    vertx.closeAndAwait();
  }

  private KdfAdmission admission(int maxInFlight, int queue) {
    KdfAdmission admission = new KdfAdmission(maxInFlight, queue, Duration.ofMinutes(1));
    opened.add(admission);
    return admission;
  }

  @Test
  void pastTheSlotsAndTheQueueWorkIsRefusedAtOnceWithRetryAfter() throws Exception {
    KdfAdmission admission = admission(1, 1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    Uni<String> first = admission.run(() -> {
      running.countDown();
      assertTrue(release.await(10, TimeUnit.SECONDS));
      return Thread.currentThread().getName();
    }).memoize().indefinitely();
    first.subscribe().with(x -> { });
    assertTrue(running.await(10, TimeUnit.SECONDS));
    Uni<String> queued = admission.run(() -> "queued").memoize().indefinitely();
    queued.subscribe().with(x -> { });
    assertEquals(2, admission.inFlight());

    HubException refused = assertThrows(HubException.class, () -> admission.run(() -> "refused").await().atMost(WAIT));
    assertEquals(HubError.IDENTITY_BUSY, refused.error());
    assertEquals(1, refused.extensions().get(Problems.RETRY_AFTER_SECONDS));

    release.countDown();
    String worker = first.await().atMost(WAIT);
    assertTrue(worker.startsWith("identity-kdf"), "hashes run on the KDF pool, not " + worker);
    assertNotEquals("refused", queued.await().atMost(WAIT));
    assertEquals("again", admission.run(() -> "again").await().atMost(WAIT));
    assertEquals(0, admission.inFlight());
    admission.close().await().atMost(WAIT);
    assertThrows(IllegalStateException.class, () -> admission.run(() -> "closed").await().atMost(WAIT));
    assertEquals(0, admission.inFlight(), "a hash refused by the closed pool leaves its place");
  }

  @Test
  void aWaitingHashStartsWhileTheCallersEventLoopIsBusyAndIsAnsweredOnIt() throws Exception {
    KdfAdmission admission = admission(1, 4);
    io.vertx.core.Context loop = vertx.getDelegate().getOrCreateContext();
    CountDownLatch secondHashed = new CountDownLatch(1);
    CountDownLatch answered = new CountDownLatch(1);
    AtomicBoolean hashedWhileLoopBusy = new AtomicBoolean();
    AtomicReference<io.vertx.core.Context> answeredOn = new AtomicReference<>();
    loop.runOnContext(v -> {
      admission.run(() -> "first").subscribe().with(x -> { });
      admission.run(() -> {
        secondHashed.countDown();
        return "second";
      }).subscribe().with(x -> {
        answeredOn.set(io.vertx.core.Vertx.currentContext());
        answered.countDown();
      });
      // The event loop is held until the queued hash has run: the KDF thread must take it from the queue itself,
      // not wait for the loop to hand it over.
      try {
        hashedWhileLoopBusy.set(secondHashed.await(5, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertTrue(answered.await(10, TimeUnit.SECONDS));
    assertTrue(hashedWhileLoopBusy.get(), "the waiting hash started only once the event loop was free");
    assertSame(loop, answeredOn.get(), "answered on the caller's context");
  }

  @Test
  void aHashThatFailsIsPassedOnAndLeavesItsPlace() {
    KdfAdmission admission = admission(1, 0);
    IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> admission.run(() -> {
      throw new IllegalArgumentException("no such cost");
    }).await().atMost(WAIT));
    assertEquals("no such cost", thrown.getMessage());
    assertEquals(0, admission.inFlight());
    assertEquals("next", admission.run(() -> "next").await().atMost(WAIT));
  }

  @Test
  void closingWaitsUntilTheAdmittedHashesAreDone() throws Exception {
    KdfAdmission admission = admission(1, 1);
    CountDownLatch running = new CountDownLatch(1);
    AtomicBoolean hashed = new AtomicBoolean();
    Uni<String> admitted = admission.run(() -> {
      running.countDown();
      Thread.sleep(300);
      hashed.set(true);
      return "hashed";
    }).memoize().indefinitely();
    admitted.subscribe().with(x -> { });
    assertTrue(running.await(10, TimeUnit.SECONDS));

    admission.close().await().atMost(WAIT);
    assertTrue(hashed.get(), "close returned before the admitted hash was done");
    assertEquals("hashed", admitted.await().atMost(WAIT));
  }
}
