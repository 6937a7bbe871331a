package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.connectors.simulator.DepartmentSimulator;
import io.huitong.connectors.simulator.SimulatorOptions;
import io.huitong.consumer.ConsumerSignature;
import io.huitong.crypto.Sm2;
import io.huitong.crypto.Sm2KeyPair;
import io.huitong.hub.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.mysqlclient.MySQLPool;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data proxy end to end over real sockets: two cluster members share one catalogue; their connectors reach the
 * department simulator over HTTP and SOAP 1.1 and 1.2, and the machine's PostgreSQL and MariaDB over SQL. Consumers
 * sign their calls as a portal would; the tests check who is let in, how limits hold across members, which fields a
 * consumer sees, what a department outage does, and that the audit chain catches an edited row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyIT {
  private static final Duration START_LIMIT = Duration.ofMinutes(3);
  /** Member B takes this many calls at once; the other tests call it one at a time. */
  private static final int MEMBER_B_IN_FLIGHT = 2;
  private static final String HOUSEHOLDS = "proxy_it_household_" + UUID.randomUUID().toString().substring(0, 8).replace('-', '_');

  private final Vertx vertx = Vertx.vertx();
  private DepartmentSimulator simulator;
  private int simulatorPort;
  private HubProcess hubA;
  private HubProcess hubB;
  /** A person the simulator holds work-injury records for, and the name they are registered under. */
  private String idNumber;
  private String name;
  private Consumer portal;

  /** A registered application and the secret it signs with. */
  private record Consumer(String appKey, String secret) {
  }

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    requireMachineServer("HUITONG_REQUIRE_MACHINE_PG", 5432);
    requireMachineServer("HUITONG_REQUIRE_MACHINE_MARIADB", 3306);
    simulator = DepartmentSimulator.create(vertx, SimulatorOptions.forTests());
    simulatorPort = simulator.start().await().atMost(Duration.ofSeconds(30));
    JsonObject person = new JsonObject(simulatorGet("/_sim/people?has=hrss/work-injury-insurance&limit=1"))
        .getJsonArray("people").getJsonObject(0);
    idNumber = person.getString("idNumber");
    name = person.getString("name");
    prepareHouseholdTables();

    Path definitions = dir.resolve("proxy.yaml");
    Files.writeString(definitions, definitions(simulatorPort));
    hubA = proxyHub(HubProcess.embedded(dir.resolve("a"), "proxy-a"), definitions);
    hubA.start().awaitReady(START_LIMIT);
    // A second member joins the first's database and cluster once the first has created them.
    hubB = proxyHub(HubProcess.joining(hubA, dir.resolve("b"), "proxy-b"), definitions);
    hubB.env.put("HUB_PROXY_MAX_IN_FLIGHT", Integer.toString(MEMBER_B_IN_FLIGHT));
    hubB.start().awaitReady(START_LIMIT);

    portal = register(hubA, "Provincial portal", new JsonObject());
    for (String service : List.of("hrss.work-injury", "hrss.work-injury-soap11", "hrss.work-injury-soap12",
        "census.household-pg", "census.household-mysql", "civil.marriage")) {
      approve(hubA, apply(hubA, portal, service, null), null);
    }
  }

  private static HubProcess proxyHub(HubProcess hub, Path definitions) {
    hub.env.put("HUB_PROXY_DEFINITIONS", definitions.toString());
    hub.env.put("HUB_PROXY_BREAKER_FAILURE_THRESHOLD", "3");
    hub.env.put("HUB_PROXY_BREAKER_OPEN_DURATION", "1h");
    return hub;
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {hubB, hubA}) {
      if (c != null) {
        c.close();
      }
    }
    if (simulator != null) {
      simulator.close().await().atMost(Duration.ofSeconds(30));
    }
    dropHouseholdTables();
    vertx.closeAndAwait();
  }

  @Test
  @Order(1)
  void httpConnectorAnswersFromTheDepartment() throws Exception {
    HttpResponse<String> answer = call(hubA, portal, "hrss.work-injury");
    assertEquals(200, answer.statusCode(), answer.body());
    JsonObject body = new JsonObject(answer.body());
    assertEquals(idNumber, body.getString("idNumber"));
    assertEquals("hrss-api", answer.headers().firstValue("X-Source").orElseThrow());
    assertEquals(new JsonObject(simulatorGet("/api/hrss/work-injury-insurance?idNumber=" + idNumber)), body,
        "the proxy passes the department's answer through unchanged for a consumer granted every field");
  }

  @Test
  @Order(2)
  void soapConnectorsSpeakBothVersionsFromTheWsdl() throws Exception {
    String records = new JsonObject(simulatorGet("/api/hrss/work-injury-insurance?idNumber=" + idNumber))
        .getJsonArray("records").encode();
    for (String service : List.of("hrss.work-injury-soap11", "hrss.work-injury-soap12")) {
      HttpResponse<String> answer = call(hubB, portal, service);
      assertEquals(200, answer.statusCode(), service + ": " + answer.body());
      JsonObject body = new JsonObject(answer.body());
      assertEquals(idNumber, body.getString("idNumber"), service);
      assertEquals(new JsonArray(records).size(), body.getJsonArray("records").size(), service);
    }
  }

  @Test
  @Order(3)
  void sqlConnectorsQueryPostgresqlAndMariadb() throws Exception {
    for (String service : List.of("census.household-pg", "census.household-mysql")) {
      HttpResponse<String> answer = call(hubA, portal, service);
      assertEquals(200, answer.statusCode(), service + ": " + answer.body());
      JsonObject body = new JsonObject(answer.body());
      assertEquals("HH-" + idNumber.substring(12), body.getString("household_no"), service);
      assertEquals(idNumber, body.getString("id_number"), service);
    }
    HttpResponse<String> nobody = call(hubA, portal, "census.household-pg", withCheckDigit("11010119900307999"));
    assertProblem(nobody, 404, "HT-RECORD-NOT-FOUND");
  }

  @Test
  @Order(4)
  void aConsumerWithoutApprovalIsRefused() throws Exception {
    Consumer stranger = register(hubA, "Unapproved kiosk", new JsonObject());
    long pending = apply(hubA, stranger, "hrss.work-injury", null);
    HttpResponse<String> refused = call(hubA, stranger, "hrss.work-injury");
    assertProblem(refused, 403, "HT-NOT-APPROVED");
    reject(hubA, pending);
    assertProblem(call(hubB, stranger, "hrss.work-injury"), 403, "HT-NOT-APPROVED");
  }

  @Test
  @Order(5)
  void badStaleAndReplayedSignaturesAreRefused() throws Exception {
    String path = "/api/v1/services/hrss.work-injury?idNumber=" + idNumber;
    Map<String, String> good = ConsumerSignature.headers(portal.appKey, portal.secret, "GET", path, new byte[0]);

    Map<String, String> forged = new java.util.HashMap<>(good);
    forged.put(ConsumerSignature.SIGNATURE, ConsumerSignature.hmac("not-the-secret",
        ConsumerSignature.stringToSign("GET", path, good.get(ConsumerSignature.TIMESTAMP),
            good.get(ConsumerSignature.NONCE), sm3(new byte[0]))));
    assertProblem(send(hubA, "GET", path, forged, null), 401, "HT-SIGNATURE-INVALID");

    String stale = Long.toString(System.currentTimeMillis() - Duration.ofHours(1).toMillis());
    String nonce = ConsumerSignature.newNonce();
    Map<String, String> old = Map.of(ConsumerSignature.APP_KEY, portal.appKey, ConsumerSignature.TIMESTAMP, stale,
        ConsumerSignature.NONCE, nonce, ConsumerSignature.SIGNATURE,
        ConsumerSignature.hmac(portal.secret, ConsumerSignature.stringToSign("GET", path, stale, nonce, sm3(new byte[0]))));
    assertProblem(send(hubA, "GET", path, old, null), 401, "HT-TIMESTAMP-STALE");

    assertEquals(200, send(hubA, "GET", path, good, null).statusCode());
    assertProblem(send(hubA, "GET", path, good, null), 401, "HT-NONCE-REPLAYED");
    assertProblem(send(hubB, "GET", path, good, null), 401, "HT-NONCE-REPLAYED");
  }

  @Test
  @Order(6)
  void sm2SignaturesAndTheAddressListAreChecked() throws Exception {
    Sm2KeyPair key = Sm2.generateKeyPair();
    Consumer bank = register(hubA, "Lending bank", new JsonObject().put("sm2PublicKey", key.publicKey().toPem())
        .put("ipAllow", new JsonArray().add("192.0.2.0/24")));
    approve(hubA, apply(hubA, bank, "civil.marriage", null), null);
    String path = "/api/v1/services/civil.marriage?idNumber=" + idNumber;
    assertProblem(send(hubA, "GET", path, ConsumerSignature.sm2Headers(bank.appKey, key.privateKey(), "GET", path,
        new byte[0]), null), 403, "HT-IP-NOT-ALLOWED");

    hubA.adminJson("PATCH", "/proxy/consumers/" + bank.appKey,
        new JsonObject().put("ipAllow", new JsonArray().add("127.0.0.1")));
    Eventually.holds("member B lets the bank in from loopback", Duration.ofSeconds(20), () -> send(hubB, "GET", path,
        ConsumerSignature.sm2Headers(bank.appKey, key.privateKey(), "GET", path, new byte[0]), null).statusCode() == 200);
    assertProblem(send(hubA, "GET", path, ConsumerSignature.sm2Headers(bank.appKey, Sm2.generateKeyPair().privateKey(),
        "GET", path, new byte[0]), null), 401, "HT-SIGNATURE-INVALID");
  }

  @Test
  @Order(7)
  void theRateLimitHoldsAcrossBothMembers() throws Exception {
    Consumer limited = register(hubA, "Limited kiosk", new JsonObject().put("rateLimit", "6/m burst 6"));
    approve(hubA, apply(hubA, limited, "civil.marriage", null), null);
    int allowed = 0;
    List<HttpResponse<String>> refused = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      HttpResponse<String> answer = call(i % 2 == 0 ? hubA : hubB, limited, "civil.marriage");
      if (answer.statusCode() == 200) {
        allowed++;
      } else {
        refused.add(answer);
      }
    }
    // 6 at once, then one every 10 s: a slow run may earn one more.
    assertTrue(allowed >= 6 && allowed <= 7, allowed + " calls allowed");
    for (HttpResponse<String> r : refused) {
      assertProblem(r, 429, "HT-RATE-LIMITED");
      long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
      assertTrue(retryAfter >= 1 && retryAfter <= 10, "Retry-After " + retryAfter);
    }
    assertTrue(refused.stream().anyMatch(r -> r.uri().getPort() == hubA.httpPort()));
    assertTrue(refused.stream().anyMatch(r -> r.uri().getPort() == hubB.httpPort()));
  }

  @Test
  @Order(8)
  void aMemberWithAllTheCallsItTakesRefusesMoreAtOnce() throws Exception {
    simulatorFaults(new JsonObject().put("department", "civil-affairs").put("latencyMs", 1500));
    try {
      String path = "/api/v1/services/civil.marriage?idNumber=" + idNumber;
      List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < MEMBER_B_IN_FLIGHT + 2; i++) {
        HttpRequest.Builder request = HttpRequest.newBuilder(hubB.uri(path)).timeout(Duration.ofSeconds(10)).GET();
        ConsumerSignature.headers(portal.appKey, portal.secret, "GET", path, new byte[0]).forEach(request::header);
        calls.add(HubProcess.HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
      }
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (var call : calls) {
        answers.add(call.get());
      }
      List<HttpResponse<String>> busy = answers.stream().filter(a -> a.statusCode() != 200).toList();
      assertEquals(2, busy.size(), answers.stream().map(HttpResponse::body).toList().toString());
      for (HttpResponse<String> refused : busy) {
        assertProblem(refused, 503, "HT-PROXY-BUSY");
        assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
      }
    } finally {
      simulatorFaultsCleared();
    }
    assertEquals(200, call(hubB, portal, "civil.marriage").statusCode(), "the slots are free again");
  }

  @Test
  @Order(9)
  void fieldsWithoutAGrantAreAbsentOrMasked() throws Exception {
    Consumer kiosk = register(hubA, "Hall kiosk", new JsonObject());
    approve(hubA, apply(hubA, kiosk, "hrss.work-injury", new JsonArray().add("idNumber").add("name").add("records")),
        new JsonObject().put("idNumber", "masked").put("records", "clear"));
    HttpResponse<String> answer = call(hubB, kiosk, "hrss.work-injury");
    assertEquals(200, answer.statusCode(), answer.body());
    JsonObject body = new JsonObject(answer.body());
    String shown = body.getString("idNumber");
    assertNotEquals(idNumber, shown);
    assertEquals(idNumber.length(), shown.length());
    assertEquals(idNumber.substring(0, 6) + "********" + idNumber.substring(14), shown);
    assertFalse(body.containsKey("name"), "asked for but not granted");
    assertFalse(body.containsKey("employer"), "never asked for");
    assertFalse(answer.body().contains(idNumber), "the clear ID number appears nowhere");
    assertTrue(body.getJsonArray("records").size() > 0);
  }

  @Test
  @Order(10)
  void aDepartmentOutageOpensTheCircuitAndServesOnlyWhatMayBeCached() throws Exception {
    assertEquals(200, call(hubA, portal, "hrss.work-injury").statusCode(), "cached while the department is up");
    try {
      // A department answering 503: a query is tried proxy.retry.max-attempts (2) times, then refused.
      simulatorFaults(new JsonObject().put("department", "civil-affairs").put("errorRate", 1).put("errorStatus", 503));
      long first = simulatorRequests("civil-affairs");
      assertProblem(call(hubA, portal, "civil.marriage"), 503, "HT-UPSTREAM-UNAVAILABLE");
      assertEquals(first + 2, simulatorRequests("civil-affairs"), "one call, one retry");

      simulatorFaults(new JsonObject().put("department", "hrss").put("down", true));
      simulatorFaults(new JsonObject().put("department", "civil-affairs").put("down", true));
      Thread.sleep(1200); // past the 1 s TTL: the answer must now come from the stale cache
      HttpResponse<String> cached = call(hubA, portal, "hrss.work-injury");
      assertEquals(200, cached.statusCode(), cached.body());
      assertEquals("STALE", cached.headers().firstValue("X-Cache").orElseThrow());
      assertEquals(idNumber, new JsonObject(cached.body()).getString("idNumber"));

      HttpResponse<String> uncached = null;
      for (int i = 0; i < 3; i++) {
        uncached = call(hubA, portal, "civil.marriage");
        assertProblem(uncached, 503, "HT-UPSTREAM-UNAVAILABLE");
      }
      JsonArray connectors = hubA.adminJson("GET", "/proxy/connectors", null).getJsonArray("connectors");
      JsonObject civil = connectors.stream().map(JsonObject.class::cast)
          .filter(c -> c.getString("connector").equals("civil-api")).findFirst().orElseThrow();
      assertEquals("OPEN", civil.getString("circuit"), connectors.encodePrettily());

      long before = simulatorRequests("civil-affairs");
      assertProblem(call(hubA, portal, "civil.marriage"), 503, "HT-UPSTREAM-UNAVAILABLE");
      assertEquals(before, simulatorRequests("civil-affairs"), "an open circuit does not call the department");
    } finally {
      simulatorFaultsCleared();
    }
  }

  @Test
  @Order(11)
  void theAuditCheckCatchesAnEditedRow() throws Exception {
    JsonObject intact = hubA.adminJson("POST", "/proxy/audit/verify", null);
    assertTrue(intact.getBoolean("ok"), intact.encode());
    assertTrue(intact.getLong("checked") >= 20, intact.encode());
    HubProcess check = hubB.again().start("audit", "verify");
    assertEquals(0, check.awaitExit(Duration.ofMinutes(1)), check.stderr());
    // Someone with the database's superuser turns the append-only trigger off and makes a refused call look served.
    long edited;
    try (Connection db = hubA.database()) {
      edited = Long.parseLong(Jdbc.row(db, "SELECT min(seq) FROM proxy.call_audit WHERE status = 401"));
      Jdbc.execute(db, "ALTER TABLE proxy.call_audit DISABLE TRIGGER USER");
      Jdbc.execute(db, "UPDATE proxy.call_audit SET status = 200 WHERE seq = " + edited);
    }
    JsonObject broken = hubB.adminJson("POST", "/proxy/audit/verify", null);
    assertFalse(broken.getBoolean("ok"), broken.encode());
    assertEquals(new JsonObject().put("seq", edited).put("problem", "edited"), broken.getJsonObject("firstBroken"));
    // scripts/hub audit verify runs this command.
    check = hubB.again().start("audit", "verify");
    assertEquals(1, check.awaitExit(Duration.ofMinutes(1)), check.stdout());
    assertTrue(check.stderr().contains("call audit broken at seq " + edited + ": edited"), check.stderr());
  }

  // --- the consumer's side ---

  private Consumer register(HubProcess hub, String appName, JsonObject settings) throws Exception {
    JsonObject created = hub.adminJson("POST", "/proxy/consumers", settings.copy().put("name", appName));
    Consumer consumer = new Consumer(created.getString("appKey"), created.getString("appSecret"));
    // The other member learns of the new consumer from the catalogue's change notice.
    Eventually.holds("member B knows " + consumer.appKey, Duration.ofSeconds(20), () -> hubB.adminJson("GET",
        "/proxy/consumers", null).getJsonArray("consumers").encode().contains(consumer.appKey));
    return consumer;
  }

  private long apply(HubProcess hub, Consumer consumer, String service, JsonArray fields) throws Exception {
    JsonObject request = new JsonObject().put("service", service).put("purpose", "ProxyIT");
    if (fields != null) {
      request.put("fields", fields);
    }
    byte[] body = request.toBuffer().getBytes();
    HttpResponse<String> answer = send(hub, "POST", "/api/v1/service-applications",
        ConsumerSignature.headers(consumer.appKey, consumer.secret, "POST", "/api/v1/service-applications", body), body);
    assertEquals(2, answer.statusCode() / 100, answer.body());
    return new JsonObject(answer.body()).getLong("id");
  }

  private void approve(HubProcess hub, long application, JsonObject grants) throws Exception {
    hub.adminJson("POST", "/proxy/applications/" + application + "/approve",
        grants == null ? new JsonObject() : new JsonObject().put("grants", grants));
    awaitDecisionOnBothMembers();
  }

  private void reject(HubProcess hub, long application) throws Exception {
    hub.adminJson("POST", "/proxy/applications/" + application + "/reject", new JsonObject().put("note", "not needed"));
    awaitDecisionOnBothMembers();
  }

  /** Decisions reach the other member through the catalogue's change notice; give it a moment. */
  private void awaitDecisionOnBothMembers() throws InterruptedException {
    Thread.sleep(300);
  }

  private HttpResponse<String> call(HubProcess hub, Consumer consumer, String service) throws Exception {
    return call(hub, consumer, service, idNumber);
  }

  private HttpResponse<String> call(HubProcess hub, Consumer consumer, String service, String id) throws Exception {
    String path = "/api/v1/services/" + service + "?idNumber=" + id;
    return send(hub, "GET", path, ConsumerSignature.headers(consumer.appKey, consumer.secret, "GET", path, new byte[0]), null);
  }

  private static HttpResponse<String> send(HubProcess hub, String method, String path, Map<String, String> headers,
                                           byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(hub.uri(path)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return hub.send(request);
  }

  private static byte[] sm3(byte[] data) {
    return io.huitong.crypto.Sm3.hash(data);
  }

  /** A resident ID number (GB 11643) from its first 17 digits: the data centre's tables hold no such person. */
  private static String withCheckDigit(String first17) {
    int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (first17.charAt(i) - '0') * weights[i];
    }
    return first17 + "10X98765432".charAt(sum % 11);
  }

  private static void assertProblem(HttpResponse<String> answer, int status, String code) {
    assertEquals(status, answer.statusCode(), answer.body());
    assertEquals(code, new JsonObject(answer.body()).getString("code"), answer.body());
  }

  // --- the department side ---

  private String simulatorGet(String path) throws Exception {
    HttpResponse<String> answer = HubProcess.HTTP.send(HttpRequest.newBuilder(simulatorUri(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), path + ": " + answer.body());
    return answer.body();
  }

  private void simulatorFaults(JsonObject fault) throws Exception {
    HttpResponse<String> answer = HubProcess.HTTP.send(HttpRequest.newBuilder(simulatorUri("/_sim/faults"))
        .PUT(HttpRequest.BodyPublishers.ofString(fault.encode())).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(2, answer.statusCode() / 100, answer.body());
  }

  private void simulatorFaultsCleared() throws Exception {
    HubProcess.HTTP.send(HttpRequest.newBuilder(simulatorUri("/_sim/faults")).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
  }

  private long simulatorRequests(String department) throws Exception {
    return new JsonObject(simulatorGet("/_sim/stats")).getJsonObject("requests").getLong(department, 0L);
  }

  private java.net.URI simulatorUri(String path) {
    return java.net.URI.create("http://127.0.0.1:" + simulatorPort + path);
  }

  // --- the data centre's copies, in the machine's PostgreSQL and MariaDB ---

  private void prepareHouseholdTables() {
    String create = "CREATE TABLE " + HOUSEHOLDS + " (id_number varchar(18) PRIMARY KEY, household_no varchar(32) NOT NULL)";
    String insert = "INSERT INTO " + HOUSEHOLDS + " VALUES ('" + idNumber + "', 'HH-" + idNumber.substring(12) + "')";
    for (Pool db : machineDatabases()) {
      db.query(create).execute().chain(() -> db.query(insert).execute()).await().atMost(Duration.ofSeconds(30));
    }
  }

  private void dropHouseholdTables() {
    for (Pool db : machineDatabases()) {
      db.query("DROP TABLE IF EXISTS " + HOUSEHOLDS).execute().await().atMost(Duration.ofSeconds(30));
    }
  }

  /** A developer's machine may lack PostgreSQL or MariaDB; CI's has both, and .ci/run makes them mandatory. */
  private static void requireMachineServer(String requiredBy, int port) {
    if ("1".equals(System.getenv(requiredBy))) {
      return;
    }
    try (java.net.Socket probe = new java.net.Socket()) {
      probe.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
    } catch (java.io.IOException none) {
      Assumptions.abort("nothing listens on 127.0.0.1:" + port + " (set " + requiredBy + "=1 to fail instead)");
    }
  }

  /** The machine's own servers, as .ci/run starts them; the connectors reach them with the same settings. */
  private List<Pool> machineDatabases() {
    return List.of(
        PgPool.pool(vertx, new PgConnectOptions().setHost("127.0.0.1").setPort(5432).setDatabase("test")
            .setUser("postgres"), new PoolOptions().setMaxSize(1)),
        MySQLPool.pool(vertx, new MySQLConnectOptions().setHost("127.0.0.1").setPort(3306).setDatabase("test")
            .setUser("root").setPassword(""), new PoolOptions().setMaxSize(1)));
  }

  private String definitions(int sim) {
    String base = "http://127.0.0.1:" + sim;
    return """
        connectors:
          hrss-api:
            kind: http
            base-url: %1$s
            timeout: 2s
            operations:
              work-injury: { method: GET, path: /api/hrss/work-injury-insurance, query: { idNumber: "{idNumber}" } }
          civil-api:
            kind: http
            base-url: %1$s
            timeout: 2s
            operations:
              marriage: { method: GET, path: /api/civil-affairs/marriage-records, query: { idNumber: "{idNumber}" } }
          hrss-soap11:
            kind: soap
            wsdl: %1$s/ws/hrss?wsdl
            timeout: 2s
            operations:
              work-injury: { operation: queryWorkInjuryInsurance, lists: [records], idempotent: true }
          hrss-soap12:
            kind: soap
            wsdl: %1$s/ws12/hrss?wsdl
            timeout: 2s
            operations:
              work-injury: { operation: queryWorkInjuryInsurance, lists: [records], idempotent: true }
          census-pg:
            kind: postgresql
            host: 127.0.0.1
            port: 5432
            database: test
            user: postgres
            timeout: 2s
            operations:
              household: { sql: "SELECT id_number, household_no FROM %2$s WHERE id_number = :idNumber", result: row }
          census-mysql:
            kind: mysql
            host: 127.0.0.1
            port: 3306
            database: test
            user: root
            timeout: 2s
            operations:
              household: { sql: "SELECT id_number, household_no FROM %2$s WHERE id_number = :idNumber", result: row }
        services:
        %3$s
        """.formatted(base, HOUSEHOLDS, String.join("\n",
        service("hrss.work-injury", "hrss", "hrss-api", "cache-ttl: 1s\n    stale-ttl: 1h"),
        service("hrss.work-injury-soap11", "hrss", "hrss-soap11", ""),
        service("hrss.work-injury-soap12", "hrss", "hrss-soap12", ""),
        service("census.household-pg", "public-security", "census-pg", ""),
        service("census.household-mysql", "public-security", "census-mysql", ""),
        service("civil.marriage", "civil-affairs", "civil-api", "")));
  }

  /** A query service answered by the only operation of {@code connector}; ID numbers and phones declare masks. */
  private static String service(String id, String department, String connector, String extra) {
    String operation = connector.startsWith("census") ? "household"
        : connector.startsWith("civil") ? "marriage" : "work-injury";
    return """
          - id: %s
            kind: query
            department: %s
            sources: [ { connector: %s, operation: %s } ]
            input-schema:
              type: object
              required: [idNumber]
              properties: { idNumber: { type: string, format: id-number } }
            output-schema:
              type: object
              properties:
                idNumber: { type: string, mask: id-number }
                phone: { type: string, mask: phone }
            %s
        """.formatted(id, department, connector, operation, extra);
  }
}
