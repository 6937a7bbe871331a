package io.huitong.hub.exchange;

/**
 * Why a receiver refused a message or a record: the stable codes of business receipts and of the rejected list.
 * They replace the free-text "当前业务已…" replies seen in deployed department interfaces.
 */
public enum RejectCode {
  /** The message id was applied before; nothing was applied again. */
  DUPLICATE,
  /** An update or delete names an issue (or row) the receiver does not have. */
  UNKNOWN_ISSUE,
  /** No adapter takes this type, or the payload does not fit it. */
  SCHEMA_INVALID,
  /** A record would move an issue backwards: its sequence was already applied by another message. */
  STATE_CONFLICT,
  /** The signature, a digest or the encryption does not check out, or the sender is not a registered node. */
  SIGNATURE_INVALID,
  /** The message arrived after its expiry time. */
  EXPIRED,
  /** The sending node had no route for the record, or a route's transformation failed on it. */
  NO_ROUTE
}
