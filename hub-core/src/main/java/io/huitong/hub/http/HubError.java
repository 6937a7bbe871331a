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
  MALFORMED_PEM("HT-MALFORMED-PEM", 400, "The PEM text is malformed or holds the wrong kind of object"),
  MALFORMED_DER("HT-MALFORMED-DER", 400, "The DER bytes do not parse"),
  POINT_NOT_ON_CURVE("HT-POINT-NOT-ON-CURVE", 400, "The public key's point is not on the SM2 curve"),
  WRONG_KEY_LENGTH("HT-WRONG-KEY-LENGTH", 400, "A key, IV or scalar has the wrong length or range"),
  NOT_SM2("HT-NOT-SM2", 400, "The key is not an SM2 key"),
  CIPHERTEXT_INVALID("HT-CIPHERTEXT-INVALID", 400, "The ciphertext is truncated, altered or not for this key"),
  SIGNATURE_MALFORMED("HT-SIGNATURE-MALFORMED", 400, "The signature is neither DER nor raw r||s"),
  CERTIFICATE_INVALID("HT-CERTIFICATE-INVALID", 422, "The certificate or CRL cannot be issued or accepted"),
  KEY_NOT_FOUND("HT-KEY-NOT-FOUND", 404, "No key with this id"),
  // 409: the key exists and works, but the request asks it for a use it was created without.
  KEY_USAGE("HT-KEY-USAGE", 409, "The key is not for this use"),
  CERTIFICATE_NOT_FOUND("HT-CERTIFICATE-NOT-FOUND", 404, "No certificate with this serial number"),
  CERTIFICATE_REVOKED("HT-CERTIFICATE-REVOKED", 409, "The certificate is revoked"),
  CERTIFICATE_EXPIRED("HT-CERTIFICATE-EXPIRED", 409, "The certificate is expired or not yet valid"),
  EXCHANGE_NODE_NOT_FOUND("HT-EXCHANGE-NODE-NOT-FOUND", 404, "No exchange node with this id"),
  EXCHANGE_NODE_LOCAL("HT-EXCHANGE-NODE-LOCAL", 409, "The node is hosted by this hub; its certificates are its own"),
  ROUTE_INVALID("HT-ROUTE-INVALID", 422, "The route definition is not valid"),
  ROUTE_NOT_FOUND("HT-ROUTE-NOT-FOUND", 404, "No route with this id"),
  ROUTE_FROM_FILE("HT-ROUTE-FROM-FILE", 409, "The route comes from the definitions file; change it there"),
  MESSAGE_NOT_FOUND("HT-MESSAGE-NOT-FOUND", 404, "No exchange message with this id"),
  MESSAGE_NOT_REPLAYABLE("HT-MESSAGE-NOT-REPLAYABLE", 409, "Only dead messages, and messages rejected as EXPIRED, can be replayed"),
  SERVICE_NOT_FOUND("HT-SERVICE-NOT-FOUND", 404, "No service with this id"),
  SERVICE_INVALID("HT-SERVICE-INVALID", 422, "The service definition is not valid"),
  SERVICE_FROM_FILE("HT-SERVICE-FROM-FILE", 409, "The service comes from the definitions file; change it there"),
  CONSUMER_NOT_FOUND("HT-CONSUMER-NOT-FOUND", 404, "No consumer with this app key"),
  APPLICATION_NOT_FOUND("HT-APPLICATION-NOT-FOUND", 404, "No service application with this id"),
  APPLICATION_DECIDED("HT-APPLICATION-DECIDED", 409, "The application was decided already"),
  SIGNATURE_MISSING("HT-SIGNATURE-MISSING", 401, "The request is not signed: send X-App-Key, X-Timestamp, X-Nonce and X-Signature"),
  APP_KEY_UNKNOWN("HT-APP-KEY-UNKNOWN", 401, "No consumer has this app key"),
  TIMESTAMP_STALE("HT-TIMESTAMP-STALE", 401, "The request's timestamp is too far from the hub's clock"),
  SIGNATURE_INVALID("HT-SIGNATURE-INVALID", 401, "The request's signature does not verify"),
  NONCE_REPLAYED("HT-NONCE-REPLAYED", 401, "The request's nonce was used already"),
  CONSUMER_DISABLED("HT-CONSUMER-DISABLED", 403, "The consumer is disabled"),
  IP_NOT_ALLOWED("HT-IP-NOT-ALLOWED", 403, "The consumer may not call from this address"),
  NOT_APPROVED("HT-NOT-APPROVED", 403, "The consumer has no approved application for this service"),
  RATE_LIMITED("HT-RATE-LIMITED", 429, "Too many calls; retry after the time given"),
  INPUT_INVALID("HT-INPUT-INVALID", 400, "The input does not match the service's input schema"),
  RECORD_NOT_FOUND("HT-RECORD-NOT-FOUND", 404, "The department holds no record for this input"),
  UPSTREAM_REJECTED("HT-UPSTREAM-REJECTED", 422, "The department system refused the request"),
  UPSTREAM_BAD_RESPONSE("HT-UPSTREAM-BAD-RESPONSE", 502, "The department system's answer cannot be read or breaks the output schema"),
  UPSTREAM_TIMEOUT("HT-UPSTREAM-TIMEOUT", 504, "The department system did not answer in time"),
  UPSTREAM_UNAVAILABLE("HT-UPSTREAM-UNAVAILABLE", 503, "The department system is unavailable and no cached answer may be served"),
  PROXY_BUSY("HT-PROXY-BUSY", 503, "The member has as many calls in progress as it takes; retry after the time given"),
  ALARM_RULE_INVALID("HT-ALARM-RULE-INVALID", 422, "The alarm rule is not valid"),
  ALARM_RULE_NOT_FOUND("HT-ALARM-RULE-NOT-FOUND", 404, "No alarm rule with this id"),
  ALARM_RULE_FROM_FILE("HT-ALARM-RULE-FROM-FILE", 409, "The alarm rule comes from the definitions file; change it there"),
  TUS_VERSION("HT-TUS-VERSION", 412, "The request's Tus-Resumable version is missing or not one the hub speaks (see Tus-Version)"),
  UPLOAD_HEADER_INVALID("HT-UPLOAD-HEADER-INVALID", 400, "An upload header is missing, malformed or contradicts the upload"),
  UPLOAD_NOT_FOUND("HT-UPLOAD-NOT-FOUND", 404, "No upload with this id"),
  UPLOAD_EXPIRED("HT-UPLOAD-EXPIRED", 410, "The upload expired unfinished; start a new one"),
  UPLOAD_OFFSET_MISMATCH("HT-UPLOAD-OFFSET-MISMATCH", 409, "Upload-Offset is not the upload's current offset; ask it with HEAD"),
  UPLOAD_TOO_LARGE("HT-UPLOAD-TOO-LARGE", 413, "The upload would be longer than its Upload-Length or the hub's Tus-Max-Size"),
  UPLOAD_LOCKED("HT-UPLOAD-LOCKED", 423, "Another request is writing this upload"),
  UPLOAD_FINAL("HT-UPLOAD-FINAL", 403, "A final upload is made of its partial uploads and takes no PATCH"),
  UPLOAD_INCOMPLETE("HT-UPLOAD-INCOMPLETE", 409, "The upload is not complete; it can be downloaded once it is"),
  RANGE_NOT_SATISFIABLE("HT-RANGE-NOT-SATISFIABLE", 416, "The Range asks for no byte of the file (see Content-Range)"),
  UPLOAD_PART_INVALID("HT-UPLOAD-PART-INVALID", 400, "Upload-Concat: final lists an upload that is not a complete partial upload"),
  CHECKSUM_ALGORITHM("HT-CHECKSUM-ALGORITHM", 400, "Upload-Checksum names an algorithm the hub does not support, or is malformed"),
  // 460 is the tus checksum extension's own status.
  CHECKSUM_MISMATCH("HT-CHECKSUM-MISMATCH", 460, "The chunk's checksum does not match; it was discarded"),
  UPLOAD_GRANT_MISSING("HT-UPLOAD-GRANT-MISSING", 401, "Uploads need a grant: send Authorization: Bearer with a token from POST /api/v1/files/grants"),
  UPLOAD_GRANT_INVALID("HT-UPLOAD-GRANT-INVALID", 401, "The upload grant is malformed or was not issued by this hub"),
  UPLOAD_GRANT_EXPIRED("HT-UPLOAD-GRANT-EXPIRED", 401, "The upload grant expired; ask for a new one"),
  // 413 as for any upload too large: the tus spec's status for a size the server will not take.
  UPLOAD_QUOTA("HT-UPLOAD-QUOTA", 413, "The upload would take the consumer past its quota"),
  UPLOAD_TYPE("HT-UPLOAD-TYPE", 415, "The upload's content, by its first bytes, is not of a type the hub accepts"),
  MATERIAL_INVALID("HT-MATERIAL-INVALID", 422, "A field of the material is missing, too long or malformed"),
  MATERIAL_NOT_FOUND("HT-MATERIAL-NOT-FOUND", 404, "No material with this id"),
  MATERIAL_EXISTS("HT-MATERIAL-EXISTS", 409, "The upload or the unified electronic code is registered as a material already"),
  EXPORT_INVALID("HT-EXPORT-INVALID", 422, "The export's department or time range is not valid"),
  EXPORT_NOT_FOUND("HT-EXPORT-NOT-FOUND", 404, "No export job with this id"),
  IDENTITY_INPUT_INVALID("HT-IDENTITY-INPUT-INVALID", 422, "A field of the request is missing, too long or malformed"),
  ID_NUMBER_INVALID("HT-ID-NUMBER-INVALID", 422, "The ID number is not 18 characters with a valid GB 11643 check character"),
  PHONE_INVALID("HT-PHONE-INVALID", 422, "The phone is not an 11-digit mainland mobile number"),
  CREDIT_CODE_INVALID("HT-CREDIT-CODE-INVALID", 422, "The unified social credit code is not 18 characters with a valid GB 32100 check character"),
  PASSWORD_WEAK("HT-PASSWORD-WEAK", 422, "The password is shorter than 8 characters, longer than 128, or has only one kind of character"),
  LOGIN_FAILED("HT-LOGIN-FAILED", 401, "The login or the password is wrong"),
  ACCOUNT_LOCKED("HT-ACCOUNT-LOCKED", 423, "Too many failed logins: the account is locked; retry after the time given"),
  ACCOUNT_DISABLED("HT-ACCOUNT-DISABLED", 403, "The account is disabled; an administrator must unlock it"),
  SECOND_FACTOR_REQUIRED("HT-SECOND-FACTOR-REQUIRED", 401, "An SMS one-time code was sent to the account's phone: log in again with it"),
  SMS_CODE_INVALID("HT-SMS-CODE-INVALID", 422, "The SMS one-time code is wrong, expired or used up"),
  ACCOUNT_EXISTS("HT-ACCOUNT-EXISTS", 409, "An account with this ID number, phone or credit code exists already"),
  ACCOUNT_NOT_FOUND("HT-ACCOUNT-NOT-FOUND", 404, "No account with this id"),
  IDENTITY_MISMATCH("HT-IDENTITY-MISMATCH", 422, "The population database does not match this ID number and name"),
  FACE_MISMATCH("HT-FACE-MISMATCH", 422, "The face does not match the ID card's holder"),
  VERIFICATION_UNAVAILABLE("HT-VERIFICATION-UNAVAILABLE", 503, "A verification service (population, SMS or face) is unavailable; retry later"),
  UNLOCK_REQUEST_NOT_FOUND("HT-UNLOCK-REQUEST-NOT-FOUND", 404, "No pending unlock request with this id"),
  APPROVER_IS_REQUESTER("HT-APPROVER-IS-REQUESTER", 409, "An unlock must be approved by someone other than its requester"),
  IDENTITY_BUSY("HT-IDENTITY-BUSY", 503, "The member is hashing as many passwords as it takes; retry after the time given"),
  CASE_INPUT_INVALID("HT-CASE-INPUT-INVALID", 422, "A field of the case request is missing, too long or malformed"),
  CASE_NOT_FOUND("HT-CASE-NOT-FOUND", 404, "No case with this case number"),
  CASE_TOKEN_INVALID("HT-CASE-TOKEN-INVALID", 401, "The access token is neither the operator token nor a live SSO access token of an active account"),
  CASE_TOKEN_SCOPE("HT-CASE-TOKEN-SCOPE", 403, "The SSO access token was not granted the cases scope"),
  // 409: the case exists, but its state does not allow this move (the problem names from, to and action).
  CASE_TRANSITION("HT-CASE-TRANSITION", 409, "The case's state does not allow this action"),
  APPOINTMENT_INPUT_INVALID("HT-APPOINTMENT-INPUT-INVALID", 422, "A field of the appointment request is missing, too long or malformed"),
  SLOT_NOT_FOUND("HT-SLOT-NOT-FOUND", 404, "No appointment slot with this id"),
  SLOT_FULL("HT-SLOT-FULL", 409, "The slot is fully booked"),
  SLOT_STARTED("HT-SLOT-STARTED", 409, "The slot has started; it takes no more bookings"),
  SLOT_CAPACITY_BELOW_BOOKED("HT-SLOT-CAPACITY-BELOW-BOOKED", 409, "The new capacity is below the bookings the slot holds"),
  APPOINTMENT_EXISTS("HT-APPOINTMENT-EXISTS", 409, "This person has booked this slot already"),
  APPOINTMENT_NOT_FOUND("HT-APPOINTMENT-NOT-FOUND", 404, "No appointment with this id for this ID number"),
  APPOINTMENT_CANCELLED("HT-APPOINTMENT-CANCELLED", 409, "The appointment is cancelled"),
  APPOINTMENT_CHECKED_IN("HT-APPOINTMENT-CHECKED-IN", 409, "The appointment is checked in already"),
  CANCEL_CLOSED("HT-CANCEL-CLOSED", 409, "The slot starts too soon, or has started: the appointment can no longer be cancelled"),
  CHECK_IN_TOO_EARLY("HT-CHECK-IN-TOO-EARLY", 409, "Check-in opens a configured time before the slot starts"),
  CHECK_IN_TOO_LATE("HT-CHECK-IN-TOO-LATE", 409, "Check-in closed a configured time after the slot started"),
  CHECK_IN_REFUSED("HT-CHECK-IN-REFUSED", 409, "The hall queue refused to issue a ticket for the appointment"),
  QUEUE_UNAVAILABLE("HT-QUEUE-UNAVAILABLE", 503, "The hall queue did not answer; retry later"),
  EVALUATION_INVALID("HT-EVALUATION-INVALID", 422, "A field of the evaluation is missing, out of range or malformed"),
  EVALUATION_EXISTS("HT-EVALUATION-EXISTS", 409, "The case has been evaluated already"),
  INVITATION_NOT_FOUND("HT-INVITATION-NOT-FOUND", 404, "No open evaluation invitation for this phone"),
  RECTIFICATION_NOT_FOUND("HT-RECTIFICATION-NOT-FOUND", 404, "No rectification task with this id"),
  RECTIFICATION_STATE("HT-RECTIFICATION-STATE", 409, "The rectification task is not in a state that allows this"),
  QUEUE_INPUT_INVALID("HT-QUEUE-INPUT-INVALID", 422, "A field of the queue command or definition is missing, too long or malformed"),
  QUEUE_HALL_NOT_FOUND("HT-QUEUE-HALL-NOT-FOUND", 404, "No hall with this id"),
  QUEUE_QUEUE_NOT_FOUND("HT-QUEUE-QUEUE-NOT-FOUND", 404, "No queue with this id in the hall"),
  QUEUE_WINDOW_NOT_FOUND("HT-QUEUE-WINDOW-NOT-FOUND", 404, "No window with this id in the hall"),
  QUEUE_TICKET_NOT_FOUND("HT-QUEUE-TICKET-NOT-FOUND", 404, "No ticket with this id in the hall"),
  QUEUE_NO_TICKET("HT-QUEUE-NO-TICKET", 404, "No waiting ticket for this window now, or the waiting ones go to windows idle longer"),
  QUEUE_STATE("HT-QUEUE-STATE", 409, "The ticket or window is not in a state that allows this"),
  QUEUE_RECHECK_EXPIRED("HT-QUEUE-RECHECK-EXPIRED", 409, "The ticket was skipped too long ago to re-check in"),
  QUEUE_EXISTS("HT-QUEUE-EXISTS", 409, "A hall, queue or window with this id, prefix or number exists already"),
  DEVICE_NOT_FOUND("HT-DEVICE-NOT-FOUND", 404, "No device with this id"),
  DEVICE_INVALID("HT-DEVICE-INVALID", 422, "A field of the device or command is missing or malformed"),
  DEVICE_EXISTS("HT-DEVICE-EXISTS", 409, "A device with this id is registered already"),
  DEVICE_OFFLINE("HT-DEVICE-OFFLINE", 409, "The device is not connected to a kiosk bridge"),
  VERIFICATION_BUSY("HT-VERIFICATION-BUSY", 503, "The member has as many calls to verification services in progress as it takes; retry after the time given"),
  SSO_CLIENT_INVALID("HT-SSO-CLIENT-INVALID", 422, "The relying system's registration is missing a field or holds an invalid one"),
  SSO_CLIENT_NOT_FOUND("HT-SSO-CLIENT-NOT-FOUND", 404, "No relying system with this client id"),
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

  /** The catalogue entry for a cryptographic input error. */
  public static HubError forCrypto(io.huitong.crypto.CryptoError error) {
    return switch (error) {
      case MALFORMED_PEM -> MALFORMED_PEM;
      case MALFORMED_DER -> MALFORMED_DER;
      case POINT_NOT_ON_CURVE -> POINT_NOT_ON_CURVE;
      case WRONG_KEY_LENGTH -> WRONG_KEY_LENGTH;
      case NOT_SM2 -> NOT_SM2;
      case CIPHERTEXT_INVALID -> CIPHERTEXT_INVALID;
      case SIGNATURE_MALFORMED -> SIGNATURE_MALFORMED;
      case INPUT_INVALID -> BAD_REQUEST;
      case CERTIFICATE_INVALID -> CERTIFICATE_INVALID;
    };
  }

  /** An exception carrying this error and a detail for the client. */
  public HubException exception(String detail) {
    return new HubException(this, detail);
  }
}
