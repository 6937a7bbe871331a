package io.huitong.hub.proxy.impl;

import io.huitong.hub.http.OnContext;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import io.smallrye.mutiny.Uni;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Remembers the nonces of accepted requests across the cluster for as long as their timestamps are fresh, so a
 * captured request replayed to any member is refused. A nonce is kept until its request's timestamp is older than
 * the allowed skew; after that the timestamp check refuses the replay on its own.
 */
final class NonceGuard {
  static final String MAP = "huitong.proxy.nonces";

  private final IMap<String, Boolean> seen;
  private final Duration maxSkew;

  NonceGuard(HazelcastInstance hazelcast, Duration maxSkew) {
    this.seen = hazelcast.getMap(MAP);
    this.maxSkew = maxSkew;
  }

  /** True if the nonce is new for this app key (and is now remembered), false for a replay. */
  Uni<Boolean> firstUse(String appKey, String nonce, long timestampMillis) {
    long keepMillis = Math.max(1000, timestampMillis + maxSkew.toMillis() - System.currentTimeMillis());
    return OnContext.resume(() -> seen.submitToKey(appKey + '\n' + nonce, new Remember(keepMillis)));
  }

  /** Put-if-absent with a time to live, atomic on the key's partition owner. */
  static final class Remember implements EntryProcessor<String, Boolean, Boolean>, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private final long keepMillis;

    Remember(long keepMillis) {
      this.keepMillis = keepMillis;
    }

    @Override
    public Boolean process(Map.Entry<String, Boolean> entry) {
      if (entry.getValue() != null) {
        return false;
      }
      ((ExtendedMapEntry<String, Boolean>) entry).setValue(Boolean.TRUE, keepMillis, TimeUnit.MILLISECONDS);
      return true;
    }
  }
}
