package io.huitong.connectors.soap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.connector.Connector;
import io.huitong.connector.ConnectorException;
import io.huitong.connector.ConnectorException.Failure;
import io.huitong.connector.Connectors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;
import io.vertx.mutiny.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SOAP connector against a small department web service on a free port, over real sockets: the WSDL, SOAP 1.1
 * and 1.2 round trips, faults, and hostile XML.
 */
@ExtendWith(VertxExtension.class)
class SoapConnectorTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String ENV_11 = "http://schemas.xmlsoap.org/soap/envelope/";
  private static final String ENV_12 = "http://www.w3.org/2003/05/soap-envelope";
  private static final Pattern ID_NUMBER = Pattern.compile("<idNumber>(.*?)</idNumber>");
  private static final String XXE = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>";

  private static Vertx vertx;
  private static HttpServer department;
  private static String wsdl;
  private static final AtomicInteger wsdlFetches = new AtomicInteger();
  private static final AtomicInteger flakyFetches = new AtomicInteger();

  @BeforeAll
  static void startDepartment(io.vertx.core.Vertx shared) throws IOException {
    vertx = Vertx.newInstance(shared);
    try (InputStream in = SoapConnectorTest.class.getResourceAsStream("/soap/hrss.wsdl")) {
      wsdl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    department = vertx.createHttpServer().requestHandler(SoapConnectorTest::answer)
        .listen(0, "127.0.0.1").await().atMost(WAIT);
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + department.actualPort() + path;
  }

  /** The department: serves the WSDL, and answers each operation as the idNumber it is given asks. */
  private static void answer(HttpServerRequest request) {
    switch (request.path()) {
      case "/ws/hrss" -> {
        wsdlFetches.incrementAndGet();
        request.response().putHeader("content-type", "text/xml")
            .endAndForget(wsdl.replace("PORT", Integer.toString(department.actualPort())));
      }
      case "/ws/flaky" -> {
        if (flakyFetches.incrementAndGet() == 1) {
          request.response().setStatusCode(503).endAndForget();
        } else {
          request.response().endAndForget(wsdl.replace("PORT", Integer.toString(department.actualPort())));
        }
      }
      case "/ws/xxe" -> request.response().endAndForget(XXE + wsdl.substring(wsdl.indexOf("<wsdl:definitions")));
      case "/ws/hrss11", "/ws/hrss12" -> request.body().subscribe().with(body -> {
        boolean v12 = request.path().endsWith("12");
        Matcher m = ID_NUMBER.matcher(body.toString());
        String idNumber = m.find() ? m.group(1) : "";
        reply(request, v12, idNumber, body.toString());
      });
      default -> request.response().setStatusCode(404).endAndForget();
    }
  }

  private static void reply(HttpServerRequest request, boolean v12, String idNumber, String received) {
    String env = v12 ? ENV_12 : ENV_11;
    String open = "<e:Envelope xmlns:e=\"" + env + "\"><e:Body>";
    String close = "</e:Body></e:Envelope>";
    switch (idNumber) {
      case "hang" -> { }
      case "missing", "bad", "boom" -> {
        boolean client = !idNumber.equals("boom");
        String reason = idNumber.equals("missing") ? "Record not found" : "It went wrong";
        String fault = v12
            ? "<e:Fault><e:Code><e:Value>e:" + (client ? "Sender" : "Receiver") + "</e:Value></e:Code>"
              + "<e:Reason><e:Text xml:lang=\"en\">" + reason + "</e:Text></e:Reason></e:Fault>"
            : "<e:Fault><faultcode>e:" + (client ? "Client" : "Server") + "</faultcode><faultstring>" + reason
              + "</faultstring></e:Fault>";
        request.response().setStatusCode(v12 && client ? 400 : 500).endAndForget(open + fault + close);
      }
      case "xxe" -> request.response().endAndForget(XXE + open + "<r><name>&xxe;</name></r>" + close);
      case "html" -> request.response().setStatusCode(502).endAndForget("<html><body>Bad gateway</body></html>");
      default -> {
        String records = idNumber.equals("one") ? "<records><year>2024</year></records>"
            : "<records><year>2023</year></records><records><year>2024</year></records>";
        request.response().putHeader("content-type", v12 ? "application/soap+xml" : "text/xml").endAndForget(open
            + "<h:queryWorkInjuryInsuranceResponse xmlns:h=\"urn:huitong:test:hrss\" "
            + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
            + "<h:person><h:name>张三</h:name><h:insured>true</h:insured></h:person>" + records
            + "<h:note xsi:nil=\"true\"/><h:empty/>"
            + "<h:received>" + escape(received) + "</h:received>"
            + "<h:contentType>" + escape(request.getHeader("content-type")) + "</h:contentType>"
            + "<h:soapAction>" + escape(String.valueOf(request.getHeader("SOAPAction"))) + "</h:soapAction>"
            + "</h:queryWorkInjuryInsuranceResponse>" + close);
      }
    }
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static JsonObject settings(String version) {
    JsonObject settings = new JsonObject().put("wsdl", url("/ws/hrss?wsdl")).put("timeout", "1s")
        .put("operations", new JsonObject()
            .put("work-injury", new JsonObject().put("operation", "queryWorkInjuryInsurance").put("idempotent", true))
            .put("work-injury-list", new JsonObject().put("operation", "queryWorkInjuryInsurance")
                .put("lists", new JsonArray().add("records")))
            .put("unknown", new JsonObject().put("operation", "queryNothing")));
    return version == null ? settings : settings.put("version", version);
  }

  private static Connector connector(JsonObject settings) {
    return Connectors.discover().create(vertx, "hrss-soap", "soap", settings);
  }

  private static ConnectorException failure(Connector connector, String operation, String idNumber) {
    return assertThrows(ConnectorException.class, () -> connector
        .invoke(operation, new JsonObject().put("idNumber", idNumber)).await().atMost(WAIT));
  }

  @Test
  void fetchesTheWsdlOnFirstUseOnly() {
    int before = wsdlFetches.get();
    Connector connector = connector(settings(null));
    assertEquals(before, wsdlFetches.get(), "building the connector must not contact the department");

    connector.invoke("work-injury", new JsonObject().put("idNumber", "1")).await().atMost(WAIT);
    connector.invoke("work-injury", new JsonObject().put("idNumber", "2")).await().atMost(WAIT);

    assertEquals(before + 1, wsdlFetches.get());
  }

  @Test
  void soap11RoundTrip() {
    Connector connector = connector(settings("1.1"));

    JsonObject answer = connector.invoke("work-injury", new JsonObject()
        .put("idNumber", "632801199001021234")
        .put("applicant", new JsonObject().put("name", "A & B <C>"))
        .put("years", new JsonArray().add(2023).add(2024))
        .putNull("skipped")).await().atMost(WAIT);

    assertEquals(new JsonObject().put("name", "张三").put("insured", "true"), answer.getJsonObject("person"));
    assertEquals(new JsonArray().add(new JsonObject().put("year", "2023")).add(new JsonObject().put("year", "2024")),
        answer.getJsonArray("records"));
    assertNull(answer.getValue("note"));
    assertEquals("", answer.getString("empty"));
    assertEquals("text/xml; charset=utf-8", answer.getString("contentType"));
    assertEquals("\"urn:huitong:test:hrss:query11\"", answer.getString("soapAction"));
    String received = answer.getString("received");
    assertTrue(received.contains("<soap:Envelope xmlns:soap=\"" + ENV_11 + "\">"), received);
    assertTrue(received.contains("<queryWorkInjuryInsurance xmlns=\"urn:huitong:test:hrss\">"
        + "<idNumber>632801199001021234</idNumber><applicant><name>A &amp; B &lt;C&gt;</name></applicant>"
        + "<years>2023</years><years>2024</years></queryWorkInjuryInsurance>"), received);
  }

  @Test
  void soap12RoundTrip() {
    Connector connector = connector(settings("1.2"));

    JsonObject answer = connector.invoke("work-injury", new JsonObject().put("idNumber", "1")).await().atMost(WAIT);

    assertEquals("张三", answer.getJsonObject("person").getString("name"));
    assertEquals("application/soap+xml; charset=utf-8; action=\"urn:huitong:test:hrss:query12\"",
        answer.getString("contentType"));
    assertEquals("null", answer.getString("soapAction"));
    assertTrue(answer.getString("received").contains("xmlns:soap=\"" + ENV_12 + "\""));
  }

  @Test
  void listsMakeASingleElementAnArray() {
    Connector connector = connector(settings(null));

    assertEquals(new JsonObject().put("year", "2024"),
        connector.invoke("work-injury", new JsonObject().put("idNumber", "one")).await().atMost(WAIT)
            .getJsonObject("records"));
    assertEquals(new JsonArray().add(new JsonObject().put("year", "2024")),
        connector.invoke("work-injury-list", new JsonObject().put("idNumber", "one")).await().atMost(WAIT)
            .getJsonArray("records"));
  }

  @ParameterizedTest(name = "SOAP {0}: {1} is {2}")
  @CsvSource({
      "1.1, missing, NOT_FOUND", "1.1, bad, REJECTED", "1.1, boom, UNAVAILABLE", "1.1, html, UNAVAILABLE",
      "1.1, hang, TIMEOUT", "1.1, xxe, BAD_RESPONSE",
      "1.2, missing, NOT_FOUND", "1.2, bad, REJECTED", "1.2, boom, UNAVAILABLE", "1.2, html, UNAVAILABLE",
      "1.2, hang, TIMEOUT", "1.2, xxe, BAD_RESPONSE"})
  void mapsFaultsAndMisbehaviour(String version, String idNumber, Failure expected) {
    ConnectorException e = failure(connector(settings(version)), "work-injury", idNumber);

    assertEquals(expected, e.failure(), e.getMessage());
    assertFalse(e.getMessage().contains("root:"), e.getMessage());
  }

  @Test
  void anOperationTheWsdlLacksIsMisconfigured() {
    assertEquals(Failure.MISCONFIGURED, failure(connector(settings(null)), "unknown", "1").failure());
  }

  @Test
  void aWsdlWithADoctypeIsRefused() {
    Connector connector = connector(settings(null).put("wsdl", url("/ws/xxe")));

    assertEquals(Failure.BAD_RESPONSE, failure(connector, "work-injury", "1").failure());
  }

  @Test
  void aDepartmentDownAtStartIsUnavailableUntilItAnswers() {
    Connector connector = connector(settings(null).put("wsdl", "http://127.0.0.1:1/ws/hrss?wsdl"));

    assertEquals(Failure.UNAVAILABLE, failure(connector, "work-injury", "1").failure());
    assertFalse(connector.health().await().atMost(WAIT).up());
    assertTrue(connector(settings(null)).health().await().atMost(WAIT).up());
  }

  @Test
  void aFailedWsdlFetchIsTriedAgainOnTheNextCall() {
    Connector connector = connector(settings(null).put("wsdl", url("/ws/flaky")));

    assertEquals(Failure.UNAVAILABLE, failure(connector, "work-injury", "1").failure());
    JsonObject answer = connector.invoke("work-injury", new JsonObject().put("idNumber", "1")).await().atMost(WAIT);

    assertEquals("张三", answer.getJsonObject("person").getString("name"));
    assertEquals(2, flakyFetches.get());
  }

  @Test
  void theEndpointSettingOverridesTheWsdlAddress() {
    Connector connector = connector(settings(null).put("endpoint", url("/ws/hrss12")).put("version", "1.2"));

    JsonObject answer = connector.invoke("work-injury", new JsonObject().put("idNumber", "1")).await().atMost(WAIT);

    assertTrue(answer.getString("contentType").startsWith("application/soap+xml"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "wsdl                      | {\"operations\": {\"a\": {\"operation\": \"x\"}}}",
      "wsdl                      | {\"wsdl\": \"file:///etc/passwd\", \"operations\": {\"a\": {\"operation\": \"x\"}}}",
      "version                   | {\"wsdl\": \"http://x/ws?wsdl\", \"version\": \"2\", \"operations\": {\"a\": {\"operation\": \"x\"}}}",
      "endpoint                  | {\"wsdl\": \"http://x/ws?wsdl\", \"endpoint\": \"x\", \"operations\": {\"a\": {\"operation\": \"x\"}}}",
      "operations.a.operation    | {\"wsdl\": \"http://x/ws?wsdl\", \"operations\": {\"a\": {}}}",
      "operations.a.operation    | {\"wsdl\": \"http://x/ws?wsdl\", \"operations\": {\"a\": {\"operation\": \"<x>\"}}}",
      "operations.a.lists        | {\"wsdl\": \"http://x/ws?wsdl\", \"operations\": {\"a\": {\"operation\": \"x\", \"lists\": [1]}}}"})
  void badSettingsAreMisconfiguredNamingTheKey(String key, String settings) {
    ConnectorException e = assertThrows(ConnectorException.class, () -> connector(new JsonObject(settings)));

    assertEquals(Failure.MISCONFIGURED, e.failure());
    assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
  }
}
