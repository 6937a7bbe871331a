package io.huitong.config;

/**
 * A configuration value that cannot be accepted. The message always names the key path (or the environment
 * variable or file it came from) and what was expected, so an operator can fix it without reading code.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public ConfigException(String key, String message) {
    super(key + ": " + message);
    this.key = key;
  }

  /** The key path the problem is about, such as {@code http.port}. */
  public String key() {
    return key;
  }
}
