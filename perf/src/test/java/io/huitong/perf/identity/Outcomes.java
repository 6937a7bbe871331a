package io.huitong.perf.identity;

import io.gatling.javaapi.core.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the measured requests of a run got, by status: counts, response-time percentiles and the window they
 * spanned, written as one JSON object when the run ends. Gatling's own statistics cannot split response times by
 * status, and a burst past capacity is about exactly that: how fast the 503s came back, and how slow the 200s. The
 * window is given in epoch milliseconds too, to match it with CPU samples taken outside the run.
 * A request that got no answer (connection refused, timeout) counts under status 0; a 200 whose body is not what
 * was asked (no account, no token, an inactive token) under status 1.
 */
final class Outcomes {
  /** start epoch ms, response time ms, status. */
  private final ConcurrentLinkedQueue<long[]> done = new ConcurrentLinkedQueue<>();

  /** Notes the start of a request; call right before it. */
  static Session started(Session session) {
    return session.remove("status").remove("rt").remove("valid").set("t0", System.currentTimeMillis());
  }

  /**
   * Records the request {@link #started} noted. Its checks save {@code status} and {@code rt} first, then
   * {@code valid} (optional): the body's proof of success, present and not {@code false} when it is there.
   */
  Session record(Session session) {
    long t0 = number(session, "t0");
    long rt = session.contains("rt") ? number(session, "rt") : System.currentTimeMillis() - t0;
    long status = session.contains("status") ? number(session, "status") : 0;
    if (status == 200 && (!session.contains("valid") || Boolean.FALSE.equals(session.get("valid")))) {
      status = 1;
    }
    done.add(new long[] {t0, rt, status});
    return session;
  }

  private static long number(Session session, String key) {
    return ((Number) session.get(key)).longValue();
  }

  /** The summary, as JSON, to {@code file}; nothing when the file is empty. */
  void write(String file) {
    if (file.isEmpty()) {
      return;
    }
    List<long[]> all = new ArrayList<>(done);
    long first = all.stream().mapToLong(r -> r[0]).min().orElse(0);
    long last = all.stream().mapToLong(r -> r[0] + r[1]).max().orElse(0);
    Map<Long, List<Long>> byStatus = new TreeMap<>();
    List<Long> times = new ArrayList<>();
    for (long[] r : all) {
      byStatus.computeIfAbsent(r[2], s -> new ArrayList<>()).add(r[1]);
      times.add(r[1]);
    }
    StringBuilder json = new StringBuilder("{\"requests\": ").append(all.size())
        .append(", \"windowSeconds\": ").append((last - first) / 1000.0)
        .append(", \"firstMs\": ").append(first).append(", \"lastMs\": ").append(last)
        .append(", \"all\": ").append(stats(times)).append(", \"byStatus\": {");
    String sep = "";
    for (Map.Entry<Long, List<Long>> e : byStatus.entrySet()) {
      json.append(sep).append('"').append(e.getKey()).append("\": ").append(stats(e.getValue()));
      sep = ", ";
    }
    json.append("}}\n");
    try {
      Files.writeString(Path.of(file), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String stats(List<Long> times) {
    List<Long> sorted = new ArrayList<>(times);
    sorted.sort(null);
    return "{\"count\": " + sorted.size() + ", \"p50\": " + percentile(sorted, 50) + ", \"p99\": "
        + percentile(sorted, 99) + ", \"max\": " + (sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1)) + "}";
  }

  /** The nearest-rank percentile. */
  private static long percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
