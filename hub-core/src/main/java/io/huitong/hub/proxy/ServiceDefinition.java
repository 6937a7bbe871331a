package io.huitong.hub.proxy;

import io.huitong.config.ConfigException;
import io.huitong.config.ConfigType;
import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.config.Definitions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A service of the catalogue (服务目录): an interface consumers call at {@code /api/v1/services/{id}}, bound to
 * connector operations tried in order (the data centre's copy first, the department's own system as fallback).
 *
 * @param id           e.g. {@code hrss.social-insurance}
 * @param name         its name for people, e.g. 社保缴费查询
 * @param kind         query, verify, complete or share
 * @param department   the department that owns the data
 * @param region       the administrative division code of that department, e.g. {@code 632801}
 * @param sources      connector operations in the order they are tried
 * @param inputSchema  what a call must send
 * @param outputSchema what an answer must look like; also where fields declare their masks
 * @param cacheTtl     how long an answer may be served from cache; zero for no caching
 * @param staleTtl     how long past its TTL a cached answer may still be served while every source is down; zero for never
 * @param rateLimit    the service's own limit across all consumers, or null
 * @param origin       {@code config} for services of the definitions file, {@code api} for those added through the API
 */
public record ServiceDefinition(String id, String name, ServiceKind kind, String department, String region,
                                List<Source> sources, DataSchema inputSchema, DataSchema outputSchema,
                                Duration cacheTtl, Duration staleTtl, RateLimit rateLimit, String origin) {
  /** Service ids: path-safe, so they appear in URLs unescaped. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final List<String> KEYS = List.of("id", "name", "kind", "department", "region", "sources",
      "input-schema", "output-schema", "cache-ttl", "stale-ttl", "rate-limit");

  /** One connector operation a service can be answered from. */
  public record Source(String connector, String operation) {
    public JsonObject toJson() {
      return new JsonObject().put("connector", connector).put("operation", operation);
    }
  }

  public ServiceDefinition {
    sources = List.copyOf(sources);
  }

  /**
   * Reads a service from the definitions file or the API; {@code path} prefixes error paths ({@code services[3]}).
   *
   * @throws DefinitionException naming the path of the first invalid value, an unknown key included
   */
  public static ServiceDefinition parse(JsonObject json, String path, String origin) {
    Definitions.onlyKeys(json, path, KEYS);
    String id = Definitions.matching(Definitions.required(json, path, "id"), Definitions.at(path, "id"), ID,
        "a letter or digit, then up to 127 letters, digits and . _ -");
    String name = json.containsKey("name") ? Definitions.string(json.getValue("name"), Definitions.at(path, "name")) : id;
    String kindText = Definitions.string(Definitions.required(json, path, "kind"), Definitions.at(path, "kind"));
    ServiceKind kind;
    try {
      kind = ServiceKind.valueOf(kindText.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new DefinitionException(Definitions.at(path, "kind"), "'" + kindText + "' is not a kind; expected query, verify, complete or share");
    }
    String department = Definitions.matching(Definitions.required(json, path, "department"), Definitions.at(path, "department"),
        Definitions.TOKEN, Definitions.TOKEN_RULE);
    String region = json.containsKey("region")
        ? Definitions.matching(json.getValue("region"), Definitions.at(path, "region"), Pattern.compile("\\d{6}"), "a 6-digit division code (quote it in YAML)")
        : "000000";
    JsonArray list = Definitions.nonEmptyList(Definitions.required(json, path, "sources"), Definitions.at(path, "sources"));
    List<Source> sources = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = Definitions.at(Definitions.at(path, "sources"), i);
      JsonObject s = Definitions.object(list.getValue(i), at);
      Definitions.onlyKeys(s, at, List.of("connector", "operation"));
      sources.add(new Source(
          Definitions.matching(Definitions.required(s, at, "connector"), Definitions.at(at, "connector"), Definitions.TOKEN, Definitions.TOKEN_RULE),
          Definitions.matching(Definitions.required(s, at, "operation"), Definitions.at(at, "operation"), Definitions.TOKEN, Definitions.TOKEN_RULE)));
    }
    DataSchema input = json.containsKey("input-schema")
        ? DataSchema.parse(json.getValue("input-schema"), Definitions.at(path, "input-schema")) : DataSchema.any();
    DataSchema output = json.containsKey("output-schema")
        ? DataSchema.parse(json.getValue("output-schema"), Definitions.at(path, "output-schema")) : DataSchema.any();
    Duration cacheTtl = duration(json, "cache-ttl", path);
    Duration staleTtl = duration(json, "stale-ttl", path);
    if (!staleTtl.isZero() && cacheTtl.isZero()) {
      throw new DefinitionException(Definitions.at(path, "stale-ttl"), "needs a cache-ttl: only cached answers can be served stale");
    }
    if (!kind.idempotent() && !cacheTtl.isZero()) {
      throw new DefinitionException(Definitions.at(path, "cache-ttl"), "a share service changes upstream state; its answers are not cached");
    }
    RateLimit limit = json.containsKey("rate-limit")
        ? RateLimit.parse(Definitions.string(json.getValue("rate-limit"), Definitions.at(path, "rate-limit")), Definitions.at(path, "rate-limit")) : null;
    return new ServiceDefinition(id, name, kind, department, region, sources, input, output, cacheTtl, staleTtl, limit, origin);
  }

  /** The definition as the API shows it and the catalogue stores it: the form {@link #parse} reads. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("name", name).put("kind", kind.id())
        .put("department", department).put("region", region)
        .put("sources", new JsonArray(sources.stream().map(Source::toJson).toList()))
        .put("input-schema", inputSchema.toJson()).put("output-schema", outputSchema.toJson())
        .put("cache-ttl", cacheTtl.toMillis() + "ms").put("stale-ttl", staleTtl.toMillis() + "ms");
    if (rateLimit != null) {
      json.put("rate-limit", rateLimit.toString());
    }
    return json;
  }

  private static Duration duration(JsonObject json, String key, String path) {
    Object v = json.getValue(key);
    if (v == null) {
      return Duration.ZERO;
    }
    try {
      return ConfigType.parseDuration(Definitions.at(path, key), Definitions.string(v, Definitions.at(path, key)));
    } catch (ConfigException e) {
      throw new DefinitionException(Definitions.at(path, key), "'" + v + "' is not a duration such as 30s, 5m or 1h");
    }
  }
}
