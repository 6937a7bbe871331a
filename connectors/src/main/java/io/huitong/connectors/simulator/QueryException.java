package io.huitong.connectors.simulator;

/**
 * Why a department could not answer, told the same way to REST (status and code) and SOAP (a Client/Sender fault).
 */
final class QueryException extends RuntimeException {
  /** The kinds of refusal, each with the HTTP status REST answers. */
  enum Kind {
    MISSING_PARAMETER(400), INVALID_ID_NUMBER(400), UNKNOWN_QUERY(404), UNKNOWN_PERSON(404), NO_RECORD(404),
    REFUSED(409);

    final int status;

    Kind(int status) {
      this.status = status;
    }
  }

  final Kind kind;

  QueryException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  boolean notFound() {
    return kind.status == 404;
  }
}
