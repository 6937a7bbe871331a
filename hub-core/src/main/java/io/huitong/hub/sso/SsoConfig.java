package io.huitong.hub.sso;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigType;
import io.huitong.config.Validator;
import io.huitong.hub.http.HttpConfig;
import java.time.Duration;

/**
 * The OpenID Connect provider (统一认证, single sign-on).
 *
 * @param issuer          {@code <public base URL>/sso}, the {@code iss} of every token
 * @param accessTokenTtl  lifetime of access tokens and ID tokens
 * @param refreshTokenTtl lifetime of a refresh token (each use issues a new one)
 * @param sessionTtl      how long a sign-on session lasts without a new login
 * @param codeTtl         lifetime of an authorization code
 * @param keyRotation     age at which a signing key is replaced by a new one
 * @param keyRetention    how long a replaced key stays in the JWKS
 * @param tokenCacheSize  verified tokens remembered per member
 */
public record SsoConfig(String issuer, Duration accessTokenTtl, Duration refreshTokenTtl, Duration sessionTtl,
                        Duration codeTtl, Duration keyRotation, Duration keyRetention, int tokenCacheSize) {
  public static final String PUBLIC_BASE_URL = "sso.public-base-url";
  public static final String ACCESS_TOKEN_TTL = "sso.access-token-ttl";
  public static final String REFRESH_TOKEN_TTL = "sso.refresh-token-ttl";
  public static final String SESSION_TTL = "sso.session-ttl";
  public static final String CODE_TTL = "sso.code-ttl";
  public static final String KEY_ROTATION = "sso.key-rotation";
  public static final String KEY_RETENTION = "sso.key-retention";
  public static final String TOKEN_CACHE_SIZE = "sso.token-cache-size";

  public static void declare(ConfigDef def) {
    def.section("sso", "The OpenID Connect provider: sign-on for portals and department systems (see docs/sso.md).")
        .define(PUBLIC_BASE_URL, ConfigType.STRING, "",
            Validator.matching("(https?://[^\\s?#]+)?", "empty, or an http:// or https:// URL without query"),
            "The hub's URL as browsers and relying systems reach it (behind any proxy); the issuer is this URL"
                + " followed by /sso. Empty: http://<http.host>:<http.port>, with localhost for 0.0.0.0.")
        .define(ACCESS_TOKEN_TTL, ConfigType.DURATION, "10m", Validator.between(Duration.ofSeconds(30), Duration.ofHours(24)),
            "Lifetime of access tokens and ID tokens.")
        .define(REFRESH_TOKEN_TTL, ConfigType.DURATION, "30d", Validator.between(Duration.ofMinutes(1), Duration.ofDays(365)),
            "Lifetime of a refresh token; each use replaces it with a new one of the same lifetime.")
        .define(SESSION_TTL, ConfigType.DURATION, "8h", Validator.between(Duration.ofMinutes(1), Duration.ofDays(30)),
            "How long a sign-on session (the browser's session cookie) lasts before the person logs in again.")
        .define(CODE_TTL, ConfigType.DURATION, "60s", Validator.between(Duration.ofSeconds(5), Duration.ofMinutes(10)),
            "Lifetime of an authorization code.")
        .define(KEY_ROTATION, ConfigType.DURATION, "30d", Validator.between(Duration.ofMinutes(1), Duration.ofDays(3650)),
            "Age at which a token signing key is replaced by a new one (checked every minute).")
        .define(KEY_RETENTION, ConfigType.DURATION, "1d", Validator.between(Duration.ZERO, Duration.ofDays(365)),
            "How long a replaced signing key stays published in the JWKS; keep it above sso.access-token-ttl so"
                + " tokens it signed still verify.")
        .define(TOKEN_CACHE_SIZE, ConfigType.INT, 100_000, Validator.between(0, 10_000_000),
            "Verified access tokens each member remembers (by hash, until they expire or are revoked), so"
                + " repeated introspection and userinfo cost a lookup; 0 turns the cache off.");
  }

  public static SsoConfig from(Config c) {
    String base = c.getString(PUBLIC_BASE_URL);
    if (base.isEmpty()) {
      String host = c.getString(HttpConfig.HOST);
      base = "http://" + ("0.0.0.0".equals(host) || "::".equals(host) ? "localhost" : host) + ":" + c.getInt(HttpConfig.PORT);
    }
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return new SsoConfig(base + "/sso", c.getDuration(ACCESS_TOKEN_TTL), c.getDuration(REFRESH_TOKEN_TTL),
        c.getDuration(SESSION_TTL), c.getDuration(CODE_TTL), c.getDuration(KEY_ROTATION), c.getDuration(KEY_RETENTION),
        c.getInt(TOKEN_CACHE_SIZE));
  }
}
