package io.huitong.hub.exchange.impl;

import io.huitong.crypto.x509.CertificateProfile;
import io.huitong.crypto.x509.Sm2Certificate;
import io.huitong.hub.exchange.ExchangeNode;
import io.huitong.hub.exchange.NodeRegistry;
import io.huitong.hub.http.HubError;
import io.huitong.hub.signing.KeyInfo;
import io.huitong.hub.signing.KeyPurpose;
import io.huitong.hub.signing.Signing;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link NodeRegistry} over {@code exchange.node}, with a cache the receivers read for every envelope. */
public final class PgNodeRegistry implements NodeRegistry {
  private static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(730);
  private static final String COLUMNS =
      "node_id, local, sign_key_id, encrypt_key_id, sign_certificate, encrypt_certificate, registered_at";

  private final Storage storage;
  private final Signing signing;
  /** Read again after this, so a node re-registered on another member is trusted here too within seconds. */
  private static final long CACHE_NANOS = Duration.ofSeconds(10).toNanos();

  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(ExchangeNode node, long readAt) {
  }

  public PgNodeRegistry(Storage storage, Signing signing) {
    this.storage = storage;
    this.signing = signing;
  }

  @Override
  public Uni<ExchangeNode> ensureLocal(String nodeId) {
    return lookup(nodeId).chain(found -> {
      if (found != null && found.local()) {
        return Uni.createFrom().item(found);
      }
      String subject = "CN=" + nodeId + ",OU=Exchange,O=Huitong";
      return signing.vault().create(KeyPurpose.SIGN, "exchange node " + nodeId)
          .chain(sign -> signing.vault().create(KeyPurpose.ENCRYPT, "exchange node " + nodeId)
              .chain(encrypt -> certify(sign, subject, CertificateProfile.SIGNING)
                  .chain(signCert -> certify(encrypt, subject, CertificateProfile.ENCRYPTION)
                      .chain(encryptCert -> storage.pool().chain(pool -> pool.preparedQuery(
                              "INSERT INTO exchange.node (" + COLUMNS + ") VALUES ($1, true, $2, $3, $4, $5, now())"
                                  + " ON CONFLICT (node_id) DO UPDATE SET local = true, sign_key_id = $2,"
                                  + " encrypt_key_id = $3, sign_certificate = $4, encrypt_certificate = $5"
                                  + " RETURNING " + COLUMNS)
                          .execute(Tuple.of(nodeId, sign.keyId(), encrypt.keyId(), signCert.toPem(), encryptCert.toPem())))))))
          .map(rows -> remember(toNode(rows.iterator().next())));
    });
  }

  private Uni<Sm2Certificate> certify(KeyInfo key, String subject, CertificateProfile profile) {
    return signing.pki().issue(key.keyId(), key.currentPublicKey(), subject, CERTIFICATE_VALIDITY, profile)
        .map(issued -> issued.certificate());
  }

  @Override
  public Uni<ExchangeNode> register(String nodeId, Sm2Certificate signCertificate, Sm2Certificate encryptCertificate) {
    requireSubject(nodeId, signCertificate, "signing");
    requireSubject(nodeId, encryptCertificate, "encryption");
    return lookup(nodeId).chain(found -> {
      if (found != null && found.local()) {
        throw HubError.EXCHANGE_NODE_LOCAL.exception("Node " + nodeId + " is hosted by this hub");
      }
      return storage.pool().chain(pool -> pool.preparedQuery(
              "INSERT INTO exchange.node (" + COLUMNS + ") VALUES ($1, false, null, null, $2, $3, now())"
                  + " ON CONFLICT (node_id) DO UPDATE SET sign_certificate = $2, encrypt_certificate = $3,"
                  + " registered_at = now() WHERE NOT node.local RETURNING " + COLUMNS)
          .execute(Tuple.of(nodeId, signCertificate.toPem(), encryptCertificate.toPem())));
    }).map(rows -> {
      if (rows.rowCount() == 0) {
        throw HubError.EXCHANGE_NODE_LOCAL.exception("Node " + nodeId + " is hosted by this hub");
      }
      return remember(toNode(rows.iterator().next()));
    });
  }

  /** The certificate must name the node and be valid now, so a certificate cannot be moved to another node. */
  private static void requireSubject(String nodeId, Sm2Certificate certificate, String which) {
    if (!certificate.subject().matches("(?i)(.*,)?\\s*CN=" + java.util.regex.Pattern.quote(nodeId) + "\\s*(,.*)?")) {
      throw HubError.CERTIFICATE_INVALID.exception("The " + which + " certificate's subject " + certificate.subject()
          + " does not have CN=" + nodeId);
    }
    Instant now = Instant.now();
    if (now.isBefore(certificate.notBefore()) || now.isAfter(certificate.notAfter())) {
      throw HubError.CERTIFICATE_EXPIRED.exception("The " + which + " certificate is valid from "
          + certificate.notBefore() + " to " + certificate.notAfter());
    }
  }

  @Override
  public Uni<ExchangeNode> find(String nodeId) {
    Cached cached = cache.get(nodeId);
    if (cached != null && System.nanoTime() - cached.readAt() < CACHE_NANOS) {
      return Uni.createFrom().item(cached.node());
    }
    return lookup(nodeId).map(node -> {
      if (node == null) {
        throw HubError.EXCHANGE_NODE_NOT_FOUND.exception("No exchange node " + nodeId);
      }
      return node;
    });
  }

  /** Reads the node again, past the cache: after a signature fails, in case another member re-registered it. */
  Uni<ExchangeNode> refresh(String nodeId) {
    cache.remove(nodeId);
    return lookup(nodeId);
  }

  private Uni<ExchangeNode> lookup(String nodeId) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT " + COLUMNS + " FROM exchange.node WHERE node_id = $1")
        .execute(Tuple.of(nodeId))).map(rows -> rows.size() == 0 ? null : remember(toNode(rows.iterator().next())));
  }

  @Override
  public Uni<List<ExchangeNode>> list() {
    return storage.pool().chain(pool -> pool.query("SELECT " + COLUMNS + " FROM exchange.node ORDER BY node_id").execute())
        .map(rows -> {
          List<ExchangeNode> out = new ArrayList<>();
          rows.forEach(r -> out.add(remember(toNode(r))));
          return out;
        });
  }

  private ExchangeNode remember(ExchangeNode node) {
    cache.put(node.nodeId(), new Cached(node, System.nanoTime()));
    return node;
  }

  private static ExchangeNode toNode(Row r) {
    return new ExchangeNode(r.getString("node_id"), r.getBoolean("local"),
        Sm2Certificate.fromPem(r.getString("sign_certificate")), Sm2Certificate.fromPem(r.getString("encrypt_certificate")),
        r.getString("sign_key_id"), r.getString("encrypt_key_id"),
        r.getOffsetDateTime("registered_at").toInstant());
  }
}
