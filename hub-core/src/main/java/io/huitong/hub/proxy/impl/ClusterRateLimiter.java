package io.huitong.hub.proxy.impl;

import io.huitong.hub.http.OnContext;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.huitong.hub.proxy.RateLimit;
import io.smallrye.mutiny.Uni;
import java.io.Serial;
import java.io.Serializable;
import java.util.Map;

/**
 * Rate limits that hold across cluster members: the generic cell rate algorithm (GCRA), its one number per limited
 * key (the theoretical arrival time) kept in a Hazelcast map and advanced by an entry processor on the key's
 * partition owner. The owner's clock alone decides, so members with skewed clocks still share one limit, and the
 * check-and-advance is atomic without a lock.
 */
final class ClusterRateLimiter {
  static final String MAP = "huitong.proxy.rate";

  private final IMap<String, Long> arrivals;

  ClusterRateLimiter(HazelcastInstance hazelcast) {
    this.arrivals = hazelcast.getMap(MAP);
  }

  /**
   * Takes one permit for {@code key} under {@code limit}, or none.
   *
   * @return 0 when the call may go ahead, else the microseconds until it would be allowed
   */
  Uni<Long> acquire(String key, RateLimit limit) {
    return OnContext.resume(() -> arrivals.submitToKey(key,
        new Gcra(Math.max(1, limit.intervalNanos() / 1000), limit.toleranceNanos() / 1000)));
  }

  /** Runs on the partition owner; microseconds of its wall clock. */
  static final class Gcra implements EntryProcessor<String, Long, Long>, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private final long intervalMicros;
    private final long toleranceMicros;

    Gcra(long intervalMicros, long toleranceMicros) {
      this.intervalMicros = intervalMicros;
      this.toleranceMicros = toleranceMicros;
    }

    @Override
    public Long process(Map.Entry<String, Long> entry) {
      long now = System.currentTimeMillis() * 1000;
      long tat = entry.getValue() == null ? now : Math.max(entry.getValue(), now);
      long allowedAt = tat - toleranceMicros;
      if (now < allowedAt) {
        return allowedAt - now;
      }
      entry.setValue(tat + intervalMicros);
      return 0L;
    }
  }
}
