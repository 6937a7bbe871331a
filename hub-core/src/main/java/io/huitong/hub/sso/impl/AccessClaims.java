package io.huitong.hub.sso.impl;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** What a verified access token says, and the revocation keys that can end it early. */
record AccessClaims(String jti, String sub, String clientId, String scope, String sid, String fid, long iat, long exp) {

  static AccessClaims of(JsonObject claims) {
    return new AccessClaims(claims.getString("jti"), claims.getString("sub"), claims.getString("client_id"),
        claims.getString("scope", ""), claims.getString("sid"), claims.getString("fid"),
        claims.getLong("iat", 0L), claims.getLong("exp", 0L));
  }

  List<String> revocationKeys() {
    return List.of("jti:" + jti, "client:" + clientId, "sid:" + sid, "fid:" + fid, "sub:" + sub);
  }

  boolean hasScope(String name) {
    return List.of(scope.split(" ")).contains(name);
  }
}
