package io.huitong.hub.sso.impl;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import io.huitong.hub.http.OnContext;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Revoked tokens, shared by the cluster: a revocation names a token ({@code jti:}), a refresh-token family
 * ({@code fid:}), a session ({@code sid:}), a client ({@code client:}) or an account ({@code sub:}), and lasts until
 * the last token or session it can concern has expired. An account lives on after its sign-ons end, so its
 * revocation ends only what was issued up to a moment; the others end everything they name. It is kept in a
 * Hazelcast map (for members that join later) and announced on a topic; every member keeps a local copy, so checking
 * a token costs local lookups only. Thread-safe.
 */
final class Revocations {
  static final String MAP = "huitong.sso.revoked";
  static final String TOPIC = "huitong.sso.revocations";

  /** Until when a revocation matters, and the latest issue time (epoch seconds) of what it ends. */
  private record Revocation(long until, long issuedUpTo) {
    /** As the shared map and the topic carry it: "until issuedUpTo". */
    static Revocation parse(String text) {
      String[] parts = text.split(" ", 2);
      return new Revocation(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }

    String text() {
      return until + " " + issuedUpTo;
    }
  }

  private final IMap<String, String> shared;
  private final ITopic<String> topic;
  private final Cache<String, Revocation> local = Caffeine.newBuilder().expireAfter(new Expiry<String, Revocation>() {
    @Override
    public long expireAfterCreate(String key, Revocation revocation, long now) {
      return TimeUnit.SECONDS.toNanos(Math.max(1, revocation.until - Instant.now().getEpochSecond()));
    }

    @Override
    public long expireAfterUpdate(String key, Revocation revocation, long now, long current) {
      return expireAfterCreate(key, revocation, now);
    }

    @Override
    public long expireAfterRead(String key, Revocation revocation, long now, long current) {
      return current;
    }
  }).build();
  private final UUID listener;

  /** @param onRevoked told of every revocation, this member's and the others' */
  Revocations(HazelcastInstance hazelcast, Consumer<String> onRevoked) {
    this.shared = hazelcast.getMap(MAP);
    this.topic = hazelcast.getTopic(TOPIC);
    this.listener = topic.addMessageListener(message -> {
      String[] keyAndRevocation = message.getMessageObject().split("\n", 2);
      local.put(keyAndRevocation[0], Revocation.parse(keyAndRevocation[1]));
      onRevoked.accept(keyAndRevocation[0]);
    });
    // Revocations made before this member joined.
    for (Map.Entry<String, String> entry : shared.entrySet()) {
      local.put(entry.getKey(), Revocation.parse(entry.getValue()));
    }
  }

  /** Whether {@code key} is revoked for a token or session issued at {@code issuedAt} (epoch seconds). */
  boolean revoked(String key, long issuedAt) {
    Revocation revocation = key == null ? null : local.getIfPresent(key);
    return revocation != null && issuedAt <= revocation.issuedUpTo;
  }

  /** Revokes everything {@code key} names until {@code untilEpochSecond}, here at once and on the others soon. */
  Uni<Void> revoke(String key, long untilEpochSecond) {
    return revoke(key, new Revocation(untilEpochSecond, Long.MAX_VALUE));
  }

  /** Revokes what {@code key} names that was issued up to now, until {@code untilEpochSecond}. */
  Uni<Void> revokeIssuedUpToNow(String key, long untilEpochSecond) {
    return revoke(key, new Revocation(untilEpochSecond, Instant.now().getEpochSecond()));
  }

  private Uni<Void> revoke(String key, Revocation revocation) {
    long ttl = Math.max(1, revocation.until - Instant.now().getEpochSecond());
    local.put(key, revocation);
    return OnContext.resume(() -> shared.setAsync(key, revocation.text(), ttl, TimeUnit.SECONDS))
        .chain(() -> OnContext.resume(() -> topic.publishAsync(key + "\n" + revocation.text())))
        .replaceWithVoid();
  }

  void close() {
    topic.removeMessageListener(listener);
  }
}
