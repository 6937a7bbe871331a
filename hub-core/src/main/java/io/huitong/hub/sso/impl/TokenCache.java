package io.huitong.hub.sso.impl;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Access tokens this member has verified, by the SHA-256 of the token, each until it expires: a repeated
 * verification (introspection, userinfo) costs a lookup instead of a signature check. Bounded; a revocation removes
 * the tokens it concerns ({@link #forget}). Thread-safe.
 */
final class TokenCache {
  private final Cache<String, AccessClaims> verified;

  TokenCache(int maximumSize) {
    this.verified = Caffeine.newBuilder().maximumSize(maximumSize).expireAfter(new Expiry<String, AccessClaims>() {
      @Override
      public long expireAfterCreate(String hash, AccessClaims claims, long now) {
        return TimeUnit.SECONDS.toNanos(Math.max(0, claims.exp() - Instant.now().getEpochSecond()));
      }

      @Override
      public long expireAfterUpdate(String hash, AccessClaims claims, long now, long current) {
        return current;
      }

      @Override
      public long expireAfterRead(String hash, AccessClaims claims, long now, long current) {
        return current;
      }
    }).build();
  }

  AccessClaims get(String tokenHash) {
    return verified.getIfPresent(tokenHash);
  }

  void put(String tokenHash, AccessClaims claims) {
    verified.put(tokenHash, claims);
  }

  /** Drops every cached token a revocation key ({@link AccessClaims#revocationKeys}) names. */
  void forget(String revocationKey) {
    verified.asMap().values().removeIf(claims -> claims.revocationKeys().contains(revocationKey));
  }

  long size() {
    return verified.estimatedSize();
  }
}
