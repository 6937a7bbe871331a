package io.huitong.hub.http;

import io.huitong.hub.logging.RequestContext;
import io.vertx.mutiny.ext.web.RoutingContext;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Gives every request one id: the caller's {@code X-Request-Id} when it is a sane token (so a portal can trace its
 * own call through the hub), else a fresh one. The id is echoed in the response header, stored on the routing
 * context for problem documents, and bound to the Vert.x context so every log line the request causes carries it.
 * Calls {@code next()}.
 */
public final class RequestIds implements Consumer<RoutingContext> {
  public static final String HEADER = "X-Request-Id";
  /** Routing-context key of the id. */
  public static final String KEY = "requestId";
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{8,64}");

  @Override
  public void accept(RoutingContext ctx) {
    String offered = ctx.request().getHeader(HEADER);
    String id = offered != null && ACCEPTED.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    RequestContext.bind(id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }
}
