package io.huitong.connectors.simulator;

/**
 * The 18-digit citizen identity number (公民身份号码) of GB 11643-1999: a 6-digit address code, an 8-digit birth
 * date, a 3-digit sequence (odd for men, even for women) and a check character over the first 17 digits
 * computed as ISO 7064 MOD 11-2, where the remainder 10 is written {@code X}.
 */
public final class ResidentIdNumber {
  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

  private ResidentIdNumber() {
  }

  /** The check character for 17 leading digits. */
  public static char checkCharacter(CharSequence first17) {
    if (first17.length() != 17) {
      throw new IllegalArgumentException("an ID number's body has 17 digits, not " + first17.length());
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      char c = first17.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("an ID number's body has only digits");
      }
      sum += (c - '0') * WEIGHTS[i];
    }
    return CHECK[sum % 11];
  }

  /** The full 18-character number for 17 leading digits. */
  public static String complete(String first17) {
    return first17 + checkCharacter(first17);
  }

  /** Whether {@code s} is 17 digits followed by the right check character (an upper- or lower-case X). */
  public static boolean isValid(String s) {
    if (s == null || s.length() != 18) {
      return false;
    }
    for (int i = 0; i < 17; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return Character.toUpperCase(s.charAt(17)) == checkCharacter(s.subSequence(0, 17));
  }
}
