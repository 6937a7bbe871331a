package io.huitong.hub.http;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Admission control for one stage of a burst (password hashing, calls to outside verification services): at most
 * {@code maxInFlight} pieces of work run at once, at most {@code queue} more wait in arrival order, and past that a
 * request fails at once with the stage's busy error (a 503) and {@code Retry-After}, so a burst is answered quickly
 * rather than queued without bound (issue #6 item 5). Work that waited starts on its caller's Vert.x context.
 *
 * <p>A stage may also bound the time a request can expect to wait: given {@code maxWait}, a request is refused when
 * the work queued ahead of it, at the stage's recent pace (a moving average of how long admitted work held its slot),
 * would keep it from finishing within that time. The queue then holds as much as the machine gets through in
 * {@code maxWait}, on a slow machine or a busy one as on a fast one, and {@code queue} is only the upper bound.
 * Thread-safe.
 */
public final class Admission {
  public static final int RETRY_AFTER_SECONDS = 1;

  /** Weight of the newest sample in the moving average of slot time: 1/8, so a change of pace shows within a few. */
  private static final int PACE_SMOOTHING = 8;

  private final int maxInFlight;
  private final int capacity;
  /** 0: no bound on the expected wait. */
  private final long maxWaitNanos;
  private final LongSupplier nanoTime;
  private final HubError busy;
  private final String busyDetail;
  /** Running plus waiting. */
  private final AtomicInteger admitted = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
  /** Moving average of how long admitted work held its slot, ns; 0 until some has finished. */
  private final AtomicLong slotNanos = new AtomicLong();

  /**
   * A stage bounded by count alone.
   *
   * @param busy       the error past capacity (a 503)
   * @param busyDetail its detail, saying what is at capacity
   */
  public Admission(int maxInFlight, int queue, HubError busy, String busyDetail) {
    this(maxInFlight, queue, Duration.ZERO, busy, busyDetail, System::nanoTime);
  }

  /**
   * A stage bounded by count and by the wait a request can expect.
   *
   * @param maxWait    the longest a request may expect to take from arrival to the end of its work; zero: no bound
   * @param busy       the error past capacity (a 503)
   * @param busyDetail its detail, saying what is at capacity
   */
  public Admission(int maxInFlight, int queue, Duration maxWait, HubError busy, String busyDetail) {
    this(maxInFlight, queue, maxWait, busy, busyDetail, System::nanoTime);
  }

  Admission(int maxInFlight, int queue, Duration maxWait, HubError busy, String busyDetail, LongSupplier nanoTime) {
    if (maxInFlight < 1 || queue < 0 || maxWait.isNegative()) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, queue at least 0 and maxWait not negative");
    }
    this.maxInFlight = maxInFlight;
    this.capacity = maxInFlight + queue;
    this.maxWaitNanos = maxWait.toNanos();
    this.nanoTime = nanoTime;
    this.busy = busy;
    this.busyDetail = busyDetail;
  }

  /** Runs {@code work} (subscribed once admitted) if there is room, else fails with the busy error without running it. */
  public <T> Uni<T> admit(Supplier<Uni<T>> work) {
    return Uni.createFrom().emitter(emitter -> {
      if (!enter()) {
        emitter.fail(busy());
        return;
      }
      Context caller = Vertx.currentContext();
      Runnable start = () -> {
        long startedAt = nanoTime.getAsLong();
        Uni<T> started;
        try {
          started = work.get();
        } catch (RuntimeException e) {
          started = Uni.createFrom().failure(e);
        }
        started.onTermination().invoke(() -> finished(nanoTime.getAsLong() - startedAt))
            .subscribe().with(emitter::complete, emitter::fail);
      };
      waiting.add(caller == null ? start : () -> caller.runOnContext(v -> start.run()));
      drain();
    });
  }

  /**
   * Runs blocking {@code work} on {@code pool} (of {@code maxInFlight} threads) if there is room, else fails with the
   * busy error without running it. Unlike {@link #admit}, waiting work is started by the pool thread whose work just
   * finished, with no turn of an event loop in between (in a burst the event loops are busiest); the answer goes back
   * to the caller's context ({@link OnContext#resume}). Work a shut-down pool refuses fails with
   * IllegalStateException.
   */
  public <T> Uni<T> admitBlocking(Executor pool, Callable<T> work) {
    return Uni.createFrom().deferred(() -> {
      if (!enter()) {
        return Uni.createFrom().failure(busy());
      }
      return OnContext.resume(() -> {
        CompletableFuture<T> done = new CompletableFuture<>();
        waiting.add(() -> {
          try {
            pool.execute(() -> runBlocking(work, done));
          } catch (RejectedExecutionException refused) {
            running.decrementAndGet();
            admitted.decrementAndGet();
            done.completeExceptionally(new IllegalStateException("this stage's pool has shut down", refused));
          }
        });
        drain();
        return done;
      });
    });
  }

  /** On a pool thread: the slot is freed (and the next waiting work started) before the answer goes out. */
  private <T> void runBlocking(Callable<T> work, CompletableFuture<T> done) {
    long startedAt = nanoTime.getAsLong();
    T result = null;
    Throwable failure = null;
    try {
      result = work.call();
    } catch (Throwable e) {
      failure = e;
    }
    finished(nanoTime.getAsLong() - startedAt);
    if (failure != null) {
      done.completeExceptionally(failure);
    } else {
      done.complete(result);
    }
  }

  /**
   * Whether the request admitted as the {@code position}-th (counting running work) would, at the recent pace,
   * finish later than {@code maxWait}: it waits for the queue ahead of it to drain through {@code maxInFlight} slots,
   * then holds a slot itself. Up to one round ({@code maxInFlight}) may always wait, so a pace measured on cold code
   * (the first hashes after start) cannot shut the stage.
   */
  private boolean tooLong(int position) {
    long slot = slotNanos.get();
    long queuedAhead = position - 1 - maxInFlight;
    if (maxWaitNanos == 0 || slot == 0 || queuedAhead < maxInFlight) {
      return false;
    }
    return slot + slot * (queuedAhead + 1) / maxInFlight > maxWaitNanos;
  }

  private void finished(long heldNanos) {
    running.decrementAndGet();
    leave(heldNanos);
    drain();
  }

  /** Takes a place for new work, or refuses it (false) when the queue is full or the wait would be too long. */
  private boolean enter() {
    int position = admitted.incrementAndGet();
    if (position > capacity || tooLong(position)) {
      admitted.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Admitted work has run, holding its slot {@code heldNanos}; that sets the stage's pace. */
  private void leave(long heldNanos) {
    slotNanos.updateAndGet(avg -> avg == 0 ? heldNanos : avg + (heldNanos - avg) / PACE_SMOOTHING);
    admitted.decrementAndGet();
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
   * Whether a request arriving now would be refused (every slot and queue place taken, or the wait too long), so a
   * caller can refuse before work of its own that the refusal would waste. Only a hint: {@link #admit} still decides.
   */
  public boolean full() {
    int next = admitted.get() + 1;
    return next > capacity || tooLong(next);
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
