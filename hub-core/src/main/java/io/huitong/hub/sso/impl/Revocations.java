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
 * ({@code fid:}), a session ({@code sid:}) or a client ({@code client:}), and lasts until the last access token it
 * can concern has expired. It is kept in a Hazelcast map (for members that join later) and announced on a topic;
 * every member keeps a local copy, so checking a token costs local lookups only. Thread-safe.
 */
final class Revocations {
  static final String MAP = "huitong.sso.revoked";
  static final String TOPIC = "huitong.sso.revocations";

  private final IMap<String, Long> shared;
  private final ITopic<String> topic;
  /** Revoked keys to the epoch second until which they matter. */
  private final Cache<String, Long> local = Caffeine.newBuilder().expireAfter(new Expiry<String, Long>() {
    @Override
    public long expireAfterCreate(String key, Long until, long now) {
      return TimeUnit.SECONDS.toNanos(Math.max(1, until - Instant.now().getEpochSecond()));
    }

    @Override
    public long expireAfterUpdate(String key, Long until, long now, long current) {
      return expireAfterCreate(key, until, now);
    }

    @Override
    public long expireAfterRead(String key, Long until, long now, long current) {
      return current;
    }
  }).build();
  private final UUID listener;

  /** @param onRevoked told of every revocation, this member's and the others' */
  Revocations(HazelcastInstance hazelcast, Consumer<String> onRevoked) {
    this.shared = hazelcast.getMap(MAP);
    this.topic = hazelcast.getTopic(TOPIC);
    this.listener = topic.addMessageListener(message -> {
      String[] keyAndUntil = message.getMessageObject().split("\n", 2);
      local.put(keyAndUntil[0], Long.parseLong(keyAndUntil[1]));
      onRevoked.accept(keyAndUntil[0]);
    });
    // Revocations made before this member joined.
    for (Map.Entry<String, Long> entry : shared.entrySet()) {
      local.put(entry.getKey(), entry.getValue());
    }
  }

  boolean revoked(String key) {
    return key != null && local.getIfPresent(key) != null;
  }

  /** Revokes {@code key} until {@code untilEpochSecond}, here at once and on the other members within moments. */
  Uni<Void> revoke(String key, long untilEpochSecond) {
    long ttl = Math.max(1, untilEpochSecond - Instant.now().getEpochSecond());
    local.put(key, untilEpochSecond);
    return OnContext.resume(() -> shared.setAsync(key, untilEpochSecond, ttl, TimeUnit.SECONDS))
        .chain(() -> OnContext.resume(() -> topic.publishAsync(key + "\n" + untilEpochSecond)))
        .replaceWithVoid();
  }

  void close() {
    topic.removeMessageListener(listener);
  }
}
