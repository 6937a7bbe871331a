package io.huitong.hub.http;

import java.util.Map;

/**
 * A failure the client should see as a catalogued problem. The detail is written for the client: it never holds a
 * stack trace, a secret or internal state.
 */
public class HubException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient HubError error;
  private final transient Map<String, Object> extensions;

  public HubException(HubError error, String detail) {
    this(error, detail, Map.of());
  }

  /** With extension members added to the problem document, such as the configuration {@code key} at fault. */
  public HubException(HubError error, String detail, Map<String, Object> extensions) {
    super(detail, null, false, false);
    this.error = error;
    this.extensions = Map.copyOf(extensions);
  }

  public HubError error() {
    return error;
  }

  public Map<String, Object> extensions() {
    return extensions;
  }
}
