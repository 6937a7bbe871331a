package io.huitong.connectors.simulator;

import io.huitong.xml.HardenedXml;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.RoutingContext;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * The departments' SOAP web services, document/literal: {@code POST /ws/{department}} (SOAP 1.1) and
 * {@code POST /ws12/{department}} (SOAP 1.2). The body's one child names the operation ({@code queryWorkInjuryInsurance})
 * and holds one element per parameter ({@code <idNumber>}); the answer is {@code <queryWorkInjuryInsuranceResponse>}
 * with one child per field of the REST answer, a list being the same element repeated. Every fault is HTTP 500.
 *
 * <p>Incoming XML is read with DTDs refused and external entities off, so no request can make the simulator read a
 * file or call a URL.
 */
final class SoapEndpoint {
  private static final XMLInputFactory IN = secureInputFactory();
  private static final XMLOutputFactory OUT = XMLOutputFactory.newFactory();
  private static final String PREFIX = "soap";

  /** A fault to answer with: its code without prefix ({@code Client}, {@code Receiver}, ...) and its reason. */
  static final class SoapFault extends RuntimeException {
    final String code;

    SoapFault(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  private final DepartmentRecords records;

  SoapEndpoint(DepartmentRecords records) {
    this.records = records;
  }

  /** Answers one SOAP call; the department is known and its faults already applied. */
  void call(RoutingContext ctx, SoapVersion version) {
    String department = ctx.pathParam("department");
    try {
      Call call = parse(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes(), version);
      DepartmentQuery query = operation(department, call, version);
      checkAction(ctx, version, department, query);
      JsonObject answer;
      try {
        answer = records.lookup(query, call.parameters());
      } catch (QueryException e) {
        throw new SoapFault(version.senderFault, e.getMessage());
      }
      respond(ctx, 200, version, w -> {
        w.writeStartElement(query.operation() + "Response");
        w.writeDefaultNamespace(SoapVersion.namespace(department));
        writeFields(w, answer);
        w.writeEndElement();
      });
    } catch (SoapFault f) {
      fault(ctx, version, f.code, f.getMessage());
    }
  }

  /** Answers a request the fault injector failed, or one the router could not read, with a fault. */
  void failure(RoutingContext ctx, SoapVersion version) {
    if (ctx.failure() instanceof DepartmentSimulator.InjectedFault) {
      fault(ctx, version, version.receiverFault, "injected fault: the department's system failed");
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      fault(ctx, version, version.senderFault, "the request cannot be read (HTTP " + ctx.statusCode() + ")");
    } else {
      fault(ctx, version, version.receiverFault, "the simulator failed: " + ctx.failure());
    }
  }

  private record Call(String namespace, String operation, Map<String, String> parameters) {
  }

  private DepartmentQuery operation(String department, Call call, SoapVersion version) {
    String namespace = SoapVersion.namespace(department);
    return records.queries().stream()
        .filter(q -> q.department().equals(department) && q.operation().equals(call.operation()))
        .filter(q -> namespace.equals(call.namespace()))
        .findFirst().orElseThrow(() -> new SoapFault(version.senderFault, "unknown operation {" + call.namespace()
            + "}" + call.operation() + "; the WSDL at " + version.pathPrefix + department + "?wsdl lists them"));
  }

  /** An action, when the caller sends one, must be the operation's; an empty one (SOAPAction: "") is accepted. */
  private static void checkAction(RoutingContext ctx, SoapVersion version, String department, DepartmentQuery query) {
    String action = version == SoapVersion.SOAP_11
        ? ctx.request().getHeader("SOAPAction") : actionParameter(ctx.request().getHeader("content-type"));
    if (action == null) {
      return;
    }
    action = unquote(action.trim());
    if (!action.isEmpty() && !action.equals(SoapVersion.action(department, query.operation()))) {
      throw new SoapFault(version.senderFault, "the action " + action + " is not the operation's "
          + SoapVersion.action(department, query.operation()));
    }
  }

  private static String actionParameter(String contentType) {
    if (contentType == null) {
      return null;
    }
    for (String parameter : contentType.split(";")) {
      String p = parameter.trim();
      if (p.regionMatches(true, 0, "action=", 0, 7)) {
        return p.substring(7);
      }
    }
    return null;
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }

  // ---- reading the request -----------------------------------------------------------------------------------

  private static Call parse(byte[] body, SoapVersion version) {
    try {
      XMLStreamReader r = IN.createXMLStreamReader(new ByteArrayInputStream(body));
      try {
        return parseEnvelope(r, version);
      } finally {
        r.close();
      }
    } catch (XMLStreamException e) {
      throw new SoapFault(version.senderFault, "the body is not well-formed XML");
    }
  }

  private static Call parseEnvelope(XMLStreamReader r, SoapVersion version) throws XMLStreamException {
    if (nextTag(r, version) != XMLStreamConstants.START_ELEMENT || !r.getLocalName().equals("Envelope")) {
      throw new SoapFault(version.senderFault, "the body is not a SOAP envelope");
    }
    if (!version.envelopeNamespace.equals(r.getNamespaceURI())) {
      throw new SoapFault("VersionMismatch", "this endpoint speaks " + version.envelopeNamespace
          + "; SOAP " + (version == SoapVersion.SOAP_11 ? "1.2 is at /ws12/" : "1.1 is at /ws/"));
    }
    nextTag(r, version);
    if (isEnvelopeElement(r, version, "Header")) {
      checkHeaders(r, version);
      nextTag(r, version);
    }
    if (!isEnvelopeElement(r, version, "Body") || nextTag(r, version) != XMLStreamConstants.START_ELEMENT) {
      throw new SoapFault(version.senderFault, "the envelope has no Body with an operation element");
    }
    String namespace = r.getNamespaceURI() == null ? "" : r.getNamespaceURI();
    String operation = r.getLocalName();
    Map<String, String> parameters = new HashMap<>();
    while (nextTag(r, version) == XMLStreamConstants.START_ELEMENT) {
      String name = r.getLocalName();
      try {
        parameters.put(name, r.getElementText().trim());
      } catch (XMLStreamException e) {
        throw new SoapFault(version.senderFault, "the parameter " + name + " must hold text only");
      }
    }
    return new Call(namespace, operation, parameters);
  }

  /** Refuses a header the caller marked mustUnderstand: the simulator understands none. */
  private static void checkHeaders(XMLStreamReader r, SoapVersion version) throws XMLStreamException {
    int depth = 1;
    while (depth > 0) {
      int event = nextTag(r, version);
      if (event == XMLStreamConstants.START_ELEMENT) {
        String mustUnderstand = r.getAttributeValue(version.envelopeNamespace, "mustUnderstand");
        if (depth == 1 && ("1".equals(mustUnderstand) || "true".equals(mustUnderstand))) {
          throw new SoapFault("MustUnderstand", "the header " + r.getName() + " is not understood");
        }
        depth++;
      } else if (event == XMLStreamConstants.END_ELEMENT) {
        depth--;
      } else {
        throw new SoapFault(version.senderFault, "the envelope ends inside its Header");
      }
    }
  }

  private static boolean isEnvelopeElement(XMLStreamReader r, SoapVersion version, String name) {
    return r.getEventType() == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals(name)
        && version.envelopeNamespace.equals(r.getNamespaceURI());
  }

  /** The next start or end tag, refusing a DTD wherever it appears. */
  private static int nextTag(XMLStreamReader r, SoapVersion version) throws XMLStreamException {
    while (r.hasNext()) {
      int event = r.next();
      if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
        throw new SoapFault(version.senderFault, "DTDs and entity references are not accepted");
      }
      if (event == XMLStreamConstants.START_ELEMENT || event == XMLStreamConstants.END_ELEMENT) {
        return event;
      }
    }
    return XMLStreamConstants.END_DOCUMENT;
  }

  private static XMLInputFactory secureInputFactory() {
    return HardenedXml.inputFactory();
  }

  // ---- writing the answer ------------------------------------------------------------------------------------

  @FunctionalInterface
  interface BodyWriter {
    void write(XMLStreamWriter w) throws XMLStreamException;
  }

  private static void fault(RoutingContext ctx, SoapVersion version, String code, String message) {
    respond(ctx, 500, version, w -> {
      w.writeStartElement(PREFIX, "Fault", version.envelopeNamespace);
      String qualifiedCode = PREFIX + ":" + code;
      if (version == SoapVersion.SOAP_11) {
        element(w, "faultcode", qualifiedCode);
        element(w, "faultstring", message);
      } else {
        w.writeStartElement(PREFIX, "Code", version.envelopeNamespace);
        w.writeStartElement(PREFIX, "Value", version.envelopeNamespace);
        w.writeCharacters(qualifiedCode);
        w.writeEndElement();
        w.writeEndElement();
        w.writeStartElement(PREFIX, "Reason", version.envelopeNamespace);
        w.writeStartElement(PREFIX, "Text", version.envelopeNamespace);
        w.writeAttribute("xml", XMLConstants.XML_NS_URI, "lang", "en");
        w.writeCharacters(message);
        w.writeEndElement();
        w.writeEndElement();
      }
      w.writeEndElement();
    });
  }

  /** Writes an envelope around {@code body} and ends the response with it. */
  private static void respond(RoutingContext ctx, int status, SoapVersion version, BodyWriter body) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter w = OUT.createXMLStreamWriter(out);
      w.writeStartDocument("UTF-8", "1.0");
      w.writeStartElement(PREFIX, "Envelope", version.envelopeNamespace);
      w.writeNamespace(PREFIX, version.envelopeNamespace);
      w.writeStartElement(PREFIX, "Body", version.envelopeNamespace);
      body.write(w);
      w.writeEndElement();
      w.writeEndElement();
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write a SOAP envelope", e);
    }
    ctx.response().setStatusCode(status).putHeader("content-type", version.contentType)
        .endAndForget(Buffer.buffer(out.toString()));
  }

  /** A JSON answer as XML: a field per element, a list as the same element repeated, no wrapper. */
  static void writeFields(XMLStreamWriter w, JsonObject fields) throws XMLStreamException {
    for (Map.Entry<String, Object> field : fields) {
      writeValue(w, field.getKey(), field.getValue());
    }
  }

  private static void writeValue(XMLStreamWriter w, String name, Object value) throws XMLStreamException {
    if (value instanceof JsonArray list) {
      for (Object item : list) {
        writeValue(w, name, item);
      }
    } else if (value instanceof JsonObject object) {
      w.writeStartElement(name);
      writeFields(w, object);
      w.writeEndElement();
    } else if (value != null) {
      element(w, name, value instanceof BigDecimal d ? d.toPlainString() : value.toString());
    }
  }

  static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
    w.writeStartElement(name);
    w.writeCharacters(text);
    w.writeEndElement();
  }
}
