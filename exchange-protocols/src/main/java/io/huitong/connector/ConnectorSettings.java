package io.huitong.connector;

import io.huitong.config.ConfigException;
import io.huitong.config.ConfigType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * A connector's declared settings, read with errors that name the connector and the setting, so a mistake in
 * {@code config/} is found at start-up with a message an operator can act on.
 */
public final class ConnectorSettings {

  private final String connectorId;
  private final JsonObject json;
  /** Where these settings sit in the connector's, e.g. {@code operations.work-injury.}; empty at the top. */
  private final String path;

  public ConnectorSettings(String connectorId, JsonObject json) {
    this(connectorId, json, "");
  }

  private ConnectorSettings(String connectorId, JsonObject json, String path) {
    this.connectorId = connectorId;
    this.json = json == null ? new JsonObject() : json;
    this.path = path;
  }

  public String connectorId() {
    return connectorId;
  }

  public JsonObject json() {
    return json;
  }

  public String string(String key) {
    Object value = json.getValue(key);
    if (!(value instanceof String s) || s.isBlank()) {
      throw invalid(key, "is required (a non-empty string)");
    }
    return s;
  }

  public String string(String key, String fallback) {
    return json.containsKey(key) ? string(key) : fallback;
  }

  public int integer(String key, int fallback, int min, int max) {
    if (!json.containsKey(key)) {
      return fallback;
    }
    Object value = json.getValue(key);
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
        || n.longValue() < min || n.longValue() > max) {
      throw invalid(key, "must be a whole number from " + min + " to " + max);
    }
    return n.intValue();
  }

  public boolean bool(String key, boolean fallback) {
    if (!json.containsKey(key)) {
      return fallback;
    }
    if (!(json.getValue(key) instanceof Boolean b)) {
      throw invalid(key, "must be true or false");
    }
    return b;
  }

  /** A duration written as in the hub configuration: {@code 500ms}, {@code 5s}, {@code 2m}. */
  public Duration duration(String key, Duration fallback) {
    if (!json.containsKey(key)) {
      return fallback;
    }
    try {
      Duration d = ConfigType.parseDuration(key, json.getValue(key));
      if (d.isZero()) {
        throw invalid(key, "must be positive");
      }
      return d;
    } catch (ConfigException e) {
      throw invalid(key, "must be a duration such as 500ms, 5s or 2m");
    }
  }

  public JsonObject object(String key) {
    Object value = json.getValue(key);
    if (!(value instanceof JsonObject o)) {
      throw invalid(key, "is required (an object)");
    }
    return o;
  }

  public JsonArray array(String key) {
    Object value = json.getValue(key);
    if (!(value instanceof JsonArray a)) {
      throw invalid(key, "is required (a list)");
    }
    return a;
  }

  /**
   * The object under {@code key} as settings of their own, whose errors name the whole path, e.g.
   * {@code operations.work-injury.path}.
   */
  public ConnectorSettings section(String key) {
    return new ConnectorSettings(connectorId, object(key), path + key + ".");
  }

  /** Refuses any setting not in {@code known}: a misspelt key would otherwise be silently ignored. */
  public void allowOnly(Set<String> known) {
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        throw invalid(key, "is not a setting here (known: " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
  }

  /** The error for a faulty setting, to be thrown by the caller. */
  public ConnectorException invalid(String key, String problem) {
    return new ConnectorException(ConnectorException.Failure.MISCONFIGURED,
        "connector '" + connectorId + "': setting '" + path + key + "' " + problem);
  }
}
