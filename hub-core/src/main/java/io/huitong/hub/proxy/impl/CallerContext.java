package io.huitong.hub.proxy.impl;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Futures completed elsewhere (Hazelcast's map calls, the call audit's commits) as {@link Uni}s that resume on the
 * caller's Vert.x context, so the rest of a call runs on the event loop it arrived on.
 *
 * <p>Hazelcast runs a future's dependent actions on its default async executor: {@code ForkJoinPool.commonPool()},
 * or, when the common pool has a parallelism of 1 (machines of 2 cores or fewer), a new thread for every action.
 * {@code Uni.createFrom().completionStage(...)} attaches such an action, so on the project's 2-core machines each
 * nonce check and rate-limit permit started a thread, and the rest of the call then ran on it instead of the event
 * loop. The call audit completes its commits on its own context, one event loop for every call of the member.
 */
final class CallerContext {
  private CallerContext() {
  }

  /** Calls {@code call} at subscription; its result is delivered on the caller's context (or where it completes, off Vert.x). */
  static <T> Uni<T> resume(Supplier<? extends CompletionStage<T>> call) {
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
