package io.huitong.hub.identity.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchmarkAccountsTest {
  @Test
  void everyGeneratedLoginIsWellFormedAndDistinct() {
    Set<String> seen = new HashSet<>();
    for (long n : new long[] {0, 1, 999, 1_000, 123_456, 999_999, 1_000_000, BenchmarkAccounts.MAX_ACCOUNTS - 1}) {
      String id = BenchmarkAccounts.idNumber(n);
      // Normalising changes nothing: the generated value is exactly what a login by it is indexed as.
      assertEquals(id, IdentityFields.idNumber(id));
      assertEquals(BenchmarkAccounts.phone(n), IdentityFields.phone(BenchmarkAccounts.phone(n)));
      assertTrue(seen.add(id) && seen.add(BenchmarkAccounts.phone(n)), "account " + n);
    }
    for (long n = 0; n < 20_000; n++) {
      assertTrue(seen.add(BenchmarkAccounts.idNumber(n + 2_000_000)), "account " + n);
    }
    assertEquals("110101195001010009", BenchmarkAccounts.idNumber(0));
    assertEquals("19900000001", BenchmarkAccounts.phone(1));
  }
}
