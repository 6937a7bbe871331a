package io.huitong.config;

/**
 * One declared key: its dotted path ({@code http.port}), type, default (as written in the template and as parsed),
 * validator and a one-line doc.
 *
 * @param path         dotted path; each segment lower-case words joined by hyphens
 * @param type         the value's type
 * @param rawDefault   the default as it is written in YAML
 * @param defaultValue the default parsed by {@code type}
 * @param validator    the rule every value, the default included, satisfies
 * @param doc          one line saying what the key does
 */
public record ConfigKey(String path, ConfigType type, Object rawDefault, Object defaultValue, Validator validator,
                        String doc) {

  /** The environment variable that overrides this key: {@code HUB_} and the path upper-cased, dots and hyphens as underscores. */
  public String environmentVariable(String prefix) {
    return prefix + path.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
