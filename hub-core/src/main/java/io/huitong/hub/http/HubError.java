package io.huitong.hub.http;

/**
 * The catalogue of errors the HTTP API answers with: a stable code, the status and a title, declared together.
 * Clients and tests rely on the code; anything that is not in the catalogue is {@link #INTERNAL}, logged once with
 * its stack trace and counted.
 */
public enum HubError {
  BAD_REQUEST("HT-BAD-REQUEST", 400, "The request is malformed"),
  UNAUTHORIZED("HT-UNAUTHORIZED", 401, "A valid operator token is required"),
  NOT_FOUND("HT-NOT-FOUND", 404, "No such resource"),
  METHOD_NOT_ALLOWED("HT-METHOD-NOT-ALLOWED", 405, "This resource does not support the method"),
  PAYLOAD_TOO_LARGE("HT-PAYLOAD-TOO-LARGE", 413, "The request body is larger than the hub accepts"),
  UNSUPPORTED_MEDIA_TYPE("HT-UNSUPPORTED-MEDIA-TYPE", 415, "The request body has a media type this resource does not take"),
  CONFIG_INVALID("HT-CONFIG-INVALID", 422, "The configuration is not valid"),
  NOT_READY("HT-NOT-READY", 503, "A component this request needs is not ready yet"),
  SHUTTING_DOWN("HT-SHUTTING-DOWN", 503, "The hub is shutting down"),
  INTERNAL("HT-INTERNAL", 500, "Internal error");

  private final String code;
  private final int status;
  private final String title;

  HubError(String code, int status, String title) {
    this.code = code;
    this.status = status;
    this.title = title;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The catalogue entry for a status Vert.x itself produced (routing, body limits), or {@link #INTERNAL}. */
  public static HubError forStatus(int status) {
    return switch (status) {
      case 400 -> BAD_REQUEST;
      case 401 -> UNAUTHORIZED;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      default -> INTERNAL;
    };
  }

  /** An exception carrying this error and a detail for the client. */
  public HubException exception(String detail) {
    return new HubException(this, detail);
  }
}
