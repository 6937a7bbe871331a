package io.huitong.exchange;

import io.huitong.xml.HardenedXml;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * The XML encoding of an envelope, for department systems that speak XML:
 *
 * <pre>
 * &lt;envelope xmlns="urn:huitong:exchange:1" format="1"&gt;
 *   &lt;messageId/&gt; &lt;correlationId/&gt;? &lt;type/&gt; &lt;schema/&gt; &lt;schemaVersion/&gt; &lt;sender/&gt; &lt;receiver/&gt;
 *   &lt;createdAt/&gt; &lt;expiresAt/&gt;? &lt;traceparent/&gt;? &lt;encryption alg keyRef&gt;wrapped key&lt;/encryption&gt;?
 *   &lt;records&gt;&lt;record issue sequence dataVersion operation digest nonce?&gt;payload&lt;/record&gt;...&lt;/records&gt;
 *   &lt;signature alg keyRef&gt;value&lt;/signature&gt;?
 * &lt;/envelope&gt;
 * </pre>
 *
 * Binary values are base64, digests hex. Reading is strict (unknown elements and attributes are refused) and safe:
 * no DTD, no external entity is ever resolved. {@code read(write(e))} equals {@code e}. Thread-safe.
 */
public final class EnvelopeXml {
  public static final String NAMESPACE = "urn:huitong:exchange:1";
  private static final XMLOutputFactory OUT = XMLOutputFactory.newFactory();
  private static final XMLInputFactory IN = secureInputFactory();
  private static final Set<String> HEADER = Set.of("messageId", "correlationId", "type", "schema", "schemaVersion",
      "sender", "receiver", "createdAt", "expiresAt", "traceparent");

  private EnvelopeXml() {
  }

  public static byte[] write(ExchangeEnvelope e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try {
      XMLStreamWriter w = OUT.createXMLStreamWriter(out, "UTF-8");
      Base64.Encoder b64 = Base64.getEncoder();
      w.writeStartDocument("UTF-8", "1.0");
      w.writeStartElement("envelope");
      w.writeDefaultNamespace(NAMESPACE);
      w.writeAttribute("format", Integer.toString(ExchangeEnvelope.FORMAT));
      element(w, "messageId", e.messageId().toString());
      element(w, "correlationId", e.correlationId() == null ? null : e.correlationId().toString());
      element(w, "type", e.type());
      element(w, "schema", e.schema());
      element(w, "schemaVersion", e.schemaVersion());
      element(w, "sender", e.sender());
      element(w, "receiver", e.receiver());
      element(w, "createdAt", e.createdAt().toString());
      element(w, "expiresAt", e.expiresAt() == null ? null : e.expiresAt().toString());
      element(w, "traceparent", e.traceparent());
      if (e.encryption() != null) {
        w.writeStartElement("encryption");
        w.writeAttribute("alg", ExchangeEnvelope.Encryption.ALGORITHM);
        w.writeAttribute("keyRef", e.encryption().keyRef());
        w.writeCharacters(b64.encodeToString(e.encryption().wrappedKey()));
        w.writeEndElement();
      }
      w.writeStartElement("records");
      for (ExchangeRecord r : e.records()) {
        w.writeStartElement("record");
        w.writeAttribute("issue", r.issue());
        w.writeAttribute("sequence", Long.toString(r.sequence()));
        w.writeAttribute("dataVersion", Long.toString(r.dataVersion()));
        w.writeAttribute("operation", r.operation().code());
        w.writeAttribute("digest", r.digestHex());
        if (r.nonce() != null) {
          w.writeAttribute("nonce", b64.encodeToString(r.nonce()));
        }
        w.writeCharacters(b64.encodeToString(r.payload()));
        w.writeEndElement();
      }
      w.writeEndElement();
      if (e.signature() != null) {
        w.writeStartElement("signature");
        w.writeAttribute("alg", ExchangeEnvelope.Signature.ALGORITHM);
        w.writeAttribute("keyRef", e.signature().keyRef());
        w.writeCharacters(b64.encodeToString(e.signature().value()));
        w.writeEndElement();
      }
      w.writeEndElement();
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException x) {
      throw new IllegalStateException("writing an envelope as XML failed", x);
    }
    return out.toByteArray();
  }

  /** Reads one envelope; the caller bounds the input's size. */
  public static ExchangeEnvelope read(byte[] xml) {
    try {
      XMLStreamReader r = IN.createXMLStreamReader(new ByteArrayInputStream(xml));
      r.nextTag();
      requireElement(r, "envelope");
      Map<String, String> envelopeAttributes = attributes(r, "envelope", Set.of("format"));
      if (!Integer.toString(ExchangeEnvelope.FORMAT).equals(envelopeAttributes.get("format"))) {
        throw new EnvelopeException("envelope format must be " + ExchangeEnvelope.FORMAT);
      }
      Map<String, String> header = new HashMap<>();
      List<ExchangeRecord> records = null;
      ExchangeEnvelope.Encryption encryption = null;
      ExchangeEnvelope.Signature signature = null;
      while (r.nextTag() == XMLStreamConstants.START_ELEMENT) {
        String name = r.getLocalName();
        requireNamespace(r);
        if (HEADER.contains(name)) {
          attributes(r, name, Set.of());
          if (header.put(name, r.getElementText()) != null) {
            throw new EnvelopeException("envelope element <" + name + "> appears twice");
          }
        } else if (name.equals("encryption") && encryption == null) {
          Map<String, String> a = attributes(r, name, Set.of("alg", "keyRef"));
          requireValue(a, "alg", ExchangeEnvelope.Encryption.ALGORITHM, name);
          encryption = new ExchangeEnvelope.Encryption(a.get("keyRef"), decode(r.getElementText(), "encryption", Base64.getDecoder()::decode));
        } else if (name.equals("signature") && signature == null) {
          Map<String, String> a = attributes(r, name, Set.of("alg", "keyRef"));
          requireValue(a, "alg", ExchangeEnvelope.Signature.ALGORITHM, name);
          signature = new ExchangeEnvelope.Signature(a.get("keyRef"), decode(r.getElementText(), "signature", Base64.getDecoder()::decode));
        } else if (name.equals("records") && records == null) {
          attributes(r, name, Set.of());
          records = records(r);
        } else {
          throw new EnvelopeException("unexpected envelope element <" + name + ">");
        }
      }
      return new ExchangeEnvelope(decode(required(header, "messageId"), "messageId", UUID::fromString),
          header.get("correlationId") == null ? null : decode(header.get("correlationId"), "correlationId", UUID::fromString),
          required(header, "type"), required(header, "schema"), required(header, "schemaVersion"),
          required(header, "sender"), required(header, "receiver"),
          decode(required(header, "createdAt"), "createdAt", Instant::parse),
          header.get("expiresAt") == null ? null : decode(header.get("expiresAt"), "expiresAt", Instant::parse),
          header.get("traceparent"), encryption, records, signature);
    } catch (XMLStreamException x) {
      throw new EnvelopeException("not an XML envelope: " + x.getMessage());
    }
  }

  private static List<ExchangeRecord> records(XMLStreamReader r) throws XMLStreamException {
    List<ExchangeRecord> records = new ArrayList<>();
    Set<String> allowed = Set.of("issue", "sequence", "dataVersion", "operation", "digest", "nonce");
    while (r.nextTag() == XMLStreamConstants.START_ELEMENT) {
      requireElement(r, "record");
      if (records.size() == ExchangeEnvelope.MAX_RECORDS) {
        throw new EnvelopeException("an envelope carries at most " + ExchangeEnvelope.MAX_RECORDS + " records");
      }
      Map<String, String> a = attributes(r, "record", allowed);
      records.add(new ExchangeRecord(required(a, "issue"), decode(required(a, "sequence"), "sequence", Long::parseLong),
          decode(required(a, "dataVersion"), "dataVersion", Long::parseLong), Operation.ofCode(required(a, "operation")),
          decode(required(a, "digest"), "digest", HexFormat.of()::parseHex),
          a.get("nonce") == null ? null : decode(a.get("nonce"), "nonce", Base64.getDecoder()::decode),
          decode(r.getElementText(), "payload", Base64.getDecoder()::decode)));
    }
    return records;
  }

  private static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
    if (text != null) {
      w.writeStartElement(name);
      w.writeCharacters(text);
      w.writeEndElement();
    }
  }

  private static Map<String, String> attributes(XMLStreamReader r, String element, Set<String> allowed) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < r.getAttributeCount(); i++) {
      String name = r.getAttributeLocalName(i);
      if (!allowed.contains(name) || !(r.getAttributeNamespace(i) == null || r.getAttributeNamespace(i).isEmpty())) {
        throw new EnvelopeException("unexpected attribute '" + name + "' on <" + element + ">");
      }
      out.put(name, r.getAttributeValue(i));
    }
    return out;
  }

  private static void requireElement(XMLStreamReader r, String name) {
    if (!name.equals(r.getLocalName())) {
      throw new EnvelopeException("expected <" + name + ">, got <" + r.getLocalName() + ">");
    }
    requireNamespace(r);
  }

  private static void requireNamespace(XMLStreamReader r) {
    if (!NAMESPACE.equals(r.getNamespaceURI())) {
      throw new EnvelopeException("<" + r.getLocalName() + "> must be in namespace " + NAMESPACE);
    }
  }

  private static void requireValue(Map<String, String> attributes, String name, String expected, String element) {
    if (!expected.equals(attributes.get(name))) {
      throw new EnvelopeException("<" + element + "> attribute '" + name + "' must be " + expected);
    }
  }

  private static String required(Map<String, String> values, String name) {
    String v = values.get(name);
    if (v == null) {
      throw new EnvelopeException("'" + name + "' is required");
    }
    return v;
  }

  private static <T> T decode(String text, String name, Function<String, T> parser) {
    try {
      return parser.apply(text.trim());
    } catch (RuntimeException e) {
      throw new EnvelopeException("'" + name + "' is malformed");
    }
  }

  private static XMLInputFactory secureInputFactory() {
    return HardenedXml.inputFactory();
  }
}
