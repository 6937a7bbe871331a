package io.huitong.hub.sso.impl;

import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token signing keys, one active per algorithm, in PostgreSQL with their private keys sealed under the master
 * key (bound to the kid). Every member reloads them every minute, so a rotation on one is seen by all; the first
 * member to find a key missing or too old makes the new one, and the unique index on active keys makes a second
 * member's attempt fail harmlessly. Lookups read an immutable snapshot; thread-safe.
 */
final class KeyRing {
  private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);
  private static final String UNIQUE_VIOLATION = "23505";
  static final List<String> ALGORITHMS = List.of(SigningKey.ES256, SigningKey.SM2);

  private final Vertx vertx;
  private final Storage storage;
  private final MasterKey master;
  private final Duration rotation;
  private final Duration retention;
  private volatile Map<String, SigningKey> byKid = Map.of();

  KeyRing(Vertx vertx, Storage storage, MasterKey master, Duration rotation, Duration retention) {
    this.vertx = vertx;
    this.storage = storage;
    this.master = master;
    this.rotation = rotation;
    this.retention = retention;
  }

  /** The key tokens of {@code alg} are signed with now. */
  SigningKey active(String alg) {
    for (SigningKey key : byKid.values()) {
      if (key.alg.equals(alg) && key.retiredAt == null) {
        return key;
      }
    }
    throw new IllegalStateException("no active " + alg + " signing key loaded");
  }

  /** A published key (active or retired within the retention), or null. */
  SigningKey byKid(String kid) {
    return kid == null ? null : byKid.get(kid);
  }

  /** The public JWK set: standard curves, or SM2 keys only. */
  JsonObject jwks(boolean sm2) {
    JsonArray keys = new JsonArray();
    byKid.values().stream().filter(k -> SigningKey.SM2.equals(k.alg) == sm2)
        .sorted((a, b) -> b.createdAt.compareTo(a.createdAt)).forEach(k -> keys.add(k.publicJwk()));
    return new JsonObject().put("keys", keys);
  }

  /** Makes any missing or outdated active key, then reloads. */
  Uni<Void> refresh() {
    return load().chain(() -> {
      Uni<Void> chain = Uni.createFrom().voidItem();
      for (String alg : ALGORITHMS) {
        SigningKey current = activeOrNull(alg);
        if (current == null || current.createdAt.plus(rotation).isBefore(Instant.now())) {
          chain = chain.chain(() -> rotate(alg, current == null ? null : current.kid));
        }
      }
      return chain;
    });
  }

  /**
   * Retires the active key of {@code alg} if it is still {@code expectedKid} (null: there was none) and makes a new
   * one.
   */
  Uni<Void> rotate(String alg, String expectedKid) {
    return vertx.executeBlocking(Uni.createFrom().item(() -> SigningKey.generate(alg, SigningKey.newKid(alg))), false)
        .chain(key -> storage.pool().chain(pool -> pool.withTransaction(conn -> conn
                // Only the key this member saw: if another member rotated first, the insert below meets its key
                // in the unique index and this attempt ends quietly.
                .preparedQuery("UPDATE sso.signing_key SET retired_at = now() WHERE alg = $1 AND retired_at IS NULL"
                    + " AND kid = $2")
                .execute(Tuple.of(alg, expectedKid))
                .chain(() -> conn.preparedQuery("INSERT INTO sso.signing_key (kid, alg, public_jwk, private_sealed)"
                        + " VALUES ($1, $2, $3, $4)")
                    .execute(Tuple.of(key.kid, alg, key.publicJwk().encode(),
                        io.vertx.core.buffer.Buffer.buffer(master.seal(key.privatePkcs8(), context(key.kid))))))))
            .invoke(() -> LOG.info("New {} signing key {}", alg, key.kid)))
        .onFailure(e -> e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())).recoverWithNull()
        .chain(this::load);
  }

  Uni<Void> load() {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT kid, alg, public_jwk, private_sealed, created_at,"
            + " retired_at FROM sso.signing_key WHERE retired_at IS NULL OR retired_at > now() - make_interval(secs => $1)")
        .execute(Tuple.of((double) retention.toSeconds())))
        .map(rows -> {
          Map<String, SigningKey> loaded = new HashMap<>();
          Map<String, SigningKey> previous = byKid;
          for (Row row : rows) {
            String kid = row.getString("kid");
            Instant retired = instant(row.getOffsetDateTime("retired_at"));
            SigningKey known = previous.get(kid);
            if (known != null) {
              loaded.put(kid, known.retiredAt == null && retired != null ? known.retired(retired) : known);
              continue;
            }
            byte[] pkcs8 = master.open(row.getBuffer("private_sealed").getBytes(), context(kid));
            loaded.put(kid, SigningKey.restore(kid, row.getString("alg"), new JsonObject(row.getString("public_jwk")),
                pkcs8, instant(row.getOffsetDateTime("created_at")), retired));
          }
          byKid = Map.copyOf(loaded);
          return null;
        });
  }

  private SigningKey activeOrNull(String alg) {
    return byKid.values().stream().filter(k -> k.alg.equals(alg) && k.retiredAt == null).findFirst().orElse(null);
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).toInstant();
  }

  private static String context(String kid) {
    return "sso.signing-key/" + kid;
  }
}
