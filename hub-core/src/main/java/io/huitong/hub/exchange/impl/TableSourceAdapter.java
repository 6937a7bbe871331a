package io.huitong.hub.exchange.impl;

import io.huitong.hub.StartupException;
import io.huitong.hub.exchange.route.TableSource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Table exchange, sending side: a row trigger on the configured table writes every insert, update and delete, as
 * the row's JSON, into the exchange outbox, in the transaction of the change itself. This is the front-database
 * (前置库) pattern without its flag columns: nothing is polled, nothing is missed between two polls, and a rolled
 * back change sends nothing. A row whose issue column is null cannot be exchanged, so the change fails.
 */
final class TableSourceAdapter {
  static final String TRIGGER = "huitong_exchange_source";

  private TableSourceAdapter() {
  }

  /** Installs (or refreshes) the trigger; blocking. Returns the source, now capturing. */
  static TableSource install(Pool pool, TableSource source) throws StartupException {
    String[] parts = Sql.tableParts(source.table());
    boolean hasIssue = Sql.once(pool, "SELECT 1 FROM information_schema.columns WHERE table_schema = $1"
        + " AND table_name = $2 AND column_name = $3", Tuple.of(parts[0], parts[1], source.issueColumn())).size() == 1;
    if (!hasIssue) {
      throw new StartupException("The table source of node " + source.node() + " needs table " + source.table()
          + " with column " + source.issueColumn() + "; there is no such column");
    }
    String table = '"' + parts[0] + "\".\"" + parts[1] + '"';
    Sql.once(pool, "CREATE OR REPLACE TRIGGER " + TRIGGER + " AFTER INSERT OR UPDATE OR DELETE ON " + table
        + " FOR EACH ROW EXECUTE FUNCTION exchange.capture_change(" + String.join(", ",
        literal(source.node()), literal(source.type()), literal(source.schema()), literal(source.schemaVersion()),
        literal(source.issueColumn())) + ")", Tuple.tuple());
    return source;
  }

  /** A SQL string literal; the values are validated names, the doubling only makes that not matter. */
  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
