package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a set of {@link Route}s to records (路由分发): which receivers get each record, and with which payload.
 * Immutable and safe to share between threads; to change the routes, build a new router.
 */
public final class Router {
  private final List<Route> routes;

  private Router(List<Route> routes) {
    this.routes = routes;
  }

  /** @throws DefinitionException if two routes have one id; its path is {@code routes[i].id} */
  public static Router of(List<Route> routes) {
    List<Route> copy = List.copyOf(routes);
    Map<String, Integer> indexOfId = new HashMap<>();
    for (int i = 0; i < copy.size(); i++) {
      Integer first = indexOfId.putIfAbsent(copy.get(i).id(), i);
      if (first != null) {
        throw new DefinitionException("routes[" + i + "].id", "'" + copy.get(i).id() + "' is the id of routes[" + first
            + "] already");
      }
    }
    return new Router(copy);
  }

  public List<Route> routes() {
    return routes;
  }

  /**
   * Routes one record: a delivery for each receiver of each route that takes it, in the order of the routes and of
   * their receivers. The payload is parsed as JSON at most once, and only if a route has a condition or a JSON step;
   * if it is not a JSON object, routes with a condition do not take it. A route's receivers share one transformed
   * array, and a route without steps passes on {@code payload} itself: none of them may be changed.
   *
   * @return the deliveries, empty if no route takes the record
   * @throws TransformException if a route that takes the record cannot transform it
   */
  public List<Delivery> route(String sender, String type, byte[] payload) {
    List<Delivery> deliveries = null;
    Payload record = null;
    for (Route route : routes) {
      if (!route.takes(sender, type)) {
        continue;
      }
      if (route.when() != null) {
        record = record == null ? Payload.of(payload) : record;
        if (record.json() == null || !route.when().test(record.json())) {
          continue;
        }
      }
      byte[] transformed = payload;
      if (!route.transforms().isEmpty()) {
        record = record == null ? Payload.of(payload) : record;
        transformed = route.transform(record).bytes();
      }
      if (deliveries == null) {
        deliveries = new ArrayList<>();
      }
      for (String receiver : route.receivers()) {
        deliveries.add(new Delivery(route, receiver, transformed));
      }
    }
    return deliveries == null ? List.of() : deliveries;
  }

  /** One record for one receiver, by one route, with the payload transformed for it. */
  public record Delivery(Route route, String receiver, byte[] payload) {
  }
}
