package io.huitong.hub.files;

import io.huitong.hub.files.impl.TusServer;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.RoutingContext;

/** The resumable upload capability: what {@link FilesRoutes} serves. */
public interface FileUploads {

  /**
   * Starts serving uploads kept in {@code store} as cluster member {@code member} (uploads are held in its name while
   * written), and the periodic sweep of expired ones.
   */
  static Uni<FileUploads> start(Vertx vertx, Storage storage, UploadStore store, FilesConfig config, String member) {
    return TusServer.start(vertx, storage, store, config, member);
  }

  /**
   * Answers one tus request on the event loop it arrived on, errors included; the body of a PATCH, or of a POST with
   * data, is streamed to the store.
   */
  void serve(RoutingContext ctx);

  /** Stops the sweep; requests in flight finish on their own. */
  Uni<Void> close();
}
