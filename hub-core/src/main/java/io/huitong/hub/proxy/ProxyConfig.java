package io.huitong.hub.proxy;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigType;
import io.huitong.config.Validator;
import java.time.Duration;

/**
 * The data proxy: where its connectors, services and alarm rules are declared, and how it checks
 * signatures, caches, retries, breaks circuits, audits and watches.
 *
 * @param definitions        YAML file of connectors, services and alarm rules, or empty for none
 * @param maxSkew            a signed request's timestamp may be this far from the hub's clock, either way
 * @param cacheMaxEntries    most responses this member caches
 * @param breakerThreshold   consecutive failures of one connector that open its circuit
 * @param breakerOpen        how long an open circuit refuses calls before it lets one through
 * @param retryAttempts      attempts of an idempotent call, the first included
 * @param retryBackoff       wait before the second attempt; doubled for each later one
 * @param auditFlushInterval longest a call's audit record waits to be written with others
 * @param auditBatch         most audit records written in one transaction
 * @param alarmInterval      how often alarm rules are evaluated
 * @param alarmWebhook       URL that receives raised and cleared alarms, or empty for none
 * @param maxInFlight        most calls this member works on at once
 */
public record ProxyConfig(String definitions, Duration maxSkew, int cacheMaxEntries, int breakerThreshold,
                          Duration breakerOpen, int retryAttempts, Duration retryBackoff,
                          Duration auditFlushInterval, int auditBatch, Duration alarmInterval, String alarmWebhook,
                          int maxInFlight) {
  public static final String DEFINITIONS = "proxy.definitions";
  public static final String MAX_IN_FLIGHT = "proxy.max-in-flight";
  public static final String MAX_SKEW = "proxy.signature.max-skew";
  public static final String CACHE_MAX_ENTRIES = "proxy.cache.max-entries";
  public static final String BREAKER_THRESHOLD = "proxy.breaker.failure-threshold";
  public static final String BREAKER_OPEN = "proxy.breaker.open-duration";
  public static final String RETRY_ATTEMPTS = "proxy.retry.max-attempts";
  public static final String RETRY_BACKOFF = "proxy.retry.backoff";
  public static final String AUDIT_FLUSH_INTERVAL = "proxy.audit.flush-interval";
  public static final String AUDIT_BATCH = "proxy.audit.max-batch";
  public static final String ALARM_INTERVAL = "proxy.alarms.interval";
  public static final String ALARM_WEBHOOK = "proxy.alarms.webhook";

  public static void declare(ConfigDef def) {
    def.section("proxy", "The data proxy: department connectors and the services consumers call through them.")
        .define(DEFINITIONS, ConfigType.STRING, "", Validator.any(),
            "YAML file of connectors, services and alarm rules (see docs/proxy.md); empty for none.")
        .define(MAX_IN_FLIGHT, ConfigType.INT, 2000, Validator.between(1, 1_000_000),
            "Most calls one member works on at once; past it a call is answered 503 HT-PROXY-BUSY at once, so an"
                + " overload cannot queue without bound.")
        .section("proxy.signature", "Request signatures (app key, timestamp, nonce, HMAC-SM3).")
        .define(MAX_SKEW, ConfigType.DURATION, "5m", Validator.between(Duration.ofSeconds(5), Duration.ofHours(1)),
            "A request whose timestamp is further than this from the hub's clock is stale; nonces are kept twice as long.")
        .section("proxy.cache", "Responses cached per service for the service's TTL.")
        .define(CACHE_MAX_ENTRIES, ConfigType.INT, 100_000, Validator.between(0, 10_000_000),
            "Most responses one member caches; the least recently used go first. 0 turns caching off.")
        .section("proxy.breaker", "A circuit breaker per connector.")
        .define(BREAKER_THRESHOLD, ConfigType.INT, 5, Validator.between(1, 1000),
            "Consecutive failed calls to one connector that open its circuit.")
        .define(BREAKER_OPEN, ConfigType.DURATION, "10s", Validator.between(Duration.ofMillis(100), Duration.ofHours(1)),
            "How long an open circuit refuses calls before one trial call may close it.")
        .section("proxy.retry", "Retries of idempotent calls (query, verify) after a timeout or an unavailable upstream.")
        .define(RETRY_ATTEMPTS, ConfigType.INT, 2, Validator.between(1, 10),
            "Attempts per source, the first included; complete and share calls are tried once.")
        .define(RETRY_BACKOFF, ConfigType.DURATION, "50ms", Validator.between(Duration.ofMillis(1), Duration.ofSeconds(30)),
            "Wait before the second attempt; doubled for each later one.")
        .section("proxy.audit", "The call audit log, chained with HMAC-SM3 and written in batches.")
        .define(AUDIT_FLUSH_INTERVAL, ConfigType.DURATION, "5ms", Validator.between(Duration.ofMillis(1), Duration.ofSeconds(5)),
            "Longest a call's audit record waits to be committed together with others'; the answer waits for the commit.")
        .define(AUDIT_BATCH, ConfigType.INT, 1000, Validator.between(1, 100_000),
            "Most audit records written in one transaction; past ten batches waiting, calls are refused with 503.")
        .section("proxy.alarms", "Alarm rules over the call statistics.")
        .define(ALARM_INTERVAL, ConfigType.DURATION, "10s", Validator.between(Duration.ofMillis(100), Duration.ofHours(1)),
            "How often every alarm rule is evaluated.")
        .define(ALARM_WEBHOOK, ConfigType.STRING, "", Validator.any(),
            "URL that receives each raised and cleared alarm as a JSON POST; empty for none.");
  }

  public static ProxyConfig from(Config c) {
    return new ProxyConfig(c.getString(DEFINITIONS), c.getDuration(MAX_SKEW), c.getInt(CACHE_MAX_ENTRIES),
        c.getInt(BREAKER_THRESHOLD), c.getDuration(BREAKER_OPEN), c.getInt(RETRY_ATTEMPTS),
        c.getDuration(RETRY_BACKOFF), c.getDuration(AUDIT_FLUSH_INTERVAL), c.getInt(AUDIT_BATCH),
        c.getDuration(ALARM_INTERVAL), c.getString(ALARM_WEBHOOK), c.getInt(MAX_IN_FLIGHT));
  }
}
