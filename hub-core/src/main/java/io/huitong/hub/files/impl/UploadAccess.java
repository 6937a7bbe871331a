package io.huitong.hub.files.impl;

import io.huitong.config.Secret;
import io.huitong.hub.files.FilesConfig;
import io.huitong.hub.files.impl.UploadTable.Upload;
import io.huitong.hub.http.HubError;
import io.huitong.hub.proxy.ConsumerRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.http.HttpServerRequest;
import io.vertx.mutiny.ext.web.RoutingContext;

/**
 * Who a tus request acts for, and which uploads it may touch. With {@code files.access: grant} every request but
 * OPTIONS sends {@code Authorization: Bearer <upload grant>}; the grant's consumer owns what it creates, and another
 * consumer's upload is answered 404 as if it did not exist, so upload ids do not leak. The operator token is accepted
 * in place of a grant: the operator may use any upload (an export archive, a material's file). With {@code open}
 * every request may use every upload.
 */
final class UploadAccess {
  private static final String BEARER = "Bearer ";

  private final boolean open;
  private final UploadGrants grants;
  private final ConsumerRegistry consumers;
  private final Secret operatorToken;

  UploadAccess(FilesConfig.Access config, UploadGrants grants, ConsumerRegistry consumers, Secret operatorToken) {
    this.open = config.open();
    this.grants = grants;
    this.consumers = consumers;
    this.operatorToken = operatorToken;
  }

  /**
   * The app key of the consumer {@code request} acts for; null for a caller who may use any upload and whose uploads
   * belong to nobody: anyone while access is open, the operator otherwise. 401 when the grant is missing, malformed,
   * forged or expired. Runs on the request's event loop without blocking.
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
    String token = authorization.substring(BEARER.length()).trim();
    return operatorToken.matches(token) ? null : grants.verify(token);
  }

  /** Whether {@code caller} ({@link #caller}) may read, write, delete or concatenate {@code upload}. */
  static boolean mayUse(String caller, Upload upload) {
    return caller == null || caller.equals(upload.owner());
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
