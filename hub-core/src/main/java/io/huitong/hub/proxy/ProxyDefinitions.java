package io.huitong.hub.proxy;

import io.huitong.config.ConfigException;
import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.config.Definitions;
import io.huitong.hub.proxy.impl.AlarmRule;
import io.huitong.hub.proxy.impl.AlarmRuleException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The proxy definitions file: {@code connectors} (a mapping of id to kind and settings), {@code services} (a list of
 * {@link ServiceDefinition}s) and {@code alarms} (a list of alarm rules). Every service's sources must name a
 * declared connector. Services added through the admin API live in the database beside these.
 */
public record ProxyDefinitions(Map<String, ConnectorDeclaration> connectors, List<ServiceDefinition> services,
                               List<JsonObject> alarms) {
  public static final long MAX_FILE_BYTES = 4L << 20;
  private static final List<String> KEYS = List.of("connectors", "services", "alarms");

  public ProxyDefinitions {
    connectors = Map.copyOf(connectors);
    services = List.copyOf(services);
    alarms = List.copyOf(alarms);
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < services.size(); i++) {
      ServiceDefinition s = services.get(i);
      Integer earlier = ids.putIfAbsent(s.id(), i);
      if (earlier != null) {
        throw new DefinitionException("services[" + i + "].id", "'" + s.id() + "' is the id of services[" + earlier + "] already");
      }
      requireConnectors(s, "services[" + i + "]", connectors);
    }
  }

  public static ProxyDefinitions empty() {
    return new ProxyDefinitions(Map.of(), List.of(), List.of());
  }

  /** Checks that every source of {@code service} names a connector of {@code connectors}. */
  public static void requireConnectors(ServiceDefinition service, String path, Map<String, ?> connectors) {
    for (int j = 0; j < service.sources().size(); j++) {
      String connector = service.sources().get(j).connector();
      if (!connectors.containsKey(connector)) {
        throw new DefinitionException(Definitions.at(Definitions.at(Definitions.at(path, "sources"), j), "connector"), "no connector '" + connector
            + "' is declared (declared: " + String.join(", ", new java.util.TreeSet<>(connectors.keySet())) + ")");
      }
    }
  }

  /**
   * The file named by {@code proxy.definitions}, read and checked; an error is a configuration error naming the key,
   * the file and the path inside it. Empty definitions for an empty setting.
   */
  public static ProxyDefinitions load(String file) {
    if (file.isEmpty()) {
      return empty();
    }
    Path path = Path.of(file);
    if (!Files.isReadable(path)) {
      throw new ConfigException(ProxyConfig.DEFINITIONS, "cannot read " + path);
    }
    try {
      return read(path);
    } catch (DefinitionException e) {
      throw new ConfigException(ProxyConfig.DEFINITIONS, path + ": " + e.getMessage());
    }
  }

  static ProxyDefinitions read(Path file) {
    JsonObject root = Definitions.readYaml(file, MAX_FILE_BYTES, KEYS);
    if (root == null) {
      return empty();
    }
    Map<String, ConnectorDeclaration> connectors = new LinkedHashMap<>();
    if (root.containsKey("connectors")) {
      JsonObject declared = Definitions.nonEmptyObject(root.getValue("connectors"), "connectors");
      for (String id : declared.fieldNames()) {
        connectors.put(id, ConnectorDeclaration.parse(id, declared.getValue(id), Definitions.at("connectors", id)));
      }
    }
    List<ServiceDefinition> services = new ArrayList<>();
    JsonArray list = root.containsKey("services") ? Definitions.list(root.getValue("services"), "services", 10_000) : new JsonArray();
    for (int i = 0; i < list.size(); i++) {
      String at = Definitions.at("services", i);
      services.add(ServiceDefinition.parse(Definitions.object(list.getValue(i), at), at, "config"));
    }
    List<JsonObject> alarms = new ArrayList<>();
    JsonArray rules = root.containsKey("alarms") ? Definitions.list(root.getValue("alarms"), "alarms") : new JsonArray();
    for (int i = 0; i < rules.size(); i++) {
      String at = Definitions.at("alarms", i);
      JsonObject rule = Definitions.object(rules.getValue(i), at);
      try {
        AlarmRule.parse(rule);
      } catch (AlarmRuleException e) {
        throw new DefinitionException(Definitions.at(at, e.field()), e.getMessage());
      }
      alarms.add(rule);
    }
    return new ProxyDefinitions(connectors, services, alarms);
  }
}
