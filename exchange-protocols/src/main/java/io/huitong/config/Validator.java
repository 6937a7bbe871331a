package io.huitong.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rule a key's parsed value must satisfy. {@link #describe()} is the expectation in words: it appears in the
 * error message and in the generated configuration template, so the two never disagree.
 */
public interface Validator {

  /** Throws {@link ConfigException} naming {@code key} when {@code value} breaks the rule. */
  void ensureValid(String key, Object value);

  /** The rule in words, such as "between 1 and 65535". */
  String describe();

  /** Any value of the key's type is accepted. */
  static Validator any() {
    return of("any value", v -> true);
  }

  /** A whole number (INT or SIZE) from {@code min} to {@code max} inclusive. */
  static Validator between(long min, long max) {
    return of("from " + min + " to " + max, v -> {
      long n = ((Number) v).longValue();
      return n >= min && n <= max;
    });
  }

  /** A duration from {@code min} to {@code max} inclusive. */
  static Validator between(Duration min, Duration max) {
    return of("from " + format(min) + " to " + format(max), v -> {
      Duration d = (Duration) v;
      return d.compareTo(min) >= 0 && d.compareTo(max) <= 0;
    });
  }

  /** Text that is one of {@code choices}, matched exactly. */
  static Validator oneOf(String... choices) {
    Set<String> allowed = Set.of(choices);
    return of("one of " + String.join(", ", choices), v -> allowed.contains(v.toString()));
  }

  /** Non-blank text. */
  static Validator nonEmpty() {
    return of("not empty", v -> !v.toString().isBlank());
  }

  /** Text matching {@code regex} in full; {@code what} says what such text is. */
  static Validator matching(String regex, String what) {
    Pattern p = Pattern.compile(regex);
    return of(what, v -> p.matcher(v.toString()).matches());
  }

  /** A list whose every element satisfies {@code element}. */
  static Validator each(Validator element) {
    return new Validator() {
      @Override
      public void ensureValid(String key, Object value) {
        List<?> items = (List<?>) value;
        for (int i = 0; i < items.size(); i++) {
          element.ensureValid(key + "[" + i + "]", items.get(i));
        }
      }

      @Override
      public String describe() {
        return "each " + element.describe();
      }
    };
  }

  /** A {@code host:port} address with a port from 1 to 65535. */
  static Validator hostAndPort() {
    return matching("[A-Za-z0-9.\\-]+:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])",
        "host:port with a port from 1 to 65535");
  }

  /** Builds a validator from a description and a predicate on the parsed value. */
  static Validator of(String description, java.util.function.Predicate<Object> accepts) {
    return new Validator() {
      @Override
      public void ensureValid(String key, Object value) {
        if (!accepts.test(value)) {
          throw new ConfigException(key, "expected " + description + ", got " + ConfigType.describe(
              value instanceof Duration d ? format(d) : value));
        }
      }

      @Override
      public String describe() {
        return description;
      }
    };
  }

  private static String format(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    if (s % 3600 == 0 && s > 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0 && s > 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
