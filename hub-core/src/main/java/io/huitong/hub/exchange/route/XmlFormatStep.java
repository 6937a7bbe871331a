package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.config.Definitions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** {@code {"format": "xml", "root": "NAME"}}: a JSON object as an XML document, for departments that take XML. */
final class XmlFormatStep extends TransformStep {
  static final String DEFAULT_ROOT = "record";
  static final String NIL = "nil";
  /** Nesting beyond this is a payload built to exhaust the stack, not a record. */
  static final int MAX_DEPTH = 256;
  // The JDK's own writer, whatever else is on the classpath: its escaping is what the tests pin down. It makes a new
  // writer per call, so one factory serves every thread.
  private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newDefaultFactory();

  private final String root;

  XmlFormatStep(String root) {
    this.root = root;
  }

  static String parseRoot(Object value, String path) {
    String root = Definitions.string(value, path);
    if (root.length() > 128 || !isXmlName(root)) {
      throw new DefinitionException(path, "'" + Definitions.shorten(root) + "' is not a valid XML element name");
    }
    return root;
  }

  @Override
  Payload applyTo(Payload payload) {
    JsonObject object = payload.requireJson("format: xml");
    // Writing chars and encoding once at the end is about three times faster than the JDK writer's own encoding.
    StringWriter out = new StringWriter(256);
    try {
      XMLStreamWriter writer = OUTPUT.createXMLStreamWriter(out);
      writer.writeStartElement(root);
      writeFields(writer, object.getMap(), "", 1);
      writer.writeEndElement();
      writer.close();
    } catch (XMLStreamException e) {
      throw new TransformException("format: xml failed: " + e.getMessage());
    }
    // Lone surrogates were refused above, so nothing is lost in the encoding.
    return Payload.of(out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void writeFields(XMLStreamWriter writer, Map<String, Object> fields, String parent, int depth)
      throws XMLStreamException {
    if (depth > MAX_DEPTH) {
      throw new TransformException("format: xml: the payload nests more than " + MAX_DEPTH + " levels deep");
    }
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      String path = parent.isEmpty() ? field.getKey() : parent + "." + field.getKey();
      if (!isXmlName(field.getKey())) {
        throw new TransformException("format: xml: field '" + Definitions.shorten(path) + "' is not a valid XML element name");
      }
      Object value = field.getValue();
      List<?> items = value instanceof JsonArray a ? a.getList() : value instanceof List<?> l ? l : null;
      if (items == null) {
        writeElement(writer, field.getKey(), value, path, depth);
        continue;
      }
      for (Object item : items) {
        if (item instanceof JsonArray || item instanceof List) {
          throw new TransformException("format: xml: field '" + Definitions.shorten(path)
              + "' holds an array of arrays, which XML elements cannot express");
        }
        writeElement(writer, field.getKey(), item, path, depth);
      }
    }
  }

  private static void writeElement(XMLStreamWriter writer, String name, Object value, String path, int depth)
      throws XMLStreamException {
    if (value == null) {
      writer.writeEmptyElement(name);
      writer.writeAttribute(NIL, "true");
      return;
    }
    writer.writeStartElement(name);
    if (value instanceof JsonObject o) {
      writeFields(writer, o.getMap(), path, depth + 1);
    } else if (value instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) m;
      writeFields(writer, fields, path, depth + 1);
    } else {
      writeText(writer, String.valueOf(value), path);
    }
    writer.writeEndElement();
  }

  private static void writeText(XMLStreamWriter writer, String text, String path) throws XMLStreamException {
    int start = 0;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (!isXmlChar(c)) {
        throw new TransformException("format: xml: field '" + Definitions.shorten(path) + "' holds the character U+"
            + String.format("%04X", c) + ", which XML 1.0 cannot carry");
      }
      if (c == '\r') {
        // A parser turns a literal CR into LF; as a character reference it survives the round trip.
        writer.writeCharacters(text.substring(start, i));
        writer.writeEntityRef("#13");
        start = i + 1;
      }
      i += Character.charCount(c);
    }
    writer.writeCharacters(text.substring(start));
  }

  private static boolean isXmlChar(int c) {
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);
  }

  /**
   * An XML 1.0 name without a colon, since the writer binds no namespaces and a prefix would dangle. Field names are
   * ASCII here, but the root may be any name XML allows.
   */
  static boolean isXmlName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      if (i == 0 ? !isNameStart(c) : !isNameStart(c) && !isNameChar(c)) {
        return false;
      }
      i += Character.charCount(c);
    }
    return true;
  }

  private static boolean isNameStart(int c) {
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0xD6)
        || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D)
        || (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F)
        || (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF)
        || (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
  }

  private static boolean isNameChar(int c) {
    return c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7 || (c >= 0x300 && c <= 0x36F)
        || (c >= 0x203F && c <= 0x2040);
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("format", "xml");
    return root.equals(DEFAULT_ROOT) ? json : json.put("root", root);
  }
}
