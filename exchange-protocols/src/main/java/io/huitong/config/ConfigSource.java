package io.huitong.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Raw values from one place (a YAML file, the environment), keyed by declared path and not yet parsed. Building a
 * source already rejects what cannot be a key: an unknown key, or a value where a section belongs.
 */
public final class ConfigSource {
  private final String name;
  private final Map<String, Object> values;
  private final Map<String, String> origins;

  private ConfigSource(String name, Map<String, Object> values, Map<String, String> origins) {
    this.name = name;
    this.values = Collections.unmodifiableMap(values);
    this.origins = origins;
  }

  /**
   * Flattens a YAML-shaped tree (maps of maps, leaves are scalars or lists) read from {@code name}.
   *
   * @throws ConfigException for an unknown key (with the closest declared key as a hint) or a misplaced section
   */
  public static ConfigSource fromTree(String name, Map<?, ?> tree, ConfigDef def) {
    Map<String, Object> flat = new LinkedHashMap<>();
    flatten(name, "", tree == null ? Map.of() : tree, def, flat);
    return new ConfigSource(name, flat, Map.of());
  }

  /**
   * Takes every environment variable that starts with {@code prefix} as a key: {@code HUB_HTTP_PORT} is
   * {@code http.port}.
   *
   * @throws ConfigException for a variable with the prefix that names no key, so a typo never passes silently
   */
  public static ConfigSource fromEnvironment(Map<String, String> environment, String prefix, ConfigDef def) {
    Map<String, String> byVariable = new LinkedHashMap<>();
    def.keys().values().forEach(k -> byVariable.put(k.environmentVariable(prefix), k.path()));
    Map<String, Object> flat = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    environment.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> {
          String path = byVariable.get(e.getKey());
          if (path == null) {
            throw new ConfigException(e.getKey(), "environment variable names no configuration key"
                + hint(def, e.getKey().substring(prefix.length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.')));
          }
          flat.put(path, e.getValue());
          origins.put(path, "environment variable " + e.getKey());
        });
    return new ConfigSource("the environment", flat, origins);
  }

  /** Where the source came from, as messages name it. */
  public String name() {
    return name;
  }

  /** Raw values by key path. */
  public Map<String, Object> values() {
    return values;
  }

  String originOf(String path) {
    return origins.getOrDefault(path, name);
  }

  private static void flatten(String source, String prefix, Map<?, ?> node, ConfigDef def, Map<String, Object> out) {
    for (Map.Entry<?, ?> e : node.entrySet()) {
      String path = prefix + e.getKey();
      Object value = e.getValue();
      if (def.key(path) != null) {
        if (value == null) {
          throw new ConfigException(path, "has no value in " + source
              + "; expected " + def.key(path).type().description() + " (remove the line to take the default)");
        }
        out.put(path, value);
      } else if (def.isSection(path)) {
        if (!(value instanceof Map<?, ?> child)) {
          throw new ConfigException(path, "is a section in " + source + "; expected keys below it, got "
              + ConfigType.describe(value));
        }
        flatten(source, path + ".", child, def, out);
      } else {
        throw new ConfigException(path, "unknown configuration key in " + source + hint(def, path));
      }
    }
  }

  private static String hint(ConfigDef def, String path) {
    String near = def.closestKey(path);
    return near == null ? "" : "; did you mean '" + near + "'?";
  }
}
