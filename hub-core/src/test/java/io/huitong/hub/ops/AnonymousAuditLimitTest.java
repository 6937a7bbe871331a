package io.huitong.hub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Unauthenticated clients cannot fill the audit log, and the log still counts what it left out. */
class AnonymousAuditLimitTest {
  private static final long T0 = 1_000_000;

  @Test
  void pastTheBoundRequestsAreCountedAndReportedWithTheNextRecordedOne() {
    AnonymousAuditLimit limit = new AnonymousAuditLimit();
    for (int i = 0; i < AnonymousAuditLimit.PER_MINUTE; i++) {
      assertEquals(0, limit.admit("10.0.0.1", T0 + i), "recorded, nothing left out before it");
    }
    for (int i = 0; i < 5; i++) {
      assertEquals(-1, limit.admit("10.0.0.1", T0 + 100 + i), "left out");
    }
    assertEquals(0, limit.admit("10.0.0.2", T0 + 200), "another address has its own bound");
    assertEquals(5, limit.admit("10.0.0.1", T0 + 60_000), "the next minute's first row says how many were left out");
    assertEquals(0, limit.admit("10.0.0.1", T0 + 60_001));
  }
}
