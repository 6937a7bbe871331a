package io.huitong.hub.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;

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
}
