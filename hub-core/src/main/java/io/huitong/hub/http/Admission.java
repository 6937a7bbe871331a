package io.huitong.hub.http;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Admission control for one stage of a burst (password hashing, calls to outside verification services): at most
 * {@code maxInFlight} pieces of work run at once, at most {@code queue} more wait in arrival order, and past that a
 * request fails at once with the stage's busy error (a 503) and {@code Retry-After}, so a burst is answered quickly
 * rather than queued without bound (issue #6 item 5). Work that waited starts on its caller's Vert.x context.
 * Thread-safe.
 */
public final class Admission {
  public static final int RETRY_AFTER_SECONDS = 1;

  private final int maxInFlight;
  private final int capacity;
  private final HubError busy;
  private final String busyDetail;
  /** Running plus waiting. */
  private final AtomicInteger admitted = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

  /**
   * @param busy       the error past capacity (a 503)
   * @param busyDetail its detail, saying what is at capacity
   */
  public Admission(int maxInFlight, int queue, HubError busy, String busyDetail) {
    if (maxInFlight < 1 || queue < 0) {
      throw new IllegalArgumentException("maxInFlight must be at least 1 and queue at least 0");
    }
    this.maxInFlight = maxInFlight;
    this.capacity = maxInFlight + queue;
    this.busy = busy;
    this.busyDetail = busyDetail;
  }

  /** Runs {@code work} (subscribed once admitted) if there is room, else fails with the busy error without running it. */
  public <T> Uni<T> admit(Supplier<Uni<T>> work) {
    return Uni.createFrom().emitter(emitter -> {
      if (admitted.incrementAndGet() > capacity) {
        admitted.decrementAndGet();
        emitter.fail(busy());
        return;
      }
      Context caller = Vertx.currentContext();
      Runnable start = () -> {
        Uni<T> started;
        try {
          started = work.get();
        } catch (RuntimeException e) {
          started = Uni.createFrom().failure(e);
        }
        started.onTermination().invoke(this::finished).subscribe().with(emitter::complete, emitter::fail);
      };
      waiting.add(caller == null ? start : () -> caller.runOnContext(v -> start.run()));
      drain();
    });
  }

  private void finished() {
    running.decrementAndGet();
    admitted.decrementAndGet();
    drain();
  }

  /** Starts waiting work while slots are free. A finisher frees its slot before draining, so no work is left behind. */
  private void drain() {
    while (!waiting.isEmpty()) {
      int now = running.get();
      if (now >= maxInFlight) {
        return;
      }
      if (!running.compareAndSet(now, now + 1)) {
        continue;
      }
      Runnable next = waiting.poll();
      if (next == null) {
        running.decrementAndGet();
        continue;
      }
      next.run();
    }
  }

  /**
   * Whether every slot and queue place is taken right now, so a caller can refuse before work of its own that the
   * refusal would waste. Only a hint: {@link #admit} still decides.
   */
  public boolean full() {
    return admitted.get() >= capacity;
  }

  /** The error a request past capacity gets: the stage's busy error with {@code Retry-After}. */
  public HubException busy() {
    return new HubException(busy, busyDetail, Map.of(Problems.RETRY_AFTER_SECONDS, RETRY_AFTER_SECONDS));
  }

  /** Work admitted and not finished (running or waiting). */
  public int admitted() {
    return admitted.get();
  }
}
