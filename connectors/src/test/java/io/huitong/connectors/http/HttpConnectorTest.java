package io.huitong.connectors.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.connector.Connector;
import io.huitong.connector.ConnectorException;
import io.huitong.connector.ConnectorException.Failure;
import io.huitong.connector.ConnectorHealth;
import io.huitong.connector.Connectors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;
import io.vertx.mutiny.core.http.HttpServerRequest;
import io.vertx.mutiny.core.net.NetServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP/JSON connector against a small department server on a free port, over real sockets. */
@ExtendWith(VertxExtension.class)
class HttpConnectorTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Vertx vertx;
  private static HttpServer department;
  private static final AtomicInteger connections = new AtomicInteger();

  @BeforeAll
  static void startDepartment(io.vertx.core.Vertx shared) {
    vertx = Vertx.newInstance(shared);
    department = vertx.createHttpServer()
        .connectionHandler(connection -> connections.incrementAndGet())
        .requestHandler(HttpConnectorTest::answer)
        .listen(0, "127.0.0.1").await().atMost(WAIT);
  }

  /** The department: echoes what it received, or answers as the path asks. */
  private static void answer(HttpServerRequest request) {
    String path = request.path();
    if (path.startsWith("/status/")) {
      request.response().setStatusCode(Integer.parseInt(path.substring(8))).endAndForget("{}");
    } else if (path.equals("/hang")) {
      // never answers
    } else if (path.equals("/text")) {
      request.response().putHeader("content-type", "text/plain").endAndForget("hello");
    } else if (path.equals("/big")) {
      request.response().endAndForget(new JsonObject().put("padding", "x".repeat(200_000)).encode());
    } else if (path.equals("/list")) {
      request.response().endAndForget(new JsonArray().add(1).add(2).encode());
    } else {
      request.body().subscribe().with(body -> request.response().putHeader("content-type", "application/json")
          .endAndForget(new JsonObject()
              .put("method", request.method().name())
              .put("uri", request.uri())
              .put("path", path)
              .put("query", request.getParam("idNumber"))
              .put("header", request.getHeader("X-Region"))
              .put("contentType", request.getHeader("content-type"))
              .put("body", body.length() == 0 ? null : body.toJsonObject())
              .encode()));
    }
  }

  private static Connector connector(JsonObject settings) {
    return Connectors.discover().create(vertx, "dept-api", "http", settings);
  }

  private static JsonObject settings(JsonObject operations) {
    return new JsonObject()
        .put("base-url", "http://127.0.0.1:" + department.actualPort() + "/base")
        .put("timeout", "1s")
        .put("operations", operations);
  }

  private static JsonObject atRoot(JsonObject operations) {
    return new JsonObject().put("base-url", "http://127.0.0.1:" + department.actualPort()).put("operations", operations);
  }

  private static JsonObject op(String method, String path) {
    return new JsonObject().put("method", method).put("path", path);
  }

  private static ConnectorException failure(Connector connector, String operation, JsonObject input) {
    return assertThrows(ConnectorException.class,
        () -> connector.invoke(operation, input).await().atMost(WAIT));
  }

  @Test
  void fillsPathQueryAndHeaderTemplatesEncodingTheValues() {
    Connector connector = connector(settings(new JsonObject().put("person", op("GET", "/people/{name}")
        .put("query", new JsonObject().put("idNumber", "{idNumber}"))
        .put("headers", new JsonObject().put("X-Region", "region-{region}")))));

    JsonObject answer = connector.invoke("person", new JsonObject()
        .put("name", "张 三/x").put("idNumber", "63280119900101123X&a=b").put("region", 632801))
        .await().atMost(WAIT);

    assertEquals("GET", answer.getString("method"));
    assertEquals("/base/people/%E5%BC%A0%20%E4%B8%89%2Fx", answer.getString("uri").split("\\?")[0]);
    assertEquals("63280119900101123X&a=b", answer.getString("query"));
    assertEquals("region-632801", answer.getString("header"));
    assertTrue(connector.operations().get("person").idempotent());
  }

  @Test
  void postsTheFieldsNoTemplateUsedAsTheJsonBody() {
    Connector connector = connector(settings(new JsonObject().put("submit", op("POST", "/cases/{caseId}"))));

    JsonObject answer = connector.invoke("submit", new JsonObject()
        .put("caseId", "C1").put("applicant", new JsonObject().put("name", "李四"))).await().atMost(WAIT);

    assertEquals("/base/cases/C1", answer.getString("path"));
    assertEquals(new JsonObject().put("applicant", new JsonObject().put("name", "李四")), answer.getJsonObject("body"));
    assertTrue(answer.getString("contentType").startsWith("application/json"));
    assertFalse(connector.operations().get("submit").idempotent());
  }

  @Test
  void wrapsAJsonArrayAsItems() {
    Connector connector = connector(atRoot(new JsonObject().put("list", op("GET", "/list"))));

    assertEquals(new JsonObject().put("items", new JsonArray().add(1).add(2)),
        connector.invoke("list", new JsonObject()).await().atMost(WAIT));
  }

  @Test
  void aMissingParameterIsABadRequestNamingIt() {
    Connector connector = connector(settings(new JsonObject().put("person", op("GET", "/people/{name}"))));

    ConnectorException e = failure(connector, "person", new JsonObject());

    assertEquals(Failure.BAD_REQUEST, e.failure());
    assertTrue(e.getMessage().contains("'name'"), e.getMessage());
    assertEquals(Failure.BAD_REQUEST, failure(connector, "nothing", new JsonObject()).failure());
  }

  @ParameterizedTest(name = "HTTP {0} is {1}")
  @CsvSource({
      "400, REJECTED", "401, REJECTED", "403, REJECTED", "404, NOT_FOUND", "408, TIMEOUT", "409, REJECTED",
      "429, UNAVAILABLE", "500, UNAVAILABLE", "502, UNAVAILABLE", "503, UNAVAILABLE", "302, BAD_RESPONSE"})
  void mapsEachStatusToAFailure(int status, Failure expected) {
    Connector connector = connector(atRoot(new JsonObject().put("call", op("GET", "/status/" + status))));

    assertEquals(expected, failure(connector, "call", new JsonObject()).failure());
  }

  @Test
  void anAnswerThatIsNotJsonIsABadResponse() {
    Connector connector = connector(atRoot(new JsonObject().put("text", op("GET", "/text"))));

    assertEquals(Failure.BAD_RESPONSE, failure(connector, "text", new JsonObject()).failure());
  }

  @Test
  void anAnswerLargerThanMaxResponseBytesIsABadResponse() {
    JsonObject operations = new JsonObject().put("big", op("GET", "/big")).put("list", op("GET", "/list"));
    Connector limited = connector(atRoot(operations).put("max-response-bytes", 100_000));

    ConnectorException e = failure(limited, "big", new JsonObject());

    assertEquals(Failure.BAD_RESPONSE, e.failure(), e.getMessage());
    assertEquals(2, limited.invoke("list", new JsonObject()).await().atMost(WAIT).getJsonArray("items").size());
    assertEquals(200_000, connector(atRoot(operations)).invoke("big", new JsonObject()).await().atMost(WAIT)
        .getString("padding").length());
  }

  @Test
  void aDepartmentThatNeverAnswersTimesOut() {
    Connector connector = connector(atRoot(new JsonObject().put("hang", op("GET", "/hang"))).put("timeout", "300ms"));

    long start = System.nanoTime();
    ConnectorException e = failure(connector, "hang", new JsonObject());

    assertEquals(Failure.TIMEOUT, e.failure());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 3_000);
  }

  @Test
  void aRefusedOrResetConnectionIsUnavailable() {
    HttpServer closed = vertx.createHttpServer().requestHandler(r -> { })
        .listen(0, "127.0.0.1").await().atMost(WAIT);
    int closedPort = closed.actualPort();
    closed.close().await().atMost(WAIT);
    NetServer resetting = vertx.createNetServer().connectHandler(socket -> socket.handler(data -> socket.closeAndForget()))
        .listen(0, "127.0.0.1").await().atMost(WAIT);

    for (int port : List.of(closedPort, resetting.actualPort())) {
      Connector connector = connector(new JsonObject().put("base-url", "http://127.0.0.1:" + port)
          .put("operations", new JsonObject().put("call", op("GET", "/x"))));
      assertEquals(Failure.UNAVAILABLE, failure(connector, "call", new JsonObject()).failure(), "port " + port);
      assertFalse(connector.health().await().atMost(WAIT).up());
    }
    resetting.close().await().atMost(WAIT);
  }

  @Test
  void keepsAtMostMaxConnectionsAndReusesThem() {
    Connector connector = connector(settings(new JsonObject().put("person", op("GET", "/people/{name}")))
        .put("max-connections", 2));
    int before = connections.get();

    for (int round = 0; round < 5; round++) {
      List<Uni<JsonObject>> calls = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        calls.add(connector.invoke("person", new JsonObject().put("name", "p" + i)));
      }
      Uni.join().all(calls).andFailFast().await().atMost(WAIT);
    }

    assertTrue(connections.get() - before <= 2, "opened " + (connections.get() - before) + " connections");
    connector.close().await().atMost(WAIT);
  }

  @Test
  void healthProbesTheHealthPath() {
    Connector connector = connector(settings(new JsonObject().put("person", op("GET", "/people/{name}")))
        .put("health-path", "/ping"));

    ConnectorHealth health = connector.health().await().atMost(WAIT);

    assertTrue(health.up(), health.detail());
    assertEquals("GET /base/ping: HTTP 200", health.detail());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "base-url          | {\"operations\": {\"a\": {\"path\": \"/a\"}}}",
      "base-url          | {\"base-url\": \"ftp://x\", \"operations\": {\"a\": {\"path\": \"/a\"}}}",
      "timeout           | {\"base-url\": \"http://x\", \"timeout\": \"soon\", \"operations\": {\"a\": {\"path\": \"/a\"}}}",
      "max-connections   | {\"base-url\": \"http://x\", \"max-connections\": 0, \"operations\": {\"a\": {\"path\": \"/a\"}}}",
      "operations        | {\"base-url\": \"http://x\"}",
      "operations.a.path | {\"base-url\": \"http://x\", \"operations\": {\"a\": {\"method\": \"GET\"}}}",
      "operations.a.method | {\"base-url\": \"http://x\", \"operations\": {\"a\": {\"path\": \"/a\", \"method\": \"FETCH\"}}}",
      "operations.a.idempotent | {\"base-url\": \"http://x\", \"operations\": {\"a\": {\"path\": \"/a\", \"idempotent\": \"yes\"}}}",
      "retries           | {\"base-url\": \"http://x\", \"retries\": 3, \"operations\": {\"a\": {\"path\": \"/a\"}}}"})
  void badSettingsAreMisconfiguredNamingTheKey(String key, String settings) {
    ConnectorException e = assertThrows(ConnectorException.class, () -> connector(new JsonObject(settings)));

    assertEquals(Failure.MISCONFIGURED, e.failure());
    assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
  }
}
