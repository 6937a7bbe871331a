package io.huitong.hub.exchange.impl;

import io.huitong.hub.StartupException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Table adapters by their definitions, each open once its table exists. A table that does not exist yet is waited
 * for (the hub and a department's tables are deployed independently); a table that exists but does not fit its
 * definition stops start-up, and later is reported by {@link #describe} and tried again.
 *
 * @param <D> the definition
 * @param <A> the open adapter
 */
final class WaitingAdapters<D, A> {
  /** Opens an adapter on an existing table. */
  interface Opener<D, A> {
    A open(Pool pool, D definition) throws StartupException;
  }

  private final List<D> definitions;
  private final Function<D, String> table;
  private final Opener<D, A> opener;
  private final Map<D, A> open = new ConcurrentHashMap<>();
  private final Map<D, String> problems = new ConcurrentHashMap<>();

  WaitingAdapters(List<D> definitions, Function<D, String> table, Opener<D, A> opener) {
    this.definitions = List.copyOf(definitions);
    this.table = table;
    this.opener = opener;
  }

  /** Opens every adapter whose table exists; blocking. */
  void openReady(Pool pool, boolean starting) throws StartupException {
    for (D d : definitions) {
      if (open.containsKey(d)) {
        continue;
      }
      if (!Sql.tableExists(pool, table.apply(d))) {
        problems.put(d, "waiting for table " + table.apply(d));
        continue;
      }
      try {
        open.put(d, opener.open(pool, d));
        problems.remove(d);
      } catch (StartupException e) {
        if (starting) {
          throw e;
        }
        problems.put(d, e.getMessage());
      }
    }
  }

  List<D> definitions() {
    return definitions;
  }

  /** The open adapter of {@code definition}, or null while it waits. */
  A adapter(D definition) {
    return open.get(definition);
  }

  String problem(D definition) {
    return problems.get(definition);
  }

  /** Each adapter's table and whether it is open, with what it waits for. */
  List<JsonObject> describe(Function<D, JsonObject> identity) {
    List<JsonObject> out = new ArrayList<>();
    for (D d : definitions) {
      out.add(identity.apply(d).put("table", table.apply(d)).put("ready", open.containsKey(d))
          .put("problem", problems.get(d)));
    }
    return out;
  }
}
