package io.huitong.hub.cases.impl;

import io.huitong.hub.cases.CaseAction;
import io.huitong.hub.cases.CaseApplication;
import io.huitong.hub.cases.CaseKind;
import io.huitong.hub.cases.CasesConfig;
import io.huitong.hub.http.HubError;
import io.huitong.hub.identity.PersonalNumbers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/** Checks what callers send about cases, and forms case numbers. Pure. */
final class CaseInput {
  static final Set<String> CHANNELS = Set.of("WINDOW", "ONLINE", "KIOSK", "MOBILE");
  /** BJJGDM a CLOSE may carry: 0 出证, 1 退回, 2 作废, 6 准予, 7 不予 (3 and 5 are WITHDRAW and CORRECTION_LAPSED). */
  static final Set<String> CLOSE_CODES = Set.of("0", "1", "2", "6", "7");
  private static final int MAX_NUMBER = 64;
  private static final int MAX_TEXT = 200;
  private static final int MAX_DAYS = 365;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

  private CaseInput() {
  }

  /** A checked application: region and legal days filled in from the configuration, channel defaulted. */
  static CaseApplication application(CaseApplication a, CasesConfig config) {
    code(a.itemCode(), "itemCode");
    text(a.itemName(), "itemName", true);
    code(a.department(), "department");
    String region = a.regionCode() == null ? config.defaultRegion() : a.regionCode();
    if (region == null || !region.matches("\\d{12}")) {
      throw invalid("Field 'regionCode' must be the 12-digit region code (区划)"
          + (config.defaultRegion().isEmpty() ? "" : ", or absent for " + config.defaultRegion()));
    }
    if (a.kind() == null) {
      throw invalid("Field 'kind' must be IMMEDIATE or PROMISED");
    }
    if (a.kind() == CaseKind.IMMEDIATE ? a.promiseDays() != 0 : a.promiseDays() < 1 || a.promiseDays() > MAX_DAYS) {
      throw invalid("Field 'promiseDays' must be 0 for an immediate case and 1 to " + MAX_DAYS + " for a promised one");
    }
    int legal = a.legalDays() == null ? Math.max(config.legalDays(), a.promiseDays()) : a.legalDays();
    if (legal < a.promiseDays() || legal > MAX_DAYS) {
      throw invalid("Field 'legalDays' must be from promiseDays to " + MAX_DAYS);
    }
    text(a.applicantName(), "applicantName", false);
    String channel = a.channel() == null ? "WINDOW" : a.channel();
    if (!CHANNELS.contains(channel)) {
      throw invalid("Field 'channel' must be one of " + CHANNELS);
    }
    if (a.ticketId() != null) {
      code(a.ticketId(), "ticketId");
    }
    return new CaseApplication(a.itemCode(), a.itemName().trim(), a.department(), region, a.kind(), a.promiseDays(),
        legal, a.applicantName() == null ? null : a.applicantName().trim(),
        a.idNumber() == null ? null : PersonalNumbers.idNumber(a.idNumber()),
        a.phone() == null ? null : PersonalNumbers.phone(a.phone()), channel, a.ticketId(), a.at());
  }

  /** Checks the detail an action needs (docs/cases.md); the rest of the detail is kept as given. */
  static JsonObject detail(CaseAction action, JsonObject given) {
    JsonObject d = given == null ? new JsonObject() : given;
    switch (action) {
      case REJECT, WITHDRAW, TERMINATE, REQUEST_SUPPLEMENT -> required(d, "reason");
      case NOTIFY_CORRECTION -> {
        required(d, "reason");
        if (!(d.getValue("materials") instanceof JsonArray m) || m.isEmpty()
            || m.stream().anyMatch(x -> !(x instanceof String))) {
          throw invalid("NOTIFY_CORRECTION needs 'materials': the list of every material to correct, told at once");
        }
      }
      case STEP -> {
        required(d, "stepCode");
        required(d, "stepName");
      }
      case SUSPEND -> required(d, "type");
      case EXTEND -> days(d);
      case CLOSE -> {
        if (!CLOSE_CODES.contains(d.getValue("resultCode") instanceof String s ? s : "")) {
          throw invalid("CLOSE needs 'resultCode' (BJJGDM): one of " + CLOSE_CODES);
        }
        Object fee = d.getValue("feeFen");
        if (fee != null && !((fee instanceof Integer || fee instanceof Long) && ((Number) fee).longValue() >= 0)) {
          throw invalid("Field 'feeFen' must be a whole number of fen, 0 or more");
        }
      }
      default -> {
      }
    }
    return d;
  }

  /** The working days an EXTEND grants. */
  static int days(JsonObject detail) {
    Object days = detail.getValue("days");
    if (!(days instanceof Integer i) || i < 1 || i > MAX_DAYS) {
      throw invalid("EXTEND needs 'days': the working days granted, 1 to " + MAX_DAYS);
    }
    return i;
  }

  /** The case number {@code cases.number.pattern} gives. */
  static String caseNumber(CasesConfig config, CaseApplication a, Instant submittedAt, long seq) {
    String digits = Long.toString(seq);
    String padded = "0".repeat(Math.max(0, config.sequenceDigits() - digits.length())) + digits;
    String number = config.numberPattern().replace("{region}", a.regionCode())
        .replace("{date}", DAY.format(submittedAt.atZone(config.zone())))
        .replace("{item}", a.itemCode()).replace("{seq}", padded);
    if (number.length() > MAX_NUMBER) {
      throw invalid("The case number would be longer than " + MAX_NUMBER + " characters; shorten "
          + CasesConfig.NUMBER_PATTERN + " or the item code");
    }
    return number;
  }

  /** A region path segment: {@code all} (stored as '') or 12 digits. */
  static String region(String raw) {
    if ("all".equals(raw)) {
      return "";
    }
    if (raw == null || !raw.matches("\\d{12}")) {
      throw invalid("The region is 'all' or a 12-digit region code");
    }
    return raw;
  }

  static LocalDate day(Instant at, ZoneId zone) {
    return at.atZone(zone).toLocalDate();
  }

  private static void required(JsonObject d, String field) {
    if (!(d.getValue(field) instanceof String s) || s.isBlank() || s.length() > MAX_TEXT) {
      throw invalid("This action needs '" + field + "' (1 to " + MAX_TEXT + " characters)");
    }
  }

  private static void code(String value, String field) {
    if (value == null || !value.matches("[A-Za-z0-9._-]{1,64}")) {
      throw invalid("Field '" + field + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
  }

  private static void text(String value, String field, boolean needed) {
    if (value == null ? needed : value.isBlank() || value.length() > MAX_TEXT
        || value.chars().anyMatch(Character::isISOControl)) {
      throw invalid("Field '" + field + "' must be 1 to " + MAX_TEXT + " characters");
    }
  }

  static io.huitong.hub.http.HubException invalid(String detail) {
    return HubError.CASE_INPUT_INVALID.exception(detail);
  }
}
