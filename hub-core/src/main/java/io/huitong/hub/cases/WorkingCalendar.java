package io.huitong.hub.cases;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Map;

/**
 * A region's working days: Monday to Friday unless an override says otherwise — a public holiday (法定节假日) on a
 * weekday, or a make-up workday (调休上班) on a weekend. Immutable; pure.
 */
public final class WorkingCalendar {
  /** Farther than any deadline: a calendar with no working day in ten years is a configuration error. */
  private static final int SEARCH_LIMIT = 3660;

  private final Map<LocalDate, Boolean> overrides;

  /** @param overrides days whose working status differs from the weekday rule: true works, false is off */
  public WorkingCalendar(Map<LocalDate, Boolean> overrides) {
    this.overrides = Map.copyOf(overrides);
  }

  public boolean working(LocalDate day) {
    Boolean override = overrides.get(day);
    if (override != null) {
      return override;
    }
    return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY;
  }

  /** The {@code n}th working day after {@code day} ({@code day} itself for 0); the day itself never counts. */
  public LocalDate plusWorkingDays(LocalDate day, int n) {
    LocalDate d = day;
    int left = n;
    int searched = 0;
    while (left > 0) {
      d = d.plusDays(1);
      if (working(d)) {
        left--;
      }
      if (++searched > SEARCH_LIMIT + n) {
        throw new IllegalStateException("the working-day calendar has no working day after " + day);
      }
    }
    return d;
  }

  /** Working days in [from, toExclusive). */
  public int workingDaysBetween(LocalDate from, LocalDate toExclusive) {
    int count = 0;
    for (LocalDate d = from; d.isBefore(toExclusive); d = d.plusDays(1)) {
      if (working(d)) {
        count++;
      }
    }
    return count;
  }
}
