package io.huitong.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The types a configuration key can have. Each parses a raw value, as YAML gives it (already typed) or as the
 * environment gives it (always a string), into the Java value {@link Config} hands out.
 */
public enum ConfigType {
  /** {@code true} or {@code false}. */
  BOOLEAN("a boolean (true or false)") {
    @Override
    Object parseScalar(String key, Object raw) {
      if (raw instanceof Boolean b) {
        return b;
      }
      String s = raw.toString().trim().toLowerCase(Locale.ROOT);
      if (s.equals("true") || s.equals("false")) {
        return Boolean.valueOf(s);
      }
      throw mismatch(key, raw);
    }
  },
  /** A 32-bit integer. */
  INT("an integer") {
    @Override
    Object parseScalar(String key, Object raw) {
      if (raw instanceof Integer i) {
        return i;
      }
      if (raw instanceof Number || raw instanceof String) {
        try {
          return Integer.valueOf(raw.toString().trim());
        } catch (NumberFormatException e) {
          throw mismatch(key, raw);
        }
      }
      throw mismatch(key, raw);
    }
  },
  /** Text. Scalars of other YAML types (a number, say) are taken as their text. */
  STRING("a string") {
    @Override
    Object parseScalar(String key, Object raw) {
      return raw.toString();
    }
  },
  /** Text that is secret: held as a {@link Secret}, masked whenever configuration is printed. */
  SECRET("a secret string") {
    @Override
    Object parseScalar(String key, Object raw) {
      return Secret.of(raw.toString());
    }
  },
  /** A duration with a unit: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}. */
  DURATION("a duration such as 500ms, 30s, 5m or 2h") {
    private final Pattern form = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    @Override
    Object parseScalar(String key, Object raw) {
      Matcher m = form.matcher(raw.toString().trim());
      if (!(raw instanceof String) || !m.matches()) {
        throw mismatch(key, raw);
      }
      try {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      } catch (NumberFormatException | ArithmeticException e) {
        throw mismatch(key, raw);
      }
    }
  },
  /** A size in bytes: a plain number of bytes, or with a unit {@code KiB}, {@code MiB}, {@code GiB}. */
  SIZE("a size such as 65536, 512KiB, 16MiB or 1GiB") {
    private final Pattern form = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");

    @Override
    Object parseScalar(String key, Object raw) {
      Matcher m = form.matcher(raw.toString().trim());
      if (!(raw instanceof String || raw instanceof Integer || raw instanceof Long) || !m.matches()) {
        throw mismatch(key, raw);
      }
      try {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        return switch (unit) {
          case "KiB" -> Math.multiplyExact(n, 1024L);
          case "MiB" -> Math.multiplyExact(n, 1024L * 1024);
          case "GiB" -> Math.multiplyExact(n, 1024L * 1024 * 1024);
          default -> n;
        };
      } catch (ArithmeticException | NumberFormatException e) {
        throw mismatch(key, raw);
      }
    }
  },
  /** A list of strings: a YAML sequence, or in the environment a comma-separated string. */
  LIST("a list of strings") {
    @Override
    Object parse(String key, Object raw) {
      List<String> out = new ArrayList<>();
      if (raw instanceof List<?> items) {
        for (Object item : items) {
          if (item == null || item instanceof Map || item instanceof List) {
            throw new ConfigException(key, "expected " + description + " but an element is " + describe(item));
          }
          out.add(item.toString().trim());
        }
      } else if (raw instanceof String s) {
        for (String part : s.split(",")) {
          if (!part.isBlank()) {
            out.add(part.trim());
          }
        }
      } else {
        throw mismatch(key, raw);
      }
      return List.copyOf(out);
    }

    @Override
    Object parseScalar(String key, Object raw) {
      throw new AssertionError("lists are parsed whole");
    }
  };

  final String description;

  ConfigType(String description) {
    this.description = description;
  }

  /** What a value of this type looks like, for messages and the generated configuration template. */
  public String description() {
    return description;
  }

  /** Reads a duration written as configuration writes it ({@code 500ms}, {@code 5s}, ...), for settings held elsewhere. */
  public static java.time.Duration parseDuration(String key, Object raw) {
    return (java.time.Duration) DURATION.parse(key, raw);
  }

  /** Reads a size written as configuration writes it ({@code 1048576}, {@code 512KiB}, {@code 10GiB}), for settings held elsewhere. */
  public static long parseSize(String key, Object raw) {
    return (Long) SIZE.parse(key, raw);
  }

    /** Parses {@code raw} (never null) for key {@code key}; throws {@link ConfigException} naming the key. */
  Object parse(String key, Object raw) {
    if (raw instanceof Map || raw instanceof List) {
      throw mismatch(key, raw);
    }
    return parseScalar(key, raw);
  }

  abstract Object parseScalar(String key, Object raw);

  ConfigException mismatch(String key, Object raw) {
    return new ConfigException(key, "expected " + description + ", got " + describe(raw));
  }

  static String describe(Object raw) {
    if (raw == null) {
      return "nothing";
    }
    if (raw instanceof Map) {
      return "a section";
    }
    if (raw instanceof List) {
      return "a list";
    }
    return "'" + raw + "'";
  }
}
