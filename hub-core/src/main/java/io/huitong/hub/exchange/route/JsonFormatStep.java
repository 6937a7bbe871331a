package io.huitong.hub.exchange.route;

import io.huitong.hub.config.Definitions;
import io.huitong.xml.HardenedXml;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** {@code {"format": "json"}}: an XML document, as {@link XmlFormatStep} writes them, back to a JSON object. */
final class JsonFormatStep extends TransformStep {
  private static final XMLInputFactory INPUT = inputFactory();

  private static XMLInputFactory inputFactory() {
    // Payloads come from other departments' systems.
    XMLInputFactory factory = HardenedXml.inputFactory();
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    return factory;
  }

  @Override
  Payload applyTo(Payload payload) {
    try {
      XMLStreamReader reader = INPUT.createXMLStreamReader(new ByteArrayInputStream(payload.bytes()));
      try {
        while (reader.next() != XMLStreamConstants.START_ELEMENT) {
          refuseDtd(reader);
        }
        String rootName = reader.getLocalName();
        Object root = readElement(reader, 1);
        if (root instanceof String text && !text.isBlank()) {
          throw new TransformException("format: json: the root element '" + Definitions.shorten(rootName)
              + "' holds text, not fields");
        }
        Map<String, Object> fields = root instanceof Map<?, ?> map ? cast(map) : new LinkedHashMap<>();
        while (reader.hasNext()) {
          refuseDtd(reader);
          reader.next();
        }
        return Payload.of(new JsonObject(fields));
      } finally {
        reader.close();
      }
    } catch (XMLStreamException e) {
      throw new TransformException("format: json: the payload is not well-formed XML: " + e.getMessage());
    }
  }

  /**
   * Reads the element the reader is at, up to its end tag: a map of its child elements, or else its text, or null
   * for {@code nil="true"}.
   */
  private static Object readElement(XMLStreamReader reader, int depth) throws XMLStreamException {
    if (depth > XmlFormatStep.MAX_DEPTH) {
      throw new TransformException("format: json: the document nests more than " + XmlFormatStep.MAX_DEPTH
          + " levels deep");
    }
    boolean nil = isNil(reader);
    String name = reader.getLocalName();
    Map<String, Object> children = null;
    StringBuilder text = new StringBuilder();
    while (true) {
      int event = reader.next();
      refuseDtd(reader);
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> {
          if (children == null) {
            children = new LinkedHashMap<>();
          }
          String child = reader.getLocalName();
          Object value = readElement(reader, depth + 1);
          addChild(children, child, value);
        }
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
            text.append(reader.getText());
        case XMLStreamConstants.END_ELEMENT -> {
          return result(name, nil, children, text);
        }
        default -> {
          // Comments and processing instructions carry no data.
        }
      }
    }
  }

  private static Object result(String name, boolean nil, Map<String, Object> children, StringBuilder text) {
    if (nil) {
      return null;
    }
    if (children == null) {
      return text.toString();
    }
    if (!text.toString().isBlank()) {
      // Mixed content has no JSON form that keeps both the text and the order of the elements.
      throw new TransformException("format: json: element '" + Definitions.shorten(name)
          + "' has both text and child elements");
    }
    return children;
  }

  /** A name seen again turns into an array of all its values, in document order. */
  private static void addChild(Map<String, Object> children, String name, Object value) {
    if (!children.containsKey(name)) {
      children.put(name, value);
      return;
    }
    // A single element's value is never a list, so a list here is one this method made.
    Object previous = children.get(name);
    if (previous instanceof List<?> list) {
      cast(list).add(value);
    } else {
      List<Object> list = new ArrayList<>();
      list.add(previous);
      list.add(value);
      children.put(name, list);
    }
  }

  private static boolean isNil(XMLStreamReader reader) {
    for (int i = 0; i < reader.getAttributeCount(); i++) {
      String namespace = reader.getAttributeNamespace(i);
      if (XmlFormatStep.NIL.equals(reader.getAttributeLocalName(i))
          && (namespace == null || namespace.isEmpty() || XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI.equals(namespace))) {
        return "true".equals(reader.getAttributeValue(i).trim());
      }
    }
    return false;
  }

  private static void refuseDtd(XMLStreamReader reader) {
    int event = reader.getEventType();
    if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE
        || event == XMLStreamConstants.ENTITY_DECLARATION) {
      throw new TransformException("format: json: the payload has a DTD or an entity reference, which are refused");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> cast(List<?> list) {
    return (List<Object>) list;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("format", "json");
  }
}
