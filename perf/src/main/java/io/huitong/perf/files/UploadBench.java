package io.huitong.perf.files;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The client of the upload benchmark (perf/files.sh, issue #7). Two commands:
 * <ul>
 *   <li>{@code generate FILE BYTES}: writes BYTES of fixed-seed pseudo-random (incompressible) data, the source of
 *   every upload;</li>
 *   <li>{@code run --source FILE --hub URL --nginx URL [options]}: for each number of streams (scenario), uploads
 *   {@code --total} bytes of the source split evenly between that many concurrent streams, first to nginx (one PUT
 *   a stream), then to the hub (tus: POST, then PATCH chunks of {@code --chunk} bytes), and prints MB/s (10^6 bytes
 *   a second, from the first request of the scenario to the last acknowledgement), the ratio hub / nginx, and the
 *   issue's floor and targets.</li>
 * </ul>
 * Verification, all outside the timed part: the SM3 of every stream's bytes is computed from the source before the
 * first upload; after a scenario's uploads the SM3 each server holds is compared with it (the hub's as recorded by
 * the hub, its ETag; nginx's computed from the file it serves back). A mismatch fails the run. Every upload is then
 * deleted (tus termination, WebDAV DELETE) and {@code sync} run, so the next scenario starts from a clean disk.
 * Before the scenarios, each server gets one untimed warm-up upload of {@code --warmup} bytes. With
 * {@code --checksums true} every PATCH to the hub carries the SM3 of its chunk as well ({@link TusTarget}).
 */
public final class UploadBench {
  private static final double MB = 1e6;

  private UploadBench() {
  }

  /** One scenario against one target: per-stream figures and the machine's usage over the timed part. */
  private record Result(String target, int streams, long bytes, double seconds, double[] streamMbps,
      double lastRequestMs, Usage usage, double syncSeconds) {
    double mbps() {
      return bytes / MB / seconds;
    }

    /** Counting the time a {@code sync} right after the last acknowledgement took: what was not yet on the disk. */
    double mbpsSynced() {
      return bytes / MB / (seconds + syncSeconds);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("generate")) {
      generate(Path.of(args[1]), Long.parseLong(args[2]));
    } else if (args.length >= 1 && args[0].equals("run")) {
      System.exit(run(options(Arrays.copyOfRange(args, 1, args.length))));
    } else {
      System.err.println("usage: UploadBench generate FILE BYTES | run --source FILE --hub URL --nginx URL"
          + " [--total BYTES] [--streams 1,16] [--chunk BYTES] [--warmup BYTES] [--hub-pids P,...]"
          + " [--nginx-pids P,...] [--clk-tck N] [--checksums true] [--hub-token TOKEN]");
      System.exit(2);
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>(Map.of("total", Long.toString(1L << 30), "streams", "1,16",
        "chunk", Long.toString(32L << 20), "warmup", Long.toString(128L << 20), "hub-pids", "", "nginx-pids", "",
        "clk-tck", "100", "checksums", "false"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("not an option: " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }

  private static void generate(Path file, long bytes) throws IOException {
    SplittableRandom random = new SplittableRandom(20261204L);
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = bytes; left > 0; left -= block.length) {
        random.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, left));
      }
    }
  }

  private static int run(Map<String, String> options) throws Exception {
    Path source = Path.of(required(options, "source"));
    long total = Long.parseLong(options.get("total"));
    long warmup = Long.parseLong(options.get("warmup"));
    double clkTck = Double.parseDouble(options.get("clk-tck"));
    int[] scenarios = Arrays.stream(options.get("streams").split(",")).mapToInt(Integer::parseInt).toArray();
    if (Files.size(source) < Math.max(total, warmup)) {
      throw new IllegalArgumentException(source + " is smaller than " + Math.max(total, warmup) + " bytes");
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    Map<Target, List<Long>> targets = new LinkedHashMap<>();
    targets.put(new PutTarget(URI.create(required(options, "nginx")), http), pids(options.get("nginx-pids")));
    targets.put(new TusTarget(URI.create(required(options, "hub")), http, Long.parseLong(options.get("chunk")),
        Boolean.parseBoolean(options.get("checksums")), options.get("hub-token")), pids(options.get("hub-pids")));

    Slice warm = new Slice(source, 0, 0, warmup);
    List<List<Slice>> slices = new ArrayList<>();
    for (int streams : scenarios) {
      slices.add(split(source, total, streams));
    }
    List<Slice> all = new ArrayList<>(List.of(warm));
    slices.forEach(all::addAll);
    Map<Slice, String> expected = expectedSm3(all);
    for (Target target : targets.keySet()) {
      target.prepare(all);
    }

    int failures = 0;
    for (Map.Entry<Target, List<Long>> target : targets.entrySet()) {
      System.err.printf("== warm-up: %s, one stream of %d bytes%n", target.getKey().name, warmup);
      failures += measure(target.getKey(), List.of(warm), expected, target.getValue()).failures;
    }
    List<Result> results = new ArrayList<>();
    for (List<Slice> scenario : slices) {
      for (Map.Entry<Target, List<Long>> target : targets.entrySet()) {
        System.err.printf("== %s: %d stream(s) of %d bytes%n", target.getKey().name, scenario.size(),
            scenario.get(0).length());
        Measured measured = measure(target.getKey(), scenario, expected, target.getValue());
        failures += measured.failures;
        results.add(measured.result);
        System.err.printf("   %.1f MB/s, %d of %d streams verified%n", measured.result.mbps(),
            scenario.size() - measured.failures, scenario.size());
      }
    }
    report(results, total, Long.parseLong(options.get("chunk")), Boolean.parseBoolean(options.get("checksums")),
        clkTck);
    if (failures > 0) {
      System.out.printf("%nFAILED: %d upload(s) did not verify (see above)%n", failures);
      return 1;
    }
    return 0;
  }

  private static String required(Map<String, String> options, String key) {
    String value = options.get(key);
    if (value == null) {
      throw new IllegalArgumentException("--" + key + " is required");
    }
    return value;
  }

  private static List<Long> pids(String list) {
    return list.isBlank() ? List.of() : Arrays.stream(list.split(",")).map(Long::parseLong).toList();
  }

  private static List<Slice> split(Path source, long total, int streams) {
    List<Slice> slices = new ArrayList<>();
    long each = total / streams;
    for (int i = 0; i < streams; i++) {
      slices.add(new Slice(source, i, i * each, i == streams - 1 ? total - i * each : each));
    }
    return slices;
  }

  /** The SM3 of every slice, on all cores, before anything is timed. */
  private static Map<Slice, String> expectedSm3(List<Slice> slices) throws Exception {
    long began = System.nanoTime();
    // Largest first, so that the big slices do not end up one after the other on the same thread.
    List<Slice> all = new ArrayList<>(slices);
    all.sort((a, b) -> Long.compare(b.length(), a.length()));
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    try {
      Map<Slice, Future<String>> futures = new HashMap<>();
      for (Slice slice : all) {
        futures.putIfAbsent(slice, pool.submit((Callable<String>) slice::sm3));
      }
      Map<Slice, String> digests = new HashMap<>();
      for (Map.Entry<Slice, Future<String>> f : futures.entrySet()) {
        digests.put(f.getKey(), f.getValue().get());
      }
      System.err.printf("== expected SM3 of %d slices computed from the source in %.1f s (not timed)%n",
          digests.size(), (System.nanoTime() - began) / 1e9);
      return digests;
    } finally {
      pool.shutdownNow();
    }
  }

  private record Measured(Result result, int failures) {
  }

  /**
   * Uploads every slice at once, one thread a stream, timed from the moment they all start to the last
   * acknowledgement; then, untimed, checks and deletes every upload.
   */
  private static Measured measure(Target target, List<Slice> slices, Map<Slice, String> expected,
      List<Long> serverPids) throws Exception {
    sync();
    ExecutorService pool = Executors.newFixedThreadPool(slices.size());
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<long[]>> streams = new ArrayList<>();
      List<Target.Upload> uploads = new ArrayList<>(slices.size());
      slices.forEach(s -> uploads.add(null));
      for (int i = 0; i < slices.size(); i++) {
        int stream = i;
        streams.add(pool.submit(() -> {
          start.await();
          long began = System.nanoTime();
          Target.Upload upload = target.upload(slices.get(stream));
          uploads.set(stream, upload);
          return new long[] {began, System.nanoTime(), upload.lastRequestNanos()};
        }));
      }
      Usage before = Usage.sample(serverPids);
      start.countDown();
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      double[] streamMbps = new double[slices.size()];
      double lastRequestMs = 0;
      for (int i = 0; i < streams.size(); i++) {
        long[] times;
        try {
          times = streams.get(i).get();
        } catch (ExecutionException e) {
          throw new IOException(target.name + ": stream " + i + " failed: " + e.getCause().getMessage(), e.getCause());
        }
        first = Math.min(first, times[0]);
        last = Math.max(last, times[1]);
        streamMbps[i] = slices.get(i).length() / MB / ((times[1] - times[0]) / 1e9);
        lastRequestMs = Math.max(lastRequestMs, times[2] / 1e6);
      }
      Usage usage = Usage.sample(serverPids).since(before);
      long synced = System.nanoTime();
      sync();
      double syncSeconds = (System.nanoTime() - synced) / 1e9;
      long bytes = slices.stream().mapToLong(Slice::length).sum();
      Result result = new Result(target.name, slices.size(), bytes, (last - first) / 1e9, streamMbps, lastRequestMs,
          usage, syncSeconds);

      int failures = 0;
      for (int i = 0; i < slices.size(); i++) {
        String held = target.sm3(uploads.get(i));
        String sent = expected.get(slices.get(i));
        if (!held.equalsIgnoreCase(sent)) {
          failures++;
          System.out.printf("MISMATCH: %s stream %d (%s): sent SM3 %s, the server holds %s%n", target.name, i,
              uploads.get(i).uri(), sent, held);
        }
        target.delete(uploads.get(i));
      }
      return new Measured(result, failures);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Writes every dirty page of the machine to disk: the uploads of a server that did not fsync them, and others'. */
  private static void sync() throws IOException, InterruptedException {
    int status = new ProcessBuilder("sync").inheritIO().start().waitFor();
    if (status != 0) {
      throw new IOException("sync exited with " + status);
    }
  }

  private static void report(List<Result> results, long total, long chunk, boolean checksums, double clkTck) {
    System.out.printf(Locale.ROOT, "%n%d bytes in all a scenario; hub chunks (PATCH) of %d bytes%s; nginx one PUT a"
        + " stream. MB = 10^6 bytes. Last request: the longest of the streams' last PATCH (the hub answers it once it"
        + " has the SM3 of the whole upload) or PUT. CPU in cores and MB written to the disks over the timed part"
        + " (server: the hub JVM and its embedded PostgreSQL, or nginx's master and workers; the rest of the machine:"
        + " everything else, other people's work and the kernel's writeback included).%n%n", total, chunk,
        checksums ? ", each with its Upload-Checksum (sm3)" : "");
    System.out.println("| scenario | server | MB/s | time s | per stream MB/s (min / median / max) | last request ms"
        + " | sync after, s | MB/s counting the sync | server CPU | client CPU | rest of the machine CPU | iowait"
        + " | MB written to disk |");
    System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (Result r : results) {
      double s = r.usage.nanos() / 1e9;
      double[] sorted = r.streamMbps.clone();
      Arrays.sort(sorted);
      System.out.printf(Locale.ROOT, "| %d stream%s | %s | %.1f | %.2f | %.1f / %.1f / %.1f | %.0f | %.2f | %.1f"
          + " | %.2f | %.2f | %.2f | %.2f | %.0f |%n",
          r.streams, r.streams == 1 ? "" : "s", r.target, r.mbps(), r.seconds, sorted[0], sorted[sorted.length / 2],
          sorted[sorted.length - 1], r.lastRequestMs, r.syncSeconds, r.mbpsSynced(),
          r.usage.serverTicks() / clkTck / s, r.usage.clientTicks() / clkTck / s,
          // The samples of /proc/stat and of the processes are not taken at the same instant: never below 0.
          Math.max(0, r.usage.machineBusy() - r.usage.serverTicks() - r.usage.clientTicks()) / clkTck / s,
          r.usage.machineIowait() / clkTck / s, r.usage.diskSectors() * 512 / MB);
    }
    System.out.println();
    for (int i = 0; i + 1 < results.size(); i += 2) {
      Result nginx = results.get(i);
      Result hub = results.get(i + 1);
      double ratio = hub.mbps() / nginx.mbps();
      double slowest = Arrays.stream(hub.streamMbps).min().orElse(0);
      System.out.printf(Locale.ROOT, "%d stream%s: hub %.1f MB/s, nginx %.1f MB/s, hub / nginx %.3f"
          + " (target >= 0.5: %s)", hub.streams, hub.streams == 1 ? "" : "s", hub.mbps(), nginx.mbps(), ratio,
          ratio >= 0.5 ? "met" : "not met");
      if (hub.streams == 1) {
        System.out.printf(Locale.ROOT, "; target >= 100 MB/s for one stream: %s",
            hub.mbps() >= 100 ? "met" : "not met");
      }
      System.out.printf(Locale.ROOT, "; counting a sync after each %.3f", hub.mbpsSynced() / nginx.mbpsSynced());
      System.out.printf(Locale.ROOT, "; seed floor >= 5 MB/s in all and >= 3 MB/s a connection: %s (slowest stream"
          + " %.1f MB/s)%n", hub.mbps() >= 5 && slowest >= 3 ? "met" : "not met", slowest);
    }
  }
}
