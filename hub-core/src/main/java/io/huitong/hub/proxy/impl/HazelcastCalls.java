package io.huitong.hub.proxy.impl;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Hazelcast's asynchronous map calls as {@link Uni}s that resume on the caller's Vert.x context.
 *
 * <p>Hazelcast runs a future's dependent actions on its default async executor: {@code ForkJoinPool.commonPool()},
 * or, when the common pool has a parallelism of 1 (machines of 2 cores or fewer), a new thread for every action.
 * {@code Uni.createFrom().completionStage(...)} attaches such an action, so on the project's 2-core machines each
 * nonce check and rate-limit permit started a thread, and the rest of the call then ran on it instead of the event
 * loop. Here the action is only handed back to the event loop that made the call.
 */
final class HazelcastCalls {
  private HazelcastCalls() {
  }

  /** Calls {@code call} at subscription; its result is delivered on the caller's context (or where it completes, off Vert.x). */
  static <T> Uni<T> onCallerContext(Supplier<? extends CompletionStage<T>> call) {
    return Uni.createFrom().emitter(emitter -> {
      Context context = Vertx.currentContext();
      Executor caller = context == null ? Runnable::run : task -> context.runOnContext(v -> task.run());
      call.get().whenCompleteAsync((value, failure) -> {
        if (failure != null) {
          emitter.fail(failure);
        } else {
          emitter.complete(value);
        }
      }, caller);
    });
  }
}
