package io.huitong.hub.sso.impl;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.huitong.crypto.Sm3Mac;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.OnContext;
import io.huitong.hub.identity.Account;
import io.huitong.hub.identity.Identity;
import io.huitong.hub.ops.AuditEvent;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.sso.AuthorizationRequest;
import io.huitong.hub.sso.OAuthException;
import io.huitong.hub.sso.RelyingParty;
import io.huitong.hub.sso.Sso;
import io.huitong.hub.sso.SsoConfig;
import io.huitong.hub.sso.TokenSubject;
import io.huitong.hub.storage.BatchedStatement;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.eventbus.MessageConsumer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider: clients, signing keys and refresh tokens in PostgreSQL (schema {@code sso}); sessions, authorization
 * codes and revocations in the Hazelcast cluster, so any member continues what another began. Tokens are compact
 * JWS signed with the client's algorithm; signing and verifying a token takes well under a millisecond and runs on
 * the event loop, password hashing runs on the accounts' admission-controlled hashing threads.
 */
public final class PgSso implements Sso {
  private static final Logger LOG = LoggerFactory.getLogger(PgSso.class);
  static final String SESSIONS = "huitong.sso.sessions";
  static final String CODES = "huitong.sso.codes";
  private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
  /** {@code cases}: the person's own cases through the case API (docs/cases.md), for portals registered for it. */
  private static final Set<String> SUPPORTED_SCOPES = Set.of("openid", "profile", "cases");
  private static final Duration KEY_CHECK = Duration.ofMinutes(1);
  private static final Duration CLIENT_CACHE = Duration.ofSeconds(10);
  private static final int MAX_URIS = 20;
  private static final int MAX_CLIENTS_LISTED = 1000;
  private static final String CLIENT_CHANGED = "huitong.sso.client-changed";
  private static final String CLIENT_COLUMNS = "id, name, redirect_uris, post_logout_redirect_uris, scopes,"
      + " signing_alg, created_at";
  private static final int MAX_URI = 1000;

  /**
   * Rotation: the family's row moves to the next generation only from the live one, presented with its secret, so two
   * parties racing with one token cannot both succeed. One row updated in place, heap-only (V2__refresh_families.sql).
   */
  private static final String ROTATE = "UPDATE sso.refresh_family SET generation = generation + 1, secret_hash = $5,"
      + " issued_at = now(), expires_at = $6 WHERE family_id = $1 AND generation = $2 AND secret_hash = $3"
      + " AND client_id = $4 AND revoked_at IS NULL AND expires_at > now() RETURNING account_id, scope, sid, auth_time";
  private static final Duration TOKEN_SWEEP = Duration.ofHours(1);
  private static final Duration UNKNOWN_KEY_RELOAD = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final Storage storage;
  private final AuditLog audit;
  private final Identity accounts;
  private final SsoConfig config;
  private final KeyRing keys;
  private final Sm3Mac secretMac;
  private final Sm3Mac csrfMac;
  private final RefreshTokens refreshTokens;
  /** Rotations, many grants to a transaction under load (each answered only once its batch is committed). */
  private final BatchedStatement rotations;
  private final IMap<String, String> sessions;
  private final IMap<String, String> codes;
  private final Revocations revocations;
  /** When keys were last loaded for a token naming an unknown key ({@link System#nanoTime}). */
  private final AtomicLong keysLoadedForUnknownKid = new AtomicLong(System.nanoTime() - UNKNOWN_KEY_RELOAD.toNanos());
  private final TokenCache cache;
  /**
   * Clients by id, for a few seconds: a change on another member drops the copy at once through the event bus, or
   * at the latest after {@code CLIENT_CACHE}.
   */
  private final Cache<String, StoredClient> stored = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterWrite(CLIENT_CACHE).build();
  /** Counts changes of clients, so that a read overtaken by one does not cache what it read. */
  private final AtomicLong clientChanges = new AtomicLong();
  /** Client ids changed on any member, published on {@link #CLIENT_CHANGED}. */
  private MessageConsumer<String> clientsChanged;
  private final String endpoints;
  private long keyTimer = -1;
  private long sweepTimer = -1;

  private PgSso(Vertx vertx, Storage storage, MasterKey master, AuditLog audit, HazelcastInstance hazelcast,
                Identity accounts, SsoConfig config) {
    this.vertx = vertx;
    this.storage = storage;
    this.audit = audit;
    this.accounts = accounts;
    this.config = config;
    this.keys = new KeyRing(vertx, storage, master, config.keyRotation(), config.keyRetention());
    this.secretMac = new Sm3Mac(master.derive("sso/client-secret"));
    this.csrfMac = new Sm3Mac(master.derive("sso/csrf"));
    this.refreshTokens = new RefreshTokens(master.derive("sso/refresh-token"));
    this.rotations = new BatchedStatement(storage, ROTATE);
    this.sessions = hazelcast.getMap(SESSIONS);
    this.codes = hazelcast.getMap(CODES);
    this.cache = new TokenCache(config.tokenCacheSize());
    this.revocations = new Revocations(hazelcast, cache::forget);
    this.endpoints = config.issuer();
  }

  /** Loads (and at first start makes) the signing keys; then re-checks them every minute, and sweeps hourly. */
  public static Uni<Sso> start(Vertx vertx, Storage storage, MasterKey master, AuditLog audit, HazelcastInstance hazelcast,
                               Identity accounts, SsoConfig config) {
    return vertx.executeBlocking(Uni.createFrom().item(() -> new PgSso(vertx, storage, master, audit, hazelcast,
            accounts, config)), false)
        .chain(sso -> {
          sso.clientsChanged = vertx.eventBus().<String>consumer(CLIENT_CHANGED);
          sso.clientsChanged.handler(m -> sso.dropCached(m.body()));
          return sso.clientsChanged.completionHandler().replaceWith(sso);
        })
        .chain(sso -> sso.keys.refresh().map(v -> {
          sso.keyTimer = vertx.setPeriodic(KEY_CHECK.toMillis(), id -> sso.checkKeys());
          sso.sweepTimer = vertx.setPeriodic(TOKEN_SWEEP.toMillis(), id -> sso.sweepExpiredFamilies());
          accounts.whenSignOnsEnd(sso::endSignOns);
          return sso;
        }));
  }

  private void checkKeys() {
    keys.refresh().subscribe().with(ok -> { }, e -> LOG.warn("SSO key check failed: {}", e.toString()));
  }

  private void sweepExpiredFamilies() {
    storage.pool().chain(pool -> pool.preparedQuery(
            "DELETE FROM sso.refresh_family WHERE expires_at < now() - interval '1 day'").execute())
        .subscribe().with(ok -> { }, e -> LOG.warn("Sweeping expired refresh tokens failed: {}", e.toString()));
  }

  @Override
  public String issuer() {
    return config.issuer();
  }

  @Override
  public boolean secureCookies() {
    return config.issuer().startsWith("https://");
  }

  @Override
  public JsonObject discovery() {
    return new JsonObject()
        .put("issuer", config.issuer())
        .put("authorization_endpoint", endpoints + "/authorize")
        .put("token_endpoint", endpoints + "/token")
        .put("userinfo_endpoint", endpoints + "/userinfo")
        .put("jwks_uri", endpoints + "/jwks")
        .put("sm2_jwks_uri", endpoints + "/jwks/sm2")
        .put("end_session_endpoint", endpoints + "/logout")
        .put("introspection_endpoint", endpoints + "/introspect")
        .put("revocation_endpoint", endpoints + "/revoke")
        .put("response_types_supported", new JsonArray().add("code"))
        .put("response_modes_supported", new JsonArray().add("query"))
        .put("grant_types_supported", new JsonArray().add("authorization_code").add("refresh_token"))
        .put("subject_types_supported", new JsonArray().add("public"))
        .put("id_token_signing_alg_values_supported", new JsonArray(KeyRing.ALGORITHMS))
        .put("userinfo_signing_alg_values_supported", new JsonArray())
        .put("token_endpoint_auth_methods_supported", new JsonArray().add("client_secret_basic").add("client_secret_post"))
        .put("introspection_endpoint_auth_methods_supported", new JsonArray().add("client_secret_basic").add("client_secret_post"))
        .put("revocation_endpoint_auth_methods_supported", new JsonArray().add("client_secret_basic").add("client_secret_post"))
        .put("code_challenge_methods_supported", new JsonArray().add("S256"))
        .put("scopes_supported", new JsonArray(List.copyOf(new java.util.TreeSet<>(SUPPORTED_SCOPES))))
        .put("claims_supported", new JsonArray().add("sub").add("iss").add("aud").add("exp").add("iat")
            .add("auth_time").add("nonce").add("sid").add("name").add("account_kind"))
        .put("prompt_values_supported", new JsonArray().add("none").add("login"))
        .put("authorization_response_iss_parameter_supported", true)
        // Discovery 1.0 §3: request_uri_parameter_supported defaults to true; this provider takes no request objects.
        .put("request_parameter_supported", false)
        .put("request_uri_parameter_supported", false)
        .put("frontchannel_logout_supported", false)
        .put("backchannel_logout_supported", false);
  }

  @Override
  public JsonObject jwks(boolean sm2) {
    return keys.jwks(sm2);
  }

  @Override
  public String csrfToken(String browserNonce) {
    return Jose.encode(csrfMac.of(browserNonce.getBytes(StandardCharsets.UTF_8)));
  }

  // ---- clients -------------------------------------------------------------------------------------------------

  @Override
  public Uni<RelyingParty.Registered> registerClient(RelyingParty.Registration r, Identity.Origin origin) {
    return Uni.createFrom().deferred(() -> {
      RelyingParty.Registration valid = validated(r);
      String id = "rp-" + Jose.randomToken().substring(0, 22);
      String secret = Jose.randomToken();
      return storage.pool().chain(pool -> pool.preparedQuery("INSERT INTO sso.client (id, name, secret_hash,"
                  + " redirect_uris, post_logout_redirect_uris, scopes, signing_alg) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                  + " RETURNING created_at")
              .execute(withRegistration(Tuple.of(id, valid.name(), secretHash(secret)), valid)))
          .map(rows -> new RelyingParty.Registered(client(id, valid,
              instant(rows.iterator().next().getOffsetDateTime("created_at"))), secret))
          .call(registered -> audit.record(new AuditEvent(origin.actor(), "sso.client.register", id, "ok",
              origin.requestId(), origin.remoteAddress(), auditDetail(registered.client()))));
    });
  }

  @Override
  public Uni<RelyingParty> updateClient(String clientId, RelyingParty.Registration changes, Identity.Origin origin) {
    if (changes.scopes() != null && changes.scopes().isEmpty()) {
      return Uni.createFrom().failure(HubError.SSO_CLIENT_INVALID.exception("'scopes' may not be emptied"));
    }
    // Merged onto the row as it is now, locked, not onto a cached copy: a change made through another member a
    // moment before is kept.
    return storage.pool().chain(pool -> pool.withTransaction(tx -> tx.preparedQuery("SELECT " + CLIENT_COLUMNS
                + " FROM sso.client WHERE id = $1 FOR UPDATE").execute(Tuple.of(clientId))
            .chain(rows -> {
              if (rows.size() == 0) {
                return Uni.createFrom().<RelyingParty>nullItem();
              }
              RelyingParty current = client(rows.iterator().next());
              RelyingParty.Registration valid = validated(changes.over(current));
              return tx.preparedQuery("UPDATE sso.client SET name = $2, redirect_uris = $3,"
                      + " post_logout_redirect_uris = $4, scopes = $5, signing_alg = $6 WHERE id = $1")
                  .execute(withRegistration(Tuple.of(clientId, valid.name()), valid))
                  .replaceWith(client(clientId, valid, current.createdAt()));
            })))
        .call(updated -> {
          forget(clientId);
          return updated == null ? Uni.createFrom().voidItem() : audit.record(new AuditEvent(origin.actor(),
              "sso.client.update", clientId, "ok", origin.requestId(), origin.remoteAddress(), auditDetail(updated)));
        });
  }

  @Override
  public Uni<String> rotateClientSecret(String clientId, Identity.Origin origin) {
    String secret = Jose.randomToken();
    return storage.pool().chain(pool -> pool.preparedQuery("UPDATE sso.client SET secret_hash = $2 WHERE id = $1")
            .execute(Tuple.of(clientId, secretHash(secret))))
        .chain(rows -> {
          forget(clientId);
          if (rows.rowCount() == 0) {
            return Uni.createFrom().nullItem();
          }
          return audit.record(new AuditEvent(origin.actor(), "sso.client.secret-rotate", clientId, "ok",
              origin.requestId(), origin.remoteAddress(), new JsonObject())).replaceWith(secret);
        });
  }

  @Override
  public Uni<List<RelyingParty>> clients() {
    return storage.pool().chain(pool -> pool.query("SELECT " + CLIENT_COLUMNS + " FROM sso.client"
            + " ORDER BY created_at, id LIMIT " + MAX_CLIENTS_LISTED)
        .execute())
        .map(rows -> {
          List<RelyingParty> list = new ArrayList<>();
          rows.forEach(row -> list.add(client(row)));
          return list;
        });
  }

  /** The registration as stored: a name, valid URIs, supported scopes with openid, a known algorithm; or 422. */
  private static RelyingParty.Registration validated(RelyingParty.Registration r) {
    String name = r.name() == null ? "" : r.name().strip();
    if (name.isEmpty() || name.length() > 200) {
      throw HubError.SSO_CLIENT_INVALID.exception("Send 'name', 1 to 200 characters");
    }
    List<String> redirects = uris("redirectUris", r.redirectUris(), true);
    List<String> logouts = uris("postLogoutRedirectUris", r.postLogoutRedirectUris(), false);
    List<String> scopes = r.scopes() == null || r.scopes().isEmpty() ? List.of("openid", "profile") : r.scopes();
    if (!SUPPORTED_SCOPES.containsAll(scopes) || !scopes.contains("openid")) {
      throw HubError.SSO_CLIENT_INVALID.exception("'scopes' must include openid and be among " + SUPPORTED_SCOPES);
    }
    String alg = r.signingAlg() == null ? SigningKey.ES256 : r.signingAlg();
    if (!KeyRing.ALGORITHMS.contains(alg)) {
      throw HubError.SSO_CLIENT_INVALID.exception("'signingAlg' must be one of " + KeyRing.ALGORITHMS);
    }
    return new RelyingParty.Registration(name, redirects, logouts, List.copyOf(new LinkedHashSet<>(scopes)), alg);
  }

  /** The tuple followed by the registration's URIs, scopes and signing algorithm, in the columns' order. */
  private static Tuple withRegistration(Tuple tuple, RelyingParty.Registration valid) {
    return tuple.addArrayOfString(valid.redirectUris().toArray(String[]::new))
        .addArrayOfString(valid.postLogoutRedirectUris().toArray(String[]::new))
        .addArrayOfString(valid.scopes().toArray(String[]::new)).addString(valid.signingAlg());
  }

  private static RelyingParty client(String id, RelyingParty.Registration valid, Instant createdAt) {
    return new RelyingParty(id, valid.name(), valid.redirectUris(), valid.postLogoutRedirectUris(), valid.scopes(),
        valid.signingAlg(), createdAt);
  }

  private static RelyingParty client(Row row) {
    return new RelyingParty(row.getString("id"), row.getString("name"), List.of(row.getArrayOfStrings("redirect_uris")),
        List.of(row.getArrayOfStrings("post_logout_redirect_uris")), List.of(row.getArrayOfStrings("scopes")),
        row.getString("signing_alg"), instant(row.getOffsetDateTime("created_at")));
  }

  private static JsonObject auditDetail(RelyingParty client) {
    return new JsonObject().put("name", client.name()).put("signingAlg", client.signingAlg())
        .put("redirectUris", new JsonArray(client.redirectUris())).put("scopes", new JsonArray(client.scopes()));
  }

  private static List<String> uris(String field, List<String> values, boolean required) {
    List<String> list = values == null ? List.of() : values;
    if ((required && list.isEmpty()) || list.size() > MAX_URIS) {
      throw HubError.SSO_CLIENT_INVALID.exception("'" + field + "' must list " + (required ? "1" : "0") + " to "
          + MAX_URIS + " absolute URIs");
    }
    for (String uri : list) {
      URI parsed;
      try {
        parsed = uri == null || uri.length() > MAX_URI ? null : new URI(uri);
      } catch (java.net.URISyntaxException e) {
        parsed = null;
      }
      if (parsed == null || !parsed.isAbsolute() || parsed.getFragment() != null
          || !("https".equals(parsed.getScheme()) || "http".equals(parsed.getScheme()))) {
        throw HubError.SSO_CLIENT_INVALID.exception("'" + field + "' holds '" + uri
            + "', not an absolute http(s) URI without fragment");
      }
    }
    return List.copyOf(list);
  }

  @Override
  public Uni<RelyingParty> client(String clientId) {
    return clientWithSecret(clientId).map(c -> c == null ? null : c.client);
  }

  private record StoredClient(RelyingParty client, String secretHash) {
  }

  private Uni<StoredClient> clientWithSecret(String clientId) {
    if (clientId == null || clientId.length() > 100) {
      return Uni.createFrom().nullItem();
    }
    StoredClient known = stored.getIfPresent(clientId);
    if (known != null) {
      return Uni.createFrom().item(known);
    }
    long changesBefore = clientChanges.get();
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT " + CLIENT_COLUMNS + ", secret_hash"
            + " FROM sso.client WHERE id = $1").execute(Tuple.of(clientId)))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          StoredClient c = new StoredClient(client(row), row.getString("secret_hash"));
          // A read that a change here overtook may hold what the change replaced (an old secret): not kept.
          if (clientChanges.get() == changesBefore) {
            stored.put(clientId, c);
          }
          return c;
        });
  }

  /**
   * After a change of the client: every member drops its cached copy now (the cache's 10 s bound only covers a
   * member the message missed).
   */
  private void forget(String clientId) {
    dropCached(clientId);
    vertx.eventBus().publish(CLIENT_CHANGED, clientId);
  }

  /** Drops the cached client; reads begun before do not put back what they read. */
  private void dropCached(String clientId) {
    clientChanges.incrementAndGet();
    stored.invalidate(clientId);
  }

  @Override
  public Uni<Boolean> deleteClient(String clientId, Identity.Origin origin) {
    return storage.pool().chain(pool -> pool.preparedQuery("DELETE FROM sso.client WHERE id = $1")
            .execute(Tuple.of(clientId)))
        .chain(rows -> {
          forget(clientId);
          if (rows.rowCount() == 0) {
            return Uni.createFrom().item(false);
          }
          return revocations.revoke("client:" + clientId, accessHorizon())
              .chain(() -> audit.record(new AuditEvent(origin.actor(), "sso.client.delete", clientId, "ok",
                  origin.requestId(), origin.remoteAddress(), new JsonObject())))
              .map(v -> true);
        });
  }

  @Override
  public Uni<Void> rotateKeys(Identity.Origin origin) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (String alg : KeyRing.ALGORITHMS) {
      chain = chain.chain(() -> keys.rotate(alg, keys.active(alg).kid));
    }
    return chain.chain(() -> audit.record(new AuditEvent(origin.actor(), "sso.keys.rotate", null, "ok",
        origin.requestId(), origin.remoteAddress(), new JsonObject())));
  }

  /** Authenticates a client by its secret (HTTP Basic or form); {@code invalid_client} otherwise. */
  private Uni<RelyingParty> authenticate(ClientCredentials credentials) {
    if (credentials == null || credentials.clientId() == null || credentials.secret() == null) {
      return Uni.createFrom().failure(OAuthException.invalidClient());
    }
    return clientWithSecret(credentials.clientId()).map(c -> {
      if (c == null || !MessageDigest.isEqual(c.secretHash.getBytes(StandardCharsets.US_ASCII),
          secretHash(credentials.secret()).getBytes(StandardCharsets.US_ASCII))) {
        throw OAuthException.invalidClient();
      }
      return c.client;
    });
  }

  private String secretHash(String secret) {
    return HexFormat.of().formatHex(secretMac.of(secret.getBytes(StandardCharsets.UTF_8)));
  }

  // ---- authorization endpoint -------------------------------------------------------------------------------------

  @Override
  public Uni<Authorization> authorize(AuthorizationRequest request, String sessionCookie) {
    return checked(request).chain(client -> {
      String problem = problem(request, client);
      if (problem != null) {
        return Uni.createFrom().item(new Authorization(errorRedirect(request, problem.split(":", 2)[0],
            problem.split(":", 2)[1]), false));
      }
      boolean forceLogin = request.prompt() != null && List.of(request.prompt().split(" ")).contains("login");
      boolean none = request.prompt() != null && List.of(request.prompt().split(" ")).contains("none");
      if (forceLogin && none) {
        return Uni.createFrom().item(new Authorization(errorRedirect(request, "invalid_request",
            "prompt=none cannot be combined with other values"), false));
      }
      Uni<Session> session = forceLogin ? Uni.createFrom().nullItem() : session(sessionCookie);
      // OIDC Core 3.1.2.1: a session older than max_age asks for the login again (the ID token's auth_time says when).
      long maxAge = request.maxAge() == null ? Long.MAX_VALUE : Long.parseLong(request.maxAge());
      return session.map(s -> s != null && Instant.now().getEpochSecond() - s.authTime > maxAge ? null : s).chain(s -> {
        if (s != null) {
          return issueCode(request, s).map(redirect -> new Authorization(redirect, false));
        }
        if (none) {
          return Uni.createFrom().item(new Authorization(errorRedirect(request, "login_required",
              "No sign-on session"), false));
        }
        return Uni.createFrom().item(new Authorization(null, true));
      });
    });
  }

  @Override
  public Uni<SignOn> signIn(AuthorizationRequest request, String login, String password, String smsCode,
                            Identity.Origin origin) {
    return checked(request).chain(client -> {
      String problem = problem(request, client);
      if (problem != null) {
        return Uni.createFrom().item(new SignOn(null, errorRedirect(request, problem.split(":", 2)[0],
            problem.split(":", 2)[1])));
      }
      return accounts.authenticate(login, password, smsCode, origin).chain(account -> {
        String sid = Jose.randomToken().substring(0, 22);
        String secret = Jose.randomToken();
        Session session = new Session(sid, account.id(), Instant.now().getEpochSecond());
        String value = session.toJson().put("secret", Jose.hash(secret)).encode();
        return OnContext.resume(() -> sessions.setAsync(sid, value, config.sessionTtl().toSeconds(), TimeUnit.SECONDS))
            .chain(() -> issueCode(request, session))
            .map(redirect -> new SignOn(sid + "." + secret, redirect));
      });
    });
  }

  /** The client of a request whose client and redirect URI are both valid; else an error not to redirect with. */
  private Uni<RelyingParty> checked(AuthorizationRequest request) {
    return client(request.clientId()).map(client -> {
      if (client == null) {
        throw OAuthException.invalidRequest("Unknown client_id");
      }
      if (request.redirectUri() == null || !client.redirectUris().contains(request.redirectUri())) {
        throw OAuthException.invalidRequest("redirect_uri is not registered for this client");
      }
      return client;
    });
  }

  /** {@code error:description} of a request the client must be told about, or null. */
  private static String problem(AuthorizationRequest request, RelyingParty client) {
    if (!"code".equals(request.responseType())) {
      return "unsupported_response_type:Only response_type=code is supported";
    }
    if (request.scope() == null || !List.of(request.scope().split(" ")).contains("openid")) {
      return "invalid_scope:The scope must include openid";
    }
    for (String scope : request.scope().split(" ")) {
      if (!scope.isEmpty() && !client.scopes().contains(scope)) {
        return "invalid_scope:The client may not ask for scope " + scope;
      }
    }
    if (request.codeChallenge() == null || !"S256".equals(request.codeChallengeMethod())
        || !request.codeChallenge().matches("[A-Za-z0-9_-]{43}")) {
      return "invalid_request:PKCE is required: code_challenge with code_challenge_method=S256";
    }
    if (request.maxAge() != null && !request.maxAge().matches("[0-9]{1,9}")) {
      return "invalid_request:max_age must be a number of seconds";
    }
    return null;
  }

  private Uni<String> issueCode(AuthorizationRequest request, Session session) {
    String code = Jose.randomToken();
    JsonObject grant = new JsonObject().put("clientId", request.clientId()).put("redirectUri", request.redirectUri())
        .put("scope", normalisedScope(request.scope())).put("nonce", request.nonce())
        .put("challenge", request.codeChallenge()).put("sid", session.sid).put("accountId", session.accountId)
        .put("authTime", session.authTime);
    return OnContext.resume(() -> codes.setAsync(Jose.hash(code), grant.encode(), config.codeTtl().toSeconds(),
            TimeUnit.SECONDS))
        .map(v -> request.redirectUri() + (request.redirectUri().contains("?") ? "&" : "?") + "code=" + code
            + (request.state() == null ? "" : "&state=" + url(request.state())) + "&iss=" + url(config.issuer()));
  }

  private String errorRedirect(AuthorizationRequest request, String error, String description) {
    return request.redirectUri() + (request.redirectUri().contains("?") ? "&" : "?") + "error=" + error
        + "&error_description=" + url(description)
        + (request.state() == null ? "" : "&state=" + url(request.state())) + "&iss=" + url(config.issuer());
  }

  private static String normalisedScope(String scope) {
    return String.join(" ", new LinkedHashSet<>(List.of(scope.trim().split(" +"))));
  }

  // ---- sessions ---------------------------------------------------------------------------------------------------

  private record Session(String sid, String accountId, long authTime) {
    JsonObject toJson() {
      return new JsonObject().put("sid", sid).put("accountId", accountId).put("authTime", authTime);
    }
  }

  /** The live session a cookie {@code <sid>.<secret>} names, or null. */
  private Uni<Session> session(String cookie) {
    if (cookie == null || cookie.length() > 200 || cookie.indexOf('.') < 0) {
      return Uni.createFrom().nullItem();
    }
    String sid = cookie.substring(0, cookie.indexOf('.'));
    String secret = cookie.substring(cookie.indexOf('.') + 1);
    return OnContext.resume(() -> sessions.getAsync(sid)).map(value -> {
      if (value == null) {
        return null;
      }
      JsonObject json = new JsonObject(value);
      if (!MessageDigest.isEqual(json.getString("secret").getBytes(StandardCharsets.US_ASCII),
          Jose.hash(secret).getBytes(StandardCharsets.US_ASCII))) {
        return null;
      }
      Session session = new Session(sid, json.getString("accountId"), json.getLong("authTime"));
      return revocations.revoked("sub:" + session.accountId, session.authTime) ? null : session;
    });
  }

  // ---- token endpoint ---------------------------------------------------------------------------------------------

  @Override
  public Uni<JsonObject> token(Map<String, String> form, ClientCredentials credentials) {
    return authenticate(credentials).chain(client -> {
      String grantType = form.get("grant_type");
      if ("authorization_code".equals(grantType)) {
        return codeGrant(client, form);
      }
      if ("refresh_token".equals(grantType)) {
        return refreshGrant(client, form.get("refresh_token"));
      }
      throw new OAuthException(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
    });
  }

  private Uni<JsonObject> codeGrant(RelyingParty client, Map<String, String> form) {
    String code = form.get("code");
    String verifier = form.get("code_verifier");
    if (code == null || code.length() > 100 || form.get("redirect_uri") == null) {
      throw OAuthException.invalidRequest("Send code, redirect_uri and code_verifier");
    }
    if (verifier == null || !VERIFIER.matcher(verifier).matches()) {
      throw OAuthException.invalidGrant("code_verifier is missing or malformed (RFC 7636: 43 to 128 characters)");
    }
    // Removing the code is what makes it single-use, on whichever member it is redeemed.
    return OnContext.resume(() -> codes.removeAsync(Jose.hash(code))).chain(value -> {
      if (value == null) {
        throw OAuthException.invalidGrant("The code is unknown, used or expired");
      }
      JsonObject grant = new JsonObject(value);
      if (!client.id().equals(grant.getString("clientId"))) {
        throw OAuthException.invalidGrant("The code was issued to another client");
      }
      if (!form.get("redirect_uri").equals(grant.getString("redirectUri"))) {
        throw OAuthException.invalidGrant("redirect_uri differs from the authorization request's");
      }
      String challenge = Jose.encode(Jose.sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
      if (!MessageDigest.isEqual(challenge.getBytes(StandardCharsets.US_ASCII),
          grant.getString("challenge").getBytes(StandardCharsets.US_ASCII))) {
        throw OAuthException.invalidGrant("code_verifier does not match the code_challenge");
      }
      // A code minted just before its session ended (logout, or the account's sign-ons ended) dies with it: its
      // tokens would otherwise start a family no revocation of the session names.
      long authTime = grant.getLong("authTime");
      if (revocations.revoked("sid:" + grant.getString("sid"), authTime)
          || revocations.revoked("sub:" + grant.getString("accountId"), authTime)) {
        throw OAuthException.invalidGrant("The session the code was issued in has ended");
      }
      return activeAccount(grant.getString("accountId")).chain(account -> issueTokens(client, account,
          grant.getString("scope"), grant.getString("sid"), grant.getLong("authTime"), grant.getString("nonce"),
          Jose.randomToken().substring(0, 22)));
    });
  }

  private Uni<Account> activeAccount(String accountId) {
    return accounts.find(accountId).map(account -> {
      if (account == null || !"ACTIVE".equals(account.status())) {
        throw OAuthException.invalidGrant("The account is disabled or gone");
      }
      return account;
    });
  }

  /** An access token, an ID token and the first refresh token of a new family {@code fid}. */
  private Uni<JsonObject> issueTokens(RelyingParty client, Account account, String scope, String sid, long authTime,
                                      String nonce, String fid) {
    RefreshTokens.Issued refresh = refreshTokens.issue(fid, 0);
    return storage.pool().chain(pool -> pool.preparedQuery("INSERT INTO sso.refresh_family (family_id, client_id,"
                + " account_id, scope, sid, auth_time, generation, secret_hash, expires_at)"
                + " VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8)")
            .execute(Tuple.from(List.of(fid, client.id(), account.id(), scope, sid,
                OffsetDateTime.ofInstant(Instant.ofEpochSecond(authTime), ZoneOffset.UTC), refresh.secretHash(),
                refreshExpiry()))))
        .map(rows -> tokenResponse(client, account, scope, sid, authTime, nonce, fid, refresh.token()));
  }

  private OffsetDateTime refreshExpiry() {
    return OffsetDateTime.now(ZoneOffset.UTC).plus(config.refreshTokenTtl());
  }

  /** The token response around {@code refresh}, stored already: a signed access token and ID token. */
  private JsonObject tokenResponse(RelyingParty client, Account account, String scope, String sid, long authTime,
                                   String nonce, String fid, String refresh) {
    long now = Instant.now().getEpochSecond();
    long exp = now + config.accessTokenTtl().toSeconds();
    SigningKey key = keys.active(client.signingAlg());
    JsonObject access = new JsonObject().put("iss", config.issuer()).put("sub", account.id()).put("aud", client.id())
        .put("client_id", client.id()).put("scope", scope).put("iat", now).put("exp", exp)
        .put("jti", Jose.randomToken().substring(0, 22)).put("sid", sid).put("fid", fid);
    JsonObject id = new JsonObject().put("iss", config.issuer()).put("sub", account.id()).put("aud", client.id())
        .put("azp", client.id()).put("iat", now).put("exp", exp).put("auth_time", authTime).put("sid", sid);
    if (nonce != null) {
      id.put("nonce", nonce);
    }
    if (List.of(scope.split(" ")).contains("profile")) {
      id.put("name", account.name());
    }
    return new JsonObject().put("access_token", Jose.sign(key, "at+jwt", access)).put("token_type", "Bearer")
        .put("expires_in", config.accessTokenTtl().toSeconds()).put("scope", scope)
        .put("id_token", Jose.sign(key, "JWT", id)).put("refresh_token", refresh);
  }

  private Uni<JsonObject> refreshGrant(RelyingParty client, String refresh) {
    if (refresh == null || refresh.length() > Jose.MAX_TOKEN_LENGTH) {
      throw OAuthException.invalidRequest("Send refresh_token");
    }
    RefreshTokens.Presented presented = refreshTokens.parse(refresh);
    if (presented == null) {
      return Uni.createFrom().failure(unknownRefreshToken());
    }
    String fid = presented.familyId();
    RefreshTokens.Issued successor = refreshTokens.issue(fid, presented.generation() + 1);
    return rotations.execute(Tuple.from(List.of(fid, presented.generation(), presented.secretHash(), client.id(),
            successor.secretHash(), refreshExpiry())))
        .chain(rows -> {
          if (rows.size() == 1) {
            Row row = rows.iterator().next();
            long authTime = row.getOffsetDateTime("auth_time").toEpochSecond();
            // A family its session's end did not reach (started from a code redeemed on a member the revocation
            // had not reached yet) ends at its first use.
            if (revocations.revoked("sid:" + row.getString("sid"), authTime)
                || revocations.revoked("sub:" + row.getString("account_id"), authTime)) {
              return revokeFamily(fid).chain(() -> Uni.createFrom().failure(unknownRefreshToken()));
            }
            return activeAccount(row.getString("account_id")).map(account -> tokenResponse(client, account,
                stillAllowed(row.getString("scope"), client), row.getString("sid"), authTime, null, fid,
                successor.token()));
          }
          // Not the live token. One of an earlier generation (its tag says the hub issued it) was used already.
          return storage.pool().chain(pool -> pool.preparedQuery("SELECT generation FROM sso.refresh_family"
                  + " WHERE family_id = $1 AND client_id = $2 AND revoked_at IS NULL").execute(Tuple.of(fid, client.id())))
              .chain(found -> found.size() == 1 && found.iterator().next().getInteger("generation") > presented.generation()
                  ? reused(client, fid) : Uni.createFrom().failure(unknownRefreshToken()));
        });
  }

  /** The family's scope less what its client may no longer ask for: a scope taken from a client ends at refresh. */
  private static String stillAllowed(String scope, RelyingParty client) {
    return String.join(" ", Arrays.stream(scope.split(" ")).filter(client.scopes()::contains).toList());
  }

  private static OAuthException unknownRefreshToken() {
    return OAuthException.invalidGrant("The refresh token is unknown, expired or revoked");
  }

  /** A used refresh token came back: someone holds a copy. The whole family ends, as do its access tokens. */
  private Uni<JsonObject> reused(RelyingParty client, String fid) {
    return revokeFamily(fid)
        .chain(() -> audit.record(new AuditEvent("client:" + client.id(), "sso.refresh-token.reuse", fid,
            "family revoked", null, null, new JsonObject())))
        .map(v -> {
          throw OAuthException.invalidGrant("The refresh token was used already; its family is revoked");
        });
  }

  private Uni<Void> revokeFamily(String fid) {
    return storage.pool().chain(pool -> pool.preparedQuery("UPDATE sso.refresh_family SET revoked_at = now()"
            + " WHERE family_id = $1 AND revoked_at IS NULL").execute(Tuple.of(fid)))
        .chain(() -> revocations.revoke("fid:" + fid, accessHorizon()));
  }

  /** Until when a revocation matters: the latest expiry of any access token issued so far. */
  private long accessHorizon() {
    return Instant.now().getEpochSecond() + config.accessTokenTtl().toSeconds() + 1;
  }

  // ---- verification -----------------------------------------------------------------------------------------------

  /** The claims of a live access token of this provider, or null; from the cache when it was verified before. */
  private AccessClaims verifyAccess(String token) {
    if (token == null || token.length() > Jose.MAX_TOKEN_LENGTH) {
      return null;
    }
    String hash = Jose.hash(token);
    AccessClaims claims = cache.get(hash);
    if (claims == null) {
      JsonObject verified = verified(Jose.parse(token), "at+jwt");
      if (verified == null || verified.getString("client_id") == null || verified.getString("jti") == null) {
        return null;
      }
      claims = AccessClaims.of(verified);
      if (config.tokenCacheSize() > 0) {
        cache.put(hash, claims);
      }
    }
    if (claims.exp() <= Instant.now().getEpochSecond()) {
      return null;
    }
    for (String key : claims.revocationKeys()) {
      if (revocations.revoked(key, claims.iat())) {
        return null;
      }
    }
    return claims;
  }

  /**
   * {@link #verifyAccess}, and once more after loading the signing keys when the token names a key this member has
   * not loaded: the member that rotates signs with its new key at once, the others load keys once a minute.
   */
  private Uni<AccessClaims> verifyAccessLoadingKeys(String token) {
    AccessClaims claims = verifyAccess(token);
    return claims != null ? Uni.createFrom().item(claims)
        : loadKeysFor(token).map(loaded -> loaded ? verifyAccess(token) : null);
  }

  /** {@link #verified} of a token, loading the signing keys first as {@link #verifyAccessLoadingKeys} does. */
  private Uni<JsonObject> verifiedLoadingKeys(String token, String type) {
    JsonObject claims = verified(Jose.parse(token), type);
    return claims != null ? Uni.createFrom().item(claims)
        : loadKeysFor(token).map(loaded -> loaded ? verified(Jose.parse(token), type) : null);
  }

  /**
   * Loads the signing keys again when {@code token} names a key this member does not know, at most once per
   * {@link #UNKNOWN_KEY_RELOAD} (a stream of made-up kids must not become a stream of queries); whether it did.
   */
  private Uni<Boolean> loadKeysFor(String token) {
    Jose.Jws jws = token == null || token.length() > Jose.MAX_TOKEN_LENGTH ? null : Jose.parse(token);
    if (jws == null || jws.kid() == null || keys.byKid(jws.kid()) != null) {
      return Uni.createFrom().item(false);
    }
    long now = System.nanoTime();
    long last = keysLoadedForUnknownKid.get();
    if (now - last < UNKNOWN_KEY_RELOAD.toNanos() || !keysLoadedForUnknownKid.compareAndSet(last, now)) {
      return Uni.createFrom().item(false);
    }
    return keys.load().replaceWith(true);
  }

  /** The claims of a JWS signed by a published key of the algorithm its header names, of this issuer; else null. */
  private JsonObject verified(Jose.Jws jws, String type) {
    if (jws == null) {
      return null;
    }
    SigningKey key = keys.byKid(jws.kid());
    if (key == null || !key.alg.equals(jws.header().getString("alg"))
        || (type != null && !type.equals(jws.header().getString("typ")))
        || !key.verify(jws.signingInput(), jws.signature())
        || !config.issuer().equals(jws.claims().getString("iss"))) {
      return null;
    }
    return jws.claims();
  }

  @Override
  public Uni<JsonObject> userinfo(String accessToken) {
    return verifyAccessLoadingKeys(accessToken).chain(claims -> activeSubject(claims).map(account -> {
      JsonObject info = new JsonObject().put("sub", account.id());
      if (claims.hasScope("profile")) {
        info.put("name", account.name()).put("account_kind", account.kind().name());
      }
      return info;
    }));
  }

  @Override
  public Uni<TokenSubject> verifyAccessToken(String accessToken) {
    return verifyAccessLoadingKeys(accessToken).chain(claims -> activeSubject(claims)
        .map(account -> new TokenSubject(account.id(), claims.clientId(), claims.scope())));
  }

  /** The active account a verified token ({@code claims}, null when it was not) speaks for, or {@code invalid_token}. */
  private Uni<Account> activeSubject(AccessClaims claims) {
    if (claims == null) {
      return Uni.createFrom().failure(OAuthException.invalidToken("The access token is invalid, expired or revoked"));
    }
    return accounts.find(claims.sub()).map(account -> {
      if (account == null || !"ACTIVE".equals(account.status())) {
        throw OAuthException.invalidToken("The account is disabled or gone");
      }
      return account;
    });
  }

  @Override
  public Uni<JsonObject> introspect(String token, ClientCredentials credentials) {
    return authenticate(credentials).chain(caller -> {
      if (token == null) {
        throw OAuthException.invalidRequest("Send token (RFC 7662 2.1)");
      }
      if (token.length() > Jose.MAX_TOKEN_LENGTH) {
        return Uni.createFrom().item(inactive());
      }
      if (token.indexOf('.') > 0) {
        return verifyAccessLoadingKeys(token).map(c -> c == null ? inactive() : new JsonObject().put("active", true)
            .put("token_type", "Bearer").put("scope", c.scope()).put("client_id", c.clientId()).put("sub", c.sub())
            .put("aud", c.clientId()).put("iss", config.issuer()).put("exp", c.exp()).put("iat", c.iat())
            .put("jti", c.jti()).put("sid", c.sid()));
      }
      RefreshTokens.Presented presented = refreshTokens.parse(token);
      if (presented == null) {
        return Uni.createFrom().item(inactive());
      }
      return storage.pool().chain(pool -> pool.preparedQuery("SELECT client_id, account_id, scope, sid, issued_at,"
              + " expires_at FROM sso.refresh_family WHERE family_id = $1 AND generation = $2 AND secret_hash = $3"
              + " AND revoked_at IS NULL AND expires_at > now()")
          .execute(Tuple.of(presented.familyId(), presented.generation(), presented.secretHash())))
          .map(rows -> {
            if (rows.size() == 0) {
              return inactive();
            }
            Row row = rows.iterator().next();
            return new JsonObject().put("active", true).put("token_type", "refresh_token")
                .put("scope", row.getString("scope")).put("client_id", row.getString("client_id"))
                .put("sub", row.getString("account_id")).put("iss", config.issuer()).put("sid", row.getString("sid"))
                .put("iat", row.getOffsetDateTime("issued_at").toEpochSecond())
                .put("exp", row.getOffsetDateTime("expires_at").toEpochSecond());
          });
    });
  }

  private static JsonObject inactive() {
    return new JsonObject().put("active", false);
  }

  @Override
  public Uni<Void> revoke(String token, ClientCredentials credentials) {
    return authenticate(credentials).chain(client -> {
      if (token == null) {
        throw OAuthException.invalidRequest("Send token (RFC 7009 2.1)");
      }
      if (token.length() > Jose.MAX_TOKEN_LENGTH) {
        return Uni.createFrom().voidItem();
      }
      if (token.indexOf('.') > 0) {
        return verifiedLoadingKeys(token, "at+jwt").chain(claims -> {
          // RFC 7009 2.2: a token of another client, or not ours, is answered 200 and left alone.
          if (claims == null || !client.id().equals(claims.getString("client_id"))) {
            return Uni.createFrom().voidItem();
          }
          return revocations.revoke("jti:" + claims.getString("jti"), claims.getLong("exp", 0L) + 1);
        });
      }
      // Any generation of the family ends it, as it did when each token had its own row.
      RefreshTokens.Presented presented = refreshTokens.parse(token);
      if (presented == null) {
        return Uni.createFrom().voidItem();
      }
      return storage.pool().chain(pool -> pool.preparedQuery("SELECT 1 FROM sso.refresh_family"
              + " WHERE family_id = $1 AND client_id = $2").execute(Tuple.of(presented.familyId(), client.id())))
          .chain(rows -> rows.size() == 0 ? Uni.createFrom().voidItem() : revokeFamily(presented.familyId()));
    });
  }

  // ---- logout -----------------------------------------------------------------------------------------------------

  @Override
  public Uni<Logout> logout(String idTokenHint, String clientId, String postLogoutRedirectUri, String state,
                            String sessionCookie, boolean confirmed, Identity.Origin origin) {
    if (idTokenHint == null) {
      return logoutWith(null, clientId, postLogoutRedirectUri, state, sessionCookie, confirmed, origin);
    }
    return verifiedLoadingKeys(idTokenHint, "JWT").chain(hint -> hint == null
        ? Uni.createFrom().failure(OAuthException.invalidRequest("id_token_hint is not an ID token of this provider"))
        : logoutWith(hint, clientId, postLogoutRedirectUri, state, sessionCookie, confirmed, origin));
  }

  /** Logout with the verified claims of the ID token hint, null when none was sent. */
  private Uni<Logout> logoutWith(JsonObject hint, String clientId, String postLogoutRedirectUri, String state,
                                 String sessionCookie, boolean confirmed, Identity.Origin origin) {
    String client = clientId != null ? clientId : hint == null ? null : hint.getString("aud");
    if (hint != null && clientId != null && !clientId.equals(hint.getString("aud"))) {
      return Uni.createFrom().failure(OAuthException.invalidRequest("client_id differs from the ID token's audience"));
    }
    String hintSid = hint == null ? null : hint.getString("sid");
    Uni<String> target = postLogoutRedirectUri == null ? Uni.createFrom().nullItem() : client(client).map(rp -> {
      if (rp == null || !rp.postLogoutRedirectUris().contains(postLogoutRedirectUri)) {
        throw OAuthException.invalidRequest("post_logout_redirect_uri is not registered for this client");
      }
      return postLogoutRedirectUri + (state == null ? ""
          : (postLogoutRedirectUri.contains("?") ? "&" : "?") + "state=" + url(state));
    });
    return target.chain(redirect -> session(sessionCookie).chain(session -> {
      if (session == null) {
        // A relying party's cross-site POST comes without the (SameSite=Lax) cookie: the page's own POST brings it.
        boolean ask = hint != null && !confirmed;
        return Uni.createFrom().item(new Logout(ask, ask ? null : redirect));
      }
      // RP-Initiated Logout 1.0 §2: without a hint of this very session the person is asked first, so that a link
      // on any site cannot end it.
      if (!confirmed && !session.sid.equals(hintSid)) {
        return Uni.createFrom().item(new Logout(true, null));
      }
      return endSession(session.sid)
          .chain(() -> audit.record(new AuditEvent(origin.actor(), "sso.logout", session.accountId, "ok",
              origin.requestId(), origin.remoteAddress(), new JsonObject().put("client", client))))
          .map(v -> new Logout(false, redirect));
    }));
  }

  /**
   * Ends every sign-on of an account (disabled, or its password reset) everywhere: its refresh tokens, and its
   * sessions and access tokens issued so far, for as long as the longest of them could live. What it signs on to
   * afterwards is not touched.
   */
  private Uni<Void> endSignOns(String accountId) {
    long until = Instant.now().getEpochSecond()
        + Math.max(config.accessTokenTtl().toSeconds(), config.sessionTtl().toSeconds()) + 1;
    return storage.pool().chain(pool -> pool.preparedQuery("UPDATE sso.refresh_family SET revoked_at = now()"
            + " WHERE account_id = $1 AND revoked_at IS NULL").execute(Tuple.of(accountId)))
        .chain(() -> revocations.revokeIssuedUpToNow("sub:" + accountId, until));
  }

  /** Ends a session everywhere: removes it, revokes its refresh tokens and its access tokens. */
  private Uni<Void> endSession(String sid) {
    return OnContext.resume(() -> sessions.removeAsync(sid))
        .chain(() -> storage.pool().chain(pool -> pool.preparedQuery("UPDATE sso.refresh_family SET revoked_at = now()"
            + " WHERE sid = $1 AND revoked_at IS NULL").execute(Tuple.of(sid))))
        .chain(() -> revocations.revoke("sid:" + sid, accessHorizon()));
  }

  @Override
  public Uni<Void> close() {
    if (keyTimer >= 0) {
      vertx.cancelTimer(keyTimer);
      vertx.cancelTimer(sweepTimer);
    }
    revocations.close();
    return clientsChanged == null ? Uni.createFrom().voidItem() : clientsChanged.unregister();
  }

  private static String url(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static Instant instant(OffsetDateTime time) {
    return time.toInstant();
  }
}
