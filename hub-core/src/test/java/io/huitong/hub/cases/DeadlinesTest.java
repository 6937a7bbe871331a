package io.huitong.hub.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Working-day arithmetic across a holiday, a make-up workday and a suspension, and the supervision levels. */
class DeadlinesTest {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  // Around National Day 2026 as an example: 1 to 7 October off (Thursday to Wednesday), Saturday 10 October worked.
  private static final WorkingCalendar CALENDAR = new WorkingCalendar(Map.of(
      LocalDate.of(2026, 10, 1), false, LocalDate.of(2026, 10, 2), false, LocalDate.of(2026, 10, 5), false,
      LocalDate.of(2026, 10, 6), false, LocalDate.of(2026, 10, 7), false, LocalDate.of(2026, 10, 10), true));
  private static final Deadlines.Rules RULES = new Deadlines.Rules(2, 3);

  private static Instant at(int month, int day, int hour) {
    return ZonedDateTime.of(2026, month, day, hour, 0, 0, 0, ZONE).toInstant();
  }

  @Test
  void weekdaysWorkAndOverridesWin() {
    assertTrue(CALENDAR.working(LocalDate.of(2026, 9, 30)));
    assertFalse(CALENDAR.working(LocalDate.of(2026, 10, 1)));
    assertFalse(CALENDAR.working(LocalDate.of(2026, 10, 3)));
    assertTrue(CALENDAR.working(LocalDate.of(2026, 10, 10)));
    assertFalse(CALENDAR.working(LocalDate.of(2026, 10, 11)));
  }

  @Test
  void promisedDaysSkipTheHolidayAndCountTheMakeUpWorkday() {
    // Accepted Wednesday 30 September; working days after it: 8 Oct (Thu), 9 (Fri), 10 (make-up Sat), 12 (Mon).
    Deadlines d = Deadlines.compute(CALENDAR, ZONE, at(9, 30, 10), 3, 20, 0, RULES);
    assertEquals(at(10, 11, 0), d.promiseDueAt());
    assertEquals(at(10, 9, 0), d.warningAt());
    // 3 working days past the promise: 12, 13, 14 October.
    assertEquals(at(10, 15, 0), d.redAt());
    assertEquals(at(10, 13, 0), Deadlines.compute(CALENDAR, ZONE, at(9, 30, 10), 4, 20, 0, RULES).promiseDueAt());
  }

  @Test
  void aSuspensionMovesTheDeadlinesByTheWorkingDaysPaused() {
    // Suspended Thursday 8 October, resumed Tuesday 13: 8, 9, 10 and 12 are paused, 11 is a Sunday.
    int paused = CALENDAR.workingDaysBetween(LocalDate.of(2026, 10, 8), LocalDate.of(2026, 10, 13));
    assertEquals(4, paused);
    Deadlines d = Deadlines.compute(CALENDAR, ZONE, at(9, 30, 10), 3, 20, paused, RULES);
    // 7 working days after 30 September: 8, 9, 10, 12, 13, 14, 15.
    assertEquals(at(10, 16, 0), d.promiseDueAt());
  }

  @Test
  void anExtensionMovesPromisedAndLegalDeadlines() {
    Deadlines plain = Deadlines.compute(CALENDAR, ZONE, at(9, 14, 9), 5, 20, 0, new Deadlines.Rules(2, 0));
    Deadlines extended = Deadlines.compute(CALENDAR, ZONE, at(9, 14, 9), 5, 20, 10, new Deadlines.Rules(2, 0));
    assertEquals(at(9, 22, 0), plain.promiseDueAt());
    assertTrue(extended.promiseDueAt().isAfter(plain.promiseDueAt()));
    assertEquals(plain.legalDueAt(), plain.redAt());
    assertTrue(extended.legalDueAt().isAfter(plain.legalDueAt()));
  }

  @Test
  void anOverdueCaseTurnsYellowThenRedAtTheConfiguredPoints() {
    Deadlines d = Deadlines.compute(CALENDAR, ZONE, at(9, 30, 10), 3, 20, 0, RULES);
    assertEquals(Supervision.NORMAL, d.level(at(9, 30, 11)));
    assertEquals(Supervision.NORMAL, d.level(d.warningAt().minusSeconds(1)));
    assertEquals(Supervision.WARNING, d.level(d.warningAt()));
    assertEquals(Supervision.WARNING, d.level(d.promiseDueAt().minusSeconds(1)));
    assertEquals(Supervision.YELLOW, d.level(d.promiseDueAt()));
    assertEquals(Supervision.YELLOW, d.level(d.redAt().minus(Duration.ofMinutes(1))));
    assertEquals(Supervision.RED, d.level(d.redAt()));
    assertEquals(5, Supervision.RED.code());
  }

  @Test
  void anImmediateCaseIsDueAtTheEndOfItsDay() {
    Deadlines d = Deadlines.compute(CALENDAR, ZONE, at(9, 30, 10), 0, 20, 0, RULES);
    assertEquals(at(10, 1, 0), d.promiseDueAt());
  }
}
