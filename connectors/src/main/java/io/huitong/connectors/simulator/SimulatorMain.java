package io.huitong.connectors.simulator;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs the department simulator in the foreground until SIGINT or SIGTERM.
 *
 * <pre>
 *   SimulatorMain [--host ADDR] [--port N] [--people N] [--seed N] [--data-dir DIR]
 * </pre>
 *
 * With {@code --data-dir}, the simulator writes {@code simulator.json} there (pid, host, port, people, seed) for
 * scripts and benchmarks to find it, and removes it on stop; without, it writes nothing. Exit codes: 0 after a clean
 * stop, 1 when the server cannot start (the port is taken, say), 2 for a bad command line.
 */
public final class SimulatorMain {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String USAGE =
      "usage: simulator [--host ADDR] [--port N] [--people N] [--seed N] [--data-dir DIR]";

  private SimulatorMain() {
  }

  public static void main(String[] args) {
    SimulatorOptions options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("simulator: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    System.exit(run(options, System.out, System.err));
  }

  static SimulatorOptions parse(String[] args) {
    String host = "127.0.0.1";
    int port = SimulatorOptions.DEFAULT_PORT;
    int people = SimulatorOptions.DEFAULT_PEOPLE;
    long seed = SimulatorOptions.DEFAULT_SEED;
    Path dataDir = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown or incomplete option " + flag);
      }
      String value = args[++i];
      try {
        switch (flag) {
          case "--host" -> host = value;
          case "--port" -> port = Integer.parseInt(value);
          case "--people" -> people = Integer.parseInt(value);
          case "--seed" -> seed = Long.parseLong(value);
          case "--data-dir" -> dataDir = Path.of(value);
          default -> throw new IllegalArgumentException("unknown option " + flag);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " takes a whole number, not " + value);
      }
    }
    return new SimulatorOptions(host, port, people, seed, dataDir);
  }

  private static int run(SimulatorOptions options, PrintStream out, PrintStream err) {
    Vertx vertx = Vertx.vertx();
    DepartmentSimulator simulator = DepartmentSimulator.create(vertx, options);
    int port;
    try {
      port = simulator.start().await().atMost(WAIT);
    } catch (RuntimeException e) {
      err.println("simulator: cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage());
      vertx.closeAndAwait();
      return 1;
    }
    Path status = options.dataDir() == null ? null : options.dataDir().resolve("simulator.json");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      simulator.close().await().atMost(WAIT);
      vertx.close().await().atMost(WAIT);
      deleteStatus(status);
    }, "simulator-stop"));
    if (status != null) {
      writeStatus(status, new JsonObject().put("pid", ProcessHandle.current().pid()).put("host", options.host())
          .put("port", port).put("people", options.people()).put("seed", options.seed()));
    }
    out.printf("simulator: listening on http://%s:%d (%d people, seed %d); Ctrl-C stops it%n", options.host(), port,
        options.people(), options.seed());
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static void writeStatus(Path status, JsonObject content) {
    try {
      Files.createDirectories(status.getParent());
      Files.writeString(status, content.encodePrettily() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + status, e);
    }
  }

  private static void deleteStatus(Path status) {
    try {
      if (status != null) {
        Files.deleteIfExists(status);
      }
    } catch (IOException e) {
      System.err.println("simulator: cannot remove " + status + ": " + e.getMessage());
    }
  }
}
