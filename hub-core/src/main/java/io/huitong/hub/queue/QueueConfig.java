package io.huitong.hub.queue;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigType;
import io.huitong.config.Validator;
import java.time.Duration;
import java.time.ZoneId;

/**
 * Hall queue calling (排队叫号).
 *
 * @param recheckWithin      how long after a skip (过号) its ticket may re-check in
 * @param ewmaWeightPercent  weight of the newest service time in a queue's moving average, percent
 * @param initialServiceTime a new queue's average service time, before any ticket is finished
 * @param idleClaim          how long an idle window keeps its precedence over windows idle for less long
 * @param timeZone           the zone whose day ticket numbers restart at 001
 */
public record QueueConfig(Duration recheckWithin, int ewmaWeightPercent, Duration initialServiceTime, Duration idleClaim,
                          ZoneId timeZone) {
  public static final String RECHECK_WITHIN = "queue.recheck-within";
  public static final String EWMA_WEIGHT = "queue.ewma-weight-percent";
  public static final String INITIAL_SERVICE_TIME = "queue.initial-service-time";
  public static final String IDLE_CLAIM = "queue.idle-claim";
  public static final String TIME_ZONE = "queue.time-zone";

  public static void declare(ConfigDef def) {
    def.section("queue", "Hall queue calling: halls, queues, windows and tickets (see docs/queue.md).")
        .define(RECHECK_WITHIN, ConfigType.DURATION, "30m", Validator.between(Duration.ZERO, Duration.ofHours(12)),
            "How long after a skip (过号) its holder may re-check in, back at the front of the queue; later the"
                + " re-check-in is refused with 409 HT-QUEUE-RECHECK-EXPIRED.")
        .define(EWMA_WEIGHT, ConfigType.INT, 20, Validator.between(1, 100),
            "Weight, in percent, of the latest service time in a queue's moving average (EWMA) of service times,"
                + " which the estimated wait is computed from.")
        .define(INITIAL_SERVICE_TIME, ConfigType.DURATION, "5m", Validator.between(Duration.ofSeconds(1), Duration.ofHours(4)),
            "A new queue's average service time, until finished tickets replace it.")
        .define(IDLE_CLAIM, ConfigType.DURATION, "2m", Validator.between(Duration.ZERO, Duration.ofHours(1)),
            "How long an idle window keeps precedence for the next ticket over windows that became idle later;"
                + " a window idle for longer is taken to be unattended and yields. 0: no precedence.")
        .define(TIME_ZONE, ConfigType.STRING, "Asia/Shanghai",
            Validator.of("a time zone id such as Asia/Shanghai", v -> validZone(String.valueOf(v))),
            "The time zone whose midnight restarts ticket numbers at 001.");
  }

  private static boolean validZone(String id) {
    try {
      ZoneId.of(id);
      return true;
    } catch (java.time.DateTimeException e) {
      return false;
    }
  }

  public static QueueConfig from(Config c) {
    return new QueueConfig(c.getDuration(RECHECK_WITHIN), c.getInt(EWMA_WEIGHT), c.getDuration(INITIAL_SERVICE_TIME),
        c.getDuration(IDLE_CLAIM), ZoneId.of(c.getString(TIME_ZONE)));
  }
}
