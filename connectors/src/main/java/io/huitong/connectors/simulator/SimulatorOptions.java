package io.huitong.connectors.simulator;

import java.nio.file.Path;

/**
 * How to run the department simulator.
 *
 * @param host    the address to bind; 127.0.0.1 unless the simulator must be reached from another machine
 * @param port    the port to bind; 0 picks a free one, which {@link DepartmentSimulator#start()} reports
 * @param people  the population's size
 * @param seed    the seed every generated record and every injected fault derives from
 * @param dataDir where the simulator writes its status file; {@code null} writes nothing
 */
public record SimulatorOptions(String host, int port, int people, long seed, Path dataDir) {
  public static final int DEFAULT_PORT = 9300;
  public static final int DEFAULT_PEOPLE = 100_000;
  public static final long DEFAULT_SEED = 1;

  public SimulatorOptions {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
    }
    if (people < 1 || people > Population.MAX_SIZE) {
      throw new IllegalArgumentException("people must be 1 to " + Population.MAX_SIZE + ", not " + people);
    }
  }

  /** Loopback on a free port, the default population and seed, nothing written: what a test wants. */
  public static SimulatorOptions forTests() {
    return new SimulatorOptions("127.0.0.1", 0, DEFAULT_PEOPLE, DEFAULT_SEED, null);
  }

  public SimulatorOptions withPeople(int people) {
    return new SimulatorOptions(host, port, people, seed, dataDir);
  }

  public SimulatorOptions withSeed(long seed) {
    return new SimulatorOptions(host, port, people, seed, dataDir);
  }
}
