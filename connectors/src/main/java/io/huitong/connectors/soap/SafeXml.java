package io.huitong.connectors.soap;

import io.huitong.connector.ConnectorException;
import io.huitong.connector.ConnectorException.Failure;
import io.huitong.xml.HardenedXml;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reading XML from a department, safely: no DTD is accepted, so no entity can pull in a local file or a URL (XXE)
 * or expand into gigabytes, and nesting is bounded. Also turns an element into JSON.
 */
final class SafeXml {
  private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
  private static final int MAX_DEPTH = 64;
  private static final XMLInputFactory FACTORY = factory();

  private SafeXml() {
  }

  private static XMLInputFactory factory() {
    XMLInputFactory f = HardenedXml.inputFactory();
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }

  /** A reader over the document; the factory is thread-safe once configured. */
  static XMLStreamReader reader(byte[] document) {
    try {
      return FACTORY.createXMLStreamReader(new ByteArrayInputStream(document));
    } catch (XMLStreamException e) {
      throw unreadable(e);
    }
  }

  /** The next event, refusing a document type declaration and anything that is not well-formed. */
  static int next(XMLStreamReader reader) {
    try {
      int event = reader.next();
      if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
        throw new ConnectorException(Failure.BAD_RESPONSE, "the XML declares a document type: refused");
      }
      return event;
    } catch (XMLStreamException e) {
      throw unreadable(e);
    }
  }

  /** Moves to the next start element at any depth; false at the end of the document. */
  static boolean nextElement(XMLStreamReader reader) {
    try {
      while (reader.hasNext()) {
        if (next(reader) == XMLStreamConstants.START_ELEMENT) {
          return true;
        }
      }
      return false;
    } catch (XMLStreamException e) {
      throw unreadable(e);
    }
  }

  /**
   * The element the reader is on, read to its end, as JSON: an element with child elements is an object keyed by
   * their local names (a name that repeats, or one in {@code lists}, holds an array), a leaf is its text, and
   * {@code xsi:nil="true"} is null. Attributes are not read.
   */
  static Object element(XMLStreamReader reader, Set<String> lists) {
    return element(reader, lists, 0);
  }

  private static Object element(XMLStreamReader reader, Set<String> lists, int depth) {
    if (depth > MAX_DEPTH) {
      throw new ConnectorException(Failure.BAD_RESPONSE, "the XML nests deeper than " + MAX_DEPTH + " elements");
    }
    boolean nil = "true".equals(reader.getAttributeValue(XSI, "nil"));
    JsonObject children = null;
    StringBuilder text = new StringBuilder();
    while (true) {
      int event = next(reader);
      if (event == XMLStreamConstants.START_ELEMENT) {
        String name = reader.getLocalName();
        Object value = element(reader, lists, depth + 1);
        children = children == null ? new JsonObject() : children;
        Object previous = children.getValue(name);
        if (previous instanceof JsonArray array) {
          array.add(value);
        } else if (children.containsKey(name)) {
          children.put(name, new JsonArray().add(previous).add(value));
        } else {
          children.put(name, lists.contains(name) ? new JsonArray().add(value) : value);
        }
      } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
          || event == XMLStreamConstants.SPACE) {
        text.append(reader.getText());
      } else if (event == XMLStreamConstants.END_ELEMENT) {
        return nil ? null : children != null ? children : text.toString();
      }
    }
  }

  private static ConnectorException unreadable(XMLStreamException e) {
    return new ConnectorException(Failure.BAD_RESPONSE, "the XML cannot be read: " + e.getMessage(), e);
  }
}
