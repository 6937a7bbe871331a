package io.huitong.hub.exchange.impl;

import io.huitong.exchange.Operation;
import io.huitong.hub.StartupException;
import io.huitong.hub.exchange.RejectCode;
import io.huitong.hub.exchange.route.TableSink;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Table exchange, receiving side: applies records to a PostgreSQL table, payload fields mapped to columns by the
 * sink's definition. Inserts upsert on the key columns (a re-delivered insert is harmless); an update or delete of a
 * key the table does not have is refused {@code UNKNOWN_ISSUE}; a payload that is not a JSON object, lacks a key or
 * holds a value the column type refuses is {@code SCHEMA_INVALID}.
 *
 * <p>Records are applied in waves: a run of the same operation with no key twice, one statement each, with the
 * PostgreSQL functions {@code jsonb_populate_record} doing the type conversion. When a statement fails on a value,
 * the wave is applied again record by record, each under its own savepoint, to find the ones at fault.
 */
final class TableSinkAdapter implements RecordSink {
  private final TableSink definition;
  private final String table;
  private final List<String> columns;
  private final List<String> keys;
  private final Map<String, String> sourceOf;
  private final String upsert;
  private final String update;
  private final String delete;

  private TableSinkAdapter(TableSink definition, String table, List<String> columns) {
    this.definition = definition;
    this.table = table;
    this.columns = columns;
    this.keys = definition.keyColumns();
    this.sourceOf = new LinkedHashMap<>();
    for (String c : columns) {
      sourceOf.put(c, definition.columns().isEmpty() ? c : definition.columns().get(c));
    }
    String cols = columns.stream().map(TableSinkAdapter::quote).collect(Collectors.joining(", "));
    String picked = columns.stream().map(c -> "(s.r)." + quote(c)).collect(Collectors.joining(", "));
    List<String> others = columns.stream().filter(c -> !keys.contains(c)).toList();
    String rows = " (SELECT n, jsonb_populate_record(NULL::" + table + ", doc) AS r"
        + " FROM jsonb_array_elements($1::text::jsonb) WITH ORDINALITY AS e(doc, n)) s";
    String match = keys.stream().map(k -> "t." + quote(k) + " = (s.r)." + quote(k)).collect(Collectors.joining(" AND "));
    this.upsert = "INSERT INTO " + table + " (" + cols + ") SELECT " + picked + " FROM" + rows
        + " ON CONFLICT (" + keys.stream().map(TableSinkAdapter::quote).collect(Collectors.joining(", ")) + ") DO "
        + (others.isEmpty() ? "NOTHING" : "UPDATE SET "
        + others.stream().map(c -> quote(c) + " = excluded." + quote(c)).collect(Collectors.joining(", ")));
    this.update = others.isEmpty()
        ? "SELECT s.n FROM " + table + " t," + rows + " WHERE " + match
        : "UPDATE " + table + " t SET " + others.stream().map(c -> quote(c) + " = (s.r)." + quote(c))
            .collect(Collectors.joining(", ")) + " FROM" + rows + " WHERE " + match + " RETURNING s.n";
    this.delete = "DELETE FROM " + table + " t USING" + rows + " WHERE " + match + " RETURNING s.n";
  }

  /** Checks the table, its columns and a unique key on the key columns; blocking, at start-up. */
  static TableSinkAdapter open(Pool pool, TableSink definition) throws StartupException {
    String[] parts = Sql.tableParts(definition.table());
    List<String> present = new ArrayList<>();
    Sql.once(pool, "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2"
        + " ORDER BY ordinal_position", Tuple.of(parts[0], parts[1])).forEach(r -> present.add(r.getString(0)));
    String where = "table sink for node " + definition.node() + " and type " + definition.type();
    if (present.isEmpty()) {
      throw new StartupException("The " + where + " names table " + definition.table() + ", which does not exist");
    }
    List<String> columns = definition.columns().isEmpty() ? present : new ArrayList<>(definition.columns().keySet());
    List<String> missing = columns.stream().filter(c -> !present.contains(c)).toList();
    if (!missing.isEmpty() || !columns.containsAll(definition.keyColumns())) {
      throw new StartupException("The " + where + " maps columns " + missing + " or keys " + definition.keyColumns()
          + " that table " + definition.table() + " does not have");
    }
    boolean unique = false;
    for (Row r : Sql.once(pool, "SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_index i"
        + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
        + " WHERE i.indrelid = to_regclass($1) AND i.indisunique GROUP BY i.indexrelid", Tuple.of(definition.table()))) {
      Set<String> indexed = new HashSet<>(Arrays.asList(r.getArrayOfStrings(0)));
      unique |= indexed.equals(new HashSet<>(definition.keyColumns()));
    }
    if (!unique) {
      throw new StartupException("The " + where + " needs a primary key or unique index on " + definition.keyColumns()
          + " of table " + definition.table());
    }
    String table = quote(parts[0]) + "." + quote(parts[1]);
    return new TableSinkAdapter(definition, table, columns);
  }

  TableSink definition() {
    return definition;
  }

  @Override
  public List<Incoming.Refusal> apply(Sql sql, List<Incoming> records) throws Exception {
    Incoming.Refusal[] outcome = new Incoming.Refusal[records.size()];
    List<Integer> wave = new ArrayList<>();
    List<JsonObject> docs = new ArrayList<>();
    Set<String> waveKeys = new HashSet<>();
    Operation waveOp = null;
    for (int i = 0; i < records.size(); i++) {
      Incoming rec = records.get(i);
      JsonObject doc = mapped(rec, outcome, i);
      if (doc == null) {
        continue;
      }
      String key = keys.stream().map(k -> String.valueOf(doc.getValue(k))).collect(Collectors.joining("\u0000"));
      if (!wave.isEmpty() && (rec.operation() != waveOp || waveKeys.contains(key))) {
        applyWave(sql, waveOp, wave, docs, outcome);
        wave.clear();
        docs.clear();
        waveKeys.clear();
      }
      waveOp = rec.operation();
      wave.add(i);
      docs.add(doc);
      waveKeys.add(key);
    }
    if (!wave.isEmpty()) {
      applyWave(sql, waveOp, wave, docs, outcome);
    }
    return Arrays.asList(outcome);
  }

  /** The record's payload as the table's columns, or null (with its refusal recorded) when it does not fit. */
  private JsonObject mapped(Incoming rec, Incoming.Refusal[] outcome, int i) {
    JsonObject payload;
    try {
      payload = new JsonObject(new String(rec.payload(), StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      outcome[i] = new Incoming.Refusal(RejectCode.SCHEMA_INVALID, "the payload is not a JSON object");
      return null;
    }
    JsonObject doc = new JsonObject();
    for (Map.Entry<String, String> c : sourceOf.entrySet()) {
      if (payload.containsKey(c.getValue())) {
        doc.put(c.getKey(), payload.getValue(c.getValue()));
      }
    }
    for (String k : keys) {
      if (doc.getValue(k) == null) {
        outcome[i] = new Incoming.Refusal(RejectCode.SCHEMA_INVALID, "the payload has no value for key column " + k
            + " (field " + sourceOf.get(k) + ")");
        return null;
      }
    }
    return doc;
  }

  private void applyWave(Sql sql, Operation op, List<Integer> wave, List<JsonObject> docs,
                         Incoming.Refusal[] outcome) throws Exception {
    try {
      sql.savepoint("wave", s -> {
        applyStatement(s, op, wave, docs, outcome);
        return null;
      });
    } catch (PgException badValue) {
      for (int j = 0; j < wave.size(); j++) {
        List<Integer> one = List.of(wave.get(j));
        List<JsonObject> doc = List.of(docs.get(j));
        try {
          sql.savepoint("single", s -> {
            applyStatement(s, op, one, doc, outcome);
            return null;
          });
        } catch (PgException e) {
          outcome[one.get(0)] = new Incoming.Refusal(RejectCode.SCHEMA_INVALID,
              "table " + definition.table() + " refused the record: " + e.getErrorMessage());
        }
      }
    }
  }

  private void applyStatement(Sql sql, Operation op, List<Integer> wave, List<JsonObject> docs,
                              Incoming.Refusal[] outcome) {
    // Encoded here, on the receiver's thread: a JSON parameter would be encoded on the event loop.
    StringBuilder array = new StringBuilder(docs.size() * 256).append('[');
    for (JsonObject doc : docs) {
      array.append(array.length() > 1 ? "," : "").append(doc.encode());
    }
    Tuple args = Tuple.of(array.append(']').toString());
    if (op == Operation.INSERT) {
      sql.run(upsert, args);
      return;
    }
    Set<Long> hit = new HashSet<>();
    sql.run(op == Operation.UPDATE ? update : delete, args).forEach(r -> hit.add(r.getLong(0)));
    for (int j = 0; j < wave.size(); j++) {
      if (!hit.contains((long) j + 1)) {
        outcome[wave.get(j)] = new Incoming.Refusal(RejectCode.UNKNOWN_ISSUE, "table " + definition.table()
            + " has no row with " + keyText(docs.get(j)));
      }
    }
  }

  private String keyText(JsonObject doc) {
    return keys.stream().map(k -> k + "=" + doc.getValue(k)).collect(Collectors.joining(", "));
  }

  private static String quote(String identifier) {
    return '"' + identifier + '"';
  }
}
