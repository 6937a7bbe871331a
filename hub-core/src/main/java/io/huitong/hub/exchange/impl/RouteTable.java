package io.huitong.hub.exchange.impl;

import io.huitong.hub.exchange.route.Route;
import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.exchange.route.Router;
import io.huitong.hub.http.HubError;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes in force: those of the definitions file, fixed for the life of the process, and those operators keep in
 * {@code exchange.route} through the admin API. Every member reloads the table every few seconds, so a change on one
 * member reaches the relays of all.
 */
final class RouteTable {
  private static final Logger LOG = LoggerFactory.getLogger(RouteTable.class);

  private final Storage storage;
  private final Map<String, Route> fromFile;
  private volatile List<Route> fromApi = List.of();
  private volatile Router router;

  RouteTable(Storage storage, List<Route> fileRoutes) {
    this.storage = storage;
    this.fromFile = fileRoutes.stream().collect(Collectors.toMap(Route::id, Function.identity(),
        (a, b) -> a, java.util.LinkedHashMap::new));
    this.router = Router.of(fileRoutes);
  }

  Router router() {
    return router;
  }

  /** Every route with where it comes from, file routes first. */
  List<JsonObject> describe() {
    List<JsonObject> out = new ArrayList<>();
    fromFile.values().forEach(r -> out.add(r.toJson().put("origin", "file")));
    fromApi.forEach(r -> out.add(r.toJson().put("origin", "api")));
    return out;
  }

  /** Reads the API routes again. */
  Uni<Void> reload() {
    return storage.pool().chain(pool -> pool.query("SELECT route_id, definition FROM exchange.route ORDER BY route_id")
        .execute()).invoke(rows -> {
          List<Route> routes = new ArrayList<>();
          for (Row r : rows) {
            try {
              routes.add(Route.parse(new JsonObject(r.getJsonObject("definition").encode()), ""));
            } catch (DefinitionException e) {
              LOG.error("Route {} in exchange.route is not valid and is ignored: {}", r.getString("route_id"), e.getMessage());
            }
          }
          install(routes);
        }).replaceWithVoid();
  }

  private void install(List<Route> api) {
    List<Route> all = new ArrayList<>(fromFile.values());
    all.addAll(api);
    router = Router.of(all);
    fromApi = List.copyOf(api);
  }

  /** Adds or replaces an API route; a file route's id is refused. */
  Uni<Route> put(Route route) {
    if (fromFile.containsKey(route.id())) {
      return Uni.createFrom().failure(HubError.ROUTE_FROM_FILE.exception("Route " + route.id()
          + " is defined in the definitions file"));
    }
    return storage.pool().chain(pool -> pool.preparedQuery("INSERT INTO exchange.route (route_id, definition) VALUES ($1, $2)"
            + " ON CONFLICT (route_id) DO UPDATE SET definition = $2, updated_at = now()")
        .execute(Tuple.of(route.id(), route.toJson()))).chain(this::reload).replaceWith(route);
  }

  Uni<Void> delete(String routeId) {
    if (fromFile.containsKey(routeId)) {
      return Uni.createFrom().failure(HubError.ROUTE_FROM_FILE.exception("Route " + routeId
          + " is defined in the definitions file"));
    }
    return storage.pool().chain((Pool pool) -> pool.preparedQuery("DELETE FROM exchange.route WHERE route_id = $1")
        .execute(Tuple.of(routeId))).chain(rows -> {
          if (rows.rowCount() == 0) {
            throw HubError.ROUTE_NOT_FOUND.exception("No route " + routeId);
          }
          return reload();
        });
  }
}
