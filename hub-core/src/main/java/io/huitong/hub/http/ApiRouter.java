package io.huitong.hub.http;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.Router;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds the router every HTTP server instance uses: request ids, the access log and drain accounting first, then each
 * capability's routes, and problem+json for every error (404, 405, 413 and failures included).
 */
public final class ApiRouter {
  private ApiRouter() {
  }

  /**
   * @param mounts each capability's routes, added in order
   */
  public static Router create(Vertx vertx, Problems problems, Drain drain, List<Consumer<Router>> mounts) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds()).handler(new AccessLog()).handler(drain.handler());
    mounts.forEach(m -> m.accept(router));
    AllowedMethods allowed = AllowedMethods.of(router);
    for (int status : new int[] {400, 401, 404, 413, 415, 500}) {
      router.errorHandler(status, problems::sendFailure);
    }
    // RFC 9110 requires a 405 to say which methods the resource does take.
    router.errorHandler(405, ctx -> {
      ctx.response().putHeader("Allow", allowed.forPath(ctx.request().path()));
      problems.sendFailure(ctx);
    });
    router.route().failureHandler(problems::sendFailure);
    return router;
  }
}
