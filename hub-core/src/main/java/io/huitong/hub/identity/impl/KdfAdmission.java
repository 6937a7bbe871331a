package io.huitong.hub.identity.impl;

import io.huitong.hub.http.Admission;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Password hashing behind an {@link Admission}: at most {@code maxInFlight} hashes run at once on a worker pool of
 * that size, at most {@code queue} more wait as long as the hashes ahead would let them finish within {@code maxWait},
 * and past that a request fails at once with {@link HubError#IDENTITY_BUSY} and a Retry-After (issue #6 item 5).
 * Thread-safe.
 */
final class KdfAdmission {
  private final WorkerExecutor workers;
  private final Admission admission;

  KdfAdmission(Vertx vertx, int maxInFlight, int queue, Duration maxWait) {
    this.workers = vertx.createSharedWorkerExecutor("identity-kdf", maxInFlight);
    this.admission = new Admission(maxInFlight, queue, maxWait, HubError.IDENTITY_BUSY,
        "This member's password hashing is at capacity: the hashes already waiting would hold this one too long");
  }

  /** Runs {@code work} on a KDF worker if there is room, else fails with IDENTITY_BUSY without running it. */
  <T> Uni<T> run(Callable<T> work) {
    // Ordered false: hashes of different logins need not wait for each other.
    return admission.admit(() -> workers.executeBlocking(Uni.createFrom().item(() -> {
      try {
        return work.call();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }), false));
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

  Uni<Void> close() {
    return workers.close();
  }
}
