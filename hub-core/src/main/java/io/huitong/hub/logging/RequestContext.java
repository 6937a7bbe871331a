package io.huitong.hub.logging;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxThread;

/**
 * The request id of the HTTP request being handled, kept on the Vert.x context. Vert.x runs each request on its own
 * duplicated context and continues its callbacks (database, blocking work) on that context, so every log line the
 * request causes can name it, where a thread-local MDC would lose it at the first asynchronous hop.
 */
public final class RequestContext {
  private static final String KEY = "huitong.request-id";

  private RequestContext() {
  }

  /** Binds {@code requestId} to the current Vert.x context; called once per request, on its event loop. */
  public static void bind(String requestId) {
    Context ctx = Vertx.currentContext();
    if (ctx != null) {
      ctx.putLocal(KEY, requestId);
    }
  }

  /** The request id bound to the calling thread's Vert.x context, or null outside a request. */
  public static String current() {
    // Only Vert.x threads run requests. Asking Vert.x on another thread, from inside a log call, could start
    // VertxImpl's class initialiser while another thread's initialiser waits for Vert.x's logger factory, whose own
    // initialiser logs: a start-up hung that way (two class initialisers waiting on each other).
    if (!(Thread.currentThread() instanceof VertxThread)) {
      return null;
    }
    Context ctx = Vertx.currentContext();
    return ctx == null ? null : ctx.getLocal(KEY);
  }
}
