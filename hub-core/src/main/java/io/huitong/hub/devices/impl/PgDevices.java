package io.huitong.hub.devices.impl;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.huitong.crypto.Sm2;
import io.huitong.crypto.Sm3;
import io.huitong.crypto.x509.Sm2Certificate;
import io.huitong.hub.devices.Devices;
import io.huitong.hub.http.HubError;
import io.huitong.hub.ops.AuditEvent;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.storage.Storage;
import io.huitong.kiosk.DeviceKind;
import io.huitong.kiosk.KioskMessage;
import io.huitong.kioskbridge.BusAddresses;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.eventbus.Message;
import io.vertx.mutiny.core.eventbus.MessageConsumer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device registry in PostgreSQL. Authentication compares the SM3 of the token in constant time, or verifies
 * the device's SM2 signature of the bridge's nonce with its registered certificate (on a worker thread). Telemetry
 * and presence update the device's row and raise or clear its alarms, each published on
 * {@code huitong.devices.alarm} and kept in {@code devices.device_alarm}. A cluster member that dies reports none of
 * its devices offline, so the members that remain do it for it, and a member starting does it for members gone
 * while the whole hub was down.
 */
public final class PgDevices implements Devices {
  private static final Logger LOG = LoggerFactory.getLogger(PgDevices.class);
  public static final String ALARM_ADDRESS = "huitong.devices.alarm";
  private static final String COLUMNS = "device_id, kind, hall_id, window_id, name, consumer, certificate IS NOT NULL AS"
      + " by_certificate, created_at, online, last_seen, acked_seq, paper, faults";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();
  /** At most one raised alarm per device and condition (the partial unique index device_alarm_raised). */
  private static final String UNLESS_RAISED = " ON CONFLICT (device_id, condition) WHERE state = 'RAISED' DO NOTHING";
  private static final String WRONG_CREDENTIALS = "HT-DEVICE-UNAUTHENTICATED: unknown device or wrong credentials";

  private final Vertx vertx;
  private final Storage storage;
  private final AuditLog audit;
  private final HazelcastInstance hazelcast;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private UUID membershipListener;

  private PgDevices(Vertx vertx, Storage storage, AuditLog audit, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.storage = storage;
    this.audit = audit;
    this.hazelcast = hazelcast;
  }

  public static Uni<Devices> start(Vertx vertx, Storage storage, AuditLog audit, HazelcastInstance hazelcast) {
    PgDevices devices = new PgDevices(vertx, storage, audit, hazelcast);
    devices.consume(BusAddresses.DEVICES_AUTHENTICATE, devices::authenticate);
    devices.consume(BusAddresses.DEVICES_PRESENCE, m -> devices.presence(m.body()));
    devices.consume(BusAddresses.DEVICES_TELEMETRY, m -> devices.telemetry(m.body()));
    devices.consume(BusAddresses.DEVICES_COMMAND_RESULT, m -> devices.commandResult(m.body()));
    devices.membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String member = nodeId(event.getMember());
        vertx.runOnContext(() -> devices.memberLeft(member));
      }
    });
    return Uni.join().all(devices.consumers.stream().map(MessageConsumer::completionHandler).toList())
        .andFailFast().chain(devices::sweepDepartedMembers)
        .onFailure().invoke(() -> hazelcast.getCluster().removeMembershipListener(devices.membershipListener))
        .replaceWith(devices);
  }

  private void consume(String address, java.util.function.Consumer<Message<JsonObject>> handler) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(address);
    consumer.handler(handler);
    consumers.add(consumer);
  }

  // ---- the bridge's side ----

  private void authenticate(Message<JsonObject> m) {
    JsonObject ask = m.body();
    String id = ask.getString("deviceId");
    storage.pool().chain(pool -> pool.preparedQuery("SELECT " + COLUMNS + ", token_sm3, certificate FROM devices.device"
            + " WHERE device_id = $1").execute(Tuple.of(id)))
        .chain(rows -> {
          Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
          if (row == null) {
            return Uni.createFrom().item(WRONG_CREDENTIALS);
          }
          JsonObject device = toJson(row);
          String token = ask.getString("token");
          if (row.getString("token_sm3") != null) {
            boolean ok = token != null && MessageDigest.isEqual(HEX.parseHex(row.getString("token_sm3")),
                Sm3.hash(token.getBytes(StandardCharsets.UTF_8)));
            return Uni.createFrom().item(ok ? device : WRONG_CREDENTIALS);
          }
          String certificate = row.getString("certificate");
          // Unordered: one device's signature check need not wait for another's.
          return vertx.executeBlocking(() -> certificateRefusal(certificate, ask), false)
              .map(refusal -> refusal == null ? device : refusal);
        })
        .subscribe().with(result -> {
          if (result instanceof JsonObject device) {
            m.reply(new JsonObject().put("deviceId", device.getString("id")).put("kind", device.getString("kind"))
                .put("hall", device.getString("hall")).put("window", device.getString("window"))
                .put("consumer", device.getString("consumer")));
          } else {
            m.fail(401, result instanceof String refusal ? refusal : WRONG_CREDENTIALS);
          }
        }, e -> {
          LOG.warn("Device {} not authenticated: {}", id, e.toString());
          m.fail(503, "HT-NOT-READY: the device registry cannot read its table");
        });
  }

  /**
   * Why the device's signature of the nonce does not prove it holds its registered certificate's key, or null when
   * it does. Only a device that signed correctly learns that its certificate is outside its validity.
   */
  private static String certificateRefusal(String certificatePem, JsonObject ask) {
    String signature = ask.getString("signature");
    if (signature == null || ask.getString("nonce") == null) {
      return WRONG_CREDENTIALS;
    }
    Sm2Certificate certificate;
    try {
      certificate = Sm2Certificate.fromPem(certificatePem);
      byte[] text = KioskMessage.Challenge.signedText(ask.getString("nonce"), ask.getString("deviceId"))
          .getBytes(StandardCharsets.UTF_8);
      if (!Sm2.verify(certificate.publicKey(), text, Base64.getDecoder().decode(signature))) {
        return WRONG_CREDENTIALS;
      }
    } catch (RuntimeException e) {
      return WRONG_CREDENTIALS;
    }
    Instant now = Instant.now();
    String code = now.isAfter(certificate.notAfter()) ? "HT-DEVICE-CERTIFICATE-EXPIRED"
        : now.isBefore(certificate.notBefore()) ? "HT-DEVICE-CERTIFICATE-NOT-YET-VALID" : null;
    if (code != null) {
      LOG.warn("Device {} refused: its certificate is valid from {} to {}", ask.getString("deviceId"),
          certificate.notBefore(), certificate.notAfter());
      return code + ": the device's certificate is valid from " + certificate.notBefore() + " to "
          + certificate.notAfter() + "; register the device again with a current one";
    }
    return null;
  }

  /**
   * A connection came online or went. Reports travel apart (any hub member takes one), so each names its
   * connection: an offline report counts only for the connection last seen online, and an online report for a
   * connection already gone is ignored.
   */
  private void presence(JsonObject report) {
    boolean online = "online".equals(report.getString("state"));
    String id = report.getString("deviceId");
    String connection = report.getString("connection");
    List<JsonObject> changed = new ArrayList<>();
    storage.pool().chain(pool -> (online
            ? pool.preparedQuery("UPDATE devices.device SET online = true, connection_id = $2, bridge_member = $3,"
                + " last_seen = now() WHERE device_id = $1 AND NOT (connection_id IS NOT DISTINCT FROM $2 AND NOT online)"
                + " RETURNING hall_id").execute(Tuple.of(id, connection, report.getString("member")))
            : pool.preparedQuery("UPDATE devices.device SET online = false, last_seen = now(),"
                + " acked_seq = COALESCE($3, acked_seq) WHERE device_id = $1 AND connection_id IS NOT DISTINCT FROM $2"
                + " RETURNING hall_id").execute(Tuple.of(id, connection, report.getLong("ackedSeq"))))
        .chain(rows -> {
          if (!rows.iterator().hasNext()) {
            return online ? closeIfDeleted(pool, id) : Uni.createFrom().voidItem();
          }
          String hall = rows.iterator().next().getString("hall_id");
          if (online) {
            return clear(pool, id, hall, Set.of("offline"), true, changed);
          }
          return "heartbeat-missed".equals(report.getString("reason"))
              ? raise(pool, id, hall, Set.of("offline"), changed) : Uni.createFrom().voidItem();
        }))
        .subscribe().with(ok -> changed.forEach(this::publish),
            e -> LOG.warn("Presence of device {} not recorded: {}", id, e.toString()));
  }

  /**
   * A device deleted while it was authenticating came online after its bridges were told to close it: tell them
   * again. (Its online report changed nothing because the row is gone, or because the connection went already.)
   */
  private Uni<Void> closeIfDeleted(Pool pool, String id) {
    return pool.preparedQuery("SELECT 1 FROM devices.device WHERE device_id = $1").execute(Tuple.of(id))
        .invoke(rows -> {
          if (rows.size() == 0) {
            revoke(id);
          }
        })
        .replaceWithVoid();
  }

  /** The member's Vert.x node id, which the bridge's reports carry: named as Vert.x's Hazelcast cluster manager does. */
  private static String nodeId(Member member) {
    String attribute = member.getAttribute("__vertx.nodeId");
    return attribute != null ? attribute : member.getUuid().toString();
  }

  /** A member left the cluster (stopped, killed or cut off): the devices its bridge held are not connected. */
  private void memberLeft(String member) {
    storage.pool().chain(pool -> markOffline(pool, "bridge_member = $1", Tuple.of(member)))
        .subscribe().with(n -> LOG.info("Member {} left the cluster: {} of its devices marked offline", member, n),
            e -> LOG.warn("Devices of member {}, which left the cluster, not marked offline: {}", member, e.toString()));
  }

  /**
   * Marks offline the devices held by members not in the cluster now: after the whole hub was killed nobody saw
   * them leave. PostgreSQL's clock is read before the member list, so a member that joins after that read (and is
   * missing from it) holds only devices that came online later, which the sweep leaves alone.
   */
  private Uni<Void> sweepDepartedMembers() {
    return storage.pool().chain(pool -> pool.query("SELECT now()").execute().chain(rows -> {
      OffsetDateTime before = rows.iterator().next().getOffsetDateTime(0);
      String[] members = hazelcast.getCluster().getMembers().stream().map(PgDevices::nodeId).toArray(String[]::new);
      return markOffline(pool, "(bridge_member IS NULL OR bridge_member <> ALL($1)) AND last_seen < $2",
          Tuple.of(members, before));
    })).invoke(n -> {
      if (n > 0) {
        LOG.info("{} devices held by members no longer in the cluster marked offline", n);
      }
    }).replaceWithVoid();
  }

  /**
   * Marks offline the online devices matching {@code held} and raises their offline alarms, in one statement;
   * returns how many went offline.
   */
  private Uni<Integer> markOffline(Pool pool, String held, Tuple arguments) {
    return pool.preparedQuery("WITH lost AS (UPDATE devices.device SET online = false WHERE online AND " + held
            + " RETURNING device_id, hall_id), raised AS (INSERT INTO devices.device_alarm (device_id, hall_id,"
            + " condition, state) SELECT device_id, hall_id, 'offline', 'RAISED' FROM lost" + UNLESS_RAISED
            + " RETURNING alarm_id, device_id)"
            + " SELECT lost.device_id, lost.hall_id, raised.alarm_id FROM lost LEFT JOIN raised USING (device_id)")
        .execute(arguments)
        .map(rows -> {
          for (Row row : rows) {
            if (row.getLong("alarm_id") != null) {
              publish(alarm(row.getLong("alarm_id"), row.getString("device_id"), row.getString("hall_id"), "offline",
                  "RAISED"));
            }
          }
          return rows.rowCount();
        });
  }

  private void telemetry(JsonObject report) {
    String id = report.getString("deviceId");
    String hall = report.getString("hall");
    String paper = report.getString("paper");
    JsonArray faults = report.getJsonArray("faults", new JsonArray());
    Set<String> present = new LinkedHashSet<>();
    if ("low".equals(paper)) {
      present.add("paper-low");
    } else if ("out".equals(paper)) {
      present.add("paper-out");
    }
    faults.forEach(f -> present.add("fault:" + f));
    List<JsonObject> changed = new ArrayList<>();
    // Reports of one connection may be handled by different members at once: the device's row, locked by the
    // update, orders them, and one older than a report already applied changes nothing.
    storage.pool().chain(pool -> pool.withTransaction(tx -> tx.preparedQuery("UPDATE devices.device SET paper = $2,"
            + " faults = $3, last_seen = now(), telemetry_connection = $4, telemetry_n = $5 WHERE device_id = $1 AND"
            + " (telemetry_connection IS DISTINCT FROM $4 OR telemetry_n IS NULL OR telemetry_n < $5)")
        .execute(Tuple.of(id, paper, faults, report.getString("connection"), report.getLong("n")))
        .chain(rows -> {
          if (rows.rowCount() == 0) {
            return Uni.createFrom().voidItem();
          }
          return clear(tx, id, hall, present, false, changed).chain(() -> raise(tx, id, hall, present, changed));
        })))
        .subscribe().with(ok -> changed.forEach(this::publish),
            e -> LOG.warn("Telemetry of device {} not recorded: {}", id, e.toString()));
  }

  private void commandResult(JsonObject result) {
    audit.record(new AuditEvent("device:" + result.getString("deviceId"), "device.command-result",
            result.getString("commandId"), result.getBoolean("ok", false) ? "ok" : "failed",
            null, null, new JsonObject().put("detail", result.getString("detail"))))
        .subscribe().with(ok -> { }, e -> LOG.warn("Command result not audited: {}", e.toString()));
  }

  /** Raises an alarm for each condition not raised already for the device; the new ones join {@code changed}. */
  private Uni<Void> raise(SqlClient sql, String device, String hall, Set<String> conditions, List<JsonObject> changed) {
    if (conditions.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return sql.preparedQuery("INSERT INTO devices.device_alarm (device_id, hall_id, condition, state)"
            + " SELECT $1, $2, condition, 'RAISED' FROM unnest($3::text[]) AS condition" + UNLESS_RAISED
            + " RETURNING alarm_id, condition").execute(Tuple.of(device, hall, conditions.toArray(new String[0])))
        .invoke(rows -> rows.forEach(row -> {
          String condition = row.getString("condition");
          LOG.warn("Device alarm {} raised: {} at {} in hall {}", row.getLong("alarm_id"), condition, device, hall);
          changed.add(alarm(row.getLong("alarm_id"), device, hall, condition, "RAISED"));
        }))
        .replaceWithVoid();
  }

  /**
   * Clears the device's raised alarms: with {@code only}, those of the conditions named; otherwise those whose
   * condition is no longer {@code present} (offline alarms are left to presence). Those cleared join {@code changed}.
   */
  private Uni<Void> clear(SqlClient sql, String device, String hall, Set<String> conditions, boolean only,
      List<JsonObject> changed) {
    String which = only ? "condition = ANY($2)" : "condition <> 'offline' AND NOT (condition = ANY($2))";
    return sql.preparedQuery("UPDATE devices.device_alarm SET state = 'CLEARED', cleared_at = now()"
            + " WHERE device_id = $1 AND state = 'RAISED' AND " + which + " RETURNING alarm_id, condition")
        .execute(Tuple.of(device, conditions.toArray(new String[0])))
        .invoke(rows -> rows.forEach(row -> {
          LOG.info("Device alarm {} cleared: {} at {}", row.getLong("alarm_id"), row.getString("condition"), device);
          changed.add(alarm(row.getLong("alarm_id"), device, hall, row.getString("condition"), "CLEARED"));
        }))
        .replaceWithVoid();
  }

  private static JsonObject alarm(long alarmId, String device, String hall, String condition, String state) {
    return new JsonObject().put("alarmId", alarmId).put("deviceId", device).put("hall", hall)
        .put("condition", condition).put("state", state);
  }

  /** Alarm changes go out once committed. */
  private void publish(JsonObject alarm) {
    vertx.eventBus().publish(ALARM_ADDRESS, alarm);
  }

  // ---- the admin API's side ----

  @Override
  public Uni<JsonObject> register(JsonObject request) {
    String id = field(request, "id", true);
    DeviceKind kind = DeviceKind.ofWire(field(request, "kind", true));
    if (kind == null) {
      throw HubError.DEVICE_INVALID.exception("kind must be one of " + List.of(DeviceKind.values()).stream()
          .map(DeviceKind::wire).toList());
    }
    String hall = field(request, "hall", true);
    String window = field(request, "window", kind.atWindow());
    String name = request.getValue("name") instanceof String n && n.length() <= 200 ? n : null;
    String consumer = field(request, "consumer", false);
    String certificate = request.getValue("certificate") instanceof String c ? c : null;
    if (certificate != null) {
      Sm2Certificate parsed;
      try {
        parsed = Sm2Certificate.fromPem(certificate);
      } catch (RuntimeException e) {
        throw HubError.DEVICE_INVALID.exception("certificate is not an SM2 certificate in PEM: " + e.getMessage());
      }
      if (Instant.now().isAfter(parsed.notAfter())) {
        throw HubError.DEVICE_INVALID.exception("certificate expired at " + parsed.notAfter());
      }
    }
    String token = certificate == null ? newToken() : null;
    String tokenSm3 = token == null ? null : HEX.formatHex(Sm3.hash(token.getBytes(StandardCharsets.UTF_8)));
    return storage.pool().chain(pool -> pool.preparedQuery("INSERT INTO devices.device (device_id, kind, hall_id,"
            + " window_id, name, consumer, token_sm3, certificate) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING "
            + COLUMNS).execute(Tuple.from(List.of(id, kind.wire(), hall)).addValue(window).addValue(name)
            .addValue(consumer).addValue(tokenSm3).addValue(certificate)))
        .onFailure(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState()))
        .transform(e -> HubError.DEVICE_EXISTS.exception("Device " + id + " is registered already"))
        .map(rows -> {
          JsonObject device = toJson(rows.iterator().next());
          return token == null ? device : device.put("token", token);
        });
  }

  private static String field(JsonObject request, String name, boolean required) {
    Object v = request.getValue(name);
    if (v == null && !required) {
      return null;
    }
    if (!(v instanceof String s) || !s.matches(KioskMessage.ID_PATTERN)) {
      throw HubError.DEVICE_INVALID.exception(name + " must be 1 to 64 letters, digits and . _ : -");
    }
    return s;
  }

  private static String newToken() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public Uni<JsonArray> list(String hall) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT " + COLUMNS + " FROM devices.device"
            + " WHERE $1::text IS NULL OR hall_id = $1 ORDER BY device_id LIMIT 10000").execute(Tuple.of(hall)))
        .map(rows -> {
          JsonArray list = new JsonArray();
          rows.forEach(row -> list.add(toJson(row)));
          return list;
        });
  }

  @Override
  public Uni<JsonObject> get(String id) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT " + COLUMNS + " FROM devices.device WHERE device_id = $1")
            .execute(Tuple.of(id)))
        .map(rows -> {
          if (!rows.iterator().hasNext()) {
            throw HubError.DEVICE_NOT_FOUND.exception("No device " + id);
          }
          return toJson(rows.iterator().next());
        });
  }

  @Override
  public Uni<Void> delete(String id) {
    return storage.pool().chain(pool -> pool.preparedQuery("DELETE FROM devices.device WHERE device_id = $1")
            .execute(Tuple.of(id)))
        .map(rows -> {
          if (rows.rowCount() == 0) {
            throw HubError.DEVICE_NOT_FOUND.exception("No device " + id);
          }
          // A stolen or retired device keeps its open connection otherwise: every bridge closes it now.
          revoke(id);
          return null;
        });
  }

  private void revoke(String id) {
    vertx.eventBus().publish(BusAddresses.KIOSK_DELIVER, new JsonObject().put("deviceId", id)
        .put("revoked", "the device was deleted from the registry"));
  }

  @Override
  public Uni<JsonObject> command(String id, JsonObject request) {
    KioskMessage.Command command;
    try {
      command = new KioskMessage.Command(UUID.randomUUID().toString(),
          KioskMessage.CommandName.ofWire(request.getValue("command") instanceof String c ? c : null),
          request.getValue("volume") instanceof Integer v ? v : null);
    } catch (io.huitong.kiosk.KioskProtocolException e) {
      throw HubError.DEVICE_INVALID.exception(e.getMessage());
    }
    return get(id).map(device -> {
      if (!device.getBoolean("online")) {
        throw HubError.DEVICE_OFFLINE.exception("Device " + id + " is offline; it was last seen at "
            + device.getString("lastSeen"));
      }
      vertx.eventBus().publish(BusAddresses.KIOSK_DELIVER, new JsonObject().put("deviceId", id)
          .put("frame", command.toJson()));
      return new JsonObject().put("commandId", command.commandId()).put("deviceId", id)
          .put("command", command.command().wire()).put("volume", command.volume());
    });
  }

  @Override
  public Uni<JsonArray> alarms(boolean raisedOnly, int limit) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT alarm_id, device_id, hall_id, condition, state,"
            + " raised_at, cleared_at FROM devices.device_alarm WHERE NOT $1 OR state = 'RAISED'"
            + " ORDER BY alarm_id DESC LIMIT $2").execute(Tuple.of(raisedOnly, limit)))
        .map(rows -> {
          JsonArray list = new JsonArray();
          rows.forEach(row -> list.add(new JsonObject().put("alarmId", row.getLong("alarm_id"))
              .put("deviceId", row.getString("device_id")).put("hall", row.getString("hall_id"))
              .put("condition", row.getString("condition")).put("state", row.getString("state"))
              .put("raisedAt", String.valueOf(row.getOffsetDateTime("raised_at")))
              .put("clearedAt", row.getOffsetDateTime("cleared_at") == null ? null
                  : row.getOffsetDateTime("cleared_at").toString())));
          return list;
        });
  }

  private static JsonObject toJson(Row row) {
    return new JsonObject().put("id", row.getString("device_id")).put("kind", row.getString("kind"))
        .put("hall", row.getString("hall_id")).put("window", row.getString("window_id"))
        .put("name", row.getString("name")).put("consumer", row.getString("consumer"))
        .put("credential", row.getBoolean("by_certificate") ? "certificate" : "token")
        .put("createdAt", String.valueOf(row.getOffsetDateTime("created_at")))
        .put("online", row.getBoolean("online"))
        .put("lastSeen", row.getOffsetDateTime("last_seen") == null ? null : row.getOffsetDateTime("last_seen").toString())
        .put("ackedSeq", row.getLong("acked_seq")).put("paper", row.getString("paper"))
        .put("faults", row.getJsonArray("faults") == null ? new JsonArray() : row.getJsonArray("faults"));
  }

  @Override
  public Uni<Void> close() {
    if (membershipListener != null) {
      hazelcast.getCluster().removeMembershipListener(membershipListener);
    }
    return Uni.join().all(consumers.stream().map(MessageConsumer::unregister).toList()).andCollectFailures()
        .replaceWithVoid();
  }
}
