package io.huitong.hub.exchange.route;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A department table that a receiving node writes the records it gets into (库表交换的目标表), one row per record,
 * found by its key columns.
 *
 * @param node       the receiving node that writes the table
 * @param senders    the nodes whose records it takes; empty for any sender
 * @param type       the message type it takes, such as {@code CASE_STEP}
 * @param table      {@code name} or {@code schema.name}, each part a lower-case SQL identifier
 * @param keyColumns the columns that identify a row (YAML key {@code key-columns}); at least one, each once
 * @param columns    target column to the top-level payload field it takes, in column order; empty to take each
 *                   field into the column of the same name. When given, it must map every key column.
 */
public record TableSink(String node, List<String> senders, String type, String table, List<String> keyColumns,
                       Map<String, String> columns) {
  private static final List<String> KEYS = List.of("node", "senders", "type", "table", "key-columns", "columns");

  /** @throws RouteException if a value breaks the rules above; its path is the value's YAML key */
  public TableSink {
    Parsing.matching(node, "node", Parsing.TOKEN, Parsing.TOKEN_RULE);
    senders = senders == null ? List.of() : Parsing.tokens(senders, "senders", false);
    Parsing.matching(type, "type", TableSource.TYPE, TableSource.TYPE_RULE);
    Parsing.matching(table, "table", TableSource.TABLE, TableSource.TABLE_RULE);
    keyColumns = keyColumns(keyColumns, "key-columns");
    columns = columns(columns, "columns");
    checkKeysMapped(keyColumns, columns, "key-columns");
  }

  /**
   * Reads a sink from its YAML form, with the keys named above.
   *
   * @param path where it sits, such as {@code table-sinks[0]}, for error messages
   */
  public static TableSink parse(JsonObject json, String path) {
    Parsing.onlyKeys(json, path, KEYS);
    String node = Parsing.matching(Parsing.required(json, path, "node"), Parsing.at(path, "node"), Parsing.TOKEN,
        Parsing.TOKEN_RULE);
    List<String> senders = json.getValue("senders") == null ? List.of()
        : Parsing.tokens(json.getValue("senders"), Parsing.at(path, "senders"), false);
    String type = Parsing.matching(Parsing.required(json, path, "type"), Parsing.at(path, "type"), TableSource.TYPE,
        TableSource.TYPE_RULE);
    String table = Parsing.matching(Parsing.required(json, path, "table"), Parsing.at(path, "table"),
        TableSource.TABLE, TableSource.TABLE_RULE);
    List<String> keyColumns = keyColumns(Parsing.required(json, path, "key-columns"), Parsing.at(path, "key-columns"));
    Map<String, String> columns = json.getValue("columns") == null ? Map.of()
        : columns(Parsing.object(json.getValue("columns"), Parsing.at(path, "columns")).getMap(),
            Parsing.at(path, "columns"));
    checkKeysMapped(keyColumns, columns, Parsing.at(path, "key-columns"));
    return new TableSink(node, senders, type, table, keyColumns, columns);
  }

  private static List<String> keyColumns(Object value, String path) {
    List<Object> list = Parsing.nonEmptyList(value, path).getList();
    List<String> columns = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      columns.add(Parsing.matching(list.get(i), Parsing.at(path, i), TableSource.IDENTIFIER,
          TableSource.IDENTIFIER_RULE));
    }
    Parsing.requireDistinct(columns, path);
    return List.copyOf(columns);
  }

  private static Map<String, String> columns(Map<String, ?> value, String path) {
    if (value == null) {
      return Map.of();
    }
    if (value.size() > Parsing.MAX_ENTRIES) {
      throw new RouteException(path, "has " + value.size() + " entries; at most " + Parsing.MAX_ENTRIES
          + " are allowed");
    }
    Map<String, String> columns = new LinkedHashMap<>();
    for (Map.Entry<String, ?> column : value.entrySet()) {
      String at = Parsing.at(path, column.getKey());
      Parsing.matching(column.getKey(), at, TableSource.IDENTIFIER, TableSource.IDENTIFIER_RULE);
      columns.put(column.getKey(), Parsing.matching(column.getValue(), at, Parsing.FIELD_NAME,
          Parsing.FIELD_NAME_RULE));
    }
    return Collections.unmodifiableMap(columns);
  }

  private static void checkKeysMapped(List<String> keyColumns, Map<String, String> columns, String path) {
    if (columns.isEmpty()) {
      return;
    }
    for (int i = 0; i < keyColumns.size(); i++) {
      if (!columns.containsKey(keyColumns.get(i))) {
        throw new RouteException(Parsing.at(path, i), "'" + keyColumns.get(i) + "' is not among the columns");
      }
    }
  }
}
