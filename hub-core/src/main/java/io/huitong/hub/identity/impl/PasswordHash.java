package io.huitong.hub.identity.impl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}, unpadded
 * base64), so a hash carries its cost and the cost can be raised later: {@link #outdated} tells a login to rehash.
 * CPU- and memory-heavy: never call it on an event loop. Thread-safe.
 *
 * <p>A thread that hashes keeps the memory of its last hash (m KiB in 1 KiB blocks, wiped when a hash ends) for its
 * next one: without it every login allocates m KiB afresh (19 MiB at the default cost), and the collector, not the
 * KDF, sets the pace of a login burst (10 to 15% more hashes a second on two threads). In the hub only the KDF
 * threads of {@code KdfAdmission} hash.
 */
public final class PasswordHash {
  private static final String PREFIX = "$argon2id$v=19$";
  private static final int SALT_LENGTH = 16;
  private static final int HASH_LENGTH = 32;
  private static final int MAX_MEMORY_KIB = 1 << 21;
  private static final int MAX_ITERATIONS = 100;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final ThreadLocal<ThreadBlocks> BLOCKS = ThreadLocal.withInitial(ThreadBlocks::new);

  /** A hash's cost. */
  public record Cost(int memoryKib, int iterations, int parallelism) {
  }

  private PasswordHash() {
  }

  /** A new hash of {@code password} with a fresh salt. */
  public static String hash(String password, Cost cost) {
    byte[] salt = new byte[SALT_LENGTH];
    RANDOM.nextBytes(salt);
    byte[] hash = derive(password, salt, cost, HASH_LENGTH);
    return PREFIX + "m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  /** Whether {@code password} matches {@code encoded}; false for an encoding that does not parse. */
  public static boolean verify(String password, String encoded) {
    Parsed p = parse(encoded);
    if (p == null) {
      return false;
    }
    return MessageDigest.isEqual(p.hash, derive(password, p.salt, p.cost, p.hash.length));
  }

  /** Whether {@code encoded} was made at another cost than {@code wanted}, or does not parse. */
  public static boolean outdated(String encoded, Cost wanted) {
    Parsed p = parse(encoded);
    return p == null || !p.cost.equals(wanted);
  }

  /** The cost an encoded hash was made at, or null when it does not parse. */
  public static Cost costOf(String encoded) {
    Parsed p = parse(encoded);
    return p == null ? null : p.cost;
  }

  private record Parsed(Cost cost, byte[] salt, byte[] hash) {
  }

  private static Parsed parse(String encoded) {
    if (encoded == null || !encoded.startsWith(PREFIX)) {
      return null;
    }
    String[] parts = encoded.substring(PREFIX.length()).split("\\$", -1);
    if (parts.length != 3) {
      return null;
    }
    try {
      int m = -1;
      int t = -1;
      int p = -1;
      for (String kv : parts[0].split(",", -1)) {
        String[] pair = kv.split("=", 2);
        if (pair.length != 2) {
          return null;
        }
        int value = Integer.parseInt(pair[1]);
        switch (pair[0]) {
          case "m" -> m = value;
          case "t" -> t = value;
          case "p" -> p = value;
          default -> {
            return null;
          }
        }
      }
      // Bounds keep a tampered row from making one login hash for minutes or exhaust the heap.
      if (m < 8 || m > MAX_MEMORY_KIB || t < 1 || t > MAX_ITERATIONS || p < 1 || p > 16) {
        return null;
      }
      byte[] salt = Base64.getDecoder().decode(parts[1]);
      byte[] hash = Base64.getDecoder().decode(parts[2]);
      if (salt.length < 8 || hash.length < 16 || hash.length > 64) {
        return null;
      }
      return new Parsed(new Cost(m, t, p), salt, hash);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] derive(String password, byte[] salt, Cost cost, int length) {
    Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(cost.memoryKib())
        .withIterations(cost.iterations())
        .withParallelism(cost.parallelism())
        .withSalt(salt)
        .withBlockPool(BLOCKS.get().sizedFor(cost.memoryKib()))
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }

  /**
   * One thread's Argon2 blocks, kept between its hashes. Each is wiped as it comes back (it held password-derived
   * state), so a reused block is as a new one. Keeps at most the blocks of the last cost asked for.
   */
  private static final class ThreadBlocks implements Argon2BytesGenerator.BlockPool {
    private final ArrayDeque<Argon2BytesGenerator.Block> free = new ArrayDeque<>();
    private int keep;

    ThreadBlocks sizedFor(int blocks) {
      keep = blocks;
      while (free.size() > keep) {
        free.pollLast();
      }
      return this;
    }

    @Override
    public Argon2BytesGenerator.Block allocate() {
      Argon2BytesGenerator.Block block = free.pollLast();
      return block != null ? block : new Argon2BytesGenerator.Block();
    }

    @Override
    public void deallocate(Argon2BytesGenerator.Block block) {
      block.clear();
      if (free.size() < keep) {
        free.addLast(block);
      }
    }
  }
}
