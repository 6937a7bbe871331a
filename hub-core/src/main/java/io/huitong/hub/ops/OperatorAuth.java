package io.huitong.hub.ops;

import io.huitong.config.Secret;
import io.huitong.hub.http.HubError;
import io.vertx.mutiny.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * Guards {@code /api/v1/admin/**}: the request must carry {@code Authorization: Bearer <operator token>}. Calls
 * {@code next()} or fails the request with {@link HubError#UNAUTHORIZED} (401). Runs on the event loop; the
 * comparison takes the same time wherever a wrong token differs.
 */
public final class OperatorAuth implements Consumer<RoutingContext> {
  /** Routing-context key set to true once the operator token was accepted. */
  public static final String AUTHENTICATED = "operatorAuthenticated";
  private static final String SCHEME = "Bearer ";

  private final Secret token;

  public OperatorAuth(Secret token) {
    this.token = token;
  }

  @Override
  public void accept(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      ctx.fail(HubError.UNAUTHORIZED.exception("Send Authorization: Bearer <operator token>; scripts/hub token prints it"));
      return;
    }
    if (!token.matches(header.substring(SCHEME.length()).trim())) {
      ctx.fail(HubError.UNAUTHORIZED.exception("The operator token is not valid"));
      return;
    }
    ctx.put(AUTHENTICATED, Boolean.TRUE);
    ctx.next();
  }
}
