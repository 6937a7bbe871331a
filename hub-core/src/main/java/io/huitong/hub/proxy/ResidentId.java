package io.huitong.hub.proxy;

/** The 18-character resident identity number of GB 11643-1999, checked by its ISO 7064 MOD 11-2 check character. */
public final class ResidentId {
  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

  private ResidentId() {
  }

  /** Whether {@code s} is 17 digits and the right check character (an upper-case X for 10). */
  public static boolean isValid(String s) {
    if (s == null || s.length() != 18) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      sum += (c - '0') * WEIGHTS[i];
    }
    return s.charAt(17) == CHECK[sum % 11];
  }
}
