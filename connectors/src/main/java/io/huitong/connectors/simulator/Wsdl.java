package io.huitong.connectors.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A department's WSDL 1.1, document/literal, with a SOAP 1.1 or SOAP 1.2 binding. Each operation's input is its
 * parameters as strings; its output's schema is read off a real answer, so the WSDL cannot drift from what
 * {@link SoapEndpoint} sends.
 */
final class Wsdl {
  private static final String WSDL = "http://schemas.xmlsoap.org/wsdl/";
  private static final String XS = XMLConstants.W3C_XML_SCHEMA_NS_URI;
  private static final String HTTP_TRANSPORT = "http://schemas.xmlsoap.org/soap/http";
  /** How many people to look through for an answer whose every list has an item to describe. */
  private static final int SAMPLE_SEARCH = 2000;
  private static final XMLOutputFactory OUT = XMLOutputFactory.newFactory();

  private Wsdl() {
  }

  /** The WSDL of {@code department}'s service at {@code address} (its soap:address). */
  static String describe(DepartmentRecords records, String department, SoapVersion version, String address) {
    List<DepartmentQuery> queries = records.queries().stream().filter(q -> q.department().equals(department)).toList();
    String service = DepartmentQuery.pascalCase(department);
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter w = OUT.createXMLStreamWriter(out);
      w.writeStartDocument("UTF-8", "1.0");
      w.writeStartElement("wsdl", "definitions", WSDL);
      w.writeNamespace("wsdl", WSDL);
      w.writeNamespace("soap", version.wsdlBindingNamespace);
      w.writeNamespace("xs", XS);
      w.writeNamespace("tns", SoapVersion.namespace(department));
      w.writeAttribute("name", service);
      w.writeAttribute("targetNamespace", SoapVersion.namespace(department));

      w.writeStartElement("wsdl", "types", WSDL);
      w.writeStartElement("xs", "schema", XS);
      w.writeAttribute("targetNamespace", SoapVersion.namespace(department));
      w.writeAttribute("elementFormDefault", "qualified");
      for (DepartmentQuery q : queries) {
        w.writeStartElement("xs", "element", XS);
        w.writeAttribute("name", q.operation());
        w.writeStartElement("xs", "complexType", XS);
        w.writeStartElement("xs", "sequence", XS);
        for (String parameter : q.parameters()) {
          leaf(w, parameter, "xs:string", false);
        }
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndElement();
        w.writeStartElement("xs", "element", XS);
        w.writeAttribute("name", q.operation() + "Response");
        complexType(w, sample(records, q));
        w.writeEndElement();
      }
      w.writeEndElement();
      w.writeEndElement();

      for (DepartmentQuery q : queries) {
        message(w, q.operation() + "Request", q.operation());
        message(w, q.operation() + "Response", q.operation() + "Response");
      }

      w.writeStartElement("wsdl", "portType", WSDL);
      w.writeAttribute("name", service + "PortType");
      for (DepartmentQuery q : queries) {
        w.writeStartElement("wsdl", "operation", WSDL);
        w.writeAttribute("name", q.operation());
        w.writeEmptyElement("wsdl", "input", WSDL);
        w.writeAttribute("message", "tns:" + q.operation() + "Request");
        w.writeEmptyElement("wsdl", "output", WSDL);
        w.writeAttribute("message", "tns:" + q.operation() + "Response");
        w.writeEndElement();
      }
      w.writeEndElement();

      w.writeStartElement("wsdl", "binding", WSDL);
      w.writeAttribute("name", service + "Binding");
      w.writeAttribute("type", "tns:" + service + "PortType");
      w.writeEmptyElement("soap", "binding", version.wsdlBindingNamespace);
      w.writeAttribute("style", "document");
      w.writeAttribute("transport", HTTP_TRANSPORT);
      for (DepartmentQuery q : queries) {
        w.writeStartElement("wsdl", "operation", WSDL);
        w.writeAttribute("name", q.operation());
        w.writeEmptyElement("soap", "operation", version.wsdlBindingNamespace);
        w.writeAttribute("soapAction", SoapVersion.action(department, q.operation()));
        w.writeAttribute("style", "document");
        for (String direction : List.of("input", "output")) {
          w.writeStartElement("wsdl", direction, WSDL);
          w.writeEmptyElement("soap", "body", version.wsdlBindingNamespace);
          w.writeAttribute("use", "literal");
          w.writeEndElement();
        }
        w.writeEndElement();
      }
      w.writeEndElement();

      w.writeStartElement("wsdl", "service", WSDL);
      w.writeAttribute("name", service + "Service");
      w.writeStartElement("wsdl", "port", WSDL);
      w.writeAttribute("name", service + "Port");
      w.writeAttribute("binding", "tns:" + service + "Binding");
      w.writeEmptyElement("soap", "address", version.wsdlBindingNamespace);
      w.writeAttribute("location", address);
      w.writeEndElement();
      w.writeEndElement();

      w.writeEndElement();
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write a WSDL", e);
    }
    return out.toString();
  }

  private static void message(XMLStreamWriter w, String name, String element) throws XMLStreamException {
    w.writeStartElement("wsdl", "message", WSDL);
    w.writeAttribute("name", name);
    w.writeEmptyElement("wsdl", "part", WSDL);
    w.writeAttribute("name", "parameters");
    w.writeAttribute("element", "tns:" + element);
    w.writeEndElement();
  }

  /**
   * A real answer to describe: the first person's whose every list has an item, else the first answer found; the
   * name matches so a verification's answer has its usual shape.
   */
  private static JsonObject sample(DepartmentRecords records, DepartmentQuery query) {
    JsonObject fallback = null;
    Population population = records.population();
    for (int i = 0; i < Math.min(population.size(), SAMPLE_SEARCH); i++) {
      Person p = population.person(i);
      Optional<JsonObject> answer = records.answer(query, p, Map.of("idNumber", p.idNumber(), "name", p.name()));
      if (answer.isPresent()) {
        if (!hasEmptyList(answer.get())) {
          return answer.get();
        }
        fallback = fallback == null ? answer.get() : fallback;
      }
    }
    return fallback == null ? new JsonObject() : fallback;
  }

  private static boolean hasEmptyList(JsonObject object) {
    return object.stream().anyMatch(e -> e.getValue() instanceof JsonArray a && a.isEmpty());
  }

  private static void complexType(XMLStreamWriter w, JsonObject fields) throws XMLStreamException {
    w.writeStartElement("xs", "complexType", XS);
    w.writeStartElement("xs", "sequence", XS);
    for (Map.Entry<String, Object> field : fields) {
      describe(w, field.getKey(), field.getValue(), false);
    }
    w.writeEndElement();
    w.writeEndElement();
  }

  private static void describe(XMLStreamWriter w, String name, Object value, boolean repeated) throws XMLStreamException {
    if (value instanceof JsonArray list) {
      if (list.isEmpty()) {
        leaf(w, name, "xs:anyType", true);
      } else {
        describe(w, name, list.getValue(0), true);
      }
    } else if (value instanceof JsonObject object) {
      w.writeStartElement("xs", "element", XS);
      w.writeAttribute("name", name);
      if (repeated) {
        w.writeAttribute("minOccurs", "0");
        w.writeAttribute("maxOccurs", "unbounded");
      }
      complexType(w, object);
      w.writeEndElement();
    } else {
      leaf(w, name, xsType(value), repeated);
    }
  }

  private static void leaf(XMLStreamWriter w, String name, String type, boolean repeated) throws XMLStreamException {
    w.writeEmptyElement("xs", "element", XS);
    w.writeAttribute("name", name);
    w.writeAttribute("type", type);
    if (repeated) {
      w.writeAttribute("minOccurs", "0");
      w.writeAttribute("maxOccurs", "unbounded");
    }
  }

  private static String xsType(Object value) {
    if (value instanceof Boolean) {
      return "xs:boolean";
    } else if (value instanceof Integer || value instanceof Long) {
      return "xs:long";
    } else if (value instanceof BigDecimal || value instanceof Double) {
      return "xs:decimal";
    }
    return "xs:string";
  }
}
