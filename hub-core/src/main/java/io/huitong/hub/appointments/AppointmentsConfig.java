package io.huitong.hub.appointments;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigType;
import io.huitong.config.Validator;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;

/**
 * Appointments (预约).
 *
 * @param zone            the zone slot days and times are planned in
 * @param cancelBefore    how long before its slot starts an appointment can still be cancelled
 * @param checkInBefore   how long before its slot starts check-in opens
 * @param checkInAfter    how long after its slot started check-in stays open
 * @param queueTimeout    how long check-in waits for the hall queue's ticket
 * @param reminderLeads   how long before the slot each reminder goes out, longest first
 * @param reminderSweep   how often a member looks for reminders due
 * @param smsUrl          base URL of the SMS gateway; empty: no reminders are sent
 * @param smsTimeout      deadline of one call to the SMS gateway
 */
public record AppointmentsConfig(ZoneId zone, Duration cancelBefore, Duration checkInBefore, Duration checkInAfter,
                                 Duration queueTimeout, List<Duration> reminderLeads, Duration reminderSweep, String smsUrl,
                                 Duration smsTimeout) {
  public static final String ZONE = "appointments.zone";
  public static final String CANCEL_BEFORE = "appointments.cancel-before";
  public static final String CHECK_IN_BEFORE = "appointments.check-in.before";
  public static final String CHECK_IN_AFTER = "appointments.check-in.after";
  public static final String QUEUE_TIMEOUT = "appointments.check-in.queue-timeout";
  public static final String REMINDER_LEADS = "appointments.reminders.leads";
  public static final String REMINDER_SWEEP = "appointments.reminders.sweep-interval";
  public static final String SMS_URL = "appointments.sms.base-url";
  public static final String SMS_TIMEOUT = "appointments.sms.timeout";

  private static final Validator LEAD = Validator.matching("\\d+\\s*(s|m|h|d)", "a duration such as 24h, 1h or 90m");

  public static void declare(ConfigDef def) {
    def.section("appointments", "Appointment slots per hall queue and day, booking, reminders and check-in (see docs/appointments.md).")
        .define(ZONE, ConfigType.STRING, "Asia/Shanghai", Validator.of("a time zone id such as Asia/Shanghai",
                v -> validZone(v.toString())),
            "Time zone in which slot days and times are planned and reminder texts give the time.")
        .define(CANCEL_BEFORE, ConfigType.DURATION, "0s", Validator.between(Duration.ZERO, Duration.ofDays(7)),
            "How long before its slot starts an appointment can still be cancelled; later is 409 HT-CANCEL-CLOSED."
                + " 0s: until the slot starts.")
        .define(CHECK_IN_BEFORE, ConfigType.DURATION, "30m", Validator.between(Duration.ZERO, Duration.ofDays(1)),
            "How long before its slot starts check-in opens; sooner is 409 HT-CHECK-IN-TOO-EARLY.")
        .define(CHECK_IN_AFTER, ConfigType.DURATION, "15m", Validator.between(Duration.ZERO, Duration.ofDays(1)),
            "How long after its slot started check-in stays open; later is 409 HT-CHECK-IN-TOO-LATE.")
        .define(QUEUE_TIMEOUT, ConfigType.DURATION, "10s", Validator.between(Duration.ofMillis(100), Duration.ofMinutes(1)),
            "How long check-in waits for the hall queue (event bus huitong.queue.command) to issue the ticket;"
                + " no answer is 503 HT-QUEUE-UNAVAILABLE and the appointment stays booked.")
        .define(REMINDER_LEADS, ConfigType.LIST, List.of("24h", "1h"), Validator.each(LEAD),
            "How long before the slot starts each SMS reminder goes out. A reminder is sent only to appointments"
                + " booked before its time, and not once a shorter one is due.")
        .define(REMINDER_SWEEP, ConfigType.DURATION, "30s", Validator.between(Duration.ofMillis(100), Duration.ofHours(1)),
            "How often each member looks for reminders due; members claim each reminder in PostgreSQL, so it goes out"
                + " once however many look.")
        .define(SMS_URL, ConfigType.STRING, "",
            Validator.matching("(https?://[^\\s?#]+)?", "empty, or an http:// or https:// URL without query"),
            "Base URL of the SMS gateway (POST /sms/messages), reached through an http connector; empty: no reminders"
                + " are sent.")
        .define(SMS_TIMEOUT, ConfigType.DURATION, "5s", Validator.between(Duration.ofMillis(100), Duration.ofMinutes(1)),
            "Deadline of one call to the SMS gateway; a reminder that fails is tried again at a later sweep.");
  }

  private static boolean validZone(String id) {
    try {
      ZoneId.of(id);
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }

  public static AppointmentsConfig from(Config c) {
    List<Duration> leads = c.getList(REMINDER_LEADS).stream()
        .map(lead -> ConfigType.parseDuration(REMINDER_LEADS, lead))
        .distinct().sorted(Comparator.reverseOrder()).toList();
    return new AppointmentsConfig(ZoneId.of(c.getString(ZONE)), c.getDuration(CANCEL_BEFORE), c.getDuration(CHECK_IN_BEFORE),
        c.getDuration(CHECK_IN_AFTER), c.getDuration(QUEUE_TIMEOUT), leads, c.getDuration(REMINDER_SWEEP),
        c.getString(SMS_URL), c.getDuration(SMS_TIMEOUT));
  }
}
