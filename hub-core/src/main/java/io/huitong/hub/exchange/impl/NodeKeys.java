package io.huitong.hub.exchange.impl;

import io.huitong.crypto.Sm2PrivateKey;
import io.huitong.hub.exchange.ExchangeNode;

/**
 * A hosted node with its private keys, unsealed once at start for the relay and the receiver.
 *
 * @param node       the node
 * @param signKey    signs its envelopes and receipts
 * @param decryptKey opens envelopes encrypted to it
 */
record NodeKeys(ExchangeNode node, Sm2PrivateKey signKey, Sm2PrivateKey decryptKey) {

  String id() {
    return node.nodeId();
  }
}
