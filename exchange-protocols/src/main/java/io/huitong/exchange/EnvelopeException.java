package io.huitong.exchange;

/**
 * An envelope that cannot be read or built: a field missing, of the wrong form or out of bounds. The message names
 * the field. A receiver answers it with the business receipt code {@code SCHEMA_INVALID}.
 */
public class EnvelopeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EnvelopeException(String message) {
    super(message);
  }
}
