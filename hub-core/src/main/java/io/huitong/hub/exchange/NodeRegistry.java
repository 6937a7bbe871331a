package io.huitong.hub.exchange;

import io.huitong.crypto.x509.Sm2Certificate;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * The front-exchange nodes this hub knows, kept in {@code exchange.node}. Hosted nodes get an SM2 signing key and an
 * encryption key in the vault, certified by the hub's CA; remote nodes are registered by an operator with their two
 * certificates, whose subject CN must be the node id. A receiver trusts an envelope's signature only through this
 * registry. Errors: {@code HT-EXCHANGE-NODE-NOT-FOUND}, {@code HT-CERTIFICATE-INVALID}, {@code HT-EXCHANGE-NODE-LOCAL}.
 */
public interface NodeRegistry {

  /** Creates the keys and certificates of a hosted node on its first start; returns the node either way. */
  Uni<ExchangeNode> ensureLocal(String nodeId);

  /** Registers or replaces a remote node's certificates. */
  Uni<ExchangeNode> register(String nodeId, Sm2Certificate signCertificate, Sm2Certificate encryptCertificate);

  /** The node, or {@code HT-EXCHANGE-NODE-NOT-FOUND}. */
  Uni<ExchangeNode> find(String nodeId);

  Uni<List<ExchangeNode>> list();
}
