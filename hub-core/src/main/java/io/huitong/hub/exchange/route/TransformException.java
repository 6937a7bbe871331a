package io.huitong.hub.exchange.route;

/**
 * A record's payload that a transform cannot handle, such as a JSON step given XML or a field name that is not a
 * valid XML name. It concerns one record, not the route: the caller rejects that record and goes on.
 */
public class TransformException extends RuntimeException {
  public TransformException(String message) {
    super(message);
  }
}
