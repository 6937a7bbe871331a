package io.huitong.hub.storage;

import io.huitong.hub.http.HubError;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;

/**
 * The hub's PostgreSQL pool, available once the server is up and migrated. Before that, {@link #pool()} fails with
 * {@link HubError#NOT_READY}, so a request that needs the database during start-up gets a clear 503.
 */
public final class Storage {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Storage.class);
  private volatile Pool pool;
  private volatile PgLocation location;

  /** Opens the pool; called once start-up has migrated the schemas. */
  public void open(io.vertx.mutiny.core.Vertx vertx, PgLocation location, int poolSize) {
    this.location = location;
    this.pool = Pool.newInstance(io.vertx.pgclient.PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(poolSize).setName("hub").setShared(true))
        .connectingTo(location.connectOptions())
        .using(vertx.getDelegate())
        .build());
  }

  /** The pool, or a NOT_READY failure while the database is still starting. */
  public Uni<Pool> pool() {
    Pool p = pool;
    return p != null ? Uni.createFrom().item(p)
        : Uni.createFrom().failure(HubError.NOT_READY.exception("The database is still starting"));
  }

  /** Readiness of the database: a round trip within {@code timeout}. */
  public Uni<JsonObject> health(Duration timeout) {
    Pool p = pool;
    if (p == null) {
      return Uni.createFrom().item(new JsonObject().put("status", "STARTING"));
    }
    PgLocation loc = location;
    return p.query("SELECT 1").execute()
        .ifNoItem().after(timeout).fail()
        .map(rows -> new JsonObject().put("status", "UP").put("embedded", loc.embedded()))
        .onFailure().invoke(e -> LOG.warn("PostgreSQL {} does not answer: {}", loc.display(), e.toString()))
        .onFailure().recoverWithItem(e -> new JsonObject().put("status", "DOWN"));
  }

  public Uni<Void> close() {
    Pool p = pool;
    pool = null;
    return p == null ? Uni.createFrom().voidItem() : p.close();
  }
}
