package io.huitong.hub.proxy.impl;

/**
 * Call latencies counted in fixed logarithmic buckets: four buckets per power of two from 32 µs to 2^27 µs (about
 * 134 s), one below and the last open-ended. A bucket is at most a quarter of its lower bound wide, so a percentile
 * read at the bucket's middle is within 12.5% of the true value. 89 counters: small enough to keep one per
 * statistics slot (micrometer's bundled HdrHistogram would take some 20 KB per slot at two significant digits).
 * Not thread-safe: the owner synchronizes.
 */
final class LatencyHistogram {
  static final int BUCKETS = 89;
  private static final int FIRST_OCTAVE = 5;
  private static final int LAST_OCTAVE = 26;

  final long[] counts = new long[BUCKETS];

  /** The bucket of a latency in microseconds. */
  static int bucket(long micros) {
    if (micros < 1L << FIRST_OCTAVE) {
      return 0;
    }
    int octave = 63 - Long.numberOfLeadingZeros(micros);
    if (octave > LAST_OCTAVE) {
      return BUCKETS - 1;
    }
    int quarter = (int) (micros >>> (octave - 2)) & 3;
    return 1 + (octave - FIRST_OCTAVE) * 4 + quarter;
  }

  /** The lowest latency (µs) bucket {@code b} holds. */
  static long lowerBound(int b) {
    if (b == 0) {
      return 0;
    }
    int octave = FIRST_OCTAVE + (b - 1) / 4;
    return (4L + (b - 1) % 4) << (octave - 2);
  }

  /** The latency (µs) just above bucket {@code b}. */
  static long upperBound(int b) {
    return b == BUCKETS - 1 ? lowerBound(b) * 5 / 4 : lowerBound(b + 1);
  }

  void record(long micros) {
    counts[bucket(micros)]++;
  }

  void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
  }

  void clear() {
    java.util.Arrays.fill(counts, 0);
  }

  /** The latency in milliseconds below which a fraction {@code p} (0..1) of calls fell; 0 when none were counted. */
  double percentileMillis(double p) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(p * total));
    long seen = 0;
    int b = 0;
    for (; b < BUCKETS - 1; b++) {
      seen += counts[b];
      if (seen >= rank) {
        break;
      }
    }
    return (lowerBound(b) + upperBound(b)) / 2.0 / 1000.0;
  }
}
