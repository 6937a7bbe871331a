package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.crypto.Sm2;
import io.huitong.crypto.Sm2KeyPair;
import io.huitong.crypto.x509.CertificateAuthority;
import io.huitong.hub.Eventually;
import io.huitong.kiosk.KioskMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hall devices against a real hub: registration, hello with a token or an SM2 certificate, telemetry raising and
 * clearing alarms, an operator's command reaching the device, a silent device counted offline, and queue actions
 * through the bridge acting as the device that sent them, at its own window.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevicesIT {
  private static final String HALL = QueueSetup.HALL;
  private HubProcess hub;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    hub = HubProcess.embedded(dir.resolve("hub"), "devices");
    hub.env.put("HUB_BRIDGE_HEARTBEAT_INTERVAL", "2s");
    hub.env.put("HUB_BRIDGE_MISSED_HEARTBEATS", "2");
    hub.start().awaitReady(Duration.ofMinutes(3));
    QueueSetup.hall(hub, 1);
  }

  @AfterAll
  void stop() throws Exception {
    if (hub != null) {
      hub.close();
    }
  }

  private String register(String id, String kind) throws Exception {
    return hub.adminJson("POST", "/devices", new JsonObject().put("id", id).put("kind", kind).put("hall", HALL))
        .getString("token");
  }

  private JsonArray alarms() throws Exception {
    return hub.adminJson("GET", "/device-alarms", null).getJsonArray("alarms");
  }

  private boolean alarm(String device, String condition, String state) throws Exception {
    return alarms().stream().map(JsonObject.class::cast).anyMatch(a -> a.getString("deviceId").equals(device)
        && a.getString("condition").equals(condition) && a.getString("state").equals(state));
  }

  @Test
  void aWrongTokenIsRefused() throws Exception {
    register("tm-wrong", "ticket-machine");
    try (KioskDevice device = KioskDevice.connect(hub)) {
      device.expect("challenge");
      device.send(new JsonObject().put("type", "hello").put("deviceId", "tm-wrong").put("token", "guess"));
      assertEquals("HT-KIOSK-UNAUTHENTICATED", device.expect("error").getString("code"));
    }
  }

  @Test
  void aCertificateDeviceSignsTheNonce() throws Exception {
    Sm2KeyPair keys = Sm2.generateKeyPair();
    String certificate = CertificateAuthority.createRoot(keys, "CN=kiosk-cert", Instant.now().minusSeconds(60),
        Instant.now().plus(Duration.ofDays(1))).certificate().toPem();
    JsonObject registered = hub.adminJson("POST", "/devices", new JsonObject().put("id", "kiosk-cert").put("kind", "kiosk")
        .put("hall", HALL).put("certificate", certificate));
    assertEquals("certificate", registered.getString("credential"));
    assertFalse(registered.containsKey("token"));
    try (KioskDevice device = KioskDevice.connect(hub)) {
      helloSigned(device, "kiosk-cert", keys);
      assertEquals("kiosk", device.expect("welcome").getString("kind"));
      Eventually.holds("the device is online", Duration.ofSeconds(30),
          () -> hub.adminJson("GET", "/devices/kiosk-cert", null).getBoolean("online"));
    }
  }

  /**
   * A certificate already expired is not registered; a device whose certificate is not valid yet is refused, and
   * told why once its signature is right. (One that expires after registration: PgDevicesIT.)
   */
  @Test
  void aCertificateOutsideItsValidityIsRefused() throws Exception {
    Sm2KeyPair old = Sm2.generateKeyPair();
    String expired = CertificateAuthority.createRoot(old, "CN=kiosk-expired", Instant.now().minus(Duration.ofDays(2)),
        Instant.now().minus(Duration.ofDays(1))).certificate().toPem();
    var refused = hub.admin("POST", "/devices", new JsonObject().put("id", "kiosk-expired").put("kind", "kiosk")
        .put("hall", HALL).put("certificate", expired));
    assertEquals(422, refused.statusCode());
    assertTrue(refused.body().contains("HT-DEVICE-INVALID") && refused.body().contains("expired"), refused.body());

    Sm2KeyPair keys = Sm2.generateKeyPair();
    hub.adminJson("POST", "/devices", new JsonObject().put("id", "kiosk-early").put("kind", "kiosk")
        .put("hall", HALL).put("certificate", CertificateAuthority.createRoot(keys, "CN=kiosk-early",
            Instant.now().plus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1))).certificate().toPem()));
    try (KioskDevice device = KioskDevice.connect(hub)) {
      helloSigned(device, "kiosk-early", keys);
      JsonObject error = device.expect("error");
      assertEquals("HT-KIOSK-UNAUTHENTICATED", error.getString("code"));
      assertTrue(error.getString("message").contains("HT-DEVICE-CERTIFICATE-NOT-YET-VALID"), error.encode());
    }
    assertFalse(hub.adminJson("GET", "/devices/kiosk-early", null).getBoolean("online"));
  }

  /** Takes the challenge and answers it with a hello signed by the device's key. */
  private static void helloSigned(KioskDevice device, String id, Sm2KeyPair keys) throws Exception {
    String nonce = device.expect("challenge").getString("nonce");
    byte[] signature = Sm2.sign(keys.privateKey(),
        KioskMessage.Challenge.signedText(nonce, id).getBytes(StandardCharsets.UTF_8));
    device.send(new JsonObject().put("type", "hello").put("deviceId", id)
        .put("signature", Base64.getEncoder().encodeToString(signature)));
  }

  @Test
  void telemetryRaisesAndClearsAlarms() throws Exception {
    String token = register("tm-paper", "ticket-machine");
    try (KioskDevice device = KioskDevice.hello(hub, "tm-paper", token)) {
      device.send(new JsonObject().put("type", "telemetry").put("paper", "low").put("faults", new JsonArray().add("printer-jam")));
      Eventually.holds("paper-low and the fault raised", Duration.ofSeconds(30),
          () -> alarm("tm-paper", "paper-low", "RAISED") && alarm("tm-paper", "fault:printer-jam", "RAISED"));
      device.send(new JsonObject().put("type", "telemetry").put("paper", "ok").put("faults", new JsonArray()));
      Eventually.holds("both cleared", Duration.ofSeconds(30),
          () -> alarm("tm-paper", "paper-low", "CLEARED") && alarm("tm-paper", "fault:printer-jam", "CLEARED")
              && !alarm("tm-paper", "paper-low", "RAISED"));
      JsonObject shown = hub.adminJson("GET", "/devices/tm-paper", null);
      assertEquals("ok", shown.getString("paper"));
    }
  }

  @Test
  void anOperatorsCommandReachesTheDevice() throws Exception {
    String token = register("screen-cmd", "hall-screen");
    try (KioskDevice device = KioskDevice.hello(hub, "screen-cmd", token)) {
      Eventually.holds("the device is online", Duration.ofSeconds(30),
          () -> hub.adminJson("GET", "/devices/screen-cmd", null).getBoolean("online"));
      JsonObject sent = hub.adminJson("POST", "/devices/screen-cmd/commands",
          new JsonObject().put("command", "volume").put("volume", 40));
      JsonObject command = device.expect("command");
      assertEquals(sent.getString("commandId"), command.getString("commandId"));
      assertEquals(40, command.getInteger("volume"));
      device.send(new JsonObject().put("type", "command-result").put("commandId", command.getString("commandId")).put("ok", true));
      Eventually.holds("the result is audited", Duration.ofSeconds(30), () -> hub.adminJson("GET", "/audit?limit=200", null)
          .encode().contains("device.command-result"));
    }
    assertEquals(404, hub.admin("POST", "/devices/nobody/commands", new JsonObject().put("command", "reload"))
        .statusCode(), "an unknown device");
  }

  @Test
  void aSilentDeviceIsOfflineWithAnAlarmClearedWhenItReturns() throws Exception {
    String token = register("screen-silent", "hall-screen");
    KioskDevice device = KioskDevice.hello(hub, "screen-silent", token);
    device.silent();
    assertEquals("HT-KIOSK-HEARTBEAT-MISSED", device.expect("error").getString("code"));
    Eventually.holds("the offline alarm", Duration.ofSeconds(30), () -> alarm("screen-silent", "offline", "RAISED")
        && !hub.adminJson("GET", "/devices/screen-silent", null).getBoolean("online"));
    try (KioskDevice again = KioskDevice.hello(hub, "screen-silent", token)) {
      Eventually.holds("the alarm cleared", Duration.ofSeconds(30), () -> alarm("screen-silent", "offline", "CLEARED"));
      assertTrue(hub.adminJson("GET", "/devices/screen-silent", null).getBoolean("online"));
    }
    device.close();
  }

  /**
   * A device whose network dropped comes back through another member's bridge before the first times its old
   * connection out: the old connection's offline report does not mark it offline, nor raise an alarm. Then that
   * member is killed, and says nothing: the member that remains marks the device offline and raises the alarm.
   */
  @Test
  void aDeviceBackThroughAnotherMemberStaysOnlineUntilThatMemberDies(@TempDir Path dir) throws Exception {
    String token = register("screen-moved", "hall-screen");
    HubProcess other = HubProcess.joining(hub, dir.resolve("other"), "devices-2");
    other.env.put("HUB_BRIDGE_HEARTBEAT_INTERVAL", "2s");
    other.env.put("HUB_BRIDGE_MISSED_HEARTBEATS", "2");
    other.start().awaitReady(Duration.ofMinutes(3));
    KioskDevice old = KioskDevice.hello(hub, "screen-moved", token);
    old.silent();
    // Back within the 4 s the first member waits before it times the old connection out.
    try (other; KioskDevice moved = KioskDevice.hello(other, "screen-moved", token)) {
      assertEquals("HT-KIOSK-HEARTBEAT-MISSED", old.expect("error").getString("code"));
      // The old connection's report is handled within milliseconds; recorded, it would show within this wait.
      Thread.sleep(3000);
      assertTrue(hub.adminJson("GET", "/devices/screen-moved", null).getBoolean("online"));
      assertFalse(alarm("screen-moved", "offline", "RAISED"), "an offline alarm for a device that is connected");

      other.kill();
      Eventually.holds("the killed member's device offline, with an alarm", Duration.ofMinutes(2),
          () -> !hub.adminJson("GET", "/devices/screen-moved", null).getBoolean("online")
              && alarm("screen-moved", "offline", "RAISED"));
    } finally {
      old.close();
    }
  }

  private static JsonObject request(String id, String action, JsonObject body) {
    return new JsonObject().put("type", "request").put("id", id).put("action", action).put("body", body);
  }

  @Test
  void aTicketMachineTakesATicketRecordedAsTakenByItWhateverItClaims() throws Exception {
    String token = register("tm-take", "ticket-machine");
    try (KioskDevice machine = KioskDevice.hello(hub, "tm-take", token)) {
      // What ticket-machine.html sends, then a machine claiming to be another.
      machine.send(request("t1", "take-ticket", new JsonObject().put("queue", QueueSetup.QUEUE).put("phone", "13912345678")));
      JsonObject taken = machine.expect("reply");
      assertTrue(taken.getBoolean("ok"), taken.encode());
      machine.send(request("t2", "take-ticket", new JsonObject().put("queue", QueueSetup.QUEUE)
          .put("phone", "13912345679").put("by", "tm-other")));
      JsonObject claimed = machine.expect("reply");
      assertTrue(claimed.getBoolean("ok"), claimed.encode());
      try (Connection db = hub.database()) {
        for (JsonObject reply : List.of(taken, claimed)) {
          assertEquals("tm-take", Jdbc.row(db, "SELECT taken_by FROM queue.ticket WHERE id = '"
              + reply.getJsonObject("body").getString("id") + "'"));
        }
      }
    }
  }

  @Test
  void aWindowTerminalCannotActOnATicketCalledToAnotherWindow() throws Exception {
    hub.adminJson("POST", "/queue/halls/" + HALL + "/windows", new JsonObject().put("id", "w2").put("number", 2)
        .put("name", "Window 2").put("queues", new JsonArray().add(QueueSetup.QUEUE)));
    assertEquals(200, QueueSetup.post(hub, "/windows/w1/state", new JsonObject().put("state", "paused"), true).statusCode());
    assertEquals(200, QueueSetup.post(hub, "/windows/w2/state", new JsonObject().put("state", "idle"), true).statusCode());
    assertEquals(201, QueueSetup.take(hub, "13912345670").statusCode());
    String ticket = new JsonObject(QueueSetup.callNext(hub, 2).body()).getString("id");
    String before = hub.get("/api/v1/queue/halls/" + HALL + "/snapshot").body();
    String token = hub.adminJson("POST", "/devices", new JsonObject().put("id", "wt-1").put("kind", "window-terminal")
        .put("hall", HALL).put("window", "w1")).getString("token");
    try (KioskDevice terminal = KioskDevice.hello(hub, "wt-1", token)) {
      for (String action : List.of("finish", "skip", "hold", "transfer")) {
        // The window the terminal names is not the one it acts at: the bridge puts in its own.
        terminal.send(request(action, action, new JsonObject().put("ticket", ticket).put("window", "w2")
            .put("queue", QueueSetup.QUEUE)));
        JsonObject refused = terminal.expect("reply");
        assertFalse(refused.getBoolean("ok"), refused.encode());
        assertEquals("HT-QUEUE-STATE", refused.getJsonObject("error").getString("code"), action);
      }
    }
    assertEquals(before, hub.get("/api/v1/queue/halls/" + HALL + "/snapshot").body(), "window 2 still serves it");
  }

  @Test
  void aDeletedTerminalIsClosedAndActsNoMore() throws Exception {
    // An offline window of its own: nothing else in the hall calls at it or waits for it.
    hub.adminJson("POST", "/queue/halls/" + HALL + "/windows", new JsonObject().put("id", "w-stolen").put("number", 9)
        .put("name", "Window 9").put("queues", new JsonArray().add(QueueSetup.QUEUE)));
    String token = hub.adminJson("POST", "/devices", new JsonObject().put("id", "wt-stolen").put("kind", "window-terminal")
        .put("hall", HALL).put("window", "w-stolen")).getString("token");
    try (KioskDevice terminal = KioskDevice.hello(hub, "wt-stolen", token)) {
      String before = hub.get("/api/v1/queue/halls/" + HALL + "/snapshot").body();
      assertEquals(204, hub.admin("DELETE", "/devices/wt-stolen", null).statusCode());
      assertEquals("HT-KIOSK-REVOKED", terminal.expect("error").getString("code"));
      // Sent while the bridge waits for the close to complete: a revoked session acts on nothing it receives.
      try {
        terminal.send(request("open", "window-state", new JsonObject().put("state", "paused")));
      } catch (java.util.concurrent.CompletionException closedAlready) {
        // The client may have shut its side after the close frame: then nothing can reach the bridge at all.
      }
      Eventually.holds("the bridge closed the terminal", Duration.ofSeconds(30), () -> terminal.closed);
      // Acted on, the request would have changed the window within milliseconds of its arrival.
      Thread.sleep(1000);
      assertEquals(before, hub.get("/api/v1/queue/halls/" + HALL + "/snapshot").body(), "the window is as it was");
    }
  }

  @Test
  void aKioskAsksCaseProgressAndTheDataProxyThroughTheBridge() throws Exception {
    String token = register("kiosk-services", "kiosk");
    try (KioskDevice kiosk = KioskDevice.hello(hub, "kiosk-services", token)) {
      kiosk.send(new JsonObject().put("type", "request").put("id", "p1").put("action", "case-progress")
          .put("body", new JsonObject().put("caseNumber", "NO-SUCH-CASE")));
      JsonObject progress = kiosk.expect("reply");
      assertTrue(progress.getBoolean("ok"), progress.encode());
      assertEquals(new JsonArray(), progress.getJsonObject("body").getJsonArray("cases"));

      // Registered without a data-proxy consumer: the proxy refuses the query as it would an unknown app key.
      kiosk.send(new JsonObject().put("type", "request").put("id", "q1").put("action", "convenience-query")
          .put("body", new JsonObject().put("service", "anything").put("input", new JsonObject())));
      JsonObject query = kiosk.expect("reply");
      assertFalse(query.getBoolean("ok"), query.encode());
      assertTrue(query.getJsonObject("error").getString("code").matches("HT-(SERVICE-NOT-FOUND|APP-KEY-UNKNOWN)"),
          query.encode());

      kiosk.send(new JsonObject().put("type", "request").put("id", "c1").put("action", "call-next"));
      assertEquals("HT-KIOSK-FORBIDDEN", kiosk.expect("reply").getJsonObject("error").getString("code"));
    }
  }
}
