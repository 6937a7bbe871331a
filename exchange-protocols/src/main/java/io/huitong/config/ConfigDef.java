package io.huitong.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The declarations of every configuration key: each is defined once, in one place, with type, default, validator and
 * doc. Sections group keys under a dotted prefix and carry a one-line doc of their own.
 *
 * <p>Rules that involve several keys are added with {@link #rule(Consumer)} and run after every key is valid.
 *
 * <p>Not thread-safe while being built; once built it is only read.
 */
public final class ConfigDef {
  private static final Pattern PATH = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*(\\.[a-z][a-z0-9]*(-[a-z0-9]+)*)*");

  private final Map<String, ConfigKey> keys = new LinkedHashMap<>();
  private final Map<String, String> sections = new LinkedHashMap<>();
  private final List<Consumer<Config>> rules = new ArrayList<>();

  /** Declares a section (a dotted prefix such as {@code pg.embedded}) with a one-line doc for the template. */
  public ConfigDef section(String path, String doc) {
    requirePath(path);
    if (sections.putIfAbsent(path, doc) != null) {
      throw new IllegalArgumentException("section declared twice: " + path);
    }
    return this;
  }

  /**
   * Declares a key. The default is written as it would appear in YAML (a string such as {@code "30s"} for a duration)
   * and must itself be valid: a bad default is a programming error and fails here, at declaration.
   */
  public ConfigDef define(String path, ConfigType type, Object rawDefault, Validator validator, String doc) {
    requirePath(path);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(rawDefault, "rawDefault");
    Objects.requireNonNull(validator, "validator");
    if (doc == null || doc.isBlank()) {
      throw new IllegalArgumentException("key " + path + " needs a doc");
    }
    if (keys.containsKey(path) || sections.containsKey(path)) {
      throw new IllegalArgumentException("key declared twice: " + path);
    }
    for (String existing : keys.keySet()) {
      if (existing.startsWith(path + ".") || path.startsWith(existing + ".")) {
        throw new IllegalArgumentException("key " + path + " and key " + existing + " cannot both be leaves");
      }
    }
    Object parsed = type.parse(path, rawDefault);
    validator.ensureValid(path, parsed);
    keys.put(path, new ConfigKey(path, type, rawDefault, parsed, validator, doc));
    return this;
  }

  /** Adds a rule over several keys; it throws {@link ConfigException} naming the keys when they do not fit together. */
  public ConfigDef rule(Consumer<Config> rule) {
    rules.add(Objects.requireNonNull(rule, "rule"));
    return this;
  }

  /** Every declared key, in declaration order. */
  public Map<String, ConfigKey> keys() {
    return Collections.unmodifiableMap(keys);
  }

  /** Every declared section with its doc, in declaration order. */
  public Map<String, String> sections() {
    return Collections.unmodifiableMap(sections);
  }

  /** The declaration of {@code path}, or null. */
  public ConfigKey key(String path) {
    return keys.get(path);
  }

  /** True when {@code path} is a prefix of some declared key, that is a section in a YAML tree. */
  boolean isSection(String path) {
    String prefix = path + ".";
    return keys.keySet().stream().anyMatch(k -> k.startsWith(prefix));
  }

  /**
   * Resolves the final configuration: defaults, then each source in order (a later source wins), then the validators
   * of every key and the cross-key rules.
   *
   * @throws ConfigException naming the first key whose value is not acceptable and where that value came from
   */
  public Config resolve(List<ConfigSource> sources) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    keys.values().forEach(k -> {
      values.put(k.path(), k.defaultValue());
      origins.put(k.path(), "default");
    });
    for (ConfigSource source : sources) {
      source.values().forEach((path, raw) -> {
        ConfigKey key = keys.get(path);
        String origin = source.originOf(path);
        try {
          Object parsed = key.type().parse(path, raw);
          key.validator().ensureValid(path, parsed);
          values.put(path, parsed);
          origins.put(path, origin);
        } catch (ConfigException e) {
          throw new ConfigException(e.key(), e.getMessage().substring(e.key().length() + 2) + " (from " + origin + ")");
        }
      });
    }
    Config config = new Config(this, values, origins);
    rules.forEach(rule -> rule.accept(config));
    return config;
  }

  /** The closest declared key to a misspelt one, for "did you mean" hints; null when nothing is close. */
  String closestKey(String path) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : keys.keySet()) {
      int d = editDistance(path, candidate);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return bestDistance <= Math.max(2, path.length() / 4) ? best : null;
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static void requirePath(String path) {
    if (path == null || !PATH.matcher(path).matches()) {
      throw new IllegalArgumentException("not a key path (lower-case words, hyphens and dots): " + path);
    }
  }
}
