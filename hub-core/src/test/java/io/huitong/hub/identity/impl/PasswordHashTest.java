package io.huitong.hub.identity.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHashTest {
  /** Small, so the test is quick; the format is the same at any cost. */
  private static final PasswordHash.Cost COST = new PasswordHash.Cost(256, 2, 1);

  @Test
  void encodingCarriesTheAlgorithmVersionCostSaltAndHash() {
    String encoded = PasswordHash.hash("s3cret-pass", COST);
    assertTrue(encoded.matches("\\$argon2id\\$v=19\\$m=256,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), encoded);
    assertEquals(COST, PasswordHash.costOf(encoded));
    assertNotEquals(encoded, PasswordHash.hash("s3cret-pass", COST), "each hash has its own salt");
  }

  /**
   * A thread reuses its hashing memory from one hash to the next (PasswordHash.ThreadBlocks): hashes made one after
   * another on one thread, at costs going down and up again, equal BouncyCastle's with fresh memory each time.
   */
  @Test
  void hashesOnOneThreadEqualHashesWithFreshMemoryWhateverCameBefore() {
    PasswordHash.Cost[] costs = {COST, new PasswordHash.Cost(64, 1, 1), new PasswordHash.Cost(512, 3, 2), COST};
    for (int i = 0; i < costs.length; i++) {
      String password = "pass-" + i;
      String encoded = PasswordHash.hash(password, costs[i]);
      String[] parts = encoded.split("\\$");
      byte[] salt = Base64.getDecoder().decode(parts[4]);
      assertEquals(parts[5], Base64.getEncoder().withoutPadding().encodeToString(freshMemoryHash(password, salt, costs[i])),
          "hash " + i + " at " + costs[i]);
      assertTrue(PasswordHash.verify(password, encoded));
    }
  }

  private static byte[] freshMemoryHash(String password, byte[] salt, PasswordHash.Cost cost) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(cost.memoryKib()).withIterations(cost.iterations()).withParallelism(cost.parallelism())
        .withSalt(salt).build());
    byte[] out = new byte[32];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }

  @Test
  void verifiesTheRightPasswordOnly() {
    String encoded = PasswordHash.hash("s3cret-pass", COST);
    assertTrue(PasswordHash.verify("s3cret-pass", encoded));
    assertFalse(PasswordHash.verify("s3cret-pasS", encoded));
    assertFalse(PasswordHash.verify("", encoded));
  }

  @Test
  void aHashAtAnotherCostIsOutdatedSoALoginRehashesIt() {
    String encoded = PasswordHash.hash("s3cret-pass", COST);
    assertFalse(PasswordHash.outdated(encoded, COST));
    assertTrue(PasswordHash.outdated(encoded, new PasswordHash.Cost(512, 2, 1)));
    assertTrue(PasswordHash.outdated(encoded, new PasswordHash.Cost(256, 3, 1)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "plain", "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$Z3gVZVN+3CUbyZLgbo6zH+Zf39tQ8tFuYNQLnFQjmY4",
      "$argon2id$v=19$m=256,t=2$c29tZXNhbHQ$Z3gVZVN+3CUbyZLgbo6zH+Zf39tQ8tFuYNQLnFQjmY4",
      "$argon2id$v=19$m=99999999,t=2,p=1$c29tZXNhbHQ$Z3gVZVN+3CUbyZLgbo6zH+Zf39tQ8tFuYNQLnFQjmY4",
      "$argon2id$v=19$m=256,t=2,p=1$!!!$Z3gVZVN+3CUbyZLgbo6zH+Zf39tQ8tFuYNQLnFQjmY4",
      "$argon2id$v=19$m=256,t=2,p=1,x=1$c29tZXNhbHQ$Z3gVZVN+3CUbyZLgbo6zH+Zf39tQ8tFuYNQLnFQjmY4"})
  void malformedOrOutOfBoundsEncodingsNeverVerify(String encoded) {
    assertNull(PasswordHash.costOf(encoded));
    assertFalse(PasswordHash.verify("password", encoded));
    assertTrue(PasswordHash.outdated(encoded, COST));
  }
}
