package io.huitong.hub.files;

import io.huitong.hub.http.HubError;
import io.huitong.hub.http.JsonBody;
import io.huitong.hub.ops.AdminRoutes;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import java.util.function.Supplier;

/**
 * The tus endpoint: {@code /files/} creates uploads, {@code /files/{id}} is one upload, which GET downloads. No body handler: upload bodies
 * are streamed by {@link FileUploads#serve}. POST on an upload is there for {@code X-HTTP-Method-Override}.
 * {@code POST /api/v1/files/grants}, signed by a consumer as for the proxy, issues an upload grant. For operators,
 * under {@code /api/v1/admin/files/consumers/{appKey}}: a consumer's quota and usage, and its own quota; the operator
 * guard of {@link AdminRoutes} runs first there.
 */
public final class FilesRoutes {
  public static final String PREFIX = "/files/";
  public static final String GRANTS = "/api/v1/files/grants";
  private static final String CONSUMER = AdminRoutes.PREFIX + "/files/consumers/:appKey";
  /**
   * The largest body of a grant request (it carries nothing the hub reads; its body only counts for the signature)
   * and of a quota.
   */
  private static final long SMALL_BODY_LIMIT = 4096;

  private final Supplier<FileUploads> started;

  /** @param started the capability once start-up has opened it, null before */
  public FilesRoutes(Supplier<FileUploads> started) {
    this.started = started;
  }

  private FileUploads uploads() {
    FileUploads u = started.get();
    if (u == null) {
      throw HubError.NOT_READY.exception("Uploads are available once the database is up");
    }
    return u;
  }

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(SMALL_BODY_LIMIT);
    router.post(GRANTS).handler(body).respond(ctx -> uploads().grant(ctx));
    router.get(CONSUMER).respond(ctx -> uploads().usage(ctx.pathParam("appKey")));
    router.put(CONSUMER + "/quota").handler(body)
        .respond(ctx -> uploads().setQuota(ctx.pathParam("appKey"), JsonBody.of(ctx).object()));
    router.delete(CONSUMER + "/quota").respond(ctx -> uploads().clearQuota(ctx.pathParam("appKey")));
    router.route(PREFIX).method(HttpMethod.POST).method(HttpMethod.OPTIONS).handler(ctx -> uploads().serve(ctx));
    router.route(PREFIX + ":id").method(HttpMethod.HEAD).method(HttpMethod.PATCH).method(HttpMethod.DELETE)
        .method(HttpMethod.POST).method(HttpMethod.OPTIONS).method(HttpMethod.GET).handler(ctx -> uploads().serve(ctx));
  }
}
