package io.huitong.hub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void atMostMaxInFlightRunThenTheQueueInOrderAndPastItABusyErrorAtOnce() {
    Admission admission = new Admission(2, 2, HubError.VERIFICATION_BUSY, "full");
    List<UniEmitter<? super String>> pending = new CopyOnWriteArrayList<>();
    List<String> started = new CopyOnWriteArrayList<>();
    List<Uni<String>> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String name = "call-" + i;
      Uni<String> answer = admission.admit(() -> Uni.createFrom().<String>emitter(e -> {
        started.add(name);
        pending.add(e);
      })).memoize().indefinitely();
      answer.subscribe().with(x -> { }, x -> { });
      answers.add(answer);
    }
    assertEquals(List.of("call-0", "call-1"), started);
    assertEquals(4, admission.admitted());
    assertTrue(admission.full());

    HubException refused = assertThrows(HubException.class,
        () -> admission.admit(() -> Uni.createFrom().item("late")).await().atMost(WAIT));
    assertEquals(HubError.VERIFICATION_BUSY, refused.error());
    assertEquals(Admission.RETRY_AFTER_SECONDS, refused.extensions().get(Problems.RETRY_AFTER_SECONDS));

    pending.get(0).complete("done-0");
    assertEquals("done-0", answers.get(0).await().atMost(WAIT));
    assertFalse(admission.full(), "a queue place is free again");
    assertEquals(List.of("call-0", "call-1", "call-2"), started);
    pending.get(1).fail(new IllegalStateException("down"));
    assertThrows(IllegalStateException.class, () -> answers.get(1).await().atMost(WAIT));
    assertEquals(List.of("call-0", "call-1", "call-2", "call-3"), started);
    pending.get(2).complete("done-2");
    pending.get(3).complete("done-3");
    assertEquals("done-3", answers.get(3).await().atMost(WAIT));
    assertEquals(0, admission.admitted());
    assertEquals("free", admission.admit(() -> Uni.createFrom().item("free")).await().atMost(WAIT));
  }

  @Test
  void withAWaitBoundTheQueueHoldsWhatTheRecentPaceGetsThroughInThatTime() {
    AtomicLong clock = new AtomicLong();
    Admission admission = new Admission(1, 100, Duration.ofMillis(1000), HubError.IDENTITY_BUSY, "slow",
        clock::get);
    List<UniEmitter<? super String>> pending = new CopyOnWriteArrayList<>();
    List<Uni<String>> answers = new ArrayList<>();
    Runnable admitOne = () -> {
      Uni<String> answer = admission.admit(() -> Uni.createFrom().<String>emitter(pending::add)).memoize().indefinitely();
      answer.subscribe().with(x -> { }, x -> { });
      answers.add(answer);
    };

    // Before any work has finished there is no pace, so only the count bounds the queue.
    admitOne.run();
    clock.addAndGet(Duration.ofMillis(200).toNanos());
    pending.get(0).complete("first");
    assertEquals(0, admission.admitted());

    // 200 ms a slot: the n-th waiting request expects 200 ms for each one ahead, its own turn and its own work.
    for (int i = 0; i < 5; i++) {
      admitOne.run();
    }
    assertEquals(5, admission.admitted(), "one running, four waiting: the last expects 200 + 4 x 200 = 1,000 ms");
    assertTrue(admission.full());
    HubException refused = assertThrows(HubException.class,
        () -> admission.admit(() -> Uni.createFrom().item("late")).await().atMost(WAIT));
    assertEquals(HubError.IDENTITY_BUSY, refused.error());

    // The pace slows (one piece of work held its slot 1 s): fewer may wait than the count allows.
    clock.addAndGet(Duration.ofMillis(1000).toNanos());
    pending.get(1).complete("slow");
    assertEquals(4, admission.admitted());
    assertTrue(admission.full(), "at 300 ms a slot a fourth waiting request would expect 1,500 ms");
    assertThrows(HubException.class, () -> admission.admit(() -> Uni.createFrom().item("late")).await().atMost(WAIT));

    for (int i = 2; i < 6; i++) {
      pending.get(i).complete("done-" + i);
    }
    assertEquals("done-5", answers.get(5).await().atMost(WAIT));
    assertEquals(0, admission.admitted());
  }

  @Test
  void aPaceMeasuredOnColdCodeStillLetsOneRoundWait() {
    AtomicLong clock = new AtomicLong();
    Admission admission = new Admission(2, 100, Duration.ofMillis(100), HubError.IDENTITY_BUSY, "slow", clock::get);
    List<UniEmitter<? super String>> pending = new CopyOnWriteArrayList<>();
    admission.admit(() -> Uni.createFrom().<String>emitter(pending::add)).subscribe().with(x -> { }, x -> { });
    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    pending.get(0).complete("cold");

    for (int i = 0; i < 4; i++) {
      admission.admit(() -> Uni.createFrom().<String>emitter(pending::add)).subscribe().with(x -> { }, x -> { });
    }
    assertEquals(4, admission.admitted(), "two running and two waiting, though each expects far more than 100 ms");
    assertTrue(admission.full());
  }
}
