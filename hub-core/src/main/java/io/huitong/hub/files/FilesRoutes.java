package io.huitong.hub.files;

import io.huitong.hub.http.HubError;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.ext.web.Router;
import java.util.function.Supplier;

/**
 * The tus endpoint: {@code /files/} creates uploads, {@code /files/{id}} is one upload, which GET downloads. No body handler: upload bodies
 * are streamed by {@link FileUploads#serve}. POST on an upload is there for {@code X-HTTP-Method-Override}.
 */
public final class FilesRoutes {
  public static final String PREFIX = "/files/";

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
    router.route(PREFIX).method(HttpMethod.POST).method(HttpMethod.OPTIONS).handler(ctx -> uploads().serve(ctx));
    router.route(PREFIX + ":id").method(HttpMethod.HEAD).method(HttpMethod.PATCH).method(HttpMethod.DELETE)
        .method(HttpMethod.POST).method(HttpMethod.OPTIONS).method(HttpMethod.GET).handler(ctx -> uploads().serve(ctx));
  }
}
