package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.config.Definitions;
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

  /** @throws DefinitionException if a value breaks the rules above; its path is the value's YAML key */
  public TableSink {
    Definitions.matching(node, "node", Definitions.TOKEN, Definitions.TOKEN_RULE);
    senders = senders == null ? List.of() : Definitions.tokens(senders, "senders", false);
    Definitions.matching(type, "type", TableSource.TYPE, TableSource.TYPE_RULE);
    Definitions.matching(table, "table", TableSource.TABLE, TableSource.TABLE_RULE);
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
    Definitions.onlyKeys(json, path, KEYS);
    String node = Definitions.matching(Definitions.required(json, path, "node"), Definitions.at(path, "node"), Definitions.TOKEN,
        Definitions.TOKEN_RULE);
    List<String> senders = json.getValue("senders") == null ? List.of()
        : Definitions.tokens(json.getValue("senders"), Definitions.at(path, "senders"), false);
    String type = Definitions.matching(Definitions.required(json, path, "type"), Definitions.at(path, "type"), TableSource.TYPE,
        TableSource.TYPE_RULE);
    String table = Definitions.matching(Definitions.required(json, path, "table"), Definitions.at(path, "table"),
        TableSource.TABLE, TableSource.TABLE_RULE);
    List<String> keyColumns = keyColumns(Definitions.required(json, path, "key-columns"), Definitions.at(path, "key-columns"));
    Map<String, String> columns = json.getValue("columns") == null ? Map.of()
        : columns(Definitions.object(json.getValue("columns"), Definitions.at(path, "columns")).getMap(),
            Definitions.at(path, "columns"));
    checkKeysMapped(keyColumns, columns, Definitions.at(path, "key-columns"));
    return new TableSink(node, senders, type, table, keyColumns, columns);
  }

  private static List<String> keyColumns(Object value, String path) {
    List<Object> list = Definitions.nonEmptyList(value, path).getList();
    List<String> columns = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      columns.add(Definitions.matching(list.get(i), Definitions.at(path, i), TableSource.IDENTIFIER,
          TableSource.IDENTIFIER_RULE));
    }
    Definitions.requireDistinct(columns, path);
    return List.copyOf(columns);
  }

  private static Map<String, String> columns(Map<String, ?> value, String path) {
    if (value == null) {
      return Map.of();
    }
    if (value.size() > Definitions.MAX_ENTRIES) {
      throw new DefinitionException(path, "has " + value.size() + " entries; at most " + Definitions.MAX_ENTRIES
          + " are allowed");
    }
    Map<String, String> columns = new LinkedHashMap<>();
    for (Map.Entry<String, ?> column : value.entrySet()) {
      String at = Definitions.at(path, column.getKey());
      Definitions.matching(column.getKey(), at, TableSource.IDENTIFIER, TableSource.IDENTIFIER_RULE);
      columns.put(column.getKey(), Definitions.matching(column.getValue(), at, Definitions.FIELD_NAME,
          Definitions.FIELD_NAME_RULE));
    }
    return Collections.unmodifiableMap(columns);
  }

  private static void checkKeysMapped(List<String> keyColumns, Map<String, String> columns, String path) {
    if (columns.isEmpty()) {
      return;
    }
    for (int i = 0; i < keyColumns.size(); i++) {
      if (!columns.containsKey(keyColumns.get(i))) {
        throw new DefinitionException(Definitions.at(path, i), "'" + keyColumns.get(i) + "' is not among the columns");
      }
    }
  }
}
