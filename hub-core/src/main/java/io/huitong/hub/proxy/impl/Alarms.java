package io.huitong.hub.proxy.impl;

import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.proxy.ProxyConfig;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's alarms: every {@code proxy.alarms.interval} a Vert.x timer evaluates the rules against this member's
 * {@link CallStats}, records each raised and cleared alarm in {@code proxy.alarm} and sends it to the webhook. Rules
 * come from the definitions file (fixed) and from the admin API ({@code proxy.alarm_rule}, read again every few
 * seconds so that every member applies them).
 *
 * <p>Statistics and alarms are per member: each member measures and judges the calls it served. Members sit behind
 * one load balancer and see the same mix of calls, so a rate or a percentile of one member stands for the cluster;
 * merging percentiles across members would mean shipping every histogram at every interval. An alarm row names the
 * member that raised it, and the admin API lists the alarms of all members.
 */
public final class Alarms {
  private static final Logger LOG = LoggerFactory.getLogger(Alarms.class);
  /** How often the rules added through the admin API on other members are read again. */
  static final Duration RULE_REFRESH = Duration.ofSeconds(5);
  public static final int MAX_PAGE = 1000;
  private static final String ALARM_COLUMNS = "alarm_id, rule_id, metric, alarm_key, member, state, threshold,"
      + " raised_at, raised_value, cleared_at, cleared_value";

  private final Storage storage;
  private final CallStats stats;
  private final Map<String, AlarmRule> declared;
  private volatile Map<String, AlarmRule> added = Map.of();
  /** The evaluator's usual rates as of its last evaluation, for the admin API's threads. */
  private volatile Map<String, JsonObject> usualRates = Map.of();
  /** Counts rule changes made here, so that a refresh read before a change does not undo it. */
  private final AtomicLong localChanges = new AtomicLong();
  private final AlarmEvaluator evaluator;
  private final AlarmWebhook webhook;
  private final String member = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
  private final Vertx vertx;
  private long timer;
  private long refreshedAt;

  private Alarms(Vertx vertx, Storage storage, CallStats stats, Map<String, AlarmRule> declared, AlarmWebhook webhook) {
    this.vertx = vertx;
    this.storage = storage;
    this.stats = stats;
    this.declared = declared;
    this.webhook = webhook;
    this.evaluator = new AlarmEvaluator(stats);
  }

  /**
   * Checks the declared rules, reads the rules added through the admin API and starts evaluating. Fails with an
   * {@link AlarmRuleException} for a declared rule that cannot be evaluated, and with a config error for a bad
   * webhook URL.
   */
  public static Uni<Alarms> start(Vertx vertx, Storage storage, CallStats stats, ProxyConfig config,
                                  List<AlarmRule> declared) {
    return Uni.createFrom().deferred(() -> {
      Map<String, AlarmRule> rules = new LinkedHashMap<>();
      for (AlarmRule rule : declared) {
        checkWindow(stats, rule);
        if (rules.put(rule.id(), rule) != null) {
          throw new AlarmRuleException(rule.id(), "id", "is declared twice");
        }
      }
      Alarms alarms = new Alarms(vertx, storage, stats, Map.copyOf(rules), AlarmWebhook.create(vertx, config.alarmWebhook()));
      return alarms.readAddedRules().map(read -> {
        alarms.added = read;
        alarms.refreshedAt = System.nanoTime();
        alarms.timer = vertx.setPeriodic(config.alarmInterval().toMillis(), id -> alarms.evaluate());
        return alarms;
      });
    });
  }

  private static void checkWindow(CallStats stats, AlarmRule rule) {
    if (rule.window().compareTo(stats.retention()) > 0) {
      throw new AlarmRuleException(rule.id(), "window", "must be at most " + stats.retention().toSeconds()
          + "s, the span the statistics keep");
    }
  }

  public CallStats stats() {
    return stats;
  }

  /** Runs on the timer's context; never blocks, and a failure is logged rather than stopping the timer. */
  private void evaluate() {
    try {
      if (System.nanoTime() - refreshedAt >= RULE_REFRESH.toNanos()) {
        refreshedAt = System.nanoTime();
        refreshAddedRules();
      }
      List<AlarmRule> rules = new ArrayList<>(declared.values());
      added.values().stream().filter(r -> !declared.containsKey(r.id())).forEach(rules::add);
      List<Alarm> changes = evaluator.evaluate(rules);
      usualRates = evaluator.usualRates();
      for (Alarm alarm : changes) {
        LOG.info("Alarm {} of rule {} {} for {}: {}", alarm.alarmId(), alarm.ruleId(), alarm.state(), alarm.key(),
            alarm.event().getValue("value"));
        record(alarm);
        if (webhook != null) {
          webhook.deliver(alarm.event());
        }
      }
    } catch (RuntimeException e) {
      LOG.error("Alarm evaluation failed", e);
    }
  }

  /** Inserts a raised alarm, or writes a cleared one whole, so that the two writes may land in either order. */
  private void record(Alarm a) {
    Tuple row = Tuple.tuple(List.of(a.alarmId(), a.ruleId(), a.metric().label(), a.key(), member, a.state().name(),
        a.threshold(), a.raisedAt().atOffset(ZoneOffset.UTC), a.raisedValue()))
        .addValue(a.clearedAt() == null ? null : a.clearedAt().atOffset(ZoneOffset.UTC)).addValue(a.clearedValue());
    storage.pool().chain(pool -> pool.preparedQuery("INSERT INTO proxy.alarm (" + ALARM_COLUMNS + ")"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (alarm_id) DO UPDATE"
            + " SET state = EXCLUDED.state, cleared_at = EXCLUDED.cleared_at, cleared_value = EXCLUDED.cleared_value"
            + " WHERE EXCLUDED.state = 'CLEARED'")
        .execute(row))
        .subscribe().with(ok -> { }, e -> LOG.warn("Alarm {} {} not recorded: {}", a.alarmId(), a.state(), e.toString()));
  }

  private void refreshAddedRules() {
    long changesBefore = localChanges.get();
    readAddedRules().subscribe().with(read -> {
      if (localChanges.get() == changesBefore) {
        added = read;
      }
    }, e -> LOG.warn("Alarm rules not read again: {}", e.toString()));
  }

  private Uni<Map<String, AlarmRule>> readAddedRules() {
    return storage.pool().chain(pool -> pool.query("SELECT rule_id, definition::text FROM proxy.alarm_rule ORDER BY rule_id")
        .execute()).map(rows -> {
          Map<String, AlarmRule> read = new LinkedHashMap<>();
          for (Row r : rows) {
            try {
              AlarmRule rule = AlarmRule.parse(r.getString(0), new JsonObject(r.getString(1)));
              checkWindow(stats, rule);
              read.put(rule.id(), rule);
            } catch (IllegalArgumentException e) {
              LOG.warn("Stored alarm rule {} is not applied: {}", r.getString(0), e.getMessage());
            }
          }
          return Map.copyOf(read);
        });
  }

  /** Every rule in force: the definitions file's, then those added through the admin API, each with its origin. */
  public JsonObject rules() {
    JsonArray out = new JsonArray();
    declared.values().forEach(r -> out.add(r.toJson().put("origin", "file")));
    added.values().stream().filter(r -> !declared.containsKey(r.id())).forEach(r -> out.add(r.toJson().put("origin", "api")));
    return new JsonObject().put("rules", out);
  }

  /**
   * One rule in force, or {@link HubError#ALARM_RULE_NOT_FOUND}. A consumer-frequency rule shows each consumer's
   * usual rate on this member as {@code usualRates}.
   */
  public JsonObject rule(String id) {
    AlarmRule rule = declared.containsKey(id) ? declared.get(id) : added.get(id);
    if (rule == null) {
      throw HubError.ALARM_RULE_NOT_FOUND.exception("No alarm rule " + id);
    }
    JsonObject json = rule.toJson().put("origin", declared.containsKey(id) ? "file" : "api");
    if (rule.metric() == AlarmRule.Metric.CONSUMER_FREQUENCY) {
      json.put("usualRates", usualRates.getOrDefault(id, new JsonObject()).copy());
    }
    return json;
  }

  /**
   * Adds or replaces a rule of the admin API and stores it; it applies from the next evaluation on.
   * {@link HubError#ALARM_RULE_INVALID} names the field at fault; a rule of the definitions file is
   * {@link HubError#ALARM_RULE_FROM_FILE}.
   */
  public Uni<JsonObject> putRule(String id, JsonObject definition) {
    if (declared.containsKey(id)) {
      throw HubError.ALARM_RULE_FROM_FILE.exception("Alarm rule " + id + " comes from the definitions file; change it there");
    }
    AlarmRule rule;
    try {
      rule = AlarmRule.parse(id, definition);
      checkWindow(stats, rule);
    } catch (AlarmRuleException e) {
      throw new HubException(HubError.ALARM_RULE_INVALID, e.getMessage(), Map.of("field", e.field()));
    }
    return storage.pool().chain(pool -> pool.preparedQuery("INSERT INTO proxy.alarm_rule (rule_id, definition, updated_at)"
            + " VALUES ($1, $2::text::jsonb, now()) ON CONFLICT (rule_id) DO UPDATE"
            + " SET definition = EXCLUDED.definition, updated_at = now()")
        .execute(Tuple.of(id, rule.toJson().encode())))
        .map(done -> {
          change(id, rule);
          return rule.toJson().put("origin", "api");
        });
  }

  /** Removes a rule of the admin API; its raised alarms clear at the next evaluation. */
  public Uni<Void> deleteRule(String id) {
    if (declared.containsKey(id)) {
      throw HubError.ALARM_RULE_FROM_FILE.exception("Alarm rule " + id + " comes from the definitions file; change it there");
    }
    return storage.pool().chain(pool -> pool.preparedQuery("DELETE FROM proxy.alarm_rule WHERE rule_id = $1")
        .execute(Tuple.of(id))).map(rows -> {
          change(id, null);
          if (rows.rowCount() == 0) {
            throw HubError.ALARM_RULE_NOT_FOUND.exception("No alarm rule " + id);
          }
          return null;
        });
  }

  private void change(String id, AlarmRule rule) {
    localChanges.incrementAndGet();
    Map<String, AlarmRule> next = new ConcurrentHashMap<>(added);
    if (rule == null) {
      next.remove(id);
    } else {
      next.put(id, rule);
    }
    added = Map.copyOf(next);
  }

  /**
   * The newest alarms of every member, raised and cleared ({@code state} null) or in one state.
   *
   * @param limit at most {@value #MAX_PAGE}
   */
  public Uni<JsonObject> alarms(Alarm.State state, int limit) {
    String where = state == null ? "" : " WHERE state = '" + state.name() + "'";
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT " + ALARM_COLUMNS + " FROM proxy.alarm" + where
            + " ORDER BY raised_at DESC, alarm_id LIMIT $1").execute(Tuple.of(Math.min(limit, MAX_PAGE))))
        .map(Alarms::alarmsJson);
  }

  private static JsonObject alarmsJson(RowSet<Row> rows) {
    JsonArray out = new JsonArray();
    for (Row r : rows) {
      out.add(new JsonObject().put("alarmId", r.getUUID("alarm_id").toString()).put("ruleId", r.getString("rule_id"))
          .put("metric", r.getString("metric")).put("key", r.getString("alarm_key")).put("member", r.getString("member"))
          .put("state", r.getString("state")).put("threshold", r.getDouble("threshold"))
          .put("raisedAt", r.getOffsetDateTime("raised_at").toInstant().toString())
          .put("raisedValue", r.getDouble("raised_value"))
          .put("clearedAt", r.getOffsetDateTime("cleared_at") == null ? null
              : r.getOffsetDateTime("cleared_at").toInstant().toString())
          .put("clearedValue", r.getDouble("cleared_value")));
    }
    return new JsonObject().put("alarms", out);
  }

  /**
   * Stops evaluating and marks this member's raised alarms cleared (with no value) in the history: no other member
   * judges its calls, so nobody else would clear them. The webhook hears nothing more.
   */
  public Uni<Void> close() {
    vertx.cancelTimer(timer);
    if (webhook != null) {
      webhook.close();
    }
    return storage.pool().chain(pool -> pool.preparedQuery("UPDATE proxy.alarm SET state = 'CLEARED', cleared_at = now()"
            + " WHERE member = $1 AND state = 'RAISED'").execute(Tuple.of(member)))
        .onFailure().invoke(e -> LOG.warn("Raised alarms of {} not cleared on close: {}", member, e.toString()))
        .onFailure().recoverWithNull().replaceWithVoid();
  }
}
