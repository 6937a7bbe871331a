package io.huitong.hub.identity.impl;

import io.huitong.hub.identity.AccountKind;
import io.huitong.hub.signing.BlindIndex;
import io.huitong.hub.signing.MasterKey;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * A benchmark dataset of natural-person accounts, stored exactly as registration stores them (ID number and phone
 * sealed to their row and column, HMAC-SM3 blind indexes, masks, an Argon2id hash at the configured cost) but
 * loaded in bulk: sealing on every core, PostgreSQL {@code COPY} in batches.
 *
 * <p>Account {@code n} (0-based, numbered on from the highest generated account present) is named
 * {@value #NAME_PREFIX}{@code n}, has phone {@code 199} followed by {@code n} in 8 digits, and the ID number of
 * region 110101, born {@code 1950-01-01} plus {@code n / 1000} days, sequence {@code n % 1000}. Its password is
 * {@code passwords[n % passwords.length]}: a pool of random passwords, each hashed once with its own salt. The
 * credentials file lists {@code login,password} per account, the login alternately the ID number (even
 * {@code n}) and the phone (odd), so a load test exercises both lookups.
 *
 * <p>Sharing a hash among the accounts of one password is what makes a million accounts load in minutes rather
 * than hours (a million Argon2id hashes are about five hours of both cores here), and it costs the benchmark
 * nothing: a login hashes the typed password with the stored salt whatever other rows hold, so its work is the
 * same. It would matter for real accounts (equal rows show equal passwords), which is why the tool refuses a
 * database holding accounts it did not generate unless forced. Not for production data.
 */
public final class BenchmarkAccounts {
  /** Every generated account's name starts with this (压测用户: load-test user); nothing a real person is called. */
  public static final String NAME_PREFIX = "压测用户";
  private static final LocalDate FIRST_BIRTH = LocalDate.of(1950, 1, 1);
  private static final DateTimeFormatter BIRTH = DateTimeFormatter.BASIC_ISO_DATE;
  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  /** Up to here birth dates stay before 1978 and phones within 199 and 8 digits. */
  public static final int MAX_ACCOUNTS = 10_000_000;
  private static final int BATCH = 10_000;
  private static final String PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  /** What a run did. */
  public record Result(long first, int accounts, long hashMillis, long loadMillis) {
    public double accountsPerSecond() {
      return loadMillis == 0 ? accounts : accounts * 1000.0 / loadMillis;
    }
  }

  private final MasterKey master;
  private final BlindIndex blind;
  private final PasswordHash.Cost cost;
  private final int threads;

  public BenchmarkAccounts(MasterKey master, int memoryKib, int iterations, int threads) {
    this.master = master;
    this.blind = BlindIndex.create(master);
    this.cost = new PasswordHash.Cost(memoryKib, iterations, 1);
    this.threads = threads;
  }

  /** Accounts in {@code identity.account} that this tool did not generate. */
  public static long otherAccounts(Connection c) throws SQLException {
    return count(c, "SELECT count(*) FROM identity.account WHERE name NOT LIKE '" + NAME_PREFIX + "%'");
  }

  /** The number after the highest generated account's: the next run numbers on from here. */
  static long nextNumber(Connection c) throws SQLException {
    return count(c, "SELECT coalesce(max(substr(name, " + (NAME_PREFIX.length() + 1) + ")::bigint) + 1, 0)"
        + " FROM identity.account WHERE name LIKE '" + NAME_PREFIX + "%'");
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Generates {@code accounts} accounts after those already generated, with {@code poolSize} distinct passwords,
   * and writes their credentials to {@code credentials} (mode 0600, replaced). Progress goes to {@code out}.
   */
  public Result generate(Connection c, int accounts, int poolSize, Path credentials, PrintStream out)
      throws SQLException, IOException, InterruptedException {
    long first = nextNumber(c);
    if (first + accounts > MAX_ACCOUNTS) {
      throw new IllegalArgumentException("at most " + MAX_ACCOUNTS + " generated accounts in all");
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long began = System.nanoTime();
      String[] passwords = new String[poolSize];
      String[] hashes = new String[poolSize];
      SecureRandom random = new SecureRandom();
      for (int i = 0; i < poolSize; i++) {
        passwords[i] = password(random);
      }
      List<Future<String>> hashing = IntStream.range(0, poolSize)
          .mapToObj(i -> pool.submit(() -> hashes[i] = PasswordHash.hash(passwords[i], cost))).toList();
      for (Future<String> f : hashing) {
        await(f);
      }
      long hashMillis = (System.nanoTime() - began) / 1_000_000;
      out.printf("%d password hashes (Argon2id m=%d KiB, t=%d) on %d threads in %.1f s%n", poolSize,
          cost.memoryKib(), cost.iterations(), threads, hashMillis / 1000.0);

      writeCredentials(credentials, first, accounts, passwords);
      began = System.nanoTime();
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      // Sealing runs ahead of COPY by at most a few batches, so memory stays bounded whatever the count.
      Deque<Future<byte[]>> ready = new ArrayDeque<>();
      long next = first;
      long end = first + accounts;
      int done = 0;
      while (next < end || !ready.isEmpty()) {
        while (next < end && ready.size() < threads + 1) {
          long from = next;
          long to = Math.min(end, next + BATCH);
          ready.add(pool.submit(() -> rows(from, to, passwords.length, hashes)));
          next = to;
        }
        byte[] batch = await(ready.poll());
        copy.copyIn("COPY identity.account (id, kind, name, id_number_sealed, id_number_index, masked_id_number,"
            + " phone_sealed, phone_index, masked_phone, password_hash) FROM STDIN", new ByteArrayInputStream(batch));
        done += Math.min(BATCH, accounts - done);
        if (done % 100_000 == 0 || done == accounts) {
          out.printf("%d accounts loaded, %.0f s%n", done, (System.nanoTime() - began) / 1e9);
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE identity.account");
      }
      return new Result(first, accounts, hashMillis, (System.nanoTime() - began) / 1_000_000);
    } finally {
      pool.shutdownNow();
    }
  }

  /** COPY text rows of accounts {@code from} (inclusive) to {@code to}. */
  private byte[] rows(long from, long to, int poolSize, String[] hashes) {
    StringBuilder b = new StringBuilder((int) (to - from) * 700);
    HexFormat hex = HexFormat.of();
    for (long n = from; n < to; n++) {
      String id = UUID.randomUUID().toString();
      String idNumber = idNumber(n);
      String phone = phone(n);
      b.append(id).append('\t').append(AccountKind.NATURAL_PERSON.name()).append('\t').append(NAME_PREFIX).append(n)
          .append("\t\\\\x").append(hex.formatHex(seal(idNumber, id, "id-number")))
          .append('\t').append(blind.of(IdentityFields.ID_NUMBER_FIELD, idNumber))
          .append('\t').append(IdentityFields.maskIdNumber(idNumber))
          .append("\t\\\\x").append(hex.formatHex(seal(phone, id, "phone")))
          .append('\t').append(blind.of(IdentityFields.PHONE_FIELD, phone))
          .append('\t').append(IdentityFields.maskPhone(phone))
          .append('\t').append(hashes[(int) (n % poolSize)]).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private byte[] seal(String value, String accountId, String column) {
    return master.seal(value.getBytes(StandardCharsets.UTF_8), PgIdentity.context(accountId, column));
  }

  private static void writeCredentials(Path file, long first, int accounts, String[] passwords) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".credentials", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
      w.write("login,password\n");
      for (long n = first; n < first + accounts; n++) {
        w.write(n % 2 == 0 ? idNumber(n) : phone(n));
        w.write(',');
        w.write(passwords[(int) (n % passwords.length)]);
        w.write('\n');
      }
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** The ID number of generated account {@code n}: region 110101, a birth date from 1950, sequence, check character. */
  static String idNumber(long n) {
    String body = "110101" + FIRST_BIRTH.plusDays(n / 1000).format(BIRTH) + String.format("%03d", n % 1000);
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (body.charAt(i) - '0') * WEIGHTS[i];
    }
    return body + CHECK[sum % 11];
  }

  /** The phone of generated account {@code n}. */
  static String phone(long n) {
    return "199" + String.format("%08d", n);
  }

  /** 16 characters of letters and digits (the policy wants two kinds: the trailing digit and letters ensure it). */
  private static String password(SecureRandom random) {
    StringBuilder b = new StringBuilder("Pw");
    for (int i = 0; i < 13; i++) {
      b.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
    }
    return b.append(random.nextInt(10)).toString();
  }

  private static <T> T await(Future<T> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new UncheckedIOException(new IOException(e.getCause()));
    }
  }
}
