package io.huitong.perf.crypto;

import io.huitong.crypto.Sm3;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * SM3 of a whole buffer through {@link Sm3#hash}, in operations (buffers) per second; perf/crypto.sh multiplies
 * by {@code bytes} for MB/s. Compare with {@code openssl speed -evp sm3 -bytes <bytes>}.
 */
public class Sm3Benchmark extends SingleThreadBenchmark {
  @Param({"8192", "16384"})
  public int bytes;

  private byte[] data;

  @Setup
  public void setUp() {
    data = Data.random(bytes);
  }

  @Benchmark
  public byte[] sm3() {
    return Sm3.hash(data);
  }
}
