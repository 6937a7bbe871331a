package io.huitong.hub.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** Brings a result computed on another thread (a Kafka client callback, say) back to the caller's Vert.x context. */
public final class OnContext {
  private OnContext() {
  }

  /** An executor for the calling thread's Vert.x context; call it on that context. */
  public static Executor current() {
    Context ctx = Vertx.currentContext();
    if (ctx == null) {
      throw new IllegalStateException("not on a Vert.x context");
    }
    return command -> ctx.runOnContext(v -> command.run());
  }

  /**
   * A future completed elsewhere (a Hazelcast map call, say) as a {@link Uni} that resumes on the caller's context,
   * so the rest of a request runs on the event loop it arrived on. Hazelcast runs a future's dependent actions on
   * {@code ForkJoinPool.commonPool()}, or on 2-core machines on a new thread per action; attaching the continuation
   * with the caller's context as executor avoids both. Off Vert.x, the result is delivered where it completes.
   */
  public static <T> Uni<T> resume(Supplier<? extends CompletionStage<T>> call) {
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
