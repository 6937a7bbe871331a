package io.huitong.hub.http;

import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.impl.TCPServerBase;
import java.lang.reflect.Field;

/**
 * Closes an HTTP server's listening socket while leaving its open connections alone, so a draining hub refuses new
 * connections at the TCP level but lets requests in flight finish. Vert.x 4 has no such call ({@code close()} drops
 * every connection at once; Vert.x 5 adds {@code shutdown(Duration)}), so this reaches the bound Netty channel of
 * {@link TCPServerBase}. It is the only place the hub touches Vert.x internals; {@link #close} says when it could
 * not, and the caller then refuses connections one by one instead.
 */
final class ListenSocket {
  private ListenSocket() {
  }

  /** Closes the listening socket of {@code server}; returns false when this Vert.x version hides it. */
  static boolean close(HttpServer server) {
    try {
      Field actual = TCPServerBase.class.getDeclaredField("actualServer");
      actual.setAccessible(true);
      Object actualServer = actual.get(server);
      Field bind = TCPServerBase.class.getDeclaredField("bindFuture");
      bind.setAccessible(true);
      @SuppressWarnings("unchecked")
      Future<Channel> bound = (Future<Channel>) bind.get(actualServer);
      if (bound == null || !bound.succeeded()) {
        return false;
      }
      bound.result().close().syncUninterruptibly();
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
