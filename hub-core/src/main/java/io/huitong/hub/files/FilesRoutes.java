package io.huitong.hub.files;

import io.huitong.hub.http.HubError;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import java.util.function.Supplier;

/**
 * The tus endpoint: {@code /files/} creates uploads, {@code /files/{id}} is one upload, which GET downloads. No body handler: upload bodies
 * are streamed by {@link FileUploads#serve}. POST on an upload is there for {@code X-HTTP-Method-Override}.
 * {@code POST /api/v1/files/grants}, signed by a consumer as for the proxy, issues an upload grant.
 */
public final class FilesRoutes {
  public static final String PREFIX = "/files/";
  public static final String GRANTS = "/api/v1/files/grants";
  /** A grant request carries nothing the hub reads; its body only counts for the signature. */
  private static final long GRANT_BODY_LIMIT = 4096;

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
    router.post(GRANTS).handler(BodyHandler.create(false).setBodyLimit(GRANT_BODY_LIMIT)).respond(ctx -> uploads().grant(ctx));
    router.route(PREFIX).method(HttpMethod.POST).method(HttpMethod.OPTIONS).handler(ctx -> uploads().serve(ctx));
    router.route(PREFIX + ":id").method(HttpMethod.HEAD).method(HttpMethod.PATCH).method(HttpMethod.DELETE)
        .method(HttpMethod.POST).method(HttpMethod.OPTIONS).method(HttpMethod.GET).handler(ctx -> uploads().serve(ctx));
  }
}
