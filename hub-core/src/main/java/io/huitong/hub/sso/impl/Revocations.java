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
    /** Of two revocations of one key, one that ends what either ends, for as long as either lasts. */
    Revocation merge(Revocation other) {
      return new Revocation(Math.max(until, other.until), Math.max(issuedUpTo, other.issuedUpTo));
    }
  }

  /**
   * Map keys and topic messages stay as members before issue times knew them ({@code key} to its until, and
   * "key\nuntil"), so a cluster can be upgraded member by member: an issued-up-to time travels in the key
   * ({@code sub:<account>@<second>}), which older members store but never look up.
   */
  private static final char ISSUED_UP_TO = '@';

  private final IMap<String, Long> shared;
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

  /** @param onRevoked told of every revocation, this member's and the others', by its key */
  Revocations(HazelcastInstance hazelcast, Consumer<String> onRevoked) {
    this.shared = hazelcast.getMap(MAP);
    this.topic = hazelcast.getTopic(TOPIC);
    this.listener = topic.addMessageListener(message -> {
      String[] keyAndUntil = message.getMessageObject().split("\n", 2);
      onRevoked.accept(apply(keyAndUntil[0], Long.parseLong(keyAndUntil[1])));
    });
    // Revocations made before this member joined.
    for (Map.Entry<String, Long> entry : shared.entrySet()) {
      apply(entry.getKey(), entry.getValue());
    }
  }

  /** Records a revocation as the map and the topic carry it; answers its key. */
  private String apply(String wireKey, long until) {
    int at = wireKey.lastIndexOf(ISSUED_UP_TO);
    String key = at < 0 ? wireKey : wireKey.substring(0, at);
    Revocation revocation = new Revocation(until, at < 0 ? Long.MAX_VALUE : Long.parseLong(wireKey.substring(at + 1)));
    local.asMap().merge(key, revocation, Revocation::merge);
    return key;
  }

  /** Whether {@code key} is revoked for a token or session issued at {@code issuedAt} (epoch seconds). */
  boolean revoked(String key, long issuedAt) {
    Revocation revocation = key == null ? null : local.getIfPresent(key);
    return revocation != null && issuedAt <= revocation.issuedUpTo;
  }

  /** Revokes everything {@code key} names until {@code untilEpochSecond}, here at once and on the others soon. */
  Uni<Void> revoke(String key, long untilEpochSecond) {
    return publish(key, untilEpochSecond);
  }

  /** Revokes what {@code key} names that was issued up to now, until {@code untilEpochSecond}. */
  Uni<Void> revokeIssuedUpToNow(String key, long untilEpochSecond) {
    return publish(key + ISSUED_UP_TO + Instant.now().getEpochSecond(), untilEpochSecond);
  }

  private Uni<Void> publish(String wireKey, long untilEpochSecond) {
    long ttl = Math.max(1, untilEpochSecond - Instant.now().getEpochSecond());
    apply(wireKey, untilEpochSecond);
    return OnContext.resume(() -> shared.setAsync(wireKey, untilEpochSecond, ttl, TimeUnit.SECONDS))
        .chain(() -> OnContext.resume(() -> topic.publishAsync(wireKey + "\n" + untilEpochSecond)))
        .replaceWithVoid();
  }

  void close() {
    topic.removeMessageListener(listener);
  }
}
