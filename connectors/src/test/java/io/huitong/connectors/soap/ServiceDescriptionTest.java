package io.huitong.connectors.soap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.huitong.connector.ConnectorException;
import io.huitong.connector.ConnectorException.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the connector reads from a WSDL. */
class ServiceDescriptionTest {

  private static byte[] wsdl() throws IOException {
    try (InputStream in = ServiceDescriptionTest.class.getResourceAsStream("/soap/hrss.wsdl")) {
      return in.readAllBytes();
    }
  }

  @Test
  void takesTheFirstSoapPortUnlessAVersionIsPreferred() throws IOException {
    ServiceDescription first = ServiceDescription.parse(wsdl(), null);
    ServiceDescription v12 = ServiceDescription.parse(wsdl(), SoapVersion.V1_2);

    assertEquals("urn:huitong:test:hrss", first.targetNamespace());
    assertEquals(SoapVersion.V1_1, first.version());
    assertEquals("http://127.0.0.1:PORT/ws/hrss11", first.endpoint());
    assertEquals(Map.of("queryWorkInjuryInsurance", "urn:huitong:test:hrss:query11"), first.actions());
    assertEquals(SoapVersion.V1_2, v12.version());
    assertEquals("http://127.0.0.1:PORT/ws/hrss12", v12.endpoint());
    assertEquals(Map.of("queryWorkInjuryInsurance", "urn:huitong:test:hrss:query12"), v12.actions());
  }

  @Test
  void refusesADocumentThatIsNoWsdl() {
    byte[] notWsdl = "<html><body>maintenance</body></html>".getBytes(StandardCharsets.UTF_8);
    byte[] entityBomb = ("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
        + "<d>&b;</d>").getBytes(StandardCharsets.UTF_8);

    for (byte[] document : new byte[][] {notWsdl, entityBomb}) {
      ConnectorException e = assertThrows(ConnectorException.class, () -> ServiceDescription.parse(document, null));
      assertEquals(Failure.BAD_RESPONSE, e.failure());
    }
  }
}
