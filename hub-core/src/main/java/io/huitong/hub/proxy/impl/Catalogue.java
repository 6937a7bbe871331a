package io.huitong.hub.proxy.impl;

import io.huitong.crypto.CryptoException;
import io.huitong.crypto.Sm2PublicKey;
import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.config.Definitions;
import io.huitong.hub.http.HubError;
import io.huitong.hub.proxy.ProxyDefinitions;
import io.huitong.hub.proxy.RateLimit;
import io.huitong.hub.proxy.ServiceDefinition;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalogue in PostgreSQL (schema {@code proxy}) and this member's in-memory copy of it, which every call reads.
 * A change made through any member reloads the copy there at once and is announced on the clustered event bus, so
 * the other members reload too; a lookup that misses reloads once more (at most once a second), so a consumer
 * registered a moment ago on another member is not refused for long.
 *
 * <p>JSON columns are bound as text and cast ({@code $2::text::jsonb}): the driver would send a Java string bound
 * straight to a jsonb parameter as a JSON string value, not as the document it holds.
 */
final class Catalogue {
  private static final Logger LOG = LoggerFactory.getLogger(Catalogue.class);
  static final String CHANGED_ADDRESS = "huitong.proxy.catalogue.changed";
  private static final long MISS_RELOAD_NANOS = 1_000_000_000L;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** An approval in force: which application granted what. */
  record Approval(long applicationId, Map<String, FieldGrants.Access> grants) {
  }

  /** What calls read: replaced whole on every reload. */
  record Snapshot(Map<String, ServiceDefinition> services, Map<String, ConsumerApp> consumers,
                  Map<String, Approval> approvals, long loadedAt) {
    Approval approval(String appKey, String serviceId) {
      return approvals.get(appKey + '\n' + serviceId);
    }
  }

  private final Vertx vertx;
  private final Storage storage;
  private final MasterKey master;
  private final Set<String> connectors;
  private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), Map.of(), 0);
  private volatile Uni<Snapshot> reloading;
  private Uni<Snapshot> nextReload;

  Catalogue(Vertx vertx, Storage storage, MasterKey master, Set<String> connectors) {
    this.vertx = vertx;
    this.storage = storage;
    this.master = master;
    this.connectors = Set.copyOf(connectors);
  }

  /** Copies the definitions file's services in (replacing those it no longer has), loads, and follows changes. */
  Uni<Void> start(ProxyDefinitions definitions) {
    List<Tuple> rows = definitions.services().stream()
        .map(s -> Tuple.of(s.id(), s.toJson().encode())).toList();
    String[] ids = definitions.services().stream().map(ServiceDefinition::id).toArray(String[]::new);
    vertx.eventBus().<String>consumer(CHANGED_ADDRESS).handler(message -> reload()
        .subscribe().with(s -> { }, e -> LOG.warn("Catalogue not reloaded after a change elsewhere: {}", e.toString())));
    return storage.pool().chain(pool -> pool.withTransaction(conn -> conn
            .preparedQuery("DELETE FROM proxy.service WHERE origin = 'config' AND NOT (service_id = ANY($1))")
            .execute(Tuple.of(ids))
            .chain(() -> rows.isEmpty() ? Uni.createFrom().voidItem() : conn.preparedQuery(
                    "INSERT INTO proxy.service (service_id, definition, origin) VALUES ($1, $2::text::jsonb, 'config')"
                        + " ON CONFLICT (service_id) DO UPDATE SET definition = EXCLUDED.definition, origin = 'config',"
                        + " updated_at = now()")
                .executeBatch(rows).replaceWithVoid())))
        .chain(this::reload).replaceWithVoid();
  }

  Snapshot snapshot() {
    return snapshot;
  }

  /**
   * The snapshot, reloaded first when {@code found} is false and the last load is older than a second: for lookups
   * of a consumer or an approval that may have been added on another member a moment ago.
   */
  Uni<Snapshot> afterMiss(boolean found) {
    Snapshot s = snapshot;
    if (found || System.nanoTime() - s.loadedAt() < MISS_RELOAD_NANOS) {
      return Uni.createFrom().item(s);
    }
    return reload();
  }

  /** Reads the whole catalogue again, in a read that begins after this call; concurrent callers share reads. */
  synchronized Uni<Snapshot> reload() {
    if (reloading == null) {
      reloading = read().onItem().invoke(s -> snapshot = s)
          .eventually(() -> {
            synchronized (this) {
              reloading = null;
            }
          })
          .memoize().indefinitely();
      return reloading;
    }
    // A read already going may have begun before the caller's write committed, and would miss it: callers that
    // come while one is going share the next read, which starts once it ends.
    if (nextReload == null) {
      nextReload = reloading.onFailure().recoverWithNull().chain(ignored -> {
        synchronized (this) {
          nextReload = null;
          return reload();
        }
      }).memoize().indefinitely();
    }
    return nextReload;
  }

  private Uni<Snapshot> read() {
    return storage.pool().chain(pool -> pool.query("SELECT service_id, definition::text FROM proxy.service").execute()
        .chain(services -> pool.query("SELECT app_key, name, sealed_secret, sm2_public_key, ip_allow::text, rate_limit,"
                + " disabled, created_at FROM proxy.consumer").execute()
            .chain(consumers -> pool.query("SELECT application_id, app_key, service_id, grants::text"
                    + " FROM proxy.application WHERE state = 'APPROVED'").execute()
                .map(approvals -> toSnapshot(services, consumers, approvals)))));
  }

  private Snapshot toSnapshot(RowSet<Row> serviceRows, RowSet<Row> consumerRows, RowSet<Row> approvalRows) {
    Map<String, ServiceDefinition> services = new LinkedHashMap<>();
    for (Row row : serviceRows) {
      String id = row.getString(0);
      try {
        services.put(id, ServiceDefinition.parse(new JsonObject(row.getString(1)), id, "api"));
      } catch (DefinitionException e) {
        LOG.error("Service {} in the catalogue is not valid any more and is left out: {}", id, e.getMessage());
      }
    }
    Map<String, ConsumerApp> consumers = new LinkedHashMap<>();
    for (Row row : consumerRows) {
      String appKey = row.getString(0);
      byte[] secret = master.open(row.getBuffer(2).getBytes(), secretContext(appKey));
      String pem = row.getString(3);
      String limit = row.getString(5);
      consumers.put(appKey, new ConsumerApp(appKey, row.getString(1), secret,
          pem == null ? null : Sm2PublicKey.fromPem(pem),
          IpAllowList.parse(new JsonArray(row.getString(4)).stream().map(String::valueOf).toList(), "ipAllow"),
          limit == null ? null : RateLimit.parse(limit, "rateLimit"), row.getBoolean(6),
          row.getOffsetDateTime(7).toInstant()));
    }
    Map<String, Approval> approvals = new LinkedHashMap<>();
    for (Row row : approvalRows) {
      approvals.put(row.getString(1) + '\n' + row.getString(2),
          new Approval(row.getLong(0), grants(new JsonObject(row.getString(3)), "grants")));
    }
    return new Snapshot(Map.copyOf(services), Map.copyOf(consumers), Map.copyOf(approvals), System.nanoTime());
  }

  /** Reloads here and tells the other members to. */
  private <T> Uni<T> changed(T result) {
    return reload().invoke(() -> vertx.eventBus().publish(CHANGED_ADDRESS, "changed")).replaceWith(result);
  }

  // --- services ---

  Uni<ServiceDefinition> putService(JsonObject json) {
    ServiceDefinition service;
    try {
      service = ServiceDefinition.parse(json, "", "api");
      ProxyDefinitions.requireConnectors(service, "", Map.copyOf(connectorMap()));
    } catch (DefinitionException e) {
      throw new io.huitong.hub.http.HubException(HubError.SERVICE_INVALID, e.getMessage(), Map.of("path", e.path()));
    }
    return storage.pool().chain(pool -> pool.preparedQuery(
            "INSERT INTO proxy.service (service_id, definition, origin) VALUES ($1, $2::text::jsonb, 'api')"
                + " ON CONFLICT (service_id) DO UPDATE SET definition = EXCLUDED.definition, updated_at = now()"
                + " WHERE proxy.service.origin = 'api' RETURNING service_id")
        .execute(Tuple.of(service.id(), service.toJson().encode())))
        .map(rows -> {
          if (rows.rowCount() == 0) {
            throw HubError.SERVICE_FROM_FILE.exception("Service " + service.id() + " is defined in the definitions file");
          }
          return service;
        })
        .chain(this::changed);
  }

  Uni<Void> deleteService(String id) {
    return storage.pool().chain(pool -> pool.preparedQuery(
            "DELETE FROM proxy.service WHERE service_id = $1 RETURNING origin").execute(Tuple.of(id)))
        .map(rows -> {
          if (rows.rowCount() == 0) {
            ServiceDefinition existing = snapshot.services().get(id);
            throw existing != null && "config".equals(existing.origin())
                ? HubError.SERVICE_FROM_FILE.exception("Service " + id + " is defined in the definitions file")
                : HubError.SERVICE_NOT_FOUND.exception("No service " + id);
          }
          return (Void) null;
        })
        .chain(this::changed);
  }

  private Map<String, Boolean> connectorMap() {
    Map<String, Boolean> map = new LinkedHashMap<>();
    connectors.forEach(c -> map.put(c, Boolean.TRUE));
    return map;
  }

  // --- consumers ---

  /** Registers a consumer; the answer carries its secret, shown this once. */
  Uni<JsonObject> createConsumer(JsonObject request) {
    String name = Definitions.string(Definitions.required(request, "", "name"), "name");
    ConsumerSettings settings = ConsumerSettings.parse(request, null);
    String appKey = "ak" + HexFormat.of().formatHex(random(10));
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
    byte[] sealed = master.seal(secret.getBytes(StandardCharsets.UTF_8), secretContext(appKey));
    return storage.pool().chain(pool -> pool.preparedQuery(
            "INSERT INTO proxy.consumer (app_key, name, sealed_secret, sm2_public_key, ip_allow, rate_limit, disabled)"
                + " VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7)")
        .execute(Tuple.from(Arrays.asList(appKey, name, Buffer.buffer(sealed), settings.sm2Pem(),
            new JsonArray(settings.ipAllow().written()).encode(), settings.rateLimitText(), settings.disabled()))))
        .chain(() -> changed(new JsonObject().put("appKey", appKey).put("appSecret", secret).put("name", name)));
  }

  /** Changes a consumer's address list, rate limit, SM2 key or disabled flag; fields not sent stay as they are. */
  Uni<JsonObject> updateConsumer(String appKey, JsonObject patch) {
    ConsumerApp current = requireConsumer(appKey);
    ConsumerSettings settings = ConsumerSettings.parse(patch, current);
    return storage.pool().chain(pool -> pool.preparedQuery(
            "UPDATE proxy.consumer SET sm2_public_key = $2, ip_allow = $3::text::jsonb, rate_limit = $4, disabled = $5,"
                + " updated_at = now() WHERE app_key = $1")
        .execute(Tuple.from(Arrays.asList(appKey, settings.sm2Pem(), new JsonArray(settings.ipAllow().written()).encode(),
            settings.rateLimitText(), settings.disabled()))))
        .chain(() -> changed(appKey))
        .map(k -> snapshot.consumers().get(k).toJson());
  }

  /** A new secret for a consumer, shown this once; the old one stops working at once. */
  Uni<JsonObject> rotateSecret(String appKey) {
    requireConsumer(appKey);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
    byte[] sealed = master.seal(secret.getBytes(StandardCharsets.UTF_8), secretContext(appKey));
    return storage.pool().chain(pool -> pool.preparedQuery(
            "UPDATE proxy.consumer SET sealed_secret = $2, updated_at = now() WHERE app_key = $1")
        .execute(Tuple.of(appKey, Buffer.buffer(sealed))))
        .chain(() -> changed(new JsonObject().put("appKey", appKey).put("appSecret", secret)));
  }

  ConsumerApp requireConsumer(String appKey) {
    ConsumerApp consumer = snapshot.consumers().get(appKey);
    if (consumer == null) {
      throw HubError.CONSUMER_NOT_FOUND.exception("No consumer " + appKey);
    }
    return consumer;
  }

  // --- applications ---

  /** A consumer asks for a service and the fields it needs, and says why; an operator decides. */
  Uni<JsonObject> apply(String appKey, JsonObject request) {
    String serviceId = Definitions.string(Definitions.required(request, "", "service"), "service");
    if (!snapshot.services().containsKey(serviceId)) {
      throw HubError.SERVICE_NOT_FOUND.exception("No service " + serviceId);
    }
    List<String> fields = request.containsKey("fields")
        ? Definitions.tokens(request.getValue("fields"), "fields", true) : List.of(FieldGrants.EVERYTHING);
    String purpose = Definitions.string(Definitions.required(request, "", "purpose"), "purpose");
    return storage.pool().chain(pool -> pool.preparedQuery(
            "INSERT INTO proxy.application (app_key, service_id, fields, purpose, state) VALUES ($1, $2, $3::text::jsonb, $4,"
                + " 'PENDING') RETURNING " + APPLICATION_COLUMNS)
        .execute(Tuple.of(appKey, serviceId, new JsonArray(fields).encode(), purpose)))
        .map(rows -> applicationJson(rows.iterator().next()));
  }

  /**
   * Approves a pending application with the grants given (field path to {@code clear} or {@code masked}), or, when
   * none are given, every field asked for in clear. Replaces an earlier approval of the same consumer and service.
   */
  Uni<JsonObject> approve(long id, JsonObject request, String operator) {
    return decide(id, operator, request, true);
  }

  Uni<JsonObject> reject(long id, JsonObject request, String operator) {
    return decide(id, operator, request, false);
  }

  private Uni<JsonObject> decide(long id, String operator, JsonObject request, boolean approve) {
    String note = request.containsKey("note") ? Definitions.string(request.getValue("note"), "note") : null;
    Map<String, FieldGrants.Access> given = request.containsKey("grants")
        ? grants(Definitions.nonEmptyObject(request.getValue("grants"), "grants"), "grants") : null;
    return storage.pool().chain(pool -> pool.withTransaction(conn -> conn.preparedQuery(
                "SELECT app_key, service_id, fields::text, state FROM proxy.application WHERE application_id = $1 FOR UPDATE")
            .execute(Tuple.of(id))
            .chain(rows -> {
              if (rows.rowCount() == 0) {
                throw HubError.APPLICATION_NOT_FOUND.exception("No application " + id);
              }
              Row row = rows.iterator().next();
              if (!"PENDING".equals(row.getString(3))) {
                throw HubError.APPLICATION_DECIDED.exception("Application " + id + " is " + row.getString(3));
              }
              if (!approve) {
                return conn.preparedQuery("UPDATE proxy.application SET state = 'REJECTED', decided_by = $2,"
                        + " decision_note = $3, decided_at = now() WHERE application_id = $1 RETURNING " + APPLICATION_COLUMNS)
                    .execute(Tuple.of(id, operator, note));
              }
              JsonObject grants = new JsonObject();
              if (given != null) {
                given.forEach((field, access) -> grants.put(field, access.name().toLowerCase(java.util.Locale.ROOT)));
              } else {
                new JsonArray(row.getString(2)).forEach(f -> grants.put((String) f, "clear"));
              }
              return conn.preparedQuery("UPDATE proxy.application SET state = 'REVOKED', decision_note = 'replaced by "
                      + "application ' || $3 WHERE app_key = $1 AND service_id = $2 AND state = 'APPROVED'")
                  .execute(Tuple.of(row.getString(0), row.getString(1), Long.toString(id)))
                  .chain(() -> conn.preparedQuery("UPDATE proxy.application SET state = 'APPROVED', grants = $2::text::jsonb,"
                          + " decided_by = $3, decision_note = $4, decided_at = now() WHERE application_id = $1 RETURNING "
                          + APPLICATION_COLUMNS)
                      .execute(Tuple.of(id, grants.encode(), operator, note)));
            })))
        .map(rows -> applicationJson(rows.iterator().next()))
        .chain(this::changed);
  }

  /** Withdraws an approval: the consumer's next call of the service is refused. */
  Uni<JsonObject> revoke(long id, String operator) {
    return storage.pool().chain(pool -> pool.preparedQuery("UPDATE proxy.application SET state = 'REVOKED',"
                + " decided_by = $2, decided_at = now() WHERE application_id = $1 AND state = 'APPROVED' RETURNING "
                + APPLICATION_COLUMNS)
            .execute(Tuple.of(id, operator)))
        .map(rows -> {
          if (rows.rowCount() == 0) {
            throw HubError.APPLICATION_NOT_FOUND.exception("No approved application " + id);
          }
          return applicationJson(rows.iterator().next());
        })
        .chain(this::changed);
  }

  /** Applications, newest first, optionally of one state or one consumer. */
  Uni<JsonArray> applications(String state, String appKey, int limit) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT " + APPLICATION_COLUMNS + " FROM proxy.application"
            + " WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR app_key = $2)"
            + " ORDER BY application_id DESC LIMIT $3")
        .execute(Tuple.of(state, appKey, limit)))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(row -> out.add(applicationJson(row)));
          return out;
        });
  }

  private static final String APPLICATION_COLUMNS = "application_id, app_key, service_id, fields::text, purpose, state,"
      + " grants::text, decided_by, decision_note, created_at, decided_at";

  private static JsonObject applicationJson(Row row) {
    return new JsonObject().put("id", row.getLong(0)).put("appKey", row.getString(1)).put("service", row.getString(2))
        .put("fields", new JsonArray(row.getString(3))).put("purpose", row.getString(4)).put("state", row.getString(5))
        .put("grants", row.getString(6) == null ? null : new JsonObject(row.getString(6)))
        .put("decidedBy", row.getString(7)).put("note", row.getString(8))
        .put("createdAt", row.getOffsetDateTime(9).toInstant().toString())
        .put("decidedAt", row.getOffsetDateTime(10) == null ? null
            : row.getOffsetDateTime(10).withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString());
  }

  /** Reads grants: field path (or {@code *}) to {@code clear} or {@code masked}. */
  static Map<String, FieldGrants.Access> grants(JsonObject json, String path) {
    Map<String, FieldGrants.Access> grants = new LinkedHashMap<>();
    for (String field : json.fieldNames()) {
      String at = Definitions.at(path, field);
      if (!field.equals(FieldGrants.EVERYTHING)) {
        for (String segment : field.split("\\.", -1)) {
          if (!Definitions.FIELD_NAME.matcher(segment).matches()) {
            throw new DefinitionException(at, "'" + field + "' is not a field path: segments of " + Definitions.FIELD_NAME_RULE);
          }
        }
      }
      String access = Definitions.string(json.getValue(field), at);
      switch (access) {
        case "clear" -> grants.put(field, FieldGrants.Access.CLEAR);
        case "masked" -> grants.put(field, FieldGrants.Access.MASKED);
        default -> throw new DefinitionException(at, "'" + access + "' is not an access; expected clear or masked");
      }
    }
    return grants;
  }

  private static String secretContext(String appKey) {
    return "proxy.consumer.secret/" + appKey;
  }

  private static byte[] random(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /** A consumer's settings from a request, over its current ones. */
  private record ConsumerSettings(String sm2Pem, IpAllowList ipAllow, String rateLimitText, boolean disabled) {
    static ConsumerSettings parse(JsonObject json, ConsumerApp current) {
      Definitions.onlyKeys(json, "", List.of("name", "ipAllow", "rateLimit", "sm2PublicKey", "disabled"));
      String pem = current == null || current.sm2Key() == null ? null : current.sm2Key().toPem();
      if (json.containsKey("sm2PublicKey")) {
        pem = json.getValue("sm2PublicKey") == null ? null : Definitions.string(json.getValue("sm2PublicKey"), "sm2PublicKey");
        if (pem != null) {
          try {
            Sm2PublicKey.fromPem(pem);
          } catch (CryptoException e) {
            throw new DefinitionException("sm2PublicKey", e.getMessage());
          }
        }
      }
      IpAllowList ips = current == null ? IpAllowList.parse(List.of(), "ipAllow") : current.ipAllow();
      if (json.containsKey("ipAllow")) {
        ips = IpAllowList.parse(Definitions.list(json.getValue("ipAllow"), "ipAllow").stream()
            .map(v -> Definitions.string(v, "ipAllow")).toList(), "ipAllow");
      }
      String limit = current == null || current.rateLimit() == null ? null : current.rateLimit().toString();
      if (json.containsKey("rateLimit")) {
        limit = json.getValue("rateLimit") == null ? null
            : RateLimit.parse(Definitions.string(json.getValue("rateLimit"), "rateLimit"), "rateLimit").toString();
      }
      boolean disabled = json.containsKey("disabled")
          ? Definitions.bool(json.getValue("disabled"), "disabled") : current != null && current.disabled();
      return new ConsumerSettings(pem, ips, limit, disabled);
    }
  }
}
