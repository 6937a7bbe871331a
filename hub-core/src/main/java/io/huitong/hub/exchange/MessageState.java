package io.huitong.hub.exchange;

/**
 * Where a sent message stands (发送状态). NEW → SENT → DELIVERED → PROCESSED or REJECTED; a failed send, or no
 * receipt in time, goes to RETRY_WAIT with exponential backoff and jitter, and after the configured number of
 * attempts to DEAD, where it waits for an operator's replay. Receipts a node returns end at SENT.
 */
public enum MessageState {
  NEW, SENT, DELIVERED, PROCESSED, REJECTED, RETRY_WAIT, DEAD;

  /** True for PROCESSED and REJECTED: the receiver has decided. */
  public boolean decided() {
    return this == PROCESSED || this == REJECTED;
  }
}
