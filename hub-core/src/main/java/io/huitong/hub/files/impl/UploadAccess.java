package io.huitong.hub.files.impl;

import io.huitong.hub.files.FilesConfig;
import io.huitong.hub.files.impl.UploadTable.Upload;
import io.huitong.hub.http.HubError;
import io.huitong.hub.proxy.ConsumerRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.http.HttpServerRequest;
import io.vertx.mutiny.ext.web.RoutingContext;
import java.util.Objects;

/**
 * Who a tus request acts for, and which uploads it may touch. With {@code files.access: grant} every request but
 * OPTIONS sends {@code Authorization: Bearer <upload grant>}; the grant's consumer owns what it creates, and another
 * consumer's upload is answered 404 as if it did not exist, so upload ids do not leak. With {@code open} there is no
 * caller and every upload is everybody's.
 */
final class UploadAccess {
  private static final String BEARER = "Bearer ";

  private final boolean open;
  private final UploadGrants grants;
  private final ConsumerRegistry consumers;

  UploadAccess(FilesConfig.Access config, UploadGrants grants, ConsumerRegistry consumers) {
    this.open = config.open();
    this.grants = grants;
    this.consumers = consumers;
  }

  /**
   * The app key of the consumer {@code request} acts for; null when access is open. 401 when the grant is missing,
   * malformed, forged or expired. Runs on the request's event loop without blocking.
   */
  String caller(HttpServerRequest request) {
    if (open) {
      return null;
    }
    String authorization = request.getHeader("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw HubError.UPLOAD_GRANT_MISSING.exception("Send Authorization: Bearer <token>, the token from a signed"
          + " POST /api/v1/files/grants");
    }
    return grants.verify(authorization.substring(BEARER.length()).trim());
  }

  /** Whether {@code caller} may read, write, delete or concatenate {@code upload}. */
  boolean mayUse(String caller, Upload upload) {
    return open || Objects.equals(caller, upload.owner());
  }

  /**
   * A grant for the consumer that signed {@code ctx}'s request as for the proxy: {@code {token, tokenType,
   * expiresAt}}. Fails as the proxy's authentication does (401, 403).
   */
  Uni<JsonObject> grant(RoutingContext ctx) {
    return consumers.authenticate(ctx).map(appKey -> {
      UploadGrants.Grant grant = grants.issue(appKey);
      return new JsonObject().put("token", grant.token()).put("tokenType", "Bearer")
          .put("expiresAt", grant.expiresAt().toString()).put("consumer", appKey);
    });
  }
}
