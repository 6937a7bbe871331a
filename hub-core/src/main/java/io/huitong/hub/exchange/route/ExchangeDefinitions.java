package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.config.Definitions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The exchange definitions file (交换定义): routes, and the table sources and sinks of nodes that exchange database
 * tables. A YAML mapping with the optional lists {@code routes}, {@code table-sources} and {@code table-sinks}; an
 * empty file defines nothing.
 *
 * <p>Beyond each entry's own rules: route ids are unique, a node has one source per table, and no two sinks of a
 * node take the same type from a common sender (a sink without senders takes every sender).
 */
public record ExchangeDefinitions(List<Route> routes, List<TableSource> tableSources, List<TableSink> tableSinks) {
  /** A larger file is a mistake, such as the wrong file named; it is refused before it is read. */
  public static final long MAX_FILE_BYTES = 4L << 20;
  static final int MAX_ENTRIES = 10_000;
  private static final List<String> KEYS = List.of("routes", "table-sources", "table-sinks");

  /** @throws DefinitionException if the lists break a rule above; its path is the later entry's, as in the file */
  public ExchangeDefinitions {
    routes = List.copyOf(routes);
    tableSources = List.copyOf(tableSources);
    tableSinks = List.copyOf(tableSinks);
    checkRouteIds(routes);
    checkSources(tableSources);
    checkSinks(tableSinks);
  }

  public static ExchangeDefinitions empty() {
    return new ExchangeDefinitions(List.of(), List.of(), List.of());
  }

  /**
   * Reads and checks a definitions file.
   *
   * @throws DefinitionException for a file that cannot be read or is invalid, with the path of the offending value such
   *                        as {@code routes[1].receivers}, or an empty path for the file as a whole; the caller
   *                        adds the file's name
   */
  public static ExchangeDefinitions load(Path file) {
    JsonObject root = Definitions.readYaml(file, MAX_FILE_BYTES, KEYS);
    if (root == null) {
      return empty();
    }

    List<Route> routes = new ArrayList<>();
    JsonArray list = entries(root, "routes");
    for (int i = 0; i < list.size(); i++) {
      String at = Definitions.at("routes", i);
      routes.add(Route.parse(Definitions.object(list.getValue(i), at), at + "."));
    }
    List<TableSource> sources = new ArrayList<>();
    list = entries(root, "table-sources");
    for (int i = 0; i < list.size(); i++) {
      String at = Definitions.at("table-sources", i);
      sources.add(TableSource.parse(Definitions.object(list.getValue(i), at), at));
    }
    List<TableSink> sinks = new ArrayList<>();
    list = entries(root, "table-sinks");
    for (int i = 0; i < list.size(); i++) {
      String at = Definitions.at("table-sinks", i);
      sinks.add(TableSink.parse(Definitions.object(list.getValue(i), at), at));
    }
    return new ExchangeDefinitions(routes, sources, sinks);
  }

  private static JsonArray entries(JsonObject root, String key) {
    Object value = root.getValue(key);
    return value == null ? new JsonArray() : Definitions.list(value, key, MAX_ENTRIES);
  }

  private static void checkRouteIds(List<Route> routes) {
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < routes.size(); i++) {
      Integer earlier = first.putIfAbsent(routes.get(i).id(), i);
      if (earlier != null) {
        throw new DefinitionException(Definitions.at(Definitions.at("routes", i), "id"), "'" + routes.get(i).id()
            + "' is the id of routes[" + earlier + "] already");
      }
    }
  }

  private static void checkSources(List<TableSource> sources) {
    Map<List<String>, Integer> first = new HashMap<>();
    for (int i = 0; i < sources.size(); i++) {
      TableSource source = sources.get(i);
      Integer earlier = first.putIfAbsent(List.of(source.node(), source.table()), i);
      if (earlier != null) {
        throw new DefinitionException(Definitions.at(Definitions.at("table-sources", i), "table"), "node " + source.node()
            + " has a source on table " + source.table() + " already: table-sources[" + earlier + "]");
      }
    }
  }

  private static void checkSinks(List<TableSink> sinks) {
    for (int i = 0; i < sinks.size(); i++) {
      for (int j = 0; j < i; j++) {
        TableSink a = sinks.get(j);
        TableSink b = sinks.get(i);
        boolean sendersOverlap = a.senders().isEmpty() || b.senders().isEmpty()
            || a.senders().stream().anyMatch(b.senders()::contains);
        if (a.node().equals(b.node()) && a.type().equals(b.type()) && sendersOverlap) {
          throw new DefinitionException(Definitions.at("table-sinks", i), "node " + b.node() + " has a sink for type "
              + b.type() + " from some of the same senders already: table-sinks[" + j + "]");
        }
      }
    }
  }
}
