package io.huitong.connectors.soap;

import io.huitong.connector.ConnectorException;
import io.huitong.connector.ConnectorException.Failure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamReader;

/** The XML↔JSON mapping of document/literal SOAP messages (报文). */
final class SoapEnvelope {
  private static final Pattern ELEMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9._-]*");

  private SoapEnvelope() {
  }

  static boolean isElementName(String name) {
    return ELEMENT_NAME.matcher(name).matches();
  }

  /**
   * The request: an element named after the operation in the target namespace whose children are the input's
   * fields; a nested object is a nested element, an array repeats its element, a null is left out.
   */
  static String request(SoapVersion version, String namespace, String operation, JsonObject input) {
    StringBuilder xml = new StringBuilder(256)
        .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope xmlns:soap=\"")
        .append(version.envelopeNamespace()).append("\"><soap:Body><").append(operation).append(" xmlns=\"");
    escape(namespace, xml);
    xml.append("\">");
    children(input, xml);
    return xml.append("</").append(operation).append("></soap:Body></soap:Envelope>").toString();
  }

  private static void children(JsonObject object, StringBuilder xml) {
    for (Map.Entry<String, Object> field : object) {
      if (!isElementName(field.getKey())) {
        throw new ConnectorException(Failure.BAD_REQUEST, "field '" + field.getKey() + "' is not an XML element name");
      }
      if (field.getValue() instanceof JsonArray array) {
        for (Object item : array) {
          if (item instanceof JsonArray) {
            throw new ConnectorException(Failure.BAD_REQUEST, "field '" + field.getKey() + "' holds an array of arrays");
          }
          element(field.getKey(), item, xml);
        }
      } else {
        element(field.getKey(), field.getValue(), xml);
      }
    }
  }

  private static void element(String name, Object value, StringBuilder xml) {
    if (value == null) {
      return;
    }
    xml.append('<').append(name).append('>');
    if (value instanceof JsonObject object) {
      children(object, xml);
    } else {
      escape(value.toString(), xml);
    }
    xml.append("</").append(name).append('>');
  }

  /** Text as XML character data; a character XML 1.0 cannot hold is refused rather than dropped. */
  private static void escape(String text, StringBuilder xml) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> xml.append("&amp;");
        case '<' -> xml.append("&lt;");
        case '>' -> xml.append("&gt;");
        case '"' -> xml.append("&quot;");
        case '\r' -> xml.append("&#13;");
        default -> {
          if (c < 0x20 && c != '\t' && c != '\n' || c == 0xFFFE || c == 0xFFFF) {
            throw new ConnectorException(Failure.BAD_REQUEST, "a field holds a character XML cannot carry");
          }
          xml.append(c);
        }
      }
    }
  }

  /**
   * The answer: the first element of the body as a JSON object (see {@link SafeXml#element}); an element holding only
   * text becomes {@code {"value": text}}.
   *
   * @throws ConnectorException for a SOAP fault (see {@link #fault}) or BAD_RESPONSE for anything but an envelope
   */
  static JsonObject response(byte[] body, SoapVersion version, Set<String> lists) {
    XMLStreamReader reader = SafeXml.reader(body);
    if (!SafeXml.nextElement(reader) || !reader.getLocalName().equals("Envelope")
        || !version.envelopeNamespace().equals(reader.getNamespaceURI())) {
      throw new ConnectorException(Failure.BAD_RESPONSE, "the answer is not a " + version + " envelope");
    }
    while (SafeXml.nextElement(reader)) {
      if (reader.getLocalName().equals("Body") && version.envelopeNamespace().equals(reader.getNamespaceURI())) {
        if (!SafeXml.nextElement(reader)) {
          break;
        }
        boolean isFault = reader.getLocalName().equals("Fault")
            && version.envelopeNamespace().equals(reader.getNamespaceURI());
        Object content = SafeXml.element(reader, isFault ? Set.of() : lists);
        if (isFault) {
          throw fault(version, content instanceof JsonObject f ? f : new JsonObject());
        }
        return content instanceof JsonObject object ? object
            : content == null ? new JsonObject() : new JsonObject().put("value", content);
      }
    }
    throw new ConnectorException(Failure.BAD_RESPONSE, "the envelope has no body element");
  }

  /**
   * A fault as a failure: a Client (1.1) or Sender (1.2) fault is REJECTED, or NOT_FOUND when its reason says "not
   * found"; a Server or Receiver fault is UNAVAILABLE; any other code is REJECTED. The reason is not repeated in the
   * message: a department may echo personal data in it.
   */
  static ConnectorException fault(SoapVersion version, JsonObject fault) {
    String code;
    String reason;
    if (version == SoapVersion.V1_1) {
      code = fault.getString("faultcode", "");
      reason = fault.getString("faultstring", "");
    } else {
      JsonObject codeElement = fault.getValue("Code") instanceof JsonObject c ? c : new JsonObject();
      code = codeElement.getValue("Value") instanceof String v ? v : "";
      JsonObject reasonElement = fault.getValue("Reason") instanceof JsonObject r ? r : new JsonObject();
      Object text = reasonElement.getValue("Text");
      reason = text instanceof JsonArray texts ? texts.encode() : String.valueOf(text);
    }
    String local = code.substring(code.indexOf(':') + 1);
    Failure failure;
    if (local.startsWith("Client") || local.startsWith("Sender")) {
      failure = reason.toLowerCase(Locale.ROOT).contains("not found") ? Failure.NOT_FOUND : Failure.REJECTED;
    } else if (local.startsWith("Server") || local.startsWith("Receiver")) {
      failure = Failure.UNAVAILABLE;
    } else {
      failure = Failure.REJECTED;
    }
    return new ConnectorException(failure, "the department answered with a " + version + " fault " + local);
  }
}
