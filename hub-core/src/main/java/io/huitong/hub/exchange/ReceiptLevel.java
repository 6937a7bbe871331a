package io.huitong.hub.exchange;

/**
 * How far a message got at its receiver (回执层级): TRANSPORT, accepted and persisted; DELIVERY, handed to the
 * receiving adapter; BUSINESS, processed or rejected with a {@link RejectCode}.
 */
public enum ReceiptLevel {
  TRANSPORT, DELIVERY, BUSINESS
}
