package io.huitong.crypto.x509;

import java.util.Arrays;
import java.util.Locale;

/** Why a certificate was revoked: the CRLReason codes of RFC 5280 §5.3.1. */
public enum RevocationReason {
  UNSPECIFIED(0), KEY_COMPROMISE(1), CA_COMPROMISE(2), AFFILIATION_CHANGED(3), SUPERSEDED(4),
  CESSATION_OF_OPERATION(5), CERTIFICATE_HOLD(6), PRIVILEGE_WITHDRAWN(9), AA_COMPROMISE(10);

  private final int code;

  RevocationReason(int code) {
    this.code = code;
  }

  /** The CRLReason code. */
  public int code() {
    return code;
  }

  /** The reason for a CRLReason code; unknown codes are {@link #UNSPECIFIED}. */
  public static RevocationReason ofCode(int code) {
    return Arrays.stream(values()).filter(r -> r.code == code).findFirst().orElse(UNSPECIFIED);
  }

  /** The camel-case name RFC 5280 and OpenSSL use, such as {@code keyCompromise}. */
  public String rfcName() {
    String[] words = name().toLowerCase(Locale.ROOT).split("_");
    StringBuilder out = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      out.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return out.toString();
  }
}
