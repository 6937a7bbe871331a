package io.huitong.exchange;

import java.util.Arrays;

/** What a record does to its subject at the receiver, with the one-letter code exchange tables use (CD_OPERATION). */
public enum Operation {
  INSERT("I"), UPDATE("U"), DELETE("D");

  private final String code;

  Operation(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** The operation for {@code code}; MALFORMED for any other. */
  public static Operation ofCode(String code) {
    return Arrays.stream(values()).filter(o -> o.code.equals(code)).findFirst()
        .orElseThrow(() -> new EnvelopeException("operation must be I, U or D, got '" + code + "'"));
  }
}
