package io.huitong.exchange;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The JSON encoding of an envelope: one object, fields in a fixed order, binary values in base64 (digests in hex).
 * Reading is strict: an unknown field, a missing one or a value of the wrong kind is an {@link EnvelopeException}
 * naming it. {@code read(write(e))} equals {@code e}, signature included. Thread-safe.
 */
public final class EnvelopeJson {
  private static final JsonFactory JSON = new JsonFactory();

  private EnvelopeJson() {
  }

  public static byte[] write(ExchangeEnvelope e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      Base64.Encoder b64 = Base64.getEncoder();
      g.writeStartObject();
      e.writeHeader(g);
      g.writeArrayFieldStart("records");
      for (ExchangeRecord r : e.records()) {
        g.writeStartObject();
        ExchangeEnvelope.writeRecordFields(g, r);
        g.writeStringField("payload", b64.encodeToString(r.payload()));
        g.writeEndObject();
      }
      g.writeEndArray();
      if (e.signature() == null) {
        g.writeNullField("signature");
      } else {
        g.writeObjectFieldStart("signature");
        g.writeStringField("alg", ExchangeEnvelope.Signature.ALGORITHM);
        g.writeStringField("keyRef", e.signature().keyRef());
        g.writeStringField("value", b64.encodeToString(e.signature().value()));
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
    return out.toByteArray();
  }

  /** Reads one envelope; the caller bounds the input's size. */
  public static ExchangeEnvelope read(byte[] json) {
    try (JsonParser p = JSON.createParser(json)) {
      expect(p.nextToken(), JsonToken.START_OBJECT, "envelope");
      Fields f = new Fields("envelope");
      List<ExchangeRecord> records = null;
      ExchangeEnvelope.Encryption encryption = null;
      ExchangeEnvelope.Signature signature = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "records" -> records = records(p, value);
          case "encryption" -> encryption = value == JsonToken.VALUE_NULL ? null : encryption(p, value);
          case "signature" -> signature = value == JsonToken.VALUE_NULL ? null : signature(p, value);
          case "format", "messageId", "correlationId", "type", "schema", "schemaVersion", "sender", "receiver", "createdAt",
               "expiresAt", "traceparent" -> f.put(name, p, value);
          default -> throw new EnvelopeException("unknown envelope field '" + name + "'");
        }
      }
      if (p.nextToken() != null) {
        throw new EnvelopeException("trailing content after the envelope");
      }
      if (f.number("format") != ExchangeEnvelope.FORMAT) {
        throw new EnvelopeException("envelope format " + f.number("format") + " is not " + ExchangeEnvelope.FORMAT);
      }
      return new ExchangeEnvelope(f.uuid("messageId"), f.optionalUuid("correlationId"), f.string("type"),
          f.string("schema"), f.string("schemaVersion"), f.string("sender"), f.string("receiver"),
          f.instant("createdAt"), f.optionalInstant("expiresAt"), f.optional("traceparent"), encryption, records, signature);
    } catch (IOException x) {
      // Reading a byte array does no I/O: every IOException here (a syntax error, an undecodable character) is
      // malformed input.
      throw new EnvelopeException("not a JSON envelope: " + x.getMessage());
    }
  }

  private static List<ExchangeRecord> records(JsonParser p, JsonToken token) throws IOException {
    expect(token, JsonToken.START_ARRAY, "records");
    List<ExchangeRecord> records = new ArrayList<>();
    while (p.nextToken() == JsonToken.START_OBJECT) {
      if (records.size() == ExchangeEnvelope.MAX_RECORDS) {
        throw new EnvelopeException("an envelope carries at most " + ExchangeEnvelope.MAX_RECORDS + " records");
      }
      Fields f = fields(p, "record", "issue", "sequence", "dataVersion", "operation", "digest", "nonce", "payload");
      records.add(new ExchangeRecord(f.string("issue"), f.number("sequence"), f.number("dataVersion"),
          Operation.ofCode(f.string("operation")), f.hex("digest"), f.optionalBase64("nonce"), f.base64("payload")));
    }
    return records;
  }

  private static ExchangeEnvelope.Encryption encryption(JsonParser p, JsonToken token) throws IOException {
    expect(token, JsonToken.START_OBJECT, "encryption");
    Fields f = fields(p, "encryption", "alg", "keyRef", "wrappedKey");
    f.require("alg", ExchangeEnvelope.Encryption.ALGORITHM);
    return new ExchangeEnvelope.Encryption(f.string("keyRef"), f.base64("wrappedKey"));
  }

  private static ExchangeEnvelope.Signature signature(JsonParser p, JsonToken token) throws IOException {
    expect(token, JsonToken.START_OBJECT, "signature");
    Fields f = fields(p, "signature", "alg", "keyRef", "value");
    f.require("alg", ExchangeEnvelope.Signature.ALGORITHM);
    return new ExchangeEnvelope.Signature(f.string("keyRef"), f.base64("value"));
  }

  /** Reads the scalar fields of the object the parser is in, refusing any name not in {@code allowed}. */
  private static Fields fields(JsonParser p, String what, String... allowed) throws IOException {
    Fields f = new Fields(what);
    List<String> names = List.of(allowed);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (!names.contains(name)) {
        throw new EnvelopeException("unknown " + what + " field '" + name + "'");
      }
      f.put(name, p, p.nextToken());
    }
    return f;
  }

  private static void expect(JsonToken actual, JsonToken wanted, String what) {
    if (actual != wanted) {
      throw new EnvelopeException(what + " must be a JSON " + (wanted == JsonToken.START_ARRAY ? "array" : "object"));
    }
  }

  /** Scalar values by field name, with typed accessors that name the field when it is missing or malformed. */
  private static final class Fields {
    private final String what;
    private final java.util.Map<String, Object> values = new java.util.HashMap<>();

    Fields(String what) {
      this.what = what;
    }

    void put(String name, JsonParser p, JsonToken token) throws IOException {
      if (values.containsKey(name)) {
        throw new EnvelopeException(what + " field '" + name + "' appears twice");
      }
      values.put(name, switch (token) {
        case VALUE_NULL -> null;
        case VALUE_STRING -> p.getText();
        case VALUE_NUMBER_INT -> p.getLongValue();
        default -> throw new EnvelopeException(what + " field '" + name + "' must be a string or a whole number");
      });
    }

    String optional(String name) {
      Object v = values.get(name);
      if (v != null && !(v instanceof String)) {
        throw new EnvelopeException(what + " field '" + name + "' must be a string");
      }
      return (String) v;
    }

    String string(String name) {
      String s = optional(name);
      if (s == null) {
        throw new EnvelopeException(what + " field '" + name + "' is required");
      }
      return s;
    }

    long number(String name) {
      if (!(values.get(name) instanceof Long n)) {
        throw new EnvelopeException(what + " field '" + name + "' must be a whole number");
      }
      return n;
    }

    void require(String name, String expected) {
      if (!expected.equals(string(name))) {
        throw new EnvelopeException(what + " field '" + name + "' must be " + expected);
      }
    }

    UUID uuid(String name) {
      return parse(name, string(name), UUID::fromString);
    }

    UUID optionalUuid(String name) {
      String s = optional(name);
      return s == null ? null : parse(name, s, UUID::fromString);
    }

    Instant instant(String name) {
      return parse(name, string(name), Instant::parse);
    }

    Instant optionalInstant(String name) {
      String s = optional(name);
      return s == null ? null : parse(name, s, Instant::parse);
    }

    byte[] base64(String name) {
      return parse(name, string(name), Base64.getDecoder()::decode);
    }

    byte[] optionalBase64(String name) {
      String s = optional(name);
      return s == null ? null : parse(name, s, Base64.getDecoder()::decode);
    }

    byte[] hex(String name) {
      return parse(name, string(name), HexFormat.of()::parseHex);
    }

    private <T> T parse(String name, String text, java.util.function.Function<String, T> parser) {
      try {
        return parser.apply(text);
      } catch (RuntimeException e) {
        throw new EnvelopeException(what + " field '" + name + "' is malformed: '" + text + "'");
      }
    }
  }
}
