package io.huitong.hub.exchange;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigException;
import io.huitong.config.ConfigType;
import io.huitong.config.Validator;
import io.huitong.hub.exchange.route.ExchangeDefinitions;
import io.huitong.hub.config.DefinitionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The exchange bus: which front-exchange nodes this hub hosts, where its routes and table adapters are defined, and
 * how the relay batches, retries and gives up.
 *
 * @param nodes           ids of the nodes this hub hosts; each gets its keys and certificates at first start
 * @param definitions     YAML file of routes, table sources and table sinks, or empty for none
 * @param batchRecords    most records one envelope carries
 * @param batchBytes      most payload bytes one envelope carries
 * @param pollInterval    how often an idle relay looks for new outbox rows and due retries
 * @param messageTtl      how long a message stays valid (its expiresAt) after it is packed
 * @param receiptTimeout  a sent message without a receipt after this long is sent again
 * @param initialBackoff  wait before the first retry; doubled per attempt, with jitter
 * @param maxBackoff      longest wait between retries
 * @param maxAttempts     sends before a message goes DEAD
 * @param relayLease      how long a member's claim to relay for a node lasts without renewal
 */
public record ExchangeConfig(List<String> nodes, String definitions, int batchRecords, long batchBytes,
                             Duration pollInterval, Duration messageTtl, Duration receiptTimeout,
                             Duration initialBackoff, Duration maxBackoff, int maxAttempts, Duration relayLease) {
  public static final String NODES = "exchange.nodes";
  public static final String DEFINITIONS = "exchange.definitions";
  public static final String BATCH_RECORDS = "exchange.batch.max-records";
  public static final String BATCH_BYTES = "exchange.batch.max-bytes";
  public static final String POLL_INTERVAL = "exchange.relay.poll-interval";
  public static final String RELAY_LEASE = "exchange.relay.lease";
  public static final String MESSAGE_TTL = "exchange.message-ttl";
  public static final String RECEIPT_TIMEOUT = "exchange.receipt-timeout";
  public static final String INITIAL_BACKOFF = "exchange.retry.initial-backoff";
  public static final String MAX_BACKOFF = "exchange.retry.max-backoff";
  public static final String MAX_ATTEMPTS = "exchange.retry.max-attempts";

  /** Node ids: characters a Kafka topic name allows, since each node has a topic of its own. */
  public static final String NODE_ID_PATTERN = "[A-Za-z0-9._-]{1,64}";

  public static void declare(ConfigDef def) {
    def.section("exchange", "The exchange bus: front-exchange nodes, signed batch envelopes over Kafka, receipts.")
        .define(NODES, ConfigType.LIST, List.of(), Validator.each(Validator.matching(NODE_ID_PATTERN,
                "1 to 64 letters, digits, dots, hyphens and underscores")),
            "Ids of the front-exchange nodes this hub hosts; each gets SM2 keys and certificates at first start.")
        .define(DEFINITIONS, ConfigType.STRING, "", Validator.any(),
            "YAML file of routes, table sources and table sinks (see docs/exchange.md); empty for none.")
        .section("exchange.batch", "How the relay packs outbox rows into signed batch envelopes.")
        .define(BATCH_RECORDS, ConfigType.INT, 1000, Validator.between(1, 10_000),
            "Most records one envelope carries (one signature covers them all).")
        .define(BATCH_BYTES, ConfigType.SIZE, "4MiB", Validator.between(1024, 8L << 20),
            "Most payload bytes one envelope carries.")
        .section("exchange.relay", "The relay that publishes each hosted node's messages to Kafka.")
        .define(POLL_INTERVAL, ConfigType.DURATION, "100ms",
            Validator.between(Duration.ofMillis(10), Duration.ofSeconds(60)),
            "How often an idle relay looks for new outbox rows and for retries that are due.")
        .define(RELAY_LEASE, ConfigType.DURATION, "15s", Validator.between(Duration.ofSeconds(2), Duration.ofMinutes(10)),
            "How long a member's claim to relay for a node lasts; another member takes over after it lapses.")
        .define(MESSAGE_TTL, ConfigType.DURATION, "7d", Validator.between(Duration.ofMinutes(1), Duration.ofDays(365)),
            "How long a message stays valid after it is packed; receivers reject it as EXPIRED afterwards.")
        .define(RECEIPT_TIMEOUT, ConfigType.DURATION, "5m", Validator.between(Duration.ofSeconds(1), Duration.ofDays(1)),
            "A sent message with no receipt after this long counts as a failed attempt and is sent again.")
        .section("exchange.retry", "Retries of messages that could not be sent or got no receipt.")
        .define(INITIAL_BACKOFF, ConfigType.DURATION, "30s", Validator.between(Duration.ofMillis(10), Duration.ofHours(1)),
            "Wait before the first retry; it doubles with every attempt, with random jitter of up to a half.")
        .define(MAX_BACKOFF, ConfigType.DURATION, "6h", Validator.between(Duration.ofMillis(10), Duration.ofDays(7)),
            "Longest wait between two attempts.")
        .define(MAX_ATTEMPTS, ConfigType.INT, 10, Validator.between(1, 1000),
            "Attempts before a message goes DEAD and waits for an operator's replay.");
  }

  public static ExchangeConfig from(Config c) {
    return new ExchangeConfig(c.getList(NODES), c.getString(DEFINITIONS), c.getInt(BATCH_RECORDS),
        c.getSize(BATCH_BYTES), c.getDuration(POLL_INTERVAL), c.getDuration(MESSAGE_TTL),
        c.getDuration(RECEIPT_TIMEOUT), c.getDuration(INITIAL_BACKOFF), c.getDuration(MAX_BACKOFF),
        c.getInt(MAX_ATTEMPTS), c.getDuration(RELAY_LEASE));
  }

  /**
   * The definitions file, read and checked; an error in it is a configuration error naming the key, the file and
   * the path inside it. Empty definitions when no file is configured.
   */
  public ExchangeDefinitions loadDefinitions() {
    if (definitions.isEmpty()) {
      return ExchangeDefinitions.empty();
    }
    Path file = Path.of(definitions);
    if (!Files.isReadable(file)) {
      throw new ConfigException(DEFINITIONS, "cannot read " + file);
    }
    try {
      return ExchangeDefinitions.load(file);
    } catch (DefinitionException e) {
      throw new ConfigException(DEFINITIONS, file + ": " + e.getMessage());
    }
  }
}
