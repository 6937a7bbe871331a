package io.huitong.hub.sso;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A relying system registered with the provider: a portal or a department system (OIDC client).
 *
 * @param redirectUris           exact redirect URIs the authorization endpoint accepts
 * @param postLogoutRedirectUris exact URIs logout may return the browser to
 * @param scopes                 scopes it may ask for ({@code openid} always among them)
 * @param signingAlg             {@code ES256} or {@code SM2SM3}: how its ID and access tokens are signed
 */
public record RelyingParty(String id, String name, List<String> redirectUris, List<String> postLogoutRedirectUris,
                           List<String> scopes, String signingAlg, Instant createdAt) {

  /** What an operator registers; the hub picks the id and the secret. In a change, null fields stay as they are. */
  public record Registration(String name, List<String> redirectUris, List<String> postLogoutRedirectUris,
                             List<String> scopes, String signingAlg) {

    /** These changes applied to {@code current}. */
    public Registration over(RelyingParty current) {
      return new Registration(name != null ? name : current.name(),
          redirectUris != null ? redirectUris : current.redirectUris(),
          postLogoutRedirectUris != null ? postLogoutRedirectUris : current.postLogoutRedirectUris(),
          scopes != null ? scopes : current.scopes(), signingAlg != null ? signingAlg : current.signingAlg());
    }
  }

  /** A new registration with its secret, shown this once. */
  public record Registered(RelyingParty client, String secret) {
  }

  public JsonObject toJson() {
    return new JsonObject().put("clientId", id).put("name", name).put("redirectUris", new JsonArray(redirectUris))
        .put("postLogoutRedirectUris", new JsonArray(postLogoutRedirectUris)).put("scopes", new JsonArray(scopes))
        .put("signingAlg", signingAlg).put("createdAt", createdAt.toString());
  }
}
