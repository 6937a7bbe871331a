package io.huitong.hub;

/**
 * The hub cannot start for a reason an operator can fix (a port in use, a data directory held by another hub). The
 * message says what and, where a configuration key decides it, names the key.
 */
public class StartupException extends Exception {
  private static final long serialVersionUID = 1L;

  public StartupException(String message) {
    super(message);
  }

  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
