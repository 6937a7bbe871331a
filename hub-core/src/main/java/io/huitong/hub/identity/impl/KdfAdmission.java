package io.huitong.hub.identity.impl;

import io.huitong.hub.http.Admission;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.http.OnContext;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Password hashing behind an {@link Admission}: hashes run on {@code maxInFlight} threads of their own, at most
 * {@code queue} more wait as long as the hashes ahead would let them finish within {@code maxWait}, and past that a
 * request fails at once with {@link HubError#IDENTITY_BUSY} and a Retry-After (issue #6 item 5).
 *
 * <p>A hashing thread that finishes starts the next waiting hash itself ({@link Admission#admitBlocking}). Handing
 * each hash over through an event loop (as a Vert.x worker executor behind the admission's queue did) left a thread
 * idle for an event-loop turn between hashes, and during a burst the event loops are busiest. Answers go back to the
 * caller's context. Thread-safe.
 */
final class KdfAdmission {
  /** How long {@link #close} waits for admitted hashes: far more than a queue of {@code max-wait} takes. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final ExecutorService hashers;
  private final Admission admission;

  KdfAdmission(int maxInFlight, int queue, Duration maxWait) {
    AtomicInteger threads = new AtomicInteger();
    // The admission keeps what waits and starts at most maxInFlight at once: the pool's queue stays short.
    this.hashers = Executors.newFixedThreadPool(maxInFlight, task -> {
      Thread thread = new Thread(task, "identity-kdf-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.admission = new Admission(maxInFlight, queue, maxWait, HubError.IDENTITY_BUSY,
        "This member's password hashing is at capacity: the hashes already waiting would hold this one too long");
  }

  /** Runs {@code work} on a KDF thread if there is room, else fails with IDENTITY_BUSY without running it. */
  <T> Uni<T> run(Callable<T> work) {
    return admission.admitBlocking(hashers, work);
  }

  /** Whether every hashing slot and queue place is taken now; a hint, see {@link Admission#full}. */
  boolean full() {
    return admission.full();
  }

  /** The error a login past capacity gets. */
  HubException busy() {
    return admission.busy();
  }

  /** Hashes admitted and not finished. */
  int inFlight() {
    return admission.admitted();
  }

  /**
   * Stops taking hashes and completes once those admitted have been hashed and handed to their callers' contexts (at
   * most {@link #CLOSE_WAIT}), so a caller is answered while its event loop and the database are still open.
   */
  Uni<Void> close() {
    hashers.shutdown();
    // A thread of its own for the wait: a shared pool's thread would be held for up to CLOSE_WAIT.
    return OnContext.resume(() -> CompletableFuture.runAsync(() -> {
      try {
        hashers.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, task -> new Thread(task, "identity-kdf-close").start()));
  }
}
