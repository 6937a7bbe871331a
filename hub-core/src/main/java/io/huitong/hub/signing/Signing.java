package io.huitong.hub.signing;

import io.huitong.crypto.CryptoException;
import io.huitong.hub.StartupException;
import io.huitong.hub.signing.impl.DefaultSeals;
import io.huitong.hub.signing.impl.PgKeyVault;
import io.huitong.hub.signing.impl.PgPki;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The signing capability, assembled: vault, PKI, seals and blind indexes over one master key. */
public final class Signing {
  private static final String CHECK_CONTEXT = "signing.master_key_check";
  private static final byte[] CHECK_VALUE = "huitong master key check".getBytes(StandardCharsets.US_ASCII);

  private final KeyVault vault;
  private final Pki pki;
  private final Seals seals;
  private final BlindIndex blindIndex;

  private Signing(KeyVault vault, Pki pki, Seals seals, BlindIndex blindIndex) {
    this.vault = vault;
    this.pki = pki;
    this.seals = seals;
    this.blindIndex = blindIndex;
  }

  /**
   * Checks that {@code master} is the key this database's keys were sealed with (recording it on first start), then
   * opens the certificate authority. Blocking: call from a start-up thread.
   */
  public static Signing start(Vertx vertx, Storage storage, MasterKey master, SigningConfig config) throws StartupException {
    checkMasterKey(storage, master);
    PgKeyVault vault = new PgKeyVault(vertx, storage, master);
    PgPki pki = new PgPki(vertx, storage, vault, config);
    pki.open().await().atMost(Duration.ofMinutes(1));
    return new Signing(vault, pki, new DefaultSeals(vertx, storage, vault, pki), BlindIndex.create(master));
  }

  public KeyVault vault() {
    return vault;
  }

  public Pki pki() {
    return pki;
  }

  public Seals seals() {
    return seals;
  }

  public BlindIndex blindIndex() {
    return blindIndex;
  }

  private static void checkMasterKey(Storage storage, MasterKey master) throws StartupException {
    byte[] stored = storage.pool()
        .flatMap(pool -> pool.preparedQuery("INSERT INTO signing.master_key_check (id, sealed) VALUES (1, $1) "
                + "ON CONFLICT (id) DO NOTHING").execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(master.seal(CHECK_VALUE, CHECK_CONTEXT))))
            .flatMap(r -> pool.query("SELECT sealed FROM signing.master_key_check WHERE id = 1").execute()))
        .map(rows -> rows.iterator().next().getBuffer("sealed").getBytes())
        .await().atMost(Duration.ofSeconds(30));
    try {
      master.open(stored, CHECK_CONTEXT);
    } catch (CryptoException e) {
      throw new StartupException(SigningConfig.MASTER_KEY + ": the master key is not the one this database's keys are "
          + "sealed with; supply the original key (HUB_SIGNING_MASTER_KEY or " + SigningConfig.MASTER_KEY_FILE + ")");
    }
  }
}
