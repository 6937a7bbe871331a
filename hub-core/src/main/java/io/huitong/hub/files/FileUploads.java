package io.huitong.hub.files;

import io.huitong.config.Secret;
import io.huitong.hub.files.impl.TusServer;
import io.huitong.hub.proxy.ConsumerRegistry;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.RoutingContext;

/** The resumable upload capability: what {@link FilesRoutes} serves. */
public interface FileUploads {

  /**
   * Starts serving uploads kept in {@code store} as cluster member {@code member} (uploads are held in its name while
   * written), and the periodic sweep of expired ones.
   *
   * @param master    the hub's master key, which upload grants are MACed under a key derived from
   * @param consumers     who may ask for upload grants: the proxy's consumers, authenticated as the proxy does
   * @param operatorToken accepted in place of a grant: the operator may use any upload
   */
  static Uni<FileUploads> start(Vertx vertx, Storage storage, UploadStore store, FilesConfig config, String member,
                                MasterKey master, ConsumerRegistry consumers, Secret operatorToken) {
    return TusServer.start(vertx, storage, store, config, member, master, consumers, operatorToken);
  }

  /**
   * Answers one tus request on the event loop it arrived on, errors included; the body of a PATCH, or of a POST with
   * data, is streamed to the store.
   */
  void serve(RoutingContext ctx);

  /**
   * An upload grant for the consumer that signed the request as for the proxy: {@code {token, tokenType, expiresAt,
   * consumer}}. The request's body must have been read.
   */
  Uni<JsonObject> grant(RoutingContext ctx);

  /**
   * A consumer's upload quota and usage: {@code {consumer, quota, quotaSource, usage, uploads}}; 404
   * {@code HT-CONSUMER-NOT-FOUND} for an app key no consumer has.
   */
  Uni<JsonObject> usage(String consumer);

  /** Sets a consumer's own quota from {@code {"quota": bytes or a size such as "20GiB"}}; answers as {@link #usage}. */
  Uni<JsonObject> setQuota(String consumer, JsonObject request);

  /** Takes a consumer back to {@code files.quota}; answers as {@link #usage}. */
  Uni<JsonObject> clearQuota(String consumer);

  /** Stops the sweep; requests in flight finish on their own. */
  Uni<Void> close();
}
