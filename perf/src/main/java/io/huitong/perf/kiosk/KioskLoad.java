package io.huitong.perf.kiosk;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The kiosk benchmark's client (perf/kiosk.sh, issue #8): sets up two halls over the hub's queue API, registers
 * {@code --devices} hall screens over the device API ({@code --screens} of them in the hall that calls, the rest in
 * a quiet hall), opens a
 * WebSocket for each to the kiosk bridge and says hello, then a window terminal of the calling hall calls
 * {@code --warmup-calls} and then {@code --calls} tickets over its own WebSocket, one after another (call-next,
 * finish, a pause): the warm-up calls let the hub's JIT compile the fan-out path before the measured ones. It prints:
 * <ul>
 *   <li>connections held, and how long opening them all took;</li>
 *   <li>the hub's RSS and heap after a full GC, before and after the connections, and their difference per
 *       connection;</li>
 *   <li>call-to-screen latency, p50, p99 and max over every (call, screen) pair of the measured calls, and again with
 *       the warm-up calls: from the moment the terminal sends call-next to the moment a screen has read the
 *       ticket.called event; the last screen of each call;</li>
 *   <li>whether every screen received every hall event once and in order (seq gapless).</li>
 * </ul>
 * Plain JDK only (NIO, java.net.http): it depends on nothing of the hub's at compile time.
 */
public final class KioskLoad {
  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
  private static final Pattern BODY_ID = Pattern.compile("\"body\":\\{.*?\"id\":\"([^\"]+)\"");
  private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");
  private static final Pattern HEARTBEAT_SECONDS = Pattern.compile("\"heartbeatSeconds\":(\\d+)");
  private static final int BEAT_SLOTS = 100;
  private static final String CALLED = "\"type\":\"ticket.called\"";
  /**
   * How long a screen holds its ack after reading an event (docs/kiosk-bridge.md allows up to a second): the ack of a
   * call then answers the frames of its finish too, and is not written while the bridge is still fanning out.
   */
  private static final long ACK_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final Map<String, String> opts;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String hub;
  private final String operatorToken;
  private final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicInteger welcomed = new AtomicInteger();
  private final AtomicInteger closedCount = new AtomicInteger();
  private final AtomicInteger handshaking = new AtomicInteger();
  private final AtomicInteger disorder = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  private volatile String firstError;
  private volatile String firstClose;

  private KioskLoad(Map<String, String> opts) throws IOException {
    this.opts = opts;
    this.hub = opts.get("hub");
    this.operatorToken = Files.readString(Path.of(opts.get("token-file"))).trim();
    this.selector = Selector.open();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>(Map.of("devices", "20000", "calls", "50", "warmup-calls", "10",
        "pause-ms", "200", "sources", "4", "handshakes", "400"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    for (String required : List.of("hub", "bridge", "token-file", "hub-pid")) {
      if (!opts.containsKey(required)) {
        System.err.println("usage: KioskLoad --hub URL --bridge HOST:PORT --token-file FILE --hub-pid PID"
            + " [--devices 20000] [--screens DEVICES/2] [--shared-token T] [--calls 50] [--warmup-calls 10] [--pause-ms 200] [--sources 4] [--handshakes 400]");
        System.exit(2);
      }
    }
    new KioskLoad(opts).run();
    System.exit(0);
  }

  private int opt(String name) {
    return Integer.parseInt(opts.get(name));
  }

  // ---- the hub's REST API ----

  private HttpResponse<String> post(String path, String json, boolean operator) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (operator) {
      b.header("Authorization", "Bearer " + operatorToken);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void must(HttpResponse<String> r, String what) {
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  private void hall(String hall) throws Exception {
    must(post("/api/v1/admin/queue/halls", "{\"id\":\"" + hall + "\",\"name\":\"" + hall + "\"}", true), "hall");
    // Queue and window ids are unique across halls.
    must(post("/api/v1/admin/queue/halls/" + hall + "/queues", "{\"id\":\"" + hall + "-q\",\"prefix\":\"A\","
        + "\"name\":\"bench\"}", true), "queue");
    must(post("/api/v1/admin/queue/halls/" + hall + "/windows", "{\"id\":\"" + hall + "-w1\",\"number\":1,"
        + "\"name\":\"Window 1\",\"queues\":[\"" + hall + "-q\"]}", true), "window");
    must(post("/api/v1/queue/halls/" + hall + "/windows/" + hall + "-w1/state", "{\"state\":\"idle\"}", true),
        "window state");
  }

  /** Registers the devices with at most 32 requests in flight; returns each one's token. */
  private String[] register(int devices, int screensInCallingHall) throws Exception {
    String[] tokens = new String[devices + 1];
    Semaphore inFlight = new Semaphore(32);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i <= devices; i++) {
      int n = i;
      String body = n == devices
          ? "{\"id\":\"bench-terminal\",\"kind\":\"window-terminal\",\"hall\":\"bench-a\",\"window\":\"bench-a-w1\"}"
          : "{\"id\":\"bench-" + n + "\",\"kind\":\"hall-screen\",\"hall\":\"" + (n < screensInCallingHall ? "bench-a" : "bench-b") + "\"}";
      inFlight.acquire();
      all.add(http.sendAsync(HttpRequest.newBuilder(URI.create(hub + "/api/v1/admin/devices"))
              .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
              .header("Authorization", "Bearer " + operatorToken).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
            inFlight.release();
            must(r, "device registration");
            Matcher m = TOKEN.matcher(r.body());
            m.find();
            tokens[n] = m.group(1);
          }).whenComplete((v, e) -> { }));
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(30, TimeUnit.MINUTES);
    return tokens;
  }

  // ---- the hub's memory ----

  private record Memory(long rssKib, long heapKib) {
  }

  private Memory memory() throws Exception {
    String pid = opts.get("hub-pid");
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    new ProcessBuilder(jcmd, pid, "GC.run").redirectErrorStream(true).start().waitFor(120, TimeUnit.SECONDS);
    Process info = new ProcessBuilder(jcmd, pid, "GC.heap_info").redirectErrorStream(true).start();
    String heap = new String(info.getInputStream().readAllBytes());
    info.waitFor(60, TimeUnit.SECONDS);
    Matcher used = Pattern.compile("used (\\d+)K").matcher(heap);
    long heapKib = used.find() ? Long.parseLong(used.group(1)) : -1;
    long rss = -1;
    for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return new Memory(rss, heapKib);
  }

  // ---- the devices ----

  /**
   * A hall screen: says hello, times each ticket.called against its call's start, and acknowledges what it has read
   * {@link #ACK_DELAY_NANOS} after the first unacknowledged read: acks are cumulative, so one ack answers every
   * event read by then.
   */
  private final class Screen implements WsConnection.Listener {
    final String id;
    final String token;
    final boolean timed;
    long lastSeq = -1;
    long ackedSeq = -1;
    /** When its ack is due, 0 when none is; set and read on the selector thread. */
    long ackDue;
    WsConnection connection;
    int callsSeen;
    boolean welcome;

    Screen(String id, String token, boolean timed) {
      this.id = id;
      this.token = token;
      this.timed = timed;
    }

    @Override
    public void onOpen(WsConnection c) {
    }

    @Override
    public void onText(WsConnection c, String text) {
      if (text.startsWith("{\"type\":\"challenge\"")) {
        heartbeatSeconds(text);
        c.sendText("{\"type\":\"hello\",\"deviceId\":\"" + id + "\",\"token\":\"" + token + "\",\"version\":2}");
      } else if (text.startsWith("{\"type\":\"welcome\"")) {
        welcome = true;
        handshaking.decrementAndGet();
        welcomed.incrementAndGet();
        beating(c);
      } else if (text.startsWith("{\"type\":\"snapshot\"")) {
        lastSeq = seq(text);
      } else if (text.startsWith("{\"type\":\"error\"") && firstError == null) {
        firstError = id + ": " + text;
      } else if (text.startsWith("{\"type\":\"event")) {
        // "event" and "events" frames alike: the frame's own seq (its last event's), then each event's in order.
        Matcher m = SEQ.matcher(text);
        m.find();
        while (m.find()) {
          long seq = Long.parseLong(m.group(1));
          if (lastSeq >= 0 && seq != lastSeq + 1) {
            disorder.incrementAndGet();
          }
          lastSeq = seq;
        }
        // One frame may hold several calls (a replay): each is timed against its own start.
        for (int at = text.indexOf(CALLED); timed && at >= 0; at = text.indexOf(CALLED, at + 1)) {
          int call = callsSeen++;
          if (call < callStarts.length && callStarts[call] > 0) {
            latencies[call * screens + c.index] = System.nanoTime() - callStarts[call];
          }
        }
      }
    }

    @Override
    public void onReadEnd(WsConnection c) {
      if (welcome && lastSeq > ackedSeq && ackDue == 0) {
        connection = c;
        ackDue = System.nanoTime() + ACK_DELAY_NANOS;
        acksDue.add(this);
      }
    }

    void ack() {
      ackDue = 0;
      if (connection.isOpen() && lastSeq > ackedSeq) {
        ackedSeq = lastSeq;
        connection.sendText("{\"type\":\"ack\",\"seq\":" + lastSeq + "}");
      }
    }

    @Override
    public void onClose(WsConnection c, String why) {
      if (!welcome) {
        handshaking.decrementAndGet();
      } else {
        dropped.incrementAndGet();
      }
      closedCount.incrementAndGet();
      if (firstClose == null) {
        firstClose = id + ": " + why;
      }
    }
  }

  private static long seq(String text) {
    Matcher m = SEQ.matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private long callingCpuNanos;
  private long callingWallNanos;
  /** Every call's start, warm-up calls first; indexed by call in the order the screens see them. */
  private long[] callStarts;
  /** Call-to-screen latency of (call, screen) at {@code call * screens + screen}, warm-up calls included; -1: unseen. */
  private long[] latencies;
  private int warmupCalls;
  private int screens;

  // ---- the run ----

  private void run() throws Exception {
    int devices = opt("devices");
    int calls = opt("calls");
    warmupCalls = opt("warmup-calls");
    int total = warmupCalls + calls;
    screens = Math.min(devices, opts.containsKey("screens") ? opt("screens") : devices / 2);
    String[] bridge = opts.get("bridge").split(":");
    InetSocketAddress target = new InetSocketAddress(bridge[0], Integer.parseInt(bridge[1]));
    int sources = opt("sources");

    log("setting up halls bench-a (calls) and bench-b (quiet), " + (total + 10) + " tickets");
    hall("bench-a");
    hall("bench-b");
    for (int i = 0; i < total + 10; i++) {
      must(post("/api/v1/queue/halls/bench-a/tickets", String.format(Locale.ROOT,
          "{\"queue\":\"bench-a-q\",\"phone\":\"138%08d\",\"by\":\"ticket-machine\"}", i), false), "ticket");
    }
    long began = System.nanoTime();
    String[] tokens;
    if (opts.containsKey("shared-token")) {
      // The screens are in the registry already (perf/kiosk.sh writes them in one SQL statement), all with this
      // token; only the terminal is registered here.
      tokens = register(0, 0);
      String terminal = tokens[0];
      tokens = new String[devices + 1];
      Arrays.fill(tokens, opts.get("shared-token"));
      tokens[devices] = terminal;
    } else {
      log("registering " + devices + " screens and a window terminal");
      tokens = register(devices, screens);
      log(String.format(Locale.ROOT, "registered in %.1f s", seconds(began)));
    }

    Thread loop = new Thread(this::selectLoop, "kiosk-load-selector");
    loop.setDaemon(true);
    loop.start();

    Memory before = memory();
    log("hub before: RSS " + before.rssKib() + " KiB, heap " + before.heapKib() + " KiB (after a full GC)");

    callStarts = new long[total];
    latencies = new long[total * screens];
    Arrays.fill(latencies, -1);
    List<WsConnection> connections = new ArrayList<>();
    began = System.nanoTime();
    int limit = opt("handshakes");
    for (int i = 0; i < devices; i++) {
      while (handshaking.get() >= limit) {
        Thread.sleep(1);
      }
      handshaking.incrementAndGet();
      int n = i;
      InetSocketAddress source = new InetSocketAddress("127.0.0." + (1 + n % sources), 0);
      Screen screen = new Screen("bench-" + n, tokens[n], n < screens);
      CompletableFuture<WsConnection> opened = new CompletableFuture<>();
      tasks.add(() -> {
        try {
          opened.complete(WsConnection.open(n, selector, source, target, screen));
        } catch (IOException e) {
          opened.completeExceptionally(e);
        }
      });
      selector.wakeup();
      connections.add(opened.get(60, TimeUnit.SECONDS));
      if ((i + 1) % 5000 == 0) {
        log((i + 1) + " connecting, " + welcomed.get() + " welcomed, " + closedCount.get() + " closed");
      }
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (welcomed.get() + closedCount.get() < devices && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    double connectSeconds = seconds(began);
    log(String.format(Locale.ROOT, "%d welcomed, %d closed in %.1f s%s", welcomed.get(), closedCount.get(),
        connectSeconds, firstClose == null ? "" : " (first close: " + firstClose + "; first error: " + firstError + ")"));
    Memory after = memory();
    log("hub after: RSS " + after.rssKib() + " KiB, heap " + after.heapKib() + " KiB (after a full GC)");

    Terminal terminal = new Terminal(tokens[devices]);
    CompletableFuture<WsConnection> opened = new CompletableFuture<>();
    tasks.add(() -> {
      try {
        opened.complete(WsConnection.open(devices, selector, new InetSocketAddress("127.0.0.1", 0), target, terminal));
      } catch (IOException e) {
        opened.completeExceptionally(e);
      }
    });
    selector.wakeup();
    WsConnection window = opened.get(60, TimeUnit.SECONDS);
    terminal.welcome.get(60, TimeUnit.SECONDS);
    must(post("/api/v1/queue/halls/bench-a/windows/bench-a-w1/state", "{\"state\":\"idle\"}", true), "window state");

    log("calling " + total + " tickets at window w1 of bench-a, the first " + warmupCalls + " to warm up");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuBefore = threads.getThreadCpuTime(loop.getId());
    long wallBefore = System.nanoTime();
    for (int i = 0; i < total; i++) {
      String reply = terminal.request(window, "call-next", "{}", i).get(60, TimeUnit.SECONDS);
      Matcher id = BODY_ID.matcher(reply);
      if (!id.find()) {
        throw new IllegalStateException("call-next answered " + reply);
      }
      terminal.request(window, "finish", "{\"ticket\":\"" + id.group(1) + "\"}", -1).get(60, TimeUnit.SECONDS);
      Thread.sleep(opt("pause-ms"));
    }
    Thread.sleep(3000);
    callingCpuNanos = threads.getThreadCpuTime(loop.getId()) - cpuBefore;
    callingWallNanos = System.nanoTime() - wallBefore;
    report(devices, calls, connectSeconds, before, after);
  }

  /** The window terminal: requests one at a time, each answered by a reply. */
  private final class Terminal implements WsConnection.Listener {
    final String token;
    final CompletableFuture<Void> welcome = new CompletableFuture<>();
    volatile CompletableFuture<String> pending;

    Terminal(String token) {
      this.token = token;
    }

    CompletableFuture<String> request(WsConnection c, String action, String body, int call) {
      CompletableFuture<String> reply = new CompletableFuture<>();
      pending = reply;
      tasks.add(() -> {
        if (call >= 0) {
          callStarts[call] = System.nanoTime();
        }
        c.sendText("{\"type\":\"request\",\"id\":\"" + action + "\",\"action\":\"" + action + "\",\"body\":" + body + "}");
      });
      selector.wakeup();
      return reply;
    }

    @Override
    public void onOpen(WsConnection c) {
    }

    @Override
    public void onText(WsConnection c, String text) {
      if (text.startsWith("{\"type\":\"challenge\"")) {
        c.sendText("{\"type\":\"hello\",\"deviceId\":\"bench-terminal\",\"token\":\"" + token + "\",\"version\":2}");
      } else if (text.startsWith("{\"type\":\"welcome\"")) {
        beating(c);
        welcome.complete(null);
      } else if (text.startsWith("{\"type\":\"reply\"")) {
        if (!text.contains("\"ok\":true")) {
          pending.completeExceptionally(new IllegalStateException("refused: " + text));
        } else {
          pending.complete(text);
        }
      }
    }

    @Override
    public void onClose(WsConnection c, String why) {
      welcome.completeExceptionally(new IllegalStateException("terminal closed: " + why));
      if (pending != null) {
        pending.completeExceptionally(new IllegalStateException("terminal closed: " + why));
      }
    }
  }

  /** Beats in one slot each: a device sends once per interval in its own slot, as devices switched on apart do. */
  private final List<List<WsConnection>> beatSlots =
      Stream.generate(() -> new ArrayList<WsConnection>()).limit(BEAT_SLOTS).collect(Collectors.toList());
  /** The bridge's interval from its challenge; read and written on the selector thread only. */
  private long heartbeatNanos = TimeUnit.SECONDS.toNanos(15);

  /** Takes the interval the bridge asks for from its challenge. */
  private void heartbeatSeconds(String challenge) {
    Matcher m = HEARTBEAT_SECONDS.matcher(challenge);
    if (m.find()) {
      heartbeatNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(m.group(1)));
    }
  }

  /** From its welcome on, on the selector thread: the connection beats in slot {@code index % BEAT_SLOTS}. */
  private void beating(WsConnection c) {
    beatSlots.get(c.index % BEAT_SLOTS).add(c);
  }

  /** Screens with an ack to send, in the order it is due (the delay is the same for all); selector thread only. */
  private final ArrayDeque<Screen> acksDue = new ArrayDeque<>();

  private void selectLoop() {
    int slot = 0;
    long nextSlot = System.nanoTime();
    try {
      while (true) {
        long wake = acksDue.isEmpty() ? nextSlot : Math.min(nextSlot, acksDue.peek().ackDue);
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wake - System.nanoTime())));
        Runnable task;
        while ((task = tasks.poll()) != null) {
          task.run();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.isValid()) {
            ((WsConnection) key.attachment()).ready();
          }
        }
        selector.selectedKeys().clear();
        while (!acksDue.isEmpty() && acksDue.peek().ackDue <= System.nanoTime()) {
          acksDue.poll().ack();
        }
        if (System.nanoTime() >= nextSlot) {
          nextSlot = System.nanoTime() + heartbeatNanos / BEAT_SLOTS;
          List<WsConnection> due = beatSlots.get(slot);
          due.removeIf(c -> !c.isOpen());
          due.forEach(c -> c.sendText("{\"type\":\"heartbeat\"}"));
          slot = (slot + 1) % BEAT_SLOTS;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void report(int devices, int calls, double connectSeconds, Memory before, Memory after) {
    int held = welcomed.get() - dropped.get();
    System.out.println();
    System.out.println("== kiosk bridge benchmark");
    System.out.printf(Locale.ROOT, "devices held: %d of %d (%d closed), opened in %.1f s%n", held, devices,
        closedCount.get(), connectSeconds);
    System.out.printf(Locale.ROOT, "hub RSS: %.1f MiB before, %.1f MiB after: %.1f KiB per connection%n",
        before.rssKib() / 1024.0, after.rssKib() / 1024.0, (after.rssKib() - before.rssKib()) / (double) devices);
    System.out.printf(Locale.ROOT, "hub heap after GC: %.1f MiB before, %.1f MiB after: %.1f KiB per connection%n",
        before.heapKib() / 1024.0, after.heapKib() / 1024.0, (after.heapKib() - before.heapKib()) / (double) devices);
    long[] lastScreens = lastScreens();
    System.out.println("last screen of each warm-up call, in order (ms): "
        + milliseconds(Arrays.copyOfRange(lastScreens, 0, warmupCalls)));
    int total = callStarts.length;
    System.out.println(latencyLine("after the warm-up, " + calls, warmupCalls, total));
    System.out.println(latencyLine("warm-up included, " + total, 0, total));
    System.out.println("last screen of each measured call, in order (ms): "
        + milliseconds(Arrays.copyOfRange(lastScreens, warmupCalls, total)));
    long[] first = Arrays.copyOfRange(firstScreens(), warmupCalls, total);
    long[] last = Arrays.copyOfRange(lastScreens, warmupCalls, total);
    Arrays.sort(first);
    Arrays.sort(last);
    System.out.printf(Locale.ROOT, "per measured call, median over the calls: first screen %.1f ms, last screen %.1f ms%n",
        first[calls / 2] / 1e6, last[calls / 2] / 1e6);
    System.out.printf(Locale.ROOT, "client selector thread busy %.0f%% of the calling phase (one thread: past about"
        + " 90%%, the client, not the hub, sets the pace)%n", 100.0 * callingCpuNanos / callingWallNanos);
    System.out.println("events out of order or missed on a screen: " + disorder.get());
  }

  /** p50, p99 and max over every (call, screen) pair of calls {@code from} to {@code to} (exclusive). */
  private String latencyLine(String which, int from, int to) {
    long[] seen = Arrays.stream(latencies, from * screens, to * screens).filter(l -> l >= 0).sorted().toArray();
    long missing = (long) (to - from) * screens - seen.length;
    if (seen.length == 0) {
      return "call-to-screen latency, " + which + " calls: no samples";
    }
    return String.format(Locale.ROOT, "call-to-screen latency, %s calls x %d screens (%d samples, %d missing):"
            + " p50 %.1f ms, p99 %.1f ms, max %.1f ms", which, screens, seen.length, missing,
        seen[seen.length / 2] / 1e6, seen[(int) Math.min(seen.length - 1, Math.round(seen.length * 0.99))] / 1e6,
        seen[seen.length - 1] / 1e6);
  }

  private long[] firstScreens() {
    return perCall(LongSummaryStatistics::getMin);
  }

  private long[] lastScreens() {
    return perCall(LongSummaryStatistics::getMax);
  }

  /** One figure of each call's latencies over its screens, in call order; 0 for a call no screen saw. */
  private long[] perCall(ToLongFunction<LongSummaryStatistics> figure) {
    long[] perCall = new long[callStarts.length];
    for (int call = 0; call < perCall.length; call++) {
      LongSummaryStatistics those = Arrays.stream(latencies, call * screens, (call + 1) * screens)
          .filter(l -> l >= 0).summaryStatistics();
      perCall[call] = those.getCount() == 0 ? 0 : figure.applyAsLong(those);
    }
    return perCall;
  }

  private static String milliseconds(long[] nanos) {
    return Arrays.stream(nanos).mapToObj(l -> String.valueOf(Math.round(l / 1e6))).collect(Collectors.joining(" "));
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void log(String message) {
    System.err.println("kiosk-load: " + message);
  }
}
