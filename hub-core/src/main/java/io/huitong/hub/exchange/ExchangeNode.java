package io.huitong.hub.exchange;

import io.huitong.crypto.x509.Sm2Certificate;
import java.time.Instant;

/**
 * A front-exchange node (前置交换节点) as the registry knows it: hosted here (with vault keys) or remote (known only
 * by its certificates).
 *
 * @param nodeId             the node id envelopes name as sender or receiver
 * @param local              true when this hub hosts the node
 * @param signCertificate    certifies the key the node signs envelopes with
 * @param encryptCertificate certifies the key envelopes to the node are encrypted to
 * @param signKeyId          the vault key behind the signing certificate, local nodes only
 * @param encryptKeyId       the vault key behind the encryption certificate, local nodes only
 * @param registeredAt       when the node was registered
 */
public record ExchangeNode(String nodeId, boolean local, Sm2Certificate signCertificate,
                           Sm2Certificate encryptCertificate, String signKeyId, String encryptKeyId,
                           Instant registeredAt) {

  /** The key reference envelopes signed by this node carry: node id and certificate serial. */
  public String signKeyRef() {
    return nodeId + "/" + signCertificate.serial().toString(16);
  }

  /** The key reference of envelopes encrypted to this node. */
  public String encryptKeyRef() {
    return nodeId + "/" + encryptCertificate.serial().toString(16);
  }
}
