package io.huitong.perf.identity;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The raw rate of the password KDF the hub's identity capability uses (Argon2id over BouncyCastle, parallelism 1,
 * 32-byte output, 16-byte salt), in hashes per second, at candidate costs written {@code memoryKiB:iterations}.
 * Run with {@code -t 1} for the rate of one core and {@code -t <cores>} for the machine's. docs/identity.md says
 * which cost the hub takes and why.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class PasswordKdfBenchmark {
  @Param({"19456:2", "12288:3", "47104:1", "65536:3"})
  public String cost;

  private Argon2Parameters parameters;
  private final byte[] password = "Huitong-2025-password".getBytes(StandardCharsets.UTF_8);
  private final byte[] out = new byte[32];

  @Setup
  public void setup() {
    String[] parts = cost.split(":");
    parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(Integer.parseInt(parts[0]))
        .withIterations(Integer.parseInt(parts[1]))
        .withParallelism(1)
        .withSalt(new byte[16])
        .build();
  }

  @Benchmark
  public byte[] argon2id() {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    generator.generateBytes(password, out);
    return out;
  }
}
