package io.huitong.hub.proxy.impl;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Answers of cacheable services on this member, before field grants are applied (so one entry serves every
 * consumer), keyed by service and canonical input. An entry is fresh for the service's cache TTL and may then be
 * served stale for its stale TTL, only while every source of the service fails. Bounded by
 * {@code proxy.cache.max-entries}.
 */
final class ResponseCache {
  record Entry(JsonObject output, String source, long freshUntil, long staleUntil) {
    boolean fresh(long now) {
      return now < freshUntil;
    }
  }

  private final Cache<String, Entry> entries;

  ResponseCache(int maxEntries) {
    this.entries = Caffeine.newBuilder()
        .maximumSize(maxEntries)
        .expireAfter(new Expiry<String, Entry>() {
          @Override
          public long expireAfterCreate(String key, Entry entry, long currentTime) {
            return Math.max(0, entry.staleUntil() - System.nanoTime());
          }

          @Override
          public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
            return expireAfterCreate(key, entry, currentTime);
          }

          @Override
          public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .build();
  }

  /** The entry, fresh or stale, or null. */
  Entry get(String key) {
    return entries.getIfPresent(key);
  }

  void put(String key, JsonObject output, String source, Duration ttl, Duration staleTtl) {
    long now = System.nanoTime();
    long freshUntil = now + ttl.toNanos();
    entries.put(key, new Entry(output, source, freshUntil, freshUntil + staleTtl.toNanos()));
  }

  /**
   * The cache key: the service id and the input with its fields in sorted order, so {@code {"a":1,"b":2}} and
   * {@code {"b":2,"a":1}} share an entry.
   */
  static String key(String serviceId, JsonObject input) {
    return serviceId + '\n' + canonical(input);
  }

  private static String canonical(Object value) {
    if (value instanceof JsonObject o) {
      StringBuilder out = new StringBuilder("{");
      o.fieldNames().stream().sorted().forEach(name -> {
        if (out.length() > 1) {
          out.append(',');
        }
        out.append(io.vertx.core.json.Json.encode(name)).append(':').append(canonical(o.getValue(name)));
      });
      return out.append('}').toString();
    }
    if (value instanceof io.vertx.core.json.JsonArray a) {
      StringBuilder out = new StringBuilder("[");
      for (int i = 0; i < a.size(); i++) {
        out.append(i == 0 ? "" : ",").append(canonical(a.getValue(i)));
      }
      return out.append(']').toString();
    }
    return io.vertx.core.json.Json.encode(value);
  }
}
