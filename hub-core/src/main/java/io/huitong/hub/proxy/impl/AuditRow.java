package io.huitong.hub.proxy.impl;

import io.huitong.hub.proxy.ProxyCall;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One row of {@code proxy.call_audit}: a {@link ProxyCall} as the chain holds it, with its place ({@code seq}), the
 * member that served it, and its mac ({@code null} until the chain links it). The time is kept to the microsecond,
 * as PostgreSQL stores it, so that a row read back has the canonical bytes it was linked with.
 */
record AuditRow(long seq, Instant at, String member, String requestId, String consumer, String service, int status,
                String code, long latencyMicros, String requestSm3, String responseSm3, String source, String cache,
                String remoteAddress, byte[] mac) {
  static final String COLUMNS = "seq, at, member, request_id, consumer, service, status, code, latency_micros,"
      + " request_sm3, response_sm3, source, cache, remote_address, mac";

  AuditRow {
    at = at.truncatedTo(ChronoUnit.MICROS);
  }

  /** {@code call} before it has a place in the chain. */
  static AuditRow of(ProxyCall call, String member) {
    return new AuditRow(0, call.at(), member, orDash(call.requestId()), orDash(call.consumer()), orDash(call.service()),
        call.status(), orDash(call.code()), call.latencyMicros(), orDash(call.requestDigest()),
        orDash(call.responseDigest()), orDash(call.source()), orDash(call.cache()), orDash(call.remoteAddress()), null);
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }

  static AuditRow read(Row r) {
    return new AuditRow(r.getLong("seq"), r.getOffsetDateTime("at").toInstant(), r.getString("member"),
        r.getString("request_id"), r.getString("consumer"), r.getString("service"), r.getInteger("status"),
        r.getString("code"), r.getLong("latency_micros"), r.getString("request_sm3"), r.getString("response_sm3"),
        r.getString("source"), r.getString("cache"), r.getString("remote_address"), r.getBuffer("mac").getBytes());
  }

  AuditRow at(long newSeq) {
    return new AuditRow(newSeq, at, member, requestId, consumer, service, status, code, latencyMicros, requestSm3,
        responseSm3, source, cache, remoteAddress, mac);
  }

  AuditRow withMac(byte[] newMac) {
    return new AuditRow(seq, at, member, requestId, consumer, service, status, code, latencyMicros, requestSm3,
        responseSm3, source, cache, remoteAddress, newMac);
  }

  /**
   * The rows of {@code rows} as one array per column of {@link #COLUMNS}, in order: the arguments of one
   * {@code INSERT ... SELECT * FROM unnest(...)}, which PostgreSQL takes several times faster than a batch of
   * single-row inserts.
   */
  static Tuple columns(List<AuditRow> rows) {
    int n = rows.size();
    Long[] seqs = new Long[n];
    OffsetDateTime[] ats = new OffsetDateTime[n];
    Integer[] statuses = new Integer[n];
    Long[] latencies = new Long[n];
    String[][] texts = new String[TEXTS][n];
    Buffer[] macs = new Buffer[n];
    for (int i = 0; i < n; i++) {
      AuditRow r = rows.get(i);
      seqs[i] = r.seq;
      ats[i] = r.at.atOffset(ZoneOffset.UTC);
      statuses[i] = r.status;
      latencies[i] = r.latencyMicros;
      List<String> t = r.texts();
      for (int j = 0; j < TEXTS; j++) {
        texts[j][i] = t.get(j);
      }
      macs[i] = Buffer.buffer(r.mac);
    }
    // The order of COLUMNS: seq, at, member, request_id, consumer, service, status, code, latency_micros, ...
    return Tuple.tuple(Arrays.asList(seqs, ats, texts[0], texts[1], texts[2], texts[3], statuses, texts[4], latencies,
        texts[5], texts[6], texts[7], texts[8], texts[9], macs));
  }

  JsonObject toJson() {
    return new JsonObject().put("seq", seq).put("at", at.toString()).put("member", member).put("requestId", requestId)
        .put("consumer", consumer).put("service", service).put("status", status).put("code", code)
        .put("latencyMicros", latencyMicros).put("requestSm3", requestSm3).put("responseSm3", responseSm3)
        .put("source", source).put("cache", cache).put("remoteAddress", remoteAddress)
        .put("mac", HexFormat.of().formatHex(mac));
  }

  /** How many text fields a row has. */
  private static final int TEXTS = 10;

  /** The text fields in canonical order. */
  List<String> texts() {
    return List.of(member, requestId, consumer, service, code, requestSm3, responseSm3, source, cache, remoteAddress);
  }
}
