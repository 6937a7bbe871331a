package io.huitong.hub.proxy;

import io.huitong.config.ConfigException;
import io.huitong.config.ConfigType;
import io.huitong.hub.config.DefinitionException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate limit such as {@code 100/s}, {@code 6000/1m} or {@code 20/s burst 40}: on average {@code permits} calls per
 * {@code period}, with at most {@code burst} calls at once after a quiet spell.
 */
public record RateLimit(long permits, Duration period, long burst) {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\s*/\\s*(\\d*\\s*(?:ms|s|m|h|d))(?:\\s+burst\\s+(\\d{1,9}))?");

  public RateLimit {
    if (permits < 1 || burst < 1 || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("a rate limit needs permits, burst and period above zero");
    }
  }

  /** Nanoseconds between two calls at the average rate: the GCRA emission interval. */
  public long intervalNanos() {
    return Math.max(1, period.toNanos() / permits);
  }

  /** How far ahead of the average rate a burst may run: the GCRA tolerance. */
  public long toleranceNanos() {
    return intervalNanos() * (burst - 1);
  }

  /** As written in definitions: {@code 100/1s burst 100}. */
  @Override
  public String toString() {
    return permits + "/" + period.toMillis() + "ms burst " + burst;
  }

  /**
   * Parses {@code <permits>/<period> [burst <n>]}, the period a duration whose number may be left out ({@code s} is
   * {@code 1s}); the burst defaults to the permits.
   */
  public static RateLimit parse(String text, String path) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new DefinitionException(path, "'" + text + "' is not a rate limit such as 100/s, 6000/1m or 20/s burst 40");
    }
    String unit = m.group(2).replaceAll("\\s", "");
    Duration period;
    try {
      period = ConfigType.parseDuration(path, Character.isDigit(unit.charAt(0)) ? unit : "1" + unit);
    } catch (ConfigException e) {
      throw new DefinitionException(path, "'" + text + "' has an invalid period");
    }
    long permits = Long.parseLong(m.group(1));
    long burst = m.group(3) == null ? permits : Long.parseLong(m.group(3));
    if (permits == 0 || burst == 0 || period.isZero()) {
      throw new DefinitionException(path, "'" + text + "' must allow at least one call in a period above zero");
    }
    return new RateLimit(permits, period, burst);
  }
}
