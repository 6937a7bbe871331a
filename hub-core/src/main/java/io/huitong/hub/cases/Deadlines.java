package io.huitong.hub.cases;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A case's supervision points. A deadline of {@code k} working days is the end (24:00 local) of the {@code k}th
 * working day after the day of acceptance; working days paused by special procedures or supplements and days granted
 * by extensions are added to {@code k}.
 *
 * @param warningAt     预警: {@code warningDays} working days before the promised due time (never before acceptance)
 * @param promiseDueAt  承诺办结时间: past it the case is yellow
 * @param redAt         past it the case is red: the legal due time, or {@code redAfterDays} working days past the
 *                      promised one when that comes first
 * @param legalDueAt    法定办结时间
 */
public record Deadlines(Instant warningAt, Instant promiseDueAt, Instant redAt, Instant legalDueAt) {

  /** How supervision escalates: warn this many working days ahead; red this many working days overdue (0: legal due only). */
  public record Rules(int warningDays, int redAfterDays) {
  }

  /**
   * @param addedDays working days the deadlines move by: extensions granted plus working days paused
   */
  public static Deadlines compute(WorkingCalendar calendar, ZoneId zone, Instant acceptedAt, int promiseDays,
                                  int legalDays, int addedDays, Rules rules) {
    LocalDate day = acceptedAt.atZone(zone).toLocalDate();
    int promised = promiseDays + addedDays;
    int legal = Math.max(legalDays, promiseDays) + addedDays;
    Instant promiseDue = endOf(calendar, zone, day, promised);
    Instant legalDue = endOf(calendar, zone, day, legal);
    Instant warning = endOf(calendar, zone, day, Math.max(0, promised - rules.warningDays()));
    if (promised - rules.warningDays() < 0 || warning.isBefore(acceptedAt)) {
      warning = acceptedAt;
    }
    Instant red = legalDue;
    if (rules.redAfterDays() > 0) {
      Instant overdue = endOf(calendar, zone, day, promised + rules.redAfterDays());
      red = overdue.isBefore(legalDue) ? overdue : legalDue;
    }
    return new Deadlines(warning, promiseDue, red, legalDue);
  }

  /** The level at {@code now}. */
  public Supervision level(Instant now) {
    if (!now.isBefore(redAt)) {
      return Supervision.RED;
    }
    if (!now.isBefore(promiseDueAt)) {
      return Supervision.YELLOW;
    }
    if (!now.isBefore(warningAt)) {
      return Supervision.WARNING;
    }
    return Supervision.NORMAL;
  }

  private static Instant endOf(WorkingCalendar calendar, ZoneId zone, LocalDate day, int workingDays) {
    return calendar.plusWorkingDays(day, workingDays).plusDays(1).atStartOfDay(zone).toInstant();
  }
}
