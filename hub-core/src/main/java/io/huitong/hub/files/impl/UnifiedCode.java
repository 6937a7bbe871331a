package io.huitong.hub.files.impl;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The unified electronic licence code (电子证照标识) as GB/T 36904 is implemented by provincial licence platforms:
 * {@code 1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>}. The type code is 21 characters (the
 * defining ministry's 18-character unified social credit code and a 3-digit sequence), the issuer code 6 to 18
 * (a unified social credit code, or a region code on some platforms), the serial 1 to 40 upper-case letters and
 * digits, the version 3 digits, and the check character is ISO/IEC 7064 MOD 37,36 over type, issuer, serial and
 * version. The check algorithm is the one real identifiers carry; GB/T 36904's own text was not available to check it.
 */
final class UnifiedCode {
  static final String ROOT = "1.2.156.3005.2";
  static final int MAX_LENGTH = 128;
  private static final Pattern FORMAT = Pattern.compile(Pattern.quote(ROOT)
      + "\\.([0-9A-Z]{21})\\.([0-9A-Z]{6,18})\\.([0-9A-Z]{1,40})\\.([0-9]{3})\\.([0-9A-Z])");
  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final int M = 36;

  private UnifiedCode() {
  }

  /** Why {@code code} is not a unified code, or null when it is one. */
  static String problem(String code) {
    if (code.length() > MAX_LENGTH) {
      return "is longer than " + MAX_LENGTH + " characters";
    }
    Matcher m = FORMAT.matcher(code);
    if (!m.matches()) {
      return "is not " + ROOT + ".<type code, 21>.<issuer code, 6-18>.<serial, 1-40>.<version, 3 digits>.<check>"
          + " in digits and upper-case letters";
    }
    char expected = checkCharacter(m.group(1) + m.group(2) + m.group(3) + m.group(4));
    return m.group(5).charAt(0) == expected ? null : "has the check character " + m.group(5) + ", not " + expected;
  }

  /** ISO/IEC 7064 MOD 37,36 (hybrid) over digits and upper-case letters. */
  static char checkCharacter(String body) {
    int p = M;
    for (int i = 0; i < body.length(); i++) {
      int s = (p + ALPHABET.indexOf(body.charAt(i))) % M;
      p = (2 * (s == 0 ? M : s)) % (M + 1);
    }
    return ALPHABET.charAt((M + 1 - p) % M);
  }
}
