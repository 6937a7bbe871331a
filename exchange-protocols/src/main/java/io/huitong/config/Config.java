package io.huitong.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A resolved configuration: one valid value for every declared key, and where each came from. Immutable and
 * thread-safe. {@link #toString()} and {@link #describe()} mask secrets.
 */
public final class Config {
  private final ConfigDef def;
  private final Map<String, Object> values;
  private final Map<String, String> origins;

  Config(ConfigDef def, Map<String, Object> values, Map<String, String> origins) {
    this.def = def;
    this.values = Collections.unmodifiableMap(values);
    this.origins = Collections.unmodifiableMap(origins);
  }

  public int getInt(String path) {
    return (Integer) get(path, ConfigType.INT);
  }

  public boolean getBoolean(String path) {
    return (Boolean) get(path, ConfigType.BOOLEAN);
  }

  public String getString(String path) {
    return (String) get(path, ConfigType.STRING);
  }

  public Secret getSecret(String path) {
    return (Secret) get(path, ConfigType.SECRET);
  }

  public Duration getDuration(String path) {
    return (Duration) get(path, ConfigType.DURATION);
  }

  /** A {@link ConfigType#SIZE} value in bytes. */
  public long getSize(String path) {
    return (Long) get(path, ConfigType.SIZE);
  }

  @SuppressWarnings("unchecked")
  public List<String> getList(String path) {
    return (List<String>) get(path, ConfigType.LIST);
  }

  /** Where the value of {@code path} came from: {@code default}, a file, or an environment variable. */
  public String originOf(String path) {
    return origins.get(path);
  }

  /** The declarations this configuration was resolved against. */
  public ConfigDef definition() {
    return def;
  }

  /**
   * One line per key, in declaration order: {@code path = value} and, where it is not the default, where the value
   * came from. Secrets are masked.
   */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (ConfigKey key : def.keys().values()) {
      String origin = origins.get(key.path());
      lines.add(key.path() + " = " + display(key.path())
          + ("default".equals(origin) ? "" : "    # from " + origin));
    }
    return lines;
  }

  /** The value of {@code path} as it is printed: secrets masked, sizes in bytes, durations as written. */
  public String display(String path) {
    Object v = values.get(path);
    if (v instanceof Secret s) {
      return s.masked();
    }
    if (v instanceof Duration d) {
      return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
    return String.valueOf(v);
  }

  private Object get(String path, ConfigType expected) {
    ConfigKey key = def.key(path);
    if (key == null) {
      throw new IllegalArgumentException("no such configuration key: " + path);
    }
    if (key.type() != expected) {
      throw new IllegalArgumentException(path + " is " + key.type() + ", not " + expected);
    }
    return values.get(path);
  }

  @Override
  public String toString() {
    return String.join("\n", describe());
  }
}
