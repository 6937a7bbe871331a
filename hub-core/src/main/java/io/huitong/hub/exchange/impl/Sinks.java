package io.huitong.hub.exchange.impl;

import io.huitong.hub.StartupException;
import io.huitong.hub.exchange.route.TableSink;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import java.util.List;

/**
 * The sinks of the hosted nodes: which adapter takes a type from a sender at a node. While a sink's table does not
 * exist, records for it stay in Kafka, unacknowledged, until it does.
 */
final class Sinks {
  private final WaitingAdapters<TableSink, TableSinkAdapter> tables;

  Sinks(List<TableSink> definitions) {
    this.tables = new WaitingAdapters<>(definitions, TableSink::table, TableSinkAdapter::open);
  }

  void openReady(Pool pool, boolean starting) throws StartupException {
    tables.openReady(pool, starting);
  }

  /** The sink, or null when the node takes no such records; throws while the sink's table is not there yet. */
  RecordSink find(String node, String sender, String type) {
    for (TableSink d : tables.definitions()) {
      if (d.node().equals(node) && d.type().equals(type) && (d.senders().isEmpty() || d.senders().contains(sender))) {
        TableSinkAdapter sink = tables.adapter(d);
        if (sink == null) {
          throw new IllegalStateException("the sink for " + type + " at " + node + " is not open: " + tables.problem(d));
        }
        return sink;
      }
    }
    return null;
  }

  List<JsonObject> describe() {
    return tables.describe(d -> new JsonObject().put("node", d.node()).put("type", d.type()));
  }
}
