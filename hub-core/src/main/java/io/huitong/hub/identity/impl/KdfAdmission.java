package io.huitong.hub.identity.impl;

import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.http.Problems;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission control for password hashing: at most {@code maxInFlight} hashes run at once on a worker pool of that
 * size, at most {@code queue} more wait, and past that a request fails at once with {@link HubError#IDENTITY_BUSY}
 * and a Retry-After, so a login burst is answered quickly rather than queued without bound (issue #6 item 5).
 * Thread-safe.
 */
final class KdfAdmission {
  private static final int RETRY_AFTER_SECONDS = 1;

  private final WorkerExecutor workers;
  private final int capacity;
  private final AtomicInteger admitted = new AtomicInteger();

  KdfAdmission(Vertx vertx, int maxInFlight, int queue) {
    this.workers = vertx.createSharedWorkerExecutor("identity-kdf", maxInFlight);
    this.capacity = maxInFlight + queue;
  }

  /** Runs {@code work} on a KDF worker if there is room, else fails with IDENTITY_BUSY without running it. */
  <T> Uni<T> run(Callable<T> work) {
    return Uni.createFrom().deferred(() -> {
      if (admitted.incrementAndGet() > capacity) {
        admitted.decrementAndGet();
        return Uni.createFrom().failure(new HubException(HubError.IDENTITY_BUSY,
            "Every password-hashing slot and queue place of this member is taken",
            Map.of(Problems.RETRY_AFTER_SECONDS, RETRY_AFTER_SECONDS)));
      }
      // Ordered false: hashes of different logins need not wait for each other.
      return workers.executeBlocking(Uni.createFrom().item(() -> {
        try {
          return work.call();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }), false).onTermination().invoke(admitted::decrementAndGet);
    });
  }

  /** Hashes admitted and not finished. */
  int inFlight() {
    return admitted.get();
  }

  Uni<Void> close() {
    return workers.close();
  }
}
