package io.huitong.hub.proxy;

import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.config.Definitions;
import java.util.Locale;

/**
 * How a field is shown to a consumer granted it masked (脱敏): enough to recognise a value the consumer already
 * knows, not enough to learn one it does not.
 */
public enum Mask {
  /** 18-digit ID number: the first 6 (region) and last 4 kept, {@code 632801********123X}. */
  ID_NUMBER,
  /** Mobile phone: the first 3 and last 4 kept, {@code 138****5678}. */
  PHONE,
  /** Personal name: the first character kept, {@code 张**}. */
  NAME,
  /** Address: the first 6 characters kept (province and city), the rest starred. */
  ADDRESS,
  /** Anything else: replaced by {@code ***}. */
  ALL;

  public static Mask parse(Object value, String path) {
    String s = Definitions.string(value, path);
    try {
      return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new DefinitionException(path, "'" + s + "' is not a mask; expected id-number, phone, name, address or all");
    }
  }

  /** The masked form of a value; values that are not text are masked whole. */
  public Object apply(Object value) {
    if (!(value instanceof String s) || s.isEmpty()) {
      return value == null ? null : "***";
    }
    return switch (this) {
      case ID_NUMBER -> keep(s, 6, 4);
      case PHONE -> keep(s, 3, 4);
      case NAME -> keep(s, 1, 0);
      case ADDRESS -> keep(s, 6, 0);
      case ALL -> "***";
    };
  }

  /** Keeps the first {@code head} and last {@code tail} code points, stars the rest; too short a value is all stars. */
  private static String keep(String s, int head, int tail) {
    int[] cps = s.codePoints().toArray();
    if (cps.length <= head + tail) {
      return "*".repeat(Math.max(1, cps.length));
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < cps.length; i++) {
      out.appendCodePoint(i < head || i >= cps.length - tail ? cps[i] : '*');
    }
    return out.toString();
  }
}
