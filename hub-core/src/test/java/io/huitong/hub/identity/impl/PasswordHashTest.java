package io.huitong.hub.identity.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
