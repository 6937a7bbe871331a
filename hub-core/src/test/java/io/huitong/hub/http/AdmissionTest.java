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
}
