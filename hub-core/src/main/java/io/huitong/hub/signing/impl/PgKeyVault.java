package io.huitong.hub.signing.impl;

import io.huitong.crypto.CryptoException;
import io.huitong.crypto.Sm2;
import io.huitong.crypto.Sm2CipherFormat;
import io.huitong.crypto.Sm2KeyPair;
import io.huitong.crypto.Sm2PrivateKey;
import io.huitong.crypto.Sm2PublicKey;
import io.huitong.hub.http.HubError;
import io.huitong.hub.signing.KeyInfo;
import io.huitong.hub.signing.KeyPurpose;
import io.huitong.hub.signing.KeyVault;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** {@link KeyVault} in tables {@code signing.signing_key} and {@code signing.key_version}. */
public final class PgKeyVault implements KeyVault {
  private static final String KEY_AND_VERSIONS = "SELECT k.purpose, k.label, k.current_version, v.version, v.public_key, "
      + "v.created_at, v.retired_at FROM signing.signing_key k JOIN signing.key_version v ON v.key_id = k.key_id "
      + "WHERE k.key_id = $1 ORDER BY v.version DESC";
  private static final String SEALED = "SELECT k.purpose, v.sealed_private_key FROM signing.signing_key k "
      + "JOIN signing.key_version v ON v.key_id = k.key_id WHERE k.key_id = $1 AND v.version = $2";

  private final Vertx vertx;
  private final Storage storage;
  private final MasterKey master;
  /** Unsealed private keys by "id/version/purpose": versions never change once written, so entries never go stale. */
  private final Map<String, Sm2PrivateKey> unsealed = new ConcurrentHashMap<>();

  public PgKeyVault(Vertx vertx, Storage storage, MasterKey master) {
    this.vertx = vertx;
    this.storage = storage;
    this.master = master;
  }

  @Override
  public Uni<KeyInfo> create(KeyPurpose purpose, String label) {
    return storage.pool().flatMap(pool -> createOn(pool, "key-" + UUID.randomUUID(), purpose, label));
  }

  /** Creates key {@code keyId} through {@code client}, which may be a connection inside the caller's transaction. */
  public Uni<KeyInfo> createOn(SqlClient client, String keyId, KeyPurpose purpose, String label) {
    return offLoop(Sm2::generateKeyPair)
        .flatMap(keys -> client.preparedQuery("INSERT INTO signing.signing_key (key_id, purpose, label, current_version) "
                + "VALUES ($1, $2, $3, 1)").execute(Tuple.of(keyId, purpose.name(), label))
            .flatMap(r -> insertVersion(client, keyId, 1, purpose, keys)))
        .flatMap(v -> describeOn(client, keyId));
  }

  @Override
  public Uni<KeyInfo> rotate(String keyId) {
    return storage.pool().flatMap(pool -> pool.withTransaction(tx -> tx
        // The row lock taken here makes concurrent rotations of one key line up.
        .preparedQuery("UPDATE signing.signing_key SET current_version = current_version + 1 WHERE key_id = $1 "
            + "RETURNING purpose, current_version").execute(Tuple.of(keyId))
        .flatMap(rows -> {
          Row row = single(rows, keyId);
          KeyPurpose purpose = KeyPurpose.valueOf(row.getString("purpose"));
          int version = row.getInteger("current_version");
          return tx.preparedQuery("UPDATE signing.key_version SET retired_at = now() WHERE key_id = $1 AND version = $2")
              .execute(Tuple.of(keyId, version - 1))
              .flatMap(r -> offLoop(Sm2::generateKeyPair))
              .flatMap(keys -> insertVersion(tx, keyId, version, purpose, keys));
        })
        .flatMap(v -> describeOn(tx, keyId))));
  }

  @Override
  public Uni<KeyInfo> describe(String keyId) {
    return storage.pool().flatMap(pool -> describeOn(pool, keyId));
  }

  @Override
  public Uni<Signed> sign(String keyId, KeyPurpose purpose, byte[] data, byte[] signerId) {
    return current(keyId, purpose).flatMap(v -> privateKey(keyId, v, purpose)
        .flatMap(key -> offLoop(() -> new Signed(keyId, v, Sm2.sign(key, data, signerId)))));
  }

  @Override
  public Uni<Boolean> verify(String keyId, Integer version, byte[] data, byte[] signature, byte[] signerId) {
    return describe(keyId).flatMap(info -> offLoop(() -> info.versions().stream()
        .filter(v -> version == null || v.version() == version)
        .anyMatch(v -> Sm2.verify(v.publicKey(), data, signature, signerId))));
  }

  @Override
  public Uni<Signed> encrypt(String keyId, byte[] plaintext) {
    return describe(keyId).flatMap(info -> {
      requirePurpose(info.purpose(), KeyPurpose.ENCRYPT, keyId);
      return offLoop(() -> new Signed(keyId, info.currentVersion(),
          Sm2.encrypt(info.currentPublicKey(), plaintext, Sm2CipherFormat.ASN1)));
    });
  }

  @Override
  public Uni<byte[]> decrypt(String keyId, Integer version, byte[] ciphertext) {
    return describe(keyId).flatMap(info -> {
      requirePurpose(info.purpose(), KeyPurpose.ENCRYPT, keyId);
      List<Integer> versions = info.versions().stream().map(KeyInfo.Version::version)
          .filter(v -> version == null || v.equals(version)).toList();
      if (versions.isEmpty()) {
        throw HubError.KEY_NOT_FOUND.exception("Key " + keyId + " has no version " + version);
      }
      return decryptWithFirst(keyId, versions, 0, ciphertext);
    });
  }

  /** Tries each version in turn; SM2's check value (C3) tells a wrong key from the right one. */
  private Uni<byte[]> decryptWithFirst(String keyId, List<Integer> versions, int at, byte[] ciphertext) {
    return privateKey(keyId, versions.get(at), KeyPurpose.ENCRYPT)
        .flatMap(key -> offLoop(() -> Sm2.decrypt(key, ciphertext)))
        .onFailure(e -> e instanceof CryptoException c && c.error() == io.huitong.crypto.CryptoError.CIPHERTEXT_INVALID
            && at + 1 < versions.size())
        .recoverWithUni(e -> decryptWithFirst(keyId, versions, at + 1, ciphertext));
  }

  @Override
  public Uni<Sm2PrivateKey> privateKey(String keyId, int version, KeyPurpose purpose) {
    return storage.pool().flatMap(pool -> privateKeyOn(pool, keyId, version, purpose));
  }

  /** As {@link #privateKey}, read through {@code client} (inside the caller's transaction, say). */
  Uni<Sm2PrivateKey> privateKeyOn(SqlClient client, String keyId, int version, KeyPurpose purpose) {
    // The purpose is part of the cache key, so a request for the wrong purpose misses and is refused below.
    String cacheKey = keyId + "/" + version + "/" + purpose;
    Sm2PrivateKey cached = unsealed.get(cacheKey);
    if (cached != null) {
      return Uni.createFrom().item(cached);
    }
    return client.preparedQuery(SEALED).execute(Tuple.of(keyId, version))
        .map(rows -> {
          Row row = single(rows, keyId);
          requirePurpose(KeyPurpose.valueOf(row.getString("purpose")), purpose, keyId);
          byte[] pkcs8 = master.open(row.getBuffer("sealed_private_key").getBytes(), sealContext(keyId, version, purpose));
          Sm2PrivateKey key = Sm2PrivateKey.fromPkcs8(pkcs8);
          java.util.Arrays.fill(pkcs8, (byte) 0);
          unsealed.put(cacheKey, key);
          return key;
        });
  }

  private Uni<Integer> current(String keyId, KeyPurpose purpose) {
    return storage.pool()
        .flatMap(pool -> pool.preparedQuery("SELECT purpose, current_version FROM signing.signing_key WHERE key_id = $1")
            .execute(Tuple.of(keyId)))
        .map(rows -> {
          Row row = single(rows, keyId);
          requirePurpose(KeyPurpose.valueOf(row.getString("purpose")), purpose, keyId);
          return row.getInteger("current_version");
        });
  }

  private Uni<Void> insertVersion(SqlClient client, String keyId, int version, KeyPurpose purpose, Sm2KeyPair keys) {
    byte[] sealed = master.seal(keys.privateKey().toPkcs8(), sealContext(keyId, version, purpose));
    return client.preparedQuery("INSERT INTO signing.key_version (key_id, version, public_key, sealed_private_key) "
            + "VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(keyId, version, io.vertx.core.buffer.Buffer.buffer(keys.publicKey().toDer()), io.vertx.core.buffer.Buffer.buffer(sealed)))
        .replaceWithVoid();
  }

  private Uni<KeyInfo> describeOn(SqlClient client, String keyId) {
    return client.preparedQuery(KEY_AND_VERSIONS).execute(Tuple.of(keyId)).map(rows -> {
      if (rows.size() == 0) {
        throw HubError.KEY_NOT_FOUND.exception("No key " + keyId);
      }
      List<KeyInfo.Version> versions = new ArrayList<>();
      Row first = null;
      for (Row r : rows) {
        first = first == null ? r : first;
        OffsetDateTime retired = r.getOffsetDateTime("retired_at");
        versions.add(new KeyInfo.Version(r.getInteger("version"), Sm2PublicKey.fromDer(r.getBuffer("public_key").getBytes()),
            r.getOffsetDateTime("created_at").toInstant(), retired == null ? null : retired.toInstant()));
      }
      return new KeyInfo(keyId, KeyPurpose.valueOf(first.getString("purpose")), first.getString("label"),
          first.getInteger("current_version"), versions);
    });
  }

  private static Row single(RowSet<Row> rows, String keyId) {
    if (rows.size() == 0) {
      throw HubError.KEY_NOT_FOUND.exception("No key " + keyId);
    }
    return rows.iterator().next();
  }

  private static void requirePurpose(KeyPurpose actual, KeyPurpose wanted, String keyId) {
    if (actual != wanted) {
      throw HubError.KEY_USAGE.exception("Key " + keyId + " is a " + actual + " key, not a " + wanted + " key");
    }
  }

  /** Binds a sealed private key to its row: opening it under another id, version or purpose fails. */
  private static String sealContext(String keyId, int version, KeyPurpose purpose) {
    return "signing.key_version/" + keyId + "/" + version + "/" + purpose;
  }

  /** SM2 arithmetic takes a fraction of a millisecond per call: enough to keep it off the event loop. */
  private <T> Uni<T> offLoop(Supplier<T> work) {
    return vertx.executeBlocking(Uni.createFrom().item(work), false);
  }
}
