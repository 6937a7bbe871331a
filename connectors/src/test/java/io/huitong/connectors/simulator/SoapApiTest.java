package io.huitong.connectors.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class SoapApiTest extends SimulatorTestBase {
  private static final String SOAP_11 = "http://schemas.xmlsoap.org/soap/envelope/";
  private static final String SOAP_12 = "http://www.w3.org/2003/05/soap-envelope";
  private static final String HRSS = "urn:huitong:simulator:hrss";
  private static final String WSDL = "http://schemas.xmlsoap.org/wsdl/";

  @AfterEach
  void clearFaults() {
    await(client.delete("/_sim/faults").send());
  }

  static String envelope(String soapNamespace, String operation, String parameters) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope xmlns:soap=\"" + soapNamespace + "\"><soap:Body>"
        + "<h:" + operation + " xmlns:h=\"" + HRSS + "\">" + parameters + "</h:" + operation + "></soap:Body></soap:Envelope>";
  }

  private static String id(String query) {
    return "<h:idNumber>" + someoneWith(query).getString("idNumber") + "</h:idNumber>";
  }

  private static HttpResponse<Buffer> soap11(String body, String action) {
    var request = client.post("/ws/hrss").putHeader("content-type", "text/xml; charset=utf-8");
    if (action != null) {
      request.putHeader("SOAPAction", "\"" + action + "\"");
    }
    return await(request.sendBuffer(Buffer.buffer(body)));
  }

  private static HttpResponse<Buffer> soap12(String body, String action) {
    return await(client.post("/ws12/hrss").putHeader("content-type", "application/soap+xml; charset=utf-8"
        + (action == null ? "" : "; action=\"" + action + "\"")).sendBuffer(Buffer.buffer(body)));
  }

  static Document xml(HttpResponse<Buffer> response) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(new ByteArrayInputStream(response.body().getBytes()));
    } catch (Exception e) {
      throw new AssertionError("not well-formed XML: " + response.bodyAsString(), e);
    }
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getLocalName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }

  private static Element answerOf(Document doc, String soapNamespace) {
    Element body = (Element) doc.getElementsByTagNameNS(soapNamespace, "Body").item(0);
    return children(body, body.getFirstChild().getLocalName()).get(0);
  }

  @Test
  void soap11AnswersWithTheOperationsResponseAndRepeatedRecords() {
    JsonObject person = someoneWith("hrss/work-injury-insurance");
    HttpResponse<Buffer> response = soap11(envelope(SOAP_11, "queryWorkInjuryInsurance",
        "<h:idNumber>" + person.getString("idNumber") + "</h:idNumber>"), HRSS + "/queryWorkInjuryInsurance");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertTrue(response.getHeader("content-type").startsWith("text/xml"));
    Element answer = answerOf(xml(response), SOAP_11);
    assertEquals("queryWorkInjuryInsuranceResponse", answer.getLocalName());
    assertEquals(HRSS, answer.getNamespaceURI());
    assertEquals(person.getString("idNumber"), children(answer, "idNumber").get(0).getTextContent());
    assertEquals(person.getString("name"), children(answer, "name").get(0).getTextContent());
    List<Element> records = children(answer, "records");
    assertEquals(12, records.size(), "a list is the element repeated, without a wrapper");
    assertEquals(HRSS, children(records.get(0), "period").get(0).getNamespaceURI());
  }

  @Test
  void soap12AnswersTheSameFieldsAsRest() {
    JsonObject person = someoneWith("hrss/pension-voucher");
    HttpResponse<Buffer> response = soap12(envelope(SOAP_12, "queryPensionVoucher",
        "<h:idNumber>" + person.getString("idNumber") + "</h:idNumber>"), HRSS + "/queryPensionVoucher");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertTrue(response.getHeader("content-type").startsWith("application/soap+xml"));
    Element answer = answerOf(xml(response), SOAP_12);
    JsonObject rest = get("/api/hrss/pension-voucher?idNumber=" + person.getString("idNumber")).bodyAsJsonObject();
    assertEquals(rest.getString("voucherNumber"), children(answer, "voucherNumber").get(0).getTextContent());
    assertEquals(rest.getJsonArray("records").size(), children(answer, "records").size());
  }

  @Test
  void identityVerificationTakesTheName() {
    JsonObject person = get("/_sim/people?limit=1").bodyAsJsonObject().getJsonArray("people").getJsonObject(0);
    HttpResponse<Buffer> response = await(client.post("/ws/public-security")
        .putHeader("content-type", "text/xml; charset=utf-8")
        .sendBuffer(Buffer.buffer(("<soap:Envelope xmlns:soap=\"" + SOAP_11 + "\"><soap:Body>"
            + "<p:queryIdentityVerification xmlns:p=\"urn:huitong:simulator:public-security\"><p:idNumber>%s</p:idNumber>"
            + "<p:name>%s</p:name></p:queryIdentityVerification></soap:Body></soap:Envelope>")
            .formatted(person.getString("idNumber"), person.getString("name")))));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("true", children(answerOf(xml(response), SOAP_11), "matched").get(0).getTextContent());
  }

  static Stream<Arguments> faultTable() {
    String unknown = "<h:idNumber>11010519491231002X</h:idNumber>";
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<soap:Envelope xmlns:soap=\"" + SOAP_11 + "\"><soap:Body><h:queryWorkInjuryInsurance xmlns:h=\"" + HRSS
        + "\"><h:idNumber>&x;</h:idNumber></h:queryWorkInjuryInsurance></soap:Body></soap:Envelope>";
    String mustUnderstand = "<soap:Envelope xmlns:soap=\"" + SOAP_11 + "\"><soap:Header><s:Security xmlns:s=\"urn:x\""
        + " soap:mustUnderstand=\"1\"/></soap:Header><soap:Body/></soap:Envelope>";
    return Stream.of(
        Arguments.of("unknown person", envelope(SOAP_11, "queryWorkInjuryInsurance", unknown), null, "Client", "not found"),
        Arguments.of("missing idNumber", envelope(SOAP_11, "queryWorkInjuryInsurance", ""), null, "Client", "idNumber"),
        Arguments.of("bad ID number", envelope(SOAP_11, "queryWorkInjuryInsurance", "<h:idNumber>12</h:idNumber>"),
            null, "Client", "GB 11643"),
        Arguments.of("unknown operation", envelope(SOAP_11, "queryNothing", unknown), null, "Client", "unknown operation"),
        Arguments.of("wrong SOAPAction", envelope(SOAP_11, "queryWorkInjuryInsurance", unknown),
            HRSS + "/queryPensionVoucher", "Client", "action"),
        Arguments.of("not XML", "<soap:Envelope", null, "Client", "well-formed"),
        Arguments.of("not an envelope", "<hello/>", null, "Client", "envelope"),
        Arguments.of("DTD with an external entity", xxe, null, "Client", "DTD"),
        Arguments.of("SOAP 1.2 envelope at /ws/", envelope(SOAP_12, "queryWorkInjuryInsurance", unknown), null,
            "VersionMismatch", "/ws12/"),
        Arguments.of("mustUnderstand header", mustUnderstand, null, "MustUnderstand", "Security"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faultTable")
  void soap11FaultsNameTheCallersMistake(String row, String body, String action, String code, String reason) {
    HttpResponse<Buffer> response = soap11(body, action);
    assertEquals(500, response.statusCode());
    Document doc = xml(response);
    Element fault = (Element) doc.getElementsByTagNameNS(SOAP_11, "Fault").item(0);
    assertEquals("soap:" + code, children(fault, "faultcode").get(0).getTextContent());
    String faultstring = children(fault, "faultstring").get(0).getTextContent();
    assertTrue(faultstring.contains(reason), faultstring);
    assertTrue(!response.bodyAsString().contains("root:"), "no entity was resolved");
  }

  @Test
  void soap12FaultsUseSenderAndReceiver() {
    HttpResponse<Buffer> response = soap12(envelope(SOAP_12, "queryWorkInjuryInsurance",
        "<h:idNumber>11010519491231002X</h:idNumber>"), null);
    assertEquals(500, response.statusCode());
    Document doc = xml(response);
    assertEquals("soap:Sender", doc.getElementsByTagNameNS(SOAP_12, "Value").item(0).getTextContent());
    assertTrue(doc.getElementsByTagNameNS(SOAP_12, "Text").item(0).getTextContent().contains("not found"));

    await(client.put("/_sim/faults").sendJsonObject(new JsonObject().put("department", "hrss").put("errorRate", 1)));
    HttpResponse<Buffer> injected = soap12(envelope(SOAP_12, "queryWorkInjuryInsurance",
        id("hrss/work-injury-insurance")), null);
    assertEquals(500, injected.statusCode());
    assertEquals("soap:Receiver", xml(injected).getElementsByTagNameNS(SOAP_12, "Value").item(0).getTextContent());
  }

  @Test
  void anInjectedErrorIsAServerFaultInSoap11() {
    await(client.put("/_sim/faults").sendJsonObject(new JsonObject().put("department", "*").put("errorRate", 1)));
    HttpResponse<Buffer> response = soap11(envelope(SOAP_11, "queryWorkInjuryInsurance",
        id("hrss/work-injury-insurance")), null);
    assertEquals(500, response.statusCode());
    Element fault = (Element) xml(response).getElementsByTagNameNS(SOAP_11, "Fault").item(0);
    assertEquals("soap:Server", children(fault, "faultcode").get(0).getTextContent());
  }

  @Test
  void wsdlNamesEveryOperationAndTheAddressItWasFetchedAt() {
    for (String prefix : List.of("/ws/", "/ws12/")) {
      HttpResponse<Buffer> response = get(prefix + "hrss?wsdl");
      assertEquals(200, response.statusCode());
      Document doc = xml(response);
      String binding = prefix.equals("/ws/") ? "http://schemas.xmlsoap.org/wsdl/soap/"
          : "http://schemas.xmlsoap.org/wsdl/soap12/";
      List<String> operations = new ArrayList<>();
      NodeList portOperations = ((Element) doc.getElementsByTagNameNS(WSDL, "portType").item(0))
          .getElementsByTagNameNS(WSDL, "operation");
      for (int i = 0; i < portOperations.getLength(); i++) {
        operations.add(((Element) portOperations.item(i)).getAttribute("name"));
      }
      assertTrue(operations.containsAll(List.of("queryWorkInjuryInsurance", "queryUnemploymentInsurance",
          "queryPensionVoucher", "querySocialSecurityCard")), operations.toString());
      Element address = (Element) doc.getElementsByTagNameNS(binding, "address").item(0);
      assertEquals("http://127.0.0.1:" + port + prefix + "hrss", address.getAttribute("location"));
      Element operation = (Element) doc.getElementsByTagNameNS(binding, "operation").item(0);
      assertTrue(operation.getAttribute("soapAction").startsWith(HRSS + "/query"));
      assertEquals(1, doc.getElementsByTagNameNS(binding, "binding").getLength());
    }
    assertEquals(404, get("/ws/hrss").statusCode());
    assertEquals(404, get("/ws/nowhere?wsdl").statusCode());
  }

  @Test
  void wsdlDescribesTheAnswersElements() {
    String wsdl = get("/ws/hrss?wsdl").bodyAsString();
    assertTrue(wsdl.contains("name=\"queryWorkInjuryInsuranceResponse\""));
    assertTrue(wsdl.contains("name=\"records\""), "the repeated element is declared");
    assertTrue(wsdl.contains("maxOccurs=\"unbounded\""));
    assertTrue(new String(get("/ws12/public-security?wsdl").body().getBytes(), StandardCharsets.UTF_8)
        .contains("name=\"matched\" type=\"xs:boolean\""));
  }
}
