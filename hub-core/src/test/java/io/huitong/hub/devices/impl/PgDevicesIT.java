package io.huitong.hub.devices.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import io.huitong.crypto.Sm2;
import io.huitong.crypto.Sm2KeyPair;
import io.huitong.crypto.x509.CertificateAuthority;
import io.huitong.hub.Eventually;
import io.huitong.hub.cluster.LoneMember;
import io.huitong.hub.devices.Devices;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.storage.Migrations;
import io.huitong.hub.storage.ScratchDatabase;
import io.huitong.hub.storage.Storage;
import io.huitong.kiosk.KioskMessage;
import io.huitong.kioskbridge.BusAddresses;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The device registry against the machine's PostgreSQL (a fresh database for the class), a real event bus and a
 * Hazelcast member, fed the bridge's reports directly, in the orders a cluster can deliver them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgDevicesIT {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  private final Vertx vertx = Vertx.vertx();
  private final Storage storage = new Storage();
  /** Every alarm change published. */
  private final List<JsonObject> alarms = new CopyOnWriteArrayList<>();
  /** Every frame or close order published to the bridges. */
  private final List<JsonObject> deliveries = new CopyOnWriteArrayList<>();
  private ScratchDatabase database;
  private HazelcastInstance hazelcast;
  private Devices devices;

  @BeforeAll
  void start() throws Exception {
    database = ScratchDatabase.create("devices", "devices");
    Migrations.migrate(database.location(), "ops");
    storage.open(vertx, database.location(), 4);
    hazelcast = LoneMember.start("devices-it");
    devices = Devices.start(vertx, storage, AuditLog.create(storage, "devices-it"), hazelcast).await().atMost(LIMIT);
    vertx.eventBus().<JsonObject>consumer(PgDevices.ALARM_ADDRESS).handler(m -> alarms.add(m.body()))
        .completionHandler().await().atMost(LIMIT);
    vertx.eventBus().<JsonObject>consumer(BusAddresses.KIOSK_DELIVER).handler(m -> deliveries.add(m.body()))
        .completionHandler().await().atMost(LIMIT);
  }

  @AfterAll
  void stop() throws Exception {
    devices.close().await().atMost(LIMIT);
    storage.close().await().atMost(LIMIT);
    vertx.closeAndAwait();
    hazelcast.shutdown();
    database.close();
  }

  private void telemetry(String device, String connection, long n, String paper) {
    vertx.eventBus().send(BusAddresses.DEVICES_TELEMETRY, new JsonObject().put("deviceId", device).put("hall", "hall-1")
        .put("paper", paper).put("faults", new JsonArray()).put("connection", connection).put("n", n));
  }

  private String paper(String device) {
    return devices.get(device).await().atMost(LIMIT).getString("paper");
  }

  private boolean raised(String device, String condition) {
    return devices.alarms(true, 100).await().atMost(LIMIT).stream().map(JsonObject.class::cast)
        .anyMatch(a -> a.getString("deviceId").equals(device) && a.getString("condition").equals(condition));
  }

  /**
   * A connection's reports can reach different members and be handled out of order: one older than a report
   * already applied neither changes the device's state nor raises an alarm. A new connection starts afresh.
   */
  @Test
  void anOlderTelemetryReportChangesNothing() throws Exception {
    devices.register(new JsonObject().put("id", "tm-1").put("kind", "ticket-machine").put("hall", "hall-1"))
        .await().atMost(LIMIT);
    telemetry("tm-1", "c1", 1, "low");
    Eventually.holds("paper low, alarmed", LIMIT, () -> "low".equals(paper("tm-1")) && raised("tm-1", "paper-low"));
    telemetry("tm-1", "c1", 3, "ok");
    Eventually.holds("paper refilled, alarm cleared", LIMIT, () -> "ok".equals(paper("tm-1"))
        && !raised("tm-1", "paper-low"));
    // The report sent between them arrives last.
    telemetry("tm-1", "c1", 2, "out");
    // Applied, it would show within this wait: a report is one transaction of a few statements.
    Thread.sleep(1000);
    assertEquals("ok", paper("tm-1"));
    assertFalse(raised("tm-1", "paper-out"), "an alarm from a report older than the state");
    assertFalse(alarms.stream().anyMatch(a -> "paper-out".equals(a.getString("condition"))));

    telemetry("tm-1", "c2", 1, "out");
    Eventually.holds("the next connection's first report applied", LIMIT, () -> "out".equals(paper("tm-1"))
        && raised("tm-1", "paper-out"));
    assertTrue(alarms.stream().anyMatch(a -> "paper-out".equals(a.getString("condition"))
        && "RAISED".equals(a.getString("state"))), "the alarm published once committed");
  }

  /**
   * A device deleted while the bridge was authenticating it goes live after the bridges were told to close it;
   * its online report finds no device, and the registry tells the bridges again.
   */
  @Test
  void aDeviceDeletedWhileAuthenticatingIsClosedWhenItComesOnline() throws Exception {
    devices.register(new JsonObject().put("id", "kiosk-gone").put("kind", "kiosk").put("hall", "hall-1"))
        .await().atMost(LIMIT);
    devices.delete("kiosk-gone").await().atMost(LIMIT);
    Eventually.holds("the first close order", LIMIT, () -> closeOrders("kiosk-gone") == 1);
    vertx.eventBus().send(BusAddresses.DEVICES_PRESENCE, new JsonObject().put("deviceId", "kiosk-gone")
        .put("state", "online").put("hall", "hall-1").put("connection", "c-late"));
    Eventually.holds("a second close order", LIMIT, () -> closeOrders("kiosk-gone") == 2);
  }

  private long closeOrders(String device) {
    return deliveries.stream().filter(d -> device.equals(d.getString("deviceId")) && d.containsKey("revoked")).count();
  }

  /**
   * A certificate that expired after its device was registered no longer admits it: a right signature is answered
   * 401 with the reason; a wrong one says nothing about the certificate.
   */
  @Test
  void aCertificateThatExpiredSinceRegistrationIsRefused() throws Exception {
    Sm2KeyPair keys = Sm2.generateKeyPair();
    devices.register(new JsonObject().put("id", "kiosk-aged").put("kind", "kiosk").put("hall", "hall-1")
        .put("certificate", certificate(keys, Instant.now().plus(Duration.ofDays(1))))).await().atMost(LIMIT);
    JsonObject ask = new JsonObject().put("deviceId", "kiosk-aged").put("nonce", "n-1").put("signature", Base64
        .getEncoder().encodeToString(Sm2.sign(keys.privateKey(), KioskMessage.Challenge.signedText("n-1", "kiosk-aged")
            .getBytes(StandardCharsets.UTF_8))));
    assertEquals("kiosk-aged", vertx.eventBus().<JsonObject>request(BusAddresses.DEVICES_AUTHENTICATE, ask)
        .await().atMost(LIMIT).body().getString("deviceId"));

    // The day after: the same certificate, now past its end.
    database.execute("UPDATE devices.device SET certificate = '"
        + certificate(keys, Instant.now().minus(Duration.ofMinutes(1))) + "' WHERE device_id = 'kiosk-aged'");
    ReplyException refused = assertThrows(ReplyException.class, () -> vertx.eventBus()
        .request(BusAddresses.DEVICES_AUTHENTICATE, ask).await().atMost(LIMIT));
    assertEquals(401, refused.failureCode());
    assertTrue(refused.getMessage().startsWith("HT-DEVICE-CERTIFICATE-EXPIRED"), refused.getMessage());
    ReplyException wrong = assertThrows(ReplyException.class, () -> vertx.eventBus()
        .request(BusAddresses.DEVICES_AUTHENTICATE, ask.copy().put("nonce", "n-2")).await().atMost(LIMIT));
    assertTrue(wrong.getMessage().startsWith("HT-DEVICE-UNAUTHENTICATED"), wrong.getMessage());
  }

  private static String certificate(Sm2KeyPair keys, Instant notAfter) {
    return CertificateAuthority.createRoot(keys, "CN=kiosk-aged", Instant.now().minus(Duration.ofDays(2)), notAfter)
        .certificate().toPem();
  }
}
