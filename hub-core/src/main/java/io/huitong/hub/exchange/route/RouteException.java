package io.huitong.hub.exchange.route;

/**
 * An invalid route, predicate, transform or definitions file, with the path of the offending value such as
 * {@code routes[2].transforms[0].rename} (for a single route given to the API, the path starts at the route's field,
 * as in {@code transforms[0].rename}). An empty path means the document as a whole.
 */
public class RouteException extends RuntimeException {
  private final String path;

  public RouteException(String path, String message) {
    super(path.isEmpty() ? message : path + ": " + message);
    this.path = path;
  }

  /** Where in the document the offending value is. */
  public String path() {
    return path;
  }
}
