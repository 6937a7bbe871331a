package io.huitong.hub.cases;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigType;
import io.huitong.config.Validator;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cases (办件): numbering, clocks and supervision.
 *
 * @param numberPattern  the case number: {region}, {date}, {item} and {seq} replaced (docs/cases.md)
 * @param sequenceDigits {seq} is zero-padded to at least this many digits
 * @param zone           the time zone of working days, case-number dates and monthly statistics
 * @param defaultRegion  the 12-digit region code of a case that names none; empty: a case must name one
 * @param legalDays      the legal time limit in working days when a case gives none (行政许可法 art. 42: 20)
 * @param calendar       calendar days every region shares: true a make-up workday, false a holiday
 * @param rules          when supervision warns and turns red
 * @param sweepInterval  how often supervision is recomputed
 * @param dispatch       dispatch of promised cases to department systems over the exchange bus
 */
public record CasesConfig(String numberPattern, int sequenceDigits, ZoneId zone, String defaultRegion, int legalDays,
                          Map<LocalDate, Boolean> calendar, Deadlines.Rules rules, Duration sweepInterval,
                          Dispatch dispatch) {

  /**
   * @param node         the hosted exchange node cases are sent from and statuses come back to; empty: no dispatch
   * @param lag          a department that sends no status this long after dispatch is LAGGING
   * @param pollInterval how often department statuses the exchange bus delivered are applied
   */
  public record Dispatch(String node, Duration lag, Duration pollInterval) {
    public static final Dispatch OFF = new Dispatch("", Duration.ofDays(1), Duration.ofSeconds(1));

    public boolean enabled() {
      return !node.isEmpty();
    }
  }


  public static final String NUMBER_PATTERN = "cases.number.pattern";
  public static final String SEQUENCE_DIGITS = "cases.number.sequence-digits";
  public static final String ZONE = "cases.zone";
  public static final String DEFAULT_REGION = "cases.default-region";
  public static final String LEGAL_DAYS = "cases.legal-days";
  public static final String HOLIDAYS = "cases.calendar.holidays";
  public static final String WORKDAYS = "cases.calendar.workdays";
  public static final String WARNING_DAYS = "cases.supervision.warning-days";
  public static final String RED_AFTER_DAYS = "cases.supervision.red-after-days";
  public static final String SWEEP_INTERVAL = "cases.supervision.sweep-interval";
  public static final String DISPATCH_NODE = "cases.dispatch.node";
  public static final String DISPATCH_LAG = "cases.dispatch.lag";
  public static final String DISPATCH_POLL = "cases.dispatch.poll-interval";

  private static final Validator DATES = Validator.each(Validator.of("a date such as 2026-10-01", v -> {
    try {
      LocalDate.parse(v.toString());
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }));

  public static void declare(ConfigDef def) {
    def.section("cases", "Cases (办件): case numbers, the working-day calendar, deadlines and supervision (see docs/cases.md).")
        .define(NUMBER_PATTERN, ConfigType.STRING, "{region}{date}{seq}",
            Validator.matching("[A-Za-z0-9{}_-]*\\{seq\\}[A-Za-z0-9{}_-]*", "a pattern with {seq}"),
            "The unified case number (办件编号): {region} the 12-digit region code, {date} the submission day"
                + " yyyyMMdd, {item} the item's implementation code, {seq} a database sequence, unique across the"
                + " hub (not gapless, not reset per day); other characters are copied. At most 64 characters result.")
        .define(SEQUENCE_DIGITS, ConfigType.INT, 6, Validator.between(1, 18),
            "{seq} is zero-padded to at least this many digits.")
        .define(ZONE, ConfigType.STRING, "Asia/Shanghai", Validator.of("a time zone id such as Asia/Shanghai",
                v -> {
                  try {
                    ZoneId.of(v.toString());
                    return true;
                  } catch (DateTimeException e) {
                    return false;
                  }
                }),
            "The time zone of working days, deadlines, case-number dates and monthly statistics.")
        .define(DEFAULT_REGION, ConfigType.STRING, "", Validator.matching("(\\d{12})?", "empty or 12 digits"),
            "The 12-digit region code (区划) of a case that names none; empty: every case must name one.")
        .define(LEGAL_DAYS, ConfigType.INT, 20, Validator.between(1, 365),
            "The legal time limit (法定时限) in working days for a case that gives none (行政许可法 art. 42).")
        .define(HOLIDAYS, ConfigType.LIST, List.of(), DATES,
            "Public holidays (法定节假日) of every region, as yyyy-MM-dd; days set through"
                + " /api/v1/admin/cases/calendar override them.")
        .define(WORKDAYS, ConfigType.LIST, List.of(), DATES,
            "Make-up workdays (调休上班) of every region falling on a weekend, as yyyy-MM-dd.")
        .define(WARNING_DAYS, ConfigType.INT, 2, Validator.between(0, 100),
            "Supervision warns (预警) this many working days before the promised due time.")
        .define(RED_AFTER_DAYS, ConfigType.INT, 5, Validator.between(0, 365),
            "A case is red (红牌) this many working days past its promised due time, or at its legal due time if"
                + " that comes first; 0: at the legal due time only. Past the promised due time it is yellow (黄牌).")
        .define(SWEEP_INTERVAL, ConfigType.DURATION, "1m", Validator.between(Duration.ofSeconds(1), Duration.ofHours(1)),
            "How often supervision is recomputed and reminders sent.")
        .define(DISPATCH_NODE, ConfigType.STRING, "", Validator.matching("([A-Za-z0-9._-]{1,64})?", "empty or a node id"),
            "The exchange node (one of exchange.nodes) accepted promised cases are dispatched from as CASE_DISPATCH"
                + " records, routed to department nodes by the exchange routes, and department CASE_STATUS records come"
                + " back to; empty: no dispatch.")
        .define(DISPATCH_LAG, ConfigType.DURATION, "1d", Validator.between(Duration.ofSeconds(1), Duration.ofDays(30)),
            "A department that sends no status this long after a case was dispatched to it is LAGGING in supervision.")
        .define(DISPATCH_POLL, ConfigType.DURATION, "1s", Validator.between(Duration.ofMillis(100), Duration.ofMinutes(1)),
            "How often department statuses delivered by the exchange bus are applied to their cases.");
  }

  public static CasesConfig from(Config c) {
    Map<LocalDate, Boolean> calendar = new HashMap<>();
    c.getList(HOLIDAYS).forEach(d -> calendar.put(LocalDate.parse(d), false));
    c.getList(WORKDAYS).forEach(d -> calendar.put(LocalDate.parse(d), true));
    return new CasesConfig(c.getString(NUMBER_PATTERN), c.getInt(SEQUENCE_DIGITS), ZoneId.of(c.getString(ZONE)),
        c.getString(DEFAULT_REGION), c.getInt(LEGAL_DAYS), calendar,
        new Deadlines.Rules(c.getInt(WARNING_DAYS), c.getInt(RED_AFTER_DAYS)), c.getDuration(SWEEP_INTERVAL),
        new Dispatch(c.getString(DISPATCH_NODE), c.getDuration(DISPATCH_LAG), c.getDuration(DISPATCH_POLL)));
  }
}
