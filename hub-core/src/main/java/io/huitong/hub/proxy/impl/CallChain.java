package io.huitong.hub.proxy.impl;

import io.huitong.crypto.Sm3;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The HMAC-SM3 chain of the call audit: row {@code n}'s mac is {@code HMAC-SM3(key, mac(n-1) || canonical(row n))},
 * and row 1 follows {@link #GENESIS}. The canonical bytes hold the row's {@code seq}, so a row moved to another place
 * no longer verifies there; changing, removing or moving any row breaks every later link, and nobody without the
 * key can mend them.
 *
 * <p>Canonical bytes, all integers big-endian: seq (8 bytes), time in microseconds since the epoch (8), status (4),
 * latency in microseconds (8), then member, request id, consumer, service, code, request SM3, response SM3, source,
 * cache and remote address, each as its UTF-8 length (4 bytes) and its UTF-8 bytes.
 *
 * <p>Pure computation, thread-safe; callers run it off the event loop when it covers a batch.
 */
final class CallChain {
  /** What the first row follows: 32 zero bytes, as {@code proxy.call_audit_head} starts. */
  static final byte[] GENESIS = new byte[Sm3.LENGTH];

  /** A fault the check can name. */
  enum Problem {
    /** The row at this place is not what was linked there: a value or the mac was changed. */
    EDITED,
    /** No row holds this place: it was deleted. */
    DELETED,
    /** The row that belongs at this place sits at a later one. */
    REORDERED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Where a walk along the chain stands: the last place and mac found intact, or the first broken place. */
  record Walk(long seq, byte[] mac, long checked, long brokenSeq, Problem problem) {
    static Walk start() {
      return new Walk(0, GENESIS, 0, 0, null);
    }

    boolean broken() {
      return problem != null;
    }

    Walk broke(long at, Problem why) {
      return new Walk(seq, mac, checked, at, why);
    }
  }

  private final byte[] key;

  CallChain(byte[] key) {
    this.key = key.clone();
  }

  static byte[] canonical(AuditRow row) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    ByteBuffer numbers = ByteBuffer.allocate(28)
        .putLong(row.seq())
        .putLong(row.at().getEpochSecond() * 1_000_000 + row.at().getNano() / 1000)
        .putInt(row.status())
        .putLong(row.latencyMicros());
    out.writeBytes(numbers.array());
    for (String text : row.texts()) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  byte[] mac(byte[] previous, AuditRow row) {
    return mac(Sm3.newHmac(key), previous, row);
  }

  /** With an HMAC already keyed, which {@link Sm3#finish()} leaves keyed for the next row. */
  private static byte[] mac(Sm3 hmac, byte[] previous, AuditRow row) {
    return hmac.update(previous).update(canonical(row)).finish();
  }

  /** Places {@code rows} after the row {@code (headSeq, headMac)}, in order, each with its seq and mac. */
  List<AuditRow> link(long headSeq, byte[] headMac, List<AuditRow> rows) {
    List<AuditRow> linked = new ArrayList<>(rows.size());
    Sm3 hmac = Sm3.newHmac(key);
    byte[] previous = headMac;
    long seq = headSeq;
    for (AuditRow row : rows) {
      AuditRow placed = row.at(++seq);
      previous = mac(hmac, previous, placed);
      linked.add(placed.withMac(previous));
    }
    return linked;
  }

  /**
   * Continues {@code from} over {@code rows}, read in order of seq: stops at the first place that is missing, holds
   * a row whose mac does not follow, or holds a row that belongs later. A row that does not verify is named
   * {@link Problem#REORDERED} when the row that does belong at its place is found among the later {@code rows}.
   */
  Walk walk(Walk from, List<AuditRow> rows) {
    Walk at = from;
    Sm3 hmac = Sm3.newHmac(key);
    for (int i = 0; i < rows.size(); i++) {
      AuditRow row = rows.get(i);
      long expected = at.seq() + 1;
      if (row.seq() != expected) {
        return at.broke(expected, Problem.DELETED);
      }
      byte[] mac = mac(hmac, at.mac(), row);
      if (!MessageDigest.isEqual(mac, row.mac())) {
        return at.broke(expected, belongsLater(at.mac(), expected, rows.subList(i + 1, rows.size()))
            ? Problem.REORDERED : Problem.EDITED);
      }
      at = new Walk(expected, mac, at.checked() + 1, 0, null);
    }
    return at;
  }

  private boolean belongsLater(byte[] previous, long seq, List<AuditRow> later) {
    return later.stream().anyMatch(row -> MessageDigest.isEqual(mac(previous, row.at(seq)), row.mac()));
  }
}
