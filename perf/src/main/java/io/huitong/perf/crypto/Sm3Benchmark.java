package io.huitong.perf.crypto;

import io.huitong.crypto.Sm3;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SM3 of a whole buffer through {@link Sm3#hash}, in operations (buffers) per second; perf/crypto.sh multiplies
 * by {@code bytes} for MB/s. Compare with {@code openssl speed -evp sm3 -bytes <bytes>}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class Sm3Benchmark {
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
