package io.huitong.perf.crypto;

import java.util.SplittableRandom;

/** Benchmark inputs: fixed-seed pseudo-random bytes, so every run hashes and encrypts the same data. */
final class Data {
  private Data() {
  }

  static byte[] random(int length) {
    byte[] bytes = new byte[length];
    new SplittableRandom(20261122L).nextBytes(bytes);
    return bytes;
  }
}
