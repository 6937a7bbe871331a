package io.huitong.hub.exchange.impl;

import io.huitong.hub.exchange.ExchangeNode;
import io.huitong.hub.exchange.NodeRegistry;
import io.huitong.hub.http.HubException;

/** The registry as the exchange's own threads use it: blocking lookups, served from the registry's cache. */
final class RemoteNodes {
  private final PgNodeRegistry registry;

  RemoteNodes(PgNodeRegistry registry) {
    this.registry = registry;
  }

  NodeRegistry registry() {
    return registry;
  }

  /** The node, or HT-EXCHANGE-NODE-NOT-FOUND. */
  ExchangeNode node(String nodeId) {
    return registry.find(nodeId).await().atMost(Sql.STATEMENT_LIMIT);
  }

  /** The node read again from the database, or null: used when a signature fails against the cached certificate. */
  ExchangeNode reread(String nodeId) {
    return registry.refresh(nodeId).await().atMost(Sql.STATEMENT_LIMIT);
  }

  /** The node, or null when it is not registered. */
  ExchangeNode nodeOrNull(String nodeId) {
    try {
      return node(nodeId);
    } catch (HubException notFound) {
      return null;
    }
  }
}
