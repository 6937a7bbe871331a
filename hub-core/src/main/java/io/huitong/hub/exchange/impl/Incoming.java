package io.huitong.hub.exchange.impl;

import io.huitong.exchange.Operation;
import io.huitong.hub.exchange.RejectCode;
import java.util.UUID;

/**
 * A received record on its way to a sink, in issue order, and what became of it.
 *
 * @param messageId   the message that carried it
 * @param type        the message's type, which picks the sink
 * @param issue       its issue
 * @param sequence    its place in the issue on this link
 * @param dataVersion its data version
 * @param operation   insert, update or delete
 * @param payload     the plaintext payload
 */
record Incoming(UUID messageId, String type, String issue, long sequence, long dataVersion, Operation operation, byte[] payload) {

  /**
   * Why a record was not applied.
   *
   * @param code   the stable code
   * @param detail what exactly was wrong
   */
  record Refusal(RejectCode code, String detail) {
  }
}
