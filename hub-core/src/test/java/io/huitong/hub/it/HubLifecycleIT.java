package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.hub.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One hub's life on real embedded PostgreSQL, Kafka and Hazelcast, in order: a cold start until ready, its HTTP
 * surface, a second member joining, a SIGTERM that drains, a restart that keeps the database, and a crash whose
 * leftover PostgreSQL the next start clears.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HubLifecycleIT {
  private static final Duration READY_LIMIT = Duration.ofSeconds(60);
  private static final Duration EXIT_LIMIT = Duration.ofSeconds(60);

  private Path dir;
  private HubProcess hub;
  private final List<HubProcess> all = new ArrayList<>();
  private final List<String> requestIdsSeen = new ArrayList<>();

  @BeforeAll
  void createHub(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    hub = HubProcess.embedded(dir.resolve("a"), "member-a");
  }

  @AfterAll
  void stopEverything() throws Exception {
    for (HubProcess p : all) {
      p.close();
    }
  }

  private HubProcess started(HubProcess p) throws Exception {
    all.add(p);
    return p.start();
  }

  private String bearer() throws Exception {
    return "Bearer " + hub.token();
  }

  private static JsonObject json(HttpResponse<String> r) {
    return new JsonObject(r.body());
  }

  private static void assertProblem(HttpResponse<String> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
    JsonObject problem = json(r);
    assertEquals(code, problem.getString("code"));
    assertEquals(status, problem.getInteger("status"));
    assertEquals("urn:huitong:problem:" + code, problem.getString("type"));
    assertTrue(problem.getString("title") != null && problem.getString("detail") != null, r.body());
    assertEquals(r.headers().firstValue("X-Request-Id").orElseThrow(), problem.getString("requestId"));
    assertFalse(r.body().contains("\tat ") || r.body().contains("Exception"), "no stack trace reaches a client: " + r.body());
  }

  @Test
  @Order(1)
  void coldStartOnEmbeddedInfrastructureBecomesReady() throws Exception {
    started(hub);
    Duration took = hub.awaitReady(READY_LIMIT);
    JsonObject ready = json(hub.get("/health/ready"));
    assertEquals("UP", ready.getString("status"));
    JsonObject components = ready.getJsonObject("components");
    assertEquals("UP", components.getJsonObject("postgres").getString("status"));
    assertTrue(components.getJsonObject("postgres").getBoolean("embedded"));
    assertEquals("UP", components.getJsonObject("kafka").getString("status"));
    assertEquals(1, components.getJsonObject("kafka").getInteger("brokers"));
    assertEquals("UP", components.getJsonObject("cluster").getString("status"));
    assertEquals(1, components.getJsonObject("cluster").getInteger("members"));
    assertEquals(200, hub.get("/health/live").statusCode());
    assertTrue(Files.isDirectory(hub.dataDir().resolve("pg")) && Files.isDirectory(hub.dataDir().resolve("kafka")));
    String url = "jdbc:postgresql://127.0.0.1:" + hub.env.get("HUB_PG_EMBEDDED_PORT") + "/huitong";
    java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
        () -> java.sql.DriverManager.getConnection(url, "postgres", "").close(), "the embedded server trusts nobody");
    assertTrue(refused.getMessage().contains("password"), refused.getMessage());
    java.sql.DriverManager.getConnection(url, "postgres", Files.readString(hub.dataDir().resolve("pg-password")).trim()).close();
    System.out.println("Cold start to ready: " + took.toMillis() + " ms");
  }

  @Test
  @Order(2)
  void adminRoutesNeedTheOperatorToken() throws Exception {
    assertProblem(hub.get("/api/v1/admin/audit"), 401, "HT-UNAUTHORIZED");
    HttpResponse<String> wrong = hub.get("/api/v1/admin/audit", "Authorization", "Bearer not-the-token");
    assertProblem(wrong, 401, "HT-UNAUTHORIZED");
    assertEquals("Bearer realm=\"huitong-admin\"", wrong.headers().firstValue("WWW-Authenticate").orElse(""));
    HttpResponse<String> ok = hub.get("/api/v1/admin/audit", "Authorization", bearer());
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(Files.readString(hub.dataDir().resolve("operator-token")).trim(), hub.token());
  }

  @Test
  @Order(3)
  void errorsAreProblemDocumentsWithStableCodes() throws Exception {
    assertProblem(hub.get("/no/such/thing"), 404, "HT-NOT-FOUND");
    assertProblem(hub.get("/api/v1/admin/nothing-here", "Authorization", bearer()), 404, "HT-NOT-FOUND");
    HttpResponse<String> deleteLive = hub.send(HttpRequest.newBuilder(hub.uri("/health/live")).DELETE());
    assertProblem(deleteLive, 405, "HT-METHOD-NOT-ALLOWED");
    assertEquals("GET", deleteLive.headers().firstValue("Allow").orElse(""), "a 405 says what the resource takes");
    HttpResponse<String> deleteKey = hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/admin/keys/key-1"))
        .header("Authorization", bearer()).DELETE());
    assertProblem(deleteKey, 405, "HT-METHOD-NOT-ALLOWED");
    assertEquals("GET", deleteKey.headers().firstValue("Allow").orElse(""), "path parameters match one segment");
    assertProblem(hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/admin/audit")).header("Authorization", bearer())
        .POST(HttpRequest.BodyPublishers.ofString("{}"))), 405, "HT-METHOD-NOT-ALLOWED");
    assertProblem(hub.get("/api/v1/admin/audit?limit=0", "Authorization", bearer()), 400, "HT-BAD-REQUEST");
    assertProblem(hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/admin/config/check")).header("Authorization", bearer())
        .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofString("x"))), 415, "HT-UNSUPPORTED-MEDIA-TYPE");
  }

  @Test
  @Order(4)
  void oversizedBodiesAreRefusedWith413() throws Exception {
    byte[] big = new byte[2 * 1024 * 1024];
    HttpRequest.Builder declared = HttpRequest.newBuilder(hub.uri("/api/v1/admin/config/check"))
        .header("Authorization", bearer()).header("Content-Type", "application/yaml")
        .POST(HttpRequest.BodyPublishers.ofByteArray(big));
    assertProblem(hub.send(declared), 413, "HT-PAYLOAD-TOO-LARGE");
    // Chunked: no Content-Length to judge by, so the bound applies while the body arrives.
    HttpRequest.Builder chunked = HttpRequest.newBuilder(hub.uri("/api/v1/admin/config/check"))
        .header("Authorization", bearer()).header("Content-Type", "application/yaml")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)));
    assertProblem(hub.send(chunked), 413, "HT-PAYLOAD-TOO-LARGE");
    assertEquals(200, hub.get("/health/live").statusCode(), "the hub serves on after refusing a large body");
  }

  @Test
  @Order(5)
  void configCheckNamesTheOffendingKey() throws Exception {
    HttpResponse<String> bad = hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/admin/config/check"))
        .header("Authorization", bearer()).header("Content-Type", "application/yaml")
        .POST(HttpRequest.BodyPublishers.ofString("http:\n  port: 70000\n")));
    assertProblem(bad, 422, "HT-CONFIG-INVALID");
    assertEquals("http.port", json(bad).getString("key"));
    HttpResponse<String> good = hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/admin/config/check"))
        .header("Authorization", bearer()).header("Content-Type", "application/yaml")
        .POST(HttpRequest.BodyPublishers.ofString("http:\n  port: 9999\n")));
    assertEquals(200, good.statusCode(), good.body());
    assertTrue(json(good).getBoolean("valid"));
    assertTrue(json(good).getJsonArray("changed").contains("http.port"), good.body());
  }

  @Test
  @Order(6)
  void everyResponseCarriesARequestIdThatReachesTheAuditLogAndTheLogs() throws Exception {
    HttpResponse<String> generated = hub.get("/health/live");
    assertTrue(generated.headers().firstValue("X-Request-Id").orElse("").length() >= 8);
    String mine = "portal-trace-0001";
    HttpResponse<String> echoed = hub.get("/api/v1/admin/config", "Authorization", bearer(), "X-Request-Id", mine);
    assertEquals(mine, echoed.headers().firstValue("X-Request-Id").orElseThrow());
    assertEquals(200, echoed.statusCode());
    requestIdsSeen.add(mine);
    JsonArray keys = json(echoed).getJsonArray("keys");
    assertTrue(keys.stream().map(JsonObject.class::cast)
        .anyMatch(k -> k.getString("key").equals("ops.operator-token") && k.getString("value").isEmpty()), echoed.body());

    String rejected = "not a valid id!";
    HttpResponse<String> replaced = hub.get("/health/live", "X-Request-Id", rejected);
    assertNotEquals(rejected, replaced.headers().firstValue("X-Request-Id").orElseThrow());

    Eventually.holds("the admin request is in the audit log", Duration.ofSeconds(10), () -> auditActions(hub)
        .stream().anyMatch(e -> mine.equals(e.getString("requestId")) && e.getString("action").equals("GET /api/v1/admin/config")
            && e.getString("actor").equals("operator") && e.getString("outcome").equals("200")));
    // An internal failure would be logged with its request id; a problem answered to the client is counted.
    String metrics = hub.get("/metrics").body();
    assertTrue(metrics.contains("hub_http_problems_total{code=\"HT-UNAUTHORIZED\",}"), "problems are counted by code");
    assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM metrics");
    // HTTP metrics by method, route (its template, not the path) and code, under vertx-micrometer-metrics' names:
    // one more request counts once in each.
    String configRoute = "{code=\"200\",method=\"GET\",route=\"/api/v1/admin/config\",}";
    List<String> meters = List.of("vertx_http_server_requests_total", "vertx_http_server_response_time_seconds_count",
        "vertx_http_server_response_bytes_count");
    List<Double> before = meters.stream().map(m -> sample(metrics, m + configRoute)).toList();
    assertEquals(200, hub.get("/api/v1/admin/config", "Authorization", bearer()).statusCode());
    String after = hub.get("/metrics").body();
    for (int i = 0; i < meters.size(); i++) {
      assertEquals(before.get(i) + 1, sample(after, meters.get(i) + configRoute), meters.get(i));
    }
    // A method a client invents is counted as OTHER: clients cannot add series at will.
    hub.send(HttpRequest.newBuilder(hub.uri("/health/live")).method("BREW", HttpRequest.BodyPublishers.noBody()));
    String invented = hub.get("/metrics").body();
    assertTrue(invented.contains("method=\"OTHER\""), "the invented method counted as OTHER");
    assertFalse(invented.contains("BREW"), "no series named after the invented method");
    assertTrue(sample(after, "vertx_http_server_active_connections ") >= 1, "connections");
    assertTrue(sample(after, "vertx_http_server_bytes_read_total ") > 0, "bytes read");
    HttpResponse<String> contract = hub.get("/openapi.yaml");
    assertEquals(200, contract.statusCode());
    assertTrue(contract.body().startsWith("openapi: 3."), contract.body());
    Path log = hub.dataDir().resolve("logs").resolve("hub.log");
    Eventually.holds("the request's access log line carries its id", Duration.ofSeconds(10), () ->
        Files.readAllLines(log).stream().map(JsonObject::new).anyMatch(line -> mine.equals(line.getString("requestId"))
            && line.getString("msg").startsWith("GET /api/v1/admin/config 200 ")));
    for (String line : Files.readAllLines(log)) {
      JsonObject entry = new JsonObject(line);
      assertTrue(entry.containsKey("ts") && entry.containsKey("level") && entry.containsKey("msg"), line);
      if (entry.getString("logger").equals("io.huitong.access")) {
        assertTrue(entry.getString("requestId") != null, "every access line names its request: " + line);
      }
    }
  }

  private static List<JsonObject> auditActions(HubProcess member) throws Exception {
    HttpResponse<String> page = member.get("/api/v1/admin/audit?limit=500", "Authorization", "Bearer " + member.token());
    assertEquals(200, page.statusCode(), page.body());
    return json(page).getJsonArray("entries").stream().map(JsonObject.class::cast).toList();
  }

  @Test
  @Order(7)
  void secondMemberJoinsTheClusterAndSharesTheDatabase() throws Exception {
    HubProcess second = started(HubProcess.joining(hub, dir.resolve("b"), "member-b"));
    second.awaitReady(READY_LIMIT);
    for (HubProcess member : List.of(hub, second)) {
      Eventually.holds(member.env.get("HUB_NODE_NAME") + " sees two members", Duration.ofSeconds(30), () ->
          json(member.get("/health/ready")).getJsonObject("components").getJsonObject("cluster").getInteger("members") == 2);
    }
    JsonObject secondReady = json(second.get("/health/ready")).getJsonObject("components");
    assertFalse(secondReady.getJsonObject("postgres").getBoolean("embedded"));
    assertFalse(secondReady.getJsonObject("kafka").getBoolean("embedded"));
    assertTrue(auditActions(hub).stream().anyMatch(e -> e.getString("node").equals("member-b")
        && e.getString("action").equals("hub.started")), "the second member writes to the shared database");

    second.sigterm();
    assertEquals(0, second.awaitExit(EXIT_LIMIT), second.stderr());
    Eventually.holds("the first member sees one member again", Duration.ofSeconds(30), () ->
        json(hub.get("/health/ready")).getJsonObject("components").getJsonObject("cluster").getInteger("members") == 1);
  }

  @Test
  @Order(8)
  void sigtermLetsTheRequestInFlightFinishAndRefusesNewOnes() throws Exception {
    byte[] body = "http:\n  drain-timeout: 20s\n".getBytes(StandardCharsets.UTF_8);
    String head = "POST /api/v1/admin/config/check HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + bearer()
        + "\r\nContent-Type: application/yaml\r\nContent-Length: " + body.length + "\r\n\r\n";
    try (Socket slow = new Socket("127.0.0.1", hub.httpPort()); Socket keepAlive = new Socket("127.0.0.1", hub.httpPort())) {
      OutputStream keepAliveOut = keepAlive.getOutputStream();
      BufferedReader keepAliveIn = new BufferedReader(new InputStreamReader(keepAlive.getInputStream(), StandardCharsets.UTF_8));
      keepAliveOut.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      keepAliveOut.flush();
      assertEquals("HTTP/1.1 200 OK", keepAliveIn.readLine());
      readHeadersAndBody(keepAliveIn);

      OutputStream out = slow.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, 10);
      out.flush();
      Eventually.holds("the slow request is in flight", Duration.ofSeconds(10), () -> activeRequests() >= 2);

      hub.sigterm();
      Eventually.holds("new connections are refused", Duration.ofSeconds(15), () -> {
        try (Socket probe = new Socket("127.0.0.1", hub.httpPort())) {
          return false;
        } catch (ConnectException refused) {
          return true;
        }
      });
      assertTrue(hub.alive(), "the hub waits for the request in flight");

      // A kept-alive connection may still speak; its new request is turned away and told to close.
      keepAliveOut.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      keepAliveOut.flush();
      assertEquals("HTTP/1.1 503 Service Unavailable", keepAliveIn.readLine());
      String shuttingDown = readHeadersAndBody(keepAliveIn);
      assertTrue(shuttingDown.contains("HT-SHUTTING-DOWN"), shuttingDown);

      out.write(body, 10, body.length - 10);
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("HTTP/1.1 200 OK", in.readLine());
      String answer = readHeadersAndBody(in);
      assertTrue(answer.contains("\"valid\":true"), answer);
    }
    assertEquals(0, hub.awaitExit(EXIT_LIMIT), hub.stderr());
    String log = hub.stdout();
    assertTrue(log.contains("Stopping: 1 request(s) in flight, new connections refused"), log);
    assertTrue(log.contains("\"msg\":\"Hub member-a stopped\""), log);
    assertFalse(postmaster(hub).isPresent(), "the embedded PostgreSQL stops with the hub");
  }

  /** The value of the one sample in a Prometheus scrape whose line starts with {@code series}. */
  private static double sample(String scrape, String series) {
    return scrape.lines().filter(l -> l.startsWith(series)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .reduce((a, b) -> {
          throw new AssertionError("more than one sample of " + series);
        }).orElseThrow(() -> new AssertionError("no sample of " + series + " in\n" + scrape));
  }

  private long activeRequests() throws Exception {
    return hub.get("/metrics").body().lines()
        .filter(l -> l.startsWith("vertx_http_server_active_requests"))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** Reads a response's headers and its Content-Length body; returns both as text. */
  private static String readHeadersAndBody(BufferedReader in) throws Exception {
    StringBuilder all = new StringBuilder();
    int length = 0;
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      all.append(line).append('\n');
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    char[] buf = new char[length];
    int read = 0;
    while (read < length) {
      int n = in.read(buf, read, length - read);
      if (n < 0) {
        break;
      }
      read += n;
    }
    return all.append(buf, 0, read).toString();
  }

  @Test
  @Order(9)
  void restartKeepsTheDatabase() throws Exception {
    hub = started(hub.again());
    hub.awaitReady(READY_LIMIT);
    List<JsonObject> audit = auditActions(hub);
    for (String id : requestIdsSeen) {
      assertTrue(audit.stream().anyMatch(e -> id.equals(e.getString("requestId"))), "kept across restart: " + id);
    }
    assertEquals(2, audit.stream().filter(e -> e.getString("node").equals("member-a")
        && e.getString("action").equals("hub.started")).count(), "one start event per run of member-a");
    assertTrue(audit.stream().anyMatch(e -> e.getString("action").equals("hub.stopped")
        && e.getJsonObject("detail").getBoolean("drained")), "the drained stop was recorded");
  }

  @Test
  @Order(10)
  void startAfterACrashStopsTheLeftoverDatabaseServer() throws Exception {
    long lastCommitted = auditActions(hub).get(0).getLong("id");
    hub.kill();
    long orphan = postmaster(hub).orElseThrow(() -> new AssertionError("the crash should leave PostgreSQL running"));
    assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false));

    hub = started(hub.again());
    hub.awaitReady(READY_LIMIT);
    assertFalse(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false), "the leftover server was stopped");
    assertNotEquals(orphan, postmaster(hub).orElseThrow());
    assertTrue(auditActions(hub).stream().anyMatch(e -> e.getLong("id") == lastCommitted),
        "the last entry committed before the crash is still there");

    hub.sigterm();
    assertEquals(0, hub.awaitExit(EXIT_LIMIT));
  }

  @Test
  @Order(11)
  void noEventLoopWasEverBlocked() throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      // The hub's own logs: its log file and the captured stdout (Kafka's segments are .log files too).
      for (Path log : files.filter(p -> p.getFileName().toString().matches("hub\\.log|stdout-\\d+\\.log")).toList()) {
        String text = Files.readString(log);
        assertFalse(text.contains("has been blocked for"), "blocked event loop reported in " + log);
      }
    }
  }

  private static Optional<Long> postmaster(HubProcess member) throws Exception {
    Path pidFile = member.dataDir().resolve("pg").resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
  }
}
