package io.huitong.kiosk;

/** A frame the protocol refuses; {@link #code()} is stable and is sent back to the device in an error message. */
public final class KioskProtocolException extends RuntimeException {
  public static final String MALFORMED = "HT-KIOSK-MALFORMED";
  public static final String UNKNOWN_TYPE = "HT-KIOSK-UNKNOWN-TYPE";
  public static final String INVALID = "HT-KIOSK-INVALID";

  private final String code;

  public KioskProtocolException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
