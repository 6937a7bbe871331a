package io.huitong.hub.proxy.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.huitong.crypto.Sm3;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CallChainTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private final CallChain chain = new CallChain(KEY);

  private static AuditRow row(String consumer, int status) {
    return new AuditRow(0, Instant.parse("2025-03-01T08:00:00.123456789Z"), "m1", "r-" + consumer, consumer, "household",
        status, status < 400 ? "ok" : "HT-NOT-APPROVED", 1500, "a".repeat(64), "b".repeat(64), "http", "MISS",
        "10.0.0.9", null);
  }

  private List<AuditRow> linked(int n) {
    return chain.link(0, CallChain.GENESIS, IntStream.range(0, n).mapToObj(i -> row("app-" + i, 200)).toList());
  }

  @Test
  void canonicalBytesAreFixedWidthNumbersThenLengthPrefixedTexts() {
    AuditRow r = new AuditRow(7, Instant.ofEpochSecond(1, 2_000), "m", "", "c", "s", 200, "ok", 3, "d1", "d2", "x",
        "-", "ip", null);
    String expected = "0000000000000007" + "00000000000f4242" + "000000c8" + "0000000000000003"
        + "00000001" + "6d" + "00000000" + "00000001" + "63" + "00000001" + "73" + "00000002" + "6f6b"
        + "00000002" + "6431" + "00000002" + "6432" + "00000001" + "78" + "00000001" + "2d" + "00000002" + "6970";
    assertEquals(expected, HexFormat.of().formatHex(CallChain.canonical(r)));
  }

  @Test
  void eachMacIsTheHmacOfThePreviousMacAndTheRow() {
    List<AuditRow> rows = linked(3);
    byte[] previous = CallChain.GENESIS;
    for (int i = 0; i < rows.size(); i++) {
      AuditRow r = rows.get(i);
      assertEquals(i + 1, r.seq());
      byte[] input = new byte[previous.length + CallChain.canonical(r).length];
      System.arraycopy(previous, 0, input, 0, previous.length);
      System.arraycopy(CallChain.canonical(r), 0, input, previous.length, CallChain.canonical(r).length);
      assertArrayEquals(Sm3.hmac(KEY, input), r.mac());
      previous = r.mac();
    }
  }

  @Test
  void textsCannotBeShiftedFromOneFieldIntoTheNext() {
    AuditRow a = new AuditRow(1, Instant.EPOCH, "m", "r", "ab", "c", 200, "ok", 0, "-", "-", "-", "-", "-", null);
    AuditRow b = new AuditRow(1, Instant.EPOCH, "m", "r", "a", "bc", 200, "ok", 0, "-", "-", "-", "-", "-", null);
    assertFalse(java.util.Arrays.equals(chain.mac(CallChain.GENESIS, a), chain.mac(CallChain.GENESIS, b)));
  }

  @Test
  void anIntactChainWalksToItsEnd() {
    CallChain.Walk end = chain.walk(CallChain.Walk.start(), linked(5));
    assertNull(end.problem());
    assertEquals(5, end.seq());
    assertEquals(5, end.checked());
  }

  @Test
  void aWalkGoesOnAcrossPages() {
    List<AuditRow> rows = linked(6);
    CallChain.Walk half = chain.walk(CallChain.Walk.start(), rows.subList(0, 3));
    CallChain.Walk end = chain.walk(half, rows.subList(3, 6));
    assertNull(end.problem());
    assertEquals(6, end.checked());
  }

  @Test
  void anEditedValueIsFoundAtItsRow() {
    List<AuditRow> rows = new ArrayList<>(linked(5));
    AuditRow r = rows.get(2);
    rows.set(2, new AuditRow(r.seq(), r.at(), r.member(), r.requestId(), r.consumer(), r.service(), 500, r.code(),
        r.latencyMicros(), r.requestSm3(), r.responseSm3(), r.source(), r.cache(), r.remoteAddress(), r.mac()));
    assertBroken(rows, 3, CallChain.Problem.EDITED, 2);
  }

  @Test
  void aDeletedRowIsFoundByTheGap() {
    List<AuditRow> rows = new ArrayList<>(linked(5));
    rows.remove(3);
    assertBroken(rows, 4, CallChain.Problem.DELETED, 3);
  }

  @Test
  void swappedRowsAreFoundAsReordered() {
    List<AuditRow> rows = new ArrayList<>(linked(5));
    AuditRow second = rows.get(1);
    AuditRow fourth = rows.get(3);
    rows.set(1, fourth.at(2));
    rows.set(3, second.at(4));
    assertBroken(rows, 2, CallChain.Problem.REORDERED, 1);
  }

  @Test
  void anotherKeyBreaksTheFirstRow() {
    CallChain.Walk end = new CallChain(new byte[32]).walk(CallChain.Walk.start(), linked(2));
    assertEquals(CallChain.Problem.EDITED, end.problem());
    assertEquals(1, end.brokenSeq());
  }

  private void assertBroken(List<AuditRow> rows, long seq, CallChain.Problem problem, long checked) {
    CallChain.Walk end = chain.walk(CallChain.Walk.start(), rows);
    assertEquals(problem, end.problem());
    assertEquals(seq, end.brokenSeq());
    assertEquals(checked, end.checked());
  }
}
