package io.huitong.hub.exchange.impl;

import java.util.List;

/**
 * The receiving adapter a node hands its records to (the sink side of 交换适配). It applies them inside the
 * receiver's transaction, so the records, the deduplication row and the issue positions commit together.
 */
interface RecordSink {

  /**
   * Applies {@code records} in order.
   *
   * @return for each record, null when applied, otherwise why not; a refused record does not stop the others
   */
  List<Incoming.Refusal> apply(Sql sql, List<Incoming> records) throws Exception;
}
