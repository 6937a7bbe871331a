package io.huitong.hub.http;

import io.vertx.mutiny.ext.web.RoutingContext;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per request once its response is written: method, path, status and time taken, under logger
 * {@code io.huitong.access}, carrying the request's id like every other line the request causes. Calls
 * {@code next()}; runs on the request's event loop.
 */
public final class AccessLog implements Consumer<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger("io.huitong.access");

  @Override
  public void accept(RoutingContext ctx) {
    if (LOG.isInfoEnabled()) {
      long began = System.nanoTime();
      ctx.addBodyEndHandler(() -> LOG.info("{} {} {} {}ms", ctx.request().method(), ctx.request().path(),
          ctx.response().getStatusCode(), (System.nanoTime() - began) / 1_000_000));
    }
    ctx.next();
  }
}
