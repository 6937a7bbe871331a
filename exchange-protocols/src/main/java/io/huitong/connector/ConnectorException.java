package io.huitong.connector;

/** Why a connector could not be built or an invocation produced no result. Messages never carry personal data. */
public class ConnectorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, and so whether trying again can help. */
  public enum Failure {
    /** The department system did not answer within the timeout. Transient. */
    TIMEOUT(true),
    /** The department system could not be reached, or answered that it is unavailable (HTTP 5xx, refused). Transient. */
    UNAVAILABLE(true),
    /** The department system refused the request (HTTP 4xx, SOAP client fault, constraint violation). */
    REJECTED(false),
    /** The department system holds nothing for the request. */
    NOT_FOUND(false),
    /** The department system answered with something that cannot be read. */
    BAD_RESPONSE(false),
    /** The caller asked for something the connector cannot do (unknown operation, missing parameter). */
    BAD_REQUEST(false),
    /** The connector's settings are wrong: the message names the setting. */
    MISCONFIGURED(false);

    private final boolean transientFailure;

    Failure(boolean transientFailure) {
      this.transientFailure = transientFailure;
    }

    /** Whether the same call may succeed if tried again. */
    public boolean isTransient() {
      return transientFailure;
    }
  }

  private final Failure failure;

  public ConnectorException(Failure failure, String message) {
    super(message);
    this.failure = failure;
  }

  public ConnectorException(Failure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
