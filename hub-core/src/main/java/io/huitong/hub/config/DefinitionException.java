package io.huitong.hub.config;

/**
 * An invalid definition (an exchange route or table adapter, a proxy service or connector) or definitions file, with
 * the path of the offending value such as {@code routes[2].transforms[0].rename} (for a single definition given to
 * the API, the path starts at its field, as in {@code transforms[0].rename}). An empty path means the document as a
 * whole.
 */
public class DefinitionException extends RuntimeException {
  private final String path;

  public DefinitionException(String path, String message) {
    super(path.isEmpty() ? message : path + ": " + message);
    this.path = path;
  }

  /** Where in the document the offending value is. */
  public String path() {
    return path;
  }
}
