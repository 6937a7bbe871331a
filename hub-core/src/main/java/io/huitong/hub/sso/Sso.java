package io.huitong.hub.sso;

import com.hazelcast.core.HazelcastInstance;
import io.huitong.hub.identity.Identity;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.sso.impl.PgSso;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.util.List;
import java.util.Map;

/**
 * The OpenID Connect provider. Protocol failures are {@link OAuthException}s, failures of the person's login the
 * {@link io.huitong.hub.http.HubException}s of {@link io.huitong.hub.identity.Accounts#authenticate}, failures of
 * the administration API {@code HubException}s. The {@code Uni}s complete on the caller's Vert.x context.
 */
public interface Sso {

  /** Where a browser is sent next: a relying party's redirect URI with a code or an error, or the login form. */
  record Authorization(String redirect, boolean loginRequired) {
  }

  /**
   * What a logout request comes to: the person must first confirm that the browser's session ends
   * ({@code confirm}), or it is over and the browser goes to {@code redirect} (null: the signed-out page).
   */
  record Logout(boolean confirm, String redirect) {
  }

  /** A completed login: the session cookie's value and the redirect back to the relying party with a code. */
  record SignOn(String sessionCookie, String redirect) {
  }

  /** A client's id and secret, from HTTP Basic or the form (either may be null). */
  record ClientCredentials(String clientId, String secret) {
  }

  String issuer();

  /** Whether the session cookie must be {@code Secure} (the issuer is https). */
  boolean secureCookies();

  JsonObject discovery();

  /** The JWKS: P-256 keys ({@code sm2} false, the discovery's {@code jwks_uri}), or SM2 keys. */
  JsonObject jwks(boolean sm2);

  /** The CSRF token the login form carries for a browser whose CSRF cookie is {@code browserNonce}. */
  String csrfToken(String browserNonce);

  Uni<RelyingParty.Registered> registerClient(RelyingParty.Registration registration, Identity.Origin origin);

  /** The client, or null. */
  Uni<RelyingParty> client(String clientId);

  /** The registered clients, oldest first (at most 1,000). */
  Uni<List<RelyingParty>> clients();

  /**
   * Changes the fields {@code changes} holds (null ones stay); null when there is no such client. Every member sees
   * the change at once. Tokens issued before keep their scope until they expire; a refresh grant
   * issues only the scopes the client still has.
   */
  Uni<RelyingParty> updateClient(String clientId, RelyingParty.Registration changes, Identity.Origin origin);

  /** Gives the client a new secret, returned this once; the old one stops working. Null when there is no client. */
  Uni<String> rotateClientSecret(String clientId, Identity.Origin origin);

  /** Deletes the client and revokes every token issued to it; false when there was none. */
  Uni<Boolean> deleteClient(String clientId, Identity.Origin origin);

  /** Replaces the active signing keys now; the old ones stay in the JWKS for {@code sso.key-retention}. */
  Uni<Void> rotateKeys(Identity.Origin origin);

  /**
   * Checks an authorization request and, with a live session ({@code sessionCookie}), answers the redirect with a
   * code; fails with an {@link OAuthException} when the client or redirect URI is not valid (no redirect is safe).
   */
  Uni<Authorization> authorize(AuthorizationRequest request, String sessionCookie);

  /** Logs the person in through the accounts, opens a session shared by the cluster and issues a code. */
  Uni<SignOn> signIn(AuthorizationRequest request, String login, String password, String smsCode, Identity.Origin origin);

  /** The token endpoint: {@code authorization_code} (PKCE S256) and {@code refresh_token} grants. */
  Uni<JsonObject> token(Map<String, String> form, ClientCredentials credentials);

  /** The claims of the access token's subject, or {@code invalid_token}. */
  Uni<JsonObject> userinfo(String accessToken);

  /**
   * For other capabilities serving a person with the token a portal presents ({@code Authorization: Bearer}): whom a
   * live access token speaks for, checked as userinfo checks it (signature, expiry, revocation, active account) and
   * from the same cache of verified tokens; fails with an {@link OAuthException} {@code invalid_token} otherwise.
   */
  Uni<TokenSubject> verifyAccessToken(String accessToken);

  /** RFC 7662: {@code {"active": false}} for anything not a live token of this provider. */
  Uni<JsonObject> introspect(String token, ClientCredentials credentials);

  /** RFC 7009: revokes an access token, or a refresh token with its family. */
  Uni<Void> revoke(String token, ClientCredentials credentials);

  /**
   * RP-initiated logout: ends the browser's session (its cookie) and revokes its tokens, at once when the ID token
   * hint is of that session, else once the person has confirmed ({@code confirmed}: the confirmation form came back).
   * Without a session there is nothing to end, and the browser is only sent on.
   */
  Uni<Logout> logout(String idTokenHint, String clientId, String postLogoutRedirectUri, String state,
                     String sessionCookie, boolean confirmed, Identity.Origin origin);

  Uni<Void> close();

  static Uni<Sso> start(Vertx vertx, Storage storage, MasterKey master, AuditLog audit, HazelcastInstance hazelcast,
                        Identity accounts, SsoConfig config) {
    return PgSso.start(vertx, storage, master, audit, hazelcast, accounts, config);
  }
}
