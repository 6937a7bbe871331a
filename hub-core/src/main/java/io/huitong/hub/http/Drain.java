package io.huitong.hub.http;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Counts requests in flight so a shutdown can wait for them. Once draining has begun, a request arriving on a
 * connection that is still open is refused with {@link HubError#SHUTTING_DOWN} and told to close the connection.
 * The handler runs first on every request, on its event loop; it calls {@code next()} or ends the response.
 */
public final class Drain {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Problems problems;
  private volatile boolean draining;

  public Drain(Problems problems) {
    this.problems = problems;
  }

  /** The route handler that counts the request until its response ends or its connection closes. */
  public Consumer<RoutingContext> handler() {
    return ctx -> {
      // Counted before the flag is read: a shutdown that sees zero in flight has refused every later request.
      inFlight.incrementAndGet();
      if (draining) {
        inFlight.decrementAndGet();
        problems.send(ctx, HubError.SHUTTING_DOWN, "The hub is shutting down; retry on another member", Map.of());
        return;
      }
      ctx.getDelegate().addEndHandler(done -> inFlight.decrementAndGet());
      ctx.next();
    };
  }

  /** From now on new requests are refused; requests already admitted go on. */
  public void begin() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }

  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Completes with true once no request is in flight, or with false when {@code timeout} passes first. Polls on a
   * Vert.x timer; never blocks a thread.
   */
  public Uni<Boolean> awaitIdle(Vertx vertx, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    return Uni.createFrom().emitter(emitter -> {
      if (inFlight.get() == 0) {
        emitter.complete(true);
        return;
      }
      vertx.setPeriodic(20, id -> {
        if (inFlight.get() == 0 || System.nanoTime() >= deadline) {
          vertx.cancelTimer(id);
          emitter.complete(inFlight.get() == 0);
        }
      });
    });
  }
}
