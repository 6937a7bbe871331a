package io.huitong.connectors.sql;

import io.vertx.core.buffer.Buffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

/**
 * A type a parameter is converted to before it is bound, declared per operation in {@code types}. JSON has no dates
 * or bytes, and the PostgreSQL driver will not bind text to a DATE column, so such parameters arrive as text and are
 * converted here.
 */
enum ParameterType {
  DATE(LocalDate::parse),
  TIME(LocalTime::parse),
  TIMESTAMP(LocalDateTime::parse),
  TIMESTAMPTZ(OffsetDateTime::parse),
  UUID(java.util.UUID::fromString),
  BYTES(text -> Buffer.buffer(Base64.getDecoder().decode(text)));

  private final Function<String, Object> parse;

  ParameterType(Function<String, Object> parse) {
    this.parse = parse;
  }

  static ParameterType named(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** The value for the driver; throws an unchecked exception for text that is not of this type. */
  Object convert(String text) {
    return parse.apply(text);
  }
}
