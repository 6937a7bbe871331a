package io.huitong.hub.identity;

import io.huitong.config.Config;
import io.huitong.hub.DataDirectory;
import io.huitong.hub.SecretFile;
import io.huitong.hub.StartupException;
import io.huitong.hub.config.NodeConfig;
import io.huitong.hub.identity.impl.BenchmarkAccounts;
import io.huitong.hub.identity.impl.PasswordHash;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.signing.SigningConfig;
import io.huitong.hub.storage.EmbeddedPostgresServer;
import io.huitong.hub.storage.Migrations;
import io.huitong.hub.storage.PgConfig;
import io.huitong.hub.storage.PgLocation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hub's {@code identity} commands, for load tests (docs/identity.md, "Benchmark dataset"):
 *
 * <pre>
 *   huitong-hub identity generate --accounts N [--passwords P] [--credentials FILE] [--force]
 *   huitong-hub identity kdf-rate [--seconds S] [--threads T]
 * </pre>
 *
 * {@code generate} needs the hub stopped (it takes the data directory and, by default, runs the embedded
 * PostgreSQL itself); {@code kdf-rate} times the password KDF at the configured cost on every core.
 */
public final class IdentityCommand {
  public static final String USAGE = "usage: huitong-hub identity generate --accounts N [--passwords P]"
      + " [--credentials FILE] [--force] | identity kdf-rate [--seconds S] [--threads T]";
  private static final int EXIT_FAILED = 1;
  private static final int EXIT_USAGE = 2;

  private IdentityCommand() {
  }

  /** Runs {@code words} (after "identity"); the process's exit code. */
  public static int run(List<String> words, Config config, PrintStream out, PrintStream err) {
    try {
      Options o = Options.parse(words);
      return switch (o.command) {
        case "generate" -> generate(o, config, out, err);
        case "kdf-rate" -> kdfRate(o, IdentityConfig.from(config), out);
        default -> throw new IllegalArgumentException("unknown command " + o.command);
      };
    } catch (IllegalArgumentException e) {
      err.println("huitong: " + e.getMessage());
      err.println(USAGE);
      return EXIT_USAGE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EXIT_FAILED;
    }
  }

  private static int generate(Options o, Config config, PrintStream out, PrintStream err) throws InterruptedException {
    if (o.accounts < 1 || o.accounts > BenchmarkAccounts.MAX_ACCOUNTS || o.passwords < 1 || o.passwords > 100_000) {
      throw new IllegalArgumentException("--accounts is 1 to " + BenchmarkAccounts.MAX_ACCOUNTS + ", --passwords 1 to 100000");
    }
    IdentityConfig identity = IdentityConfig.from(config);
    PgConfig pg = PgConfig.from(config);
    EmbeddedPostgresServer embedded = null;
    try (DataDirectory dataDir = DataDirectory.acquire(NodeConfig.from(config).dataDir())) {
      MasterKey master = MasterKey.load(SigningConfig.from(config), dataDir.root());
      PgLocation location;
      if (pg.embedded()) {
        EmbeddedPostgresServer.stopLeftover(dataDir.resolve("pg"));
        String password = SecretFile.readOrCreate(dataDir.resolve("pg-password"), () -> SecretFile.randomToken(24));
        embedded = EmbeddedPostgresServer.start(dataDir.resolve("pg"), pg.embeddedPort(),
            dataDir.resolve("logs").resolve("postgres.log"), password);
        location = embedded.location();
      } else {
        location = PgLocation.parse(pg.url(), pg.password());
      }
      Migrations.migrateAll(location);
      try (Connection c = DriverManager.getConnection(location.jdbcUrl(), location.user(), location.password().reveal())) {
        long others = BenchmarkAccounts.otherAccounts(c);
        if (others > 0 && !o.force) {
          err.println("huitong: " + location.display() + " holds " + others + " account(s) this tool did not"
              + " generate; a benchmark dataset shares password hashes among accounts and is not for a database of"
              + " real people. Use another data directory or database, or --force.");
          return EXIT_USAGE;
        }
        Path credentials = o.credentials != null ? o.credentials : dataDir.resolve("benchmark-credentials.csv");
        int threads = Runtime.getRuntime().availableProcessors();
        BenchmarkAccounts.Result r = new BenchmarkAccounts(master, identity.kdfMemoryKib(), identity.kdfIterations(),
            threads).generate(c, o.accounts, o.passwords, credentials, out);
        out.printf("generated accounts %d to %d into %s: loaded in %.1f s, %.0f accounts/s (password pool %.1f s"
                + " before); credentials in %s%n", r.first(), r.first() + r.accounts() - 1, location.display(),
            r.loadMillis() / 1000.0, r.accountsPerSecond(), r.hashMillis() / 1000.0, credentials);
        return 0;
      }
    } catch (StartupException | IOException | SQLException | RuntimeException e) {
      err.println("huitong: identity generate failed: " + e.getMessage());
      return EXIT_FAILED;
    } finally {
      if (embedded != null) {
        try {
          embedded.close();
        } catch (IOException e) {
          err.println("huitong: stopping the embedded PostgreSQL: " + e.getMessage());
        }
      }
    }
  }

  /** Hashes on {@code threads} threads for {@code seconds}, after a short warm-up; prints the rate. */
  private static int kdfRate(Options o, IdentityConfig identity, PrintStream out) throws InterruptedException {
    int threads = o.threads > 0 ? o.threads : Runtime.getRuntime().availableProcessors();
    if (o.seconds < 1 || o.seconds > 600 || threads > 256) {
      throw new IllegalArgumentException("--seconds is 1 to 600, --threads 1 to 256");
    }
    PasswordHash.Cost cost = new PasswordHash.Cost(identity.kdfMemoryKib(), identity.kdfIterations(), 1);
    LongAdder hashes = new LongAdder();
    long start = System.nanoTime() + 2_000_000_000L;
    long end = start + o.seconds * 1_000_000_000L;
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        while (System.nanoTime() < start) {
          PasswordHash.hash("warm-up-password-1", cost);
        }
        while (System.nanoTime() < end) {
          PasswordHash.hash("Benchmark-password-1", cost);
          hashes.increment();
        }
        done.countDown();
      }, "kdf-rate-" + t);
      thread.start();
    }
    done.await();
    // Each thread ends with the first hash that finishes past the window (and began its first a little after the
    // warm-up's end): the window is counted to the last finish.
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf("kdf-rate: %.1f hashes/s on %d threads (Argon2id m=%d KiB, t=%d, p=1; %d hashes in %.1f s)%n",
        hashes.sum() / seconds, threads, cost.memoryKib(), cost.iterations(), hashes.sum(), seconds);
    return 0;
  }

  private static final class Options {
    String command = "";
    int accounts = -1;
    int passwords = 1000;
    Path credentials;
    boolean force;
    int seconds = 10;
    int threads;

    static Options parse(List<String> words) {
      Options o = new Options();
      if (words.isEmpty()) {
        throw new IllegalArgumentException("name a command");
      }
      o.command = words.get(0);
      for (int i = 1; i < words.size(); i++) {
        String w = words.get(i);
        if (w.equals("--force")) {
          o.force = true;
          continue;
        }
        if (i + 1 >= words.size()) {
          throw new IllegalArgumentException(w + " needs a value, or is unknown");
        }
        String v = words.get(++i);
        switch (w) {
          case "--accounts" -> o.accounts = number(w, v);
          case "--passwords" -> o.passwords = number(w, v);
          case "--credentials" -> o.credentials = Path.of(v);
          case "--seconds" -> o.seconds = number(w, v);
          case "--threads" -> o.threads = number(w, v);
          default -> throw new IllegalArgumentException("unknown option " + w);
        }
      }
      return o;
    }

    private static int number(String option, String value) {
      try {
        return Integer.parseInt(value.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " takes a whole number, not " + value);
      }
    }
  }
}
