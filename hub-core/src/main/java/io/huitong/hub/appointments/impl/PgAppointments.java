package io.huitong.hub.appointments.impl;

import io.huitong.hub.appointments.Appointments;
import io.huitong.hub.appointments.AppointmentsConfig;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.identity.Identity.Origin;
import io.huitong.hub.identity.PersonalNumbers;
import io.huitong.hub.ops.AuditEvent;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.ops.AuditTrail;
import io.huitong.hub.signing.BlindIndex;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.eventbus.MessageConsumer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appointments in PostgreSQL (schema {@code appointments}). Capacity holds because a booking is one statement that
 * raises the slot's count only while it is below capacity, under the slot row's lock, and inserts the appointment;
 * the partial unique index refuses a second live booking of the same person in the same slot, which undoes the
 * whole statement. Reminders are claimed as leases in {@code reminder} before they are sent.
 */
public final class PgAppointments implements Appointments {
  private static final Logger LOG = LoggerFactory.getLogger(PgAppointments.class);
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String ID_NUMBER_FIELD = "appointments.id-number";
  /** Hall and queue ids, as the hall queue spells them. */
  private static final String ID = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";
  private static final int MAX_DATES = 62;
  private static final int MAX_SLOTS = 5000;
  private static final int MAX_NAME = 100;
  private static final int LOOKUP_LIMIT = 50;
  private static final int SWEEP_BATCH = 200;
  /** How long a member's claim on a reminder keeps others off it: far longer than one SMS call may take. */
  private static final Duration REMINDER_LEASE = Duration.ofMinutes(5);
  private static final String COLUMNS = "id, slot_id, hall, queue, starts_at, ends_at, masked_id_number, name,"
      + " masked_phone, channel, state, booked_at, cancelled_at, checked_in_at, ticket";
  private static final DateTimeFormatter SMS_TIME = DateTimeFormatter.ofPattern("M月d日 HH:mm");

  private final Vertx vertx;
  private final Storage storage;
  private final MasterKey master;
  private final BlindIndex blind;
  private final AuditLog audit;
  private final AppointmentsConfig config;
  private final Clock clock;
  private final String member;
  private final SmsReminders sms;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final long sweepTimer;
  private MessageConsumer<Object> commands;

  private PgAppointments(Vertx vertx, Storage storage, MasterKey master, AuditLog audit, AppointmentsConfig config,
                         Clock clock, String member) {
    this.vertx = vertx;
    this.storage = storage;
    this.master = master;
    this.blind = BlindIndex.create(master);
    this.audit = audit;
    this.config = config;
    this.clock = clock;
    this.member = member;
    this.sms = SmsReminders.create(vertx, config);
    this.sweepTimer = sms == null ? -1 : vertx.setPeriodic(config.reminderSweep().toMillis(), t -> sweep());
  }

  public static Appointments start(Vertx vertx, Storage storage, MasterKey master, AuditLog audit,
                                   AppointmentsConfig config, Clock clock, String member) {
    PgAppointments appointments = new PgAppointments(vertx, storage, master, audit, config, clock, member);
    appointments.commands = AppointmentCommands.register(vertx, appointments);
    return appointments;
  }

  // ---- slots ---------------------------------------------------------------------------------------------------

  @Override
  public Uni<List<Slot>> plan(DayPlan plan, Origin origin) {
    return Uni.createFrom().deferred(() -> {
      List<Slot> wanted = slotsOf(plan);
      int n = wanted.size();
      String[] ids = new String[n];
      OffsetDateTime[] starts = new OffsetDateTime[n];
      OffsetDateTime[] ends = new OffsetDateTime[n];
      Integer[] capacities = new Integer[n];
      for (int i = 0; i < n; i++) {
        ids[i] = wanted.get(i).id();
        starts[i] = utc(wanted.get(i).startsAt());
        ends[i] = utc(wanted.get(i).endsAt());
        capacities[i] = wanted.get(i).capacity();
      }
      // A slot that exists keeps its id and bookings; it refuses a capacity below them by returning no row.
      String sql = "INSERT INTO appointments.slot (id, hall, queue, starts_at, ends_at, capacity)"
          + " SELECT id, $1, $2, s, e, c FROM unnest($3::text[], $4::timestamptz[], $5::timestamptz[], $6::int[]) AS t(id, s, e, c)"
          + " ON CONFLICT (hall, queue, starts_at) DO UPDATE SET ends_at = EXCLUDED.ends_at, capacity = EXCLUDED.capacity"
          + " WHERE slot.booked <= EXCLUDED.capacity"
          + " RETURNING id, hall, queue, starts_at, ends_at, capacity, booked";
      return storage.pool().chain(pool -> pool.withTransaction(conn -> conn.preparedQuery(sql)
              .execute(Tuple.of(plan.hall(), plan.queue(), ids, starts, ends, capacities))
              .map(rows -> {
                if (rows.size() != n) {
                  throw HubError.SLOT_CAPACITY_BELOW_BOOKED.exception((n - rows.size())
                      + " slot(s) hold more bookings than the new capacity; nothing was changed");
                }
                List<Slot> out = new ArrayList<>();
                rows.forEach(r -> out.add(slot(r)));
                out.sort(java.util.Comparator.comparing(Slot::startsAt));
                return out;
              })));
    }).plug(work -> audited(audit, origin, "appointments.plan", plan.hall() + "/" + plan.queue(), work,
        new JsonObject().put("dates", plan.dates() == null ? 0 : plan.dates().size())));
  }

  /** The slots a plan makes, checked: ids, sane periods that do not overlap, bounded counts. */
  private List<Slot> slotsOf(DayPlan plan) {
    if (plan.hall() == null || !plan.hall().matches(ID) || plan.queue() == null || !plan.queue().matches(ID)) {
      throw invalid("Send 'hall' and 'queue', each 1 to 64 letters, digits, '_' or '-', from a letter or digit");
    }
    if (plan.dates() == null || plan.dates().isEmpty() || plan.dates().size() > MAX_DATES) {
      throw invalid("Send 'dates', 1 to " + MAX_DATES + " days");
    }
    if (plan.periods() == null || plan.periods().isEmpty()) {
      throw invalid("Send 'periods', at least one");
    }
    List<Period> periods = plan.periods().stream().sorted(java.util.Comparator.comparing(Period::from)).toList();
    for (int i = 0; i < periods.size(); i++) {
      Period p = periods.get(i);
      if (p.slotMinutes() < 1 || p.slotMinutes() > 480 || p.capacity() < 0 || p.capacity() > 10_000
          || !p.to().isAfter(p.from()) || (i > 0 && periods.get(i - 1).to().isAfter(p.from()))) {
        throw invalid("Each period runs 'from' before 'to' without overlapping another, with 'slotMinutes' 1 to 480"
            + " and 'capacity' 0 to 10000");
      }
    }
    List<Slot> slots = new ArrayList<>();
    for (LocalDate date : new java.util.TreeSet<>(plan.dates())) {
      for (Period p : periods) {
        for (LocalDateTime start = date.atTime(p.from()); !start.plusMinutes(p.slotMinutes()).isAfter(date.atTime(p.to()));
             start = start.plusMinutes(p.slotMinutes())) {
          slots.add(new Slot(UUID.randomUUID().toString(), plan.hall(), plan.queue(), start.atZone(config.zone()).toInstant(),
              start.plusMinutes(p.slotMinutes()).atZone(config.zone()).toInstant(), p.capacity(), 0));
          if (slots.size() > MAX_SLOTS) {
            throw invalid("A plan makes at most " + MAX_SLOTS + " slots");
          }
        }
      }
    }
    if (slots.isEmpty()) {
      throw invalid("The periods are shorter than one slot");
    }
    return slots;
  }

  @Override
  public Uni<List<Slot>> slots(String hall, String queue, LocalDate date) {
    return Uni.createFrom().deferred(() -> {
      if (hall == null || !hall.matches(ID) || queue == null || !queue.matches(ID) || date == null) {
        throw invalid("Send 'hall', 'queue' and 'date' (yyyy-MM-dd)");
      }
      Instant from = date.atStartOfDay(config.zone()).toInstant();
      Instant to = date.plusDays(1).atStartOfDay(config.zone()).toInstant();
      return storage.pool().chain(pool -> pool.preparedQuery("SELECT id, hall, queue, starts_at, ends_at, capacity, booked"
              + " FROM appointments.slot WHERE hall = $1 AND queue = $2 AND starts_at >= $3 AND starts_at < $4 ORDER BY starts_at")
          .execute(Tuple.of(hall, queue, utc(from), utc(to))))
          .map(rows -> {
            List<Slot> out = new ArrayList<>();
            rows.forEach(r -> out.add(slot(r)));
            return out;
          });
    });
  }

  // ---- booking ---------------------------------------------------------------------------------------------------

  @Override
  public Uni<Appointment> book(Booking booking, Origin origin) {
    return Uni.createFrom().deferred(() -> {
      if (booking.slotId() == null || booking.slotId().length() > 64 || booking.channel() == null) {
        throw invalid("Send 'slotId' and 'channel' (portal or kiosk)");
      }
      String idNumber = PersonalNumbers.idNumber(booking.idNumber());
      String phone = PersonalNumbers.phone(booking.phone());
      String name = booking.name() == null ? "" : booking.name().trim();
      if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
        throw invalid("Field 'name' must be 1 to " + MAX_NAME + " characters");
      }
      String id = UUID.randomUUID().toString();
      Instant now = clock.instant();
      String sql = "WITH s AS (UPDATE appointments.slot SET booked = booked + 1"
          + " WHERE id = $1 AND booked < capacity AND starts_at > $2 RETURNING id, hall, queue, starts_at, ends_at)"
          + " INSERT INTO appointments.appointment (id, slot_id, hall, queue, starts_at, ends_at, id_number_sealed,"
          + " id_number_index, masked_id_number, name, phone_sealed, masked_phone, channel, state, booked_at)"
          + " SELECT $3, s.id, s.hall, s.queue, s.starts_at, s.ends_at, $4, $5, $6, $7, $8, $9, $10, 'BOOKED', $2 FROM s"
          + " RETURNING " + COLUMNS;
      Tuple values = Tuple.tuple().addString(booking.slotId()).addValue(utc(now)).addString(id)
          .addValue(seal(idNumber, id, "id-number")).addString(blind.of(ID_NUMBER_FIELD, idNumber))
          .addString(PersonalNumbers.maskIdNumber(idNumber)).addString(name).addValue(seal(phone, id, "phone"))
          .addString(PersonalNumbers.maskPhone(phone)).addString(booking.channel().name());
      Uni<Appointment> booked = storage.pool().chain(pool -> pool.preparedQuery(sql).execute(values))
          .onFailure(e -> e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()))
          .transform(e -> HubError.APPOINTMENT_EXISTS.exception(null))
          .chain(rows -> rows.size() == 1 ? Uni.createFrom().item(appointment(rows.iterator().next()))
              : whyNotBooked(booking.slotId(), now));
      return audited(audit, origin, "appointments.book", booking.slotId(), booked, new JsonObject()
          .put("channel", booking.channel().name()));
    });
  }

  private Uni<Appointment> whyNotBooked(String slotId, Instant now) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT starts_at, capacity, booked FROM appointments.slot WHERE id = $1")
        .execute(Tuple.of(slotId))).map(rows -> {
          if (rows.size() == 0) {
            throw HubError.SLOT_NOT_FOUND.exception(null);
          }
          Row r = rows.iterator().next();
          if (!instant(r, "starts_at").isAfter(now)) {
            throw HubError.SLOT_STARTED.exception(null);
          }
          throw HubError.SLOT_FULL.exception("All " + r.getInteger("capacity") + " places are booked");
        });
  }

  @Override
  public Uni<Appointment> cancel(String appointmentId, String idNumber, Origin origin) {
    return Uni.createFrom().deferred(() -> {
      String index = ownerIndex(appointmentId, idNumber);
      Instant now = clock.instant();
      // Both statements of the CTE run: the appointment turns CANCELLED and its slot gets the place back.
      String sql = "WITH a AS (UPDATE appointments.appointment SET state = 'CANCELLED', cancelled_at = $3"
          + " WHERE id = $1 AND id_number_index = $2 AND state = 'BOOKED' AND starts_at > $4 RETURNING " + COLUMNS + "),"
          + " s AS (UPDATE appointments.slot SET booked = booked - 1 FROM a WHERE slot.id = a.slot_id)"
          + " SELECT * FROM a";
      Uni<Appointment> cancelled = storage.pool().chain(pool -> pool.preparedQuery(sql)
              .execute(Tuple.of(appointmentId, index, utc(now), utc(now.plus(config.cancelBefore())))))
          .chain(rows -> rows.size() == 1 ? Uni.createFrom().item(appointment(rows.iterator().next()))
              : refusal(appointmentId, index, a -> HubError.CANCEL_CLOSED.exception(
                  "Cancelling closes " + config.cancelBefore().toMinutes() + " minute(s) before the slot starts")));
      return audited(audit, origin, "appointments.cancel", appointmentId, cancelled, new JsonObject());
    });
  }

  @Override
  public Uni<List<Appointment>> lookup(String idNumber) {
    return Uni.createFrom().deferred(() -> {
      String index = blind.of(ID_NUMBER_FIELD, PersonalNumbers.idNumber(idNumber));
      return storage.pool().chain(pool -> pool.preparedQuery("SELECT " + COLUMNS + " FROM appointments.appointment"
              + " WHERE id_number_index = $1 AND ends_at > $2 ORDER BY starts_at LIMIT " + LOOKUP_LIMIT)
          .execute(Tuple.of(index, utc(clock.instant().minus(Duration.ofDays(1))))))
          .map(rows -> {
            List<Appointment> out = new ArrayList<>();
            rows.forEach(r -> out.add(appointment(r)));
            return out;
          });
    });
  }

  // ---- check-in --------------------------------------------------------------------------------------------------

  @Override
  public Uni<Appointment> checkIn(String appointmentId, String idNumber, Origin origin) {
    return Uni.createFrom().deferred(() -> {
      String index = ownerIndex(appointmentId, idNumber);
      Instant now = clock.instant();
      // The state change claims the check-in, so of two at once one asks the queue and the other is refused.
      String claim = "UPDATE appointments.appointment SET state = 'CHECKED_IN', checked_in_at = $3"
          + " WHERE id = $1 AND id_number_index = $2 AND state = 'BOOKED' AND starts_at <= $4 AND starts_at >= $5"
          + " RETURNING " + COLUMNS;
      Uni<Appointment> checkedIn = storage.pool().chain(pool -> pool.preparedQuery(claim)
              .execute(Tuple.of(appointmentId, index, utc(now), utc(now.plus(config.checkInBefore())),
                  utc(now.minus(config.checkInAfter())))))
          .chain(rows -> rows.size() == 1 ? Uni.createFrom().item(appointment(rows.iterator().next()))
              : refusal(appointmentId, index, a -> a.startsAt().isAfter(now)
                  ? HubError.CHECK_IN_TOO_EARLY.exception("Check-in opens at " + a.startsAt().minus(config.checkInBefore()))
                  : HubError.CHECK_IN_TOO_LATE.exception("Check-in closed at " + a.startsAt().plus(config.checkInAfter()))))
          .chain(this::takeTicket);
      return audited(audit, origin, "appointments.check-in", appointmentId, checkedIn, new JsonObject());
    });
  }

  private Uni<Appointment> takeTicket(Appointment a) {
    JsonObject request = new JsonObject().put("action", "take-ticket").put("hall", a.hall()).put("queue", a.queue())
        .put("kind", "appointment").put("appointmentId", a.id()).put("by", "appointment");
    return vertx.eventBus().<Object>request(QUEUE_COMMAND, request, new DeliveryOptions().setSendTimeout(config.queueTimeout().toMillis()))
        .map(reply -> {
          if (!(reply.body() instanceof JsonObject ticket) || ticket.getValue("id") == null) {
            throw HubError.QUEUE_UNAVAILABLE.exception("The hall queue answered without a ticket");
          }
          return ticket;
        })
        .onFailure().recoverWithUni(e -> undoCheckIn(a.id()).replaceWith(Uni.createFrom().failure(queueFailure(e))))
        .chain(ticket -> storage.pool().chain(pool -> pool.preparedQuery("UPDATE appointments.appointment SET ticket = $2"
                + " WHERE id = $1 RETURNING " + COLUMNS).execute(Tuple.of(a.id(), ticket))))
        .map(rows -> appointment(rows.iterator().next()));
  }

  /** Back to BOOKED when no ticket came, so the citizen can check in again. */
  private Uni<Void> undoCheckIn(String appointmentId) {
    return storage.pool().chain(pool -> pool.preparedQuery("UPDATE appointments.appointment SET state = 'BOOKED',"
            + " checked_in_at = NULL WHERE id = $1 AND state = 'CHECKED_IN' AND ticket IS NULL").execute(Tuple.of(appointmentId)))
        .replaceWithVoid();
  }

  private static HubException queueFailure(Throwable e) {
    if (e instanceof HubException h) {
      return h;
    }
    if (e instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return HubError.CHECK_IN_REFUSED.exception(r.getMessage());
    }
    return HubError.QUEUE_UNAVAILABLE.exception(e instanceof ReplyException r
        ? "The hall queue did not answer (" + r.failureType() + ")" : "The hall queue did not answer");
  }

  /**
   * Why an appointment of this person was not changed: not found, not BOOKED, or else {@code otherwise} (the time
   * rule of the change).
   */
  private Uni<Appointment> refusal(String appointmentId, String index, java.util.function.Function<Appointment, HubException> otherwise) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT " + COLUMNS + " FROM appointments.appointment"
            + " WHERE id = $1 AND id_number_index = $2").execute(Tuple.of(appointmentId, index)))
        .map(rows -> {
          if (rows.size() == 0) {
            throw HubError.APPOINTMENT_NOT_FOUND.exception(null);
          }
          Appointment a = appointment(rows.iterator().next());
          throw switch (a.state()) {
            case CANCELLED -> HubError.APPOINTMENT_CANCELLED.exception(null);
            case CHECKED_IN -> HubError.APPOINTMENT_CHECKED_IN.exception(null);
            case BOOKED -> otherwise.apply(a);
          };
        });
  }

  private String ownerIndex(String appointmentId, String idNumber) {
    if (appointmentId == null || appointmentId.length() > 64) {
      throw HubError.APPOINTMENT_NOT_FOUND.exception(null);
    }
    return blind.of(ID_NUMBER_FIELD, PersonalNumbers.idNumber(idNumber));
  }

  // ---- reminders -------------------------------------------------------------------------------------------------

  private void sweep() {
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    sendDueReminders().onTermination().invoke(() -> sweeping.set(false)).subscribe().with(
        sent -> {
          if (sent > 0) {
            LOG.info("Sent {} appointment reminder(s)", sent);
          }
        },
        e -> LOG.warn("Appointment reminder sweep failed: {}", e.toString()));
  }

  @Override
  public Uni<Integer> sendDueReminders() {
    if (sms == null) {
      return Uni.createFrom().item(0);
    }
    List<Duration> leads = config.reminderLeads();
    Instant now = clock.instant();
    return Multi.createFrom().range(0, leads.size())
        .onItem().transformToUniAndConcatenate(i -> remindersDue(leads.get(i),
            i + 1 < leads.size() ? leads.get(i + 1) : Duration.ZERO, now))
        .collect().with(java.util.stream.Collectors.summingInt(Integer::intValue));
  }

  /**
   * Sends the reminders of lead {@code lead} due at {@code now}: the slot starts within the lead but not yet within
   * the next shorter one, the booking was made before the reminder's time, and no member sent or holds it.
   */
  private Uni<Integer> remindersDue(Duration lead, Duration shorter, Instant now) {
    String sql = "SELECT id, hall, queue, starts_at, phone_sealed FROM appointments.appointment a"
        + " WHERE state = 'BOOKED' AND starts_at <= $1 AND starts_at > $2 AND booked_at < starts_at - $3::bigint * interval '1 second'"
        + " AND NOT EXISTS (SELECT 1 FROM appointments.reminder r WHERE r.appointment_id = a.id AND r.lead_seconds = $3"
        + " AND (r.sent_at IS NOT NULL OR r.claimed_until > $4)) ORDER BY starts_at LIMIT " + SWEEP_BATCH;
    return storage.pool().chain(pool -> pool.preparedQuery(sql)
            .execute(Tuple.of(utc(now.plus(lead)), utc(now.plus(shorter)), lead.toSeconds(), utc(now))))
        .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
        .onItem().transformToUniAndConcatenate(row -> remind(row, lead, now))
        .collect().with(java.util.stream.Collectors.summingInt(Integer::intValue));
  }

  /** Claims one reminder, sends it and marks it sent; 1 if this member sent it. A failed send frees the claim. */
  private Uni<Integer> remind(Row row, Duration lead, Instant now) {
    String id = row.getString("id");
    String claim = "INSERT INTO appointments.reminder (appointment_id, lead_seconds, claimed_by, claimed_until)"
        + " VALUES ($1, $2, $3, $4) ON CONFLICT (appointment_id, lead_seconds) DO UPDATE"
        + " SET claimed_by = EXCLUDED.claimed_by, claimed_until = EXCLUDED.claimed_until"
        + " WHERE reminder.sent_at IS NULL AND reminder.claimed_until <= $5 RETURNING appointment_id";
    Tuple key = Tuple.of(id, lead.toSeconds(), member);
    return storage.pool().chain(pool -> pool.preparedQuery(claim)
            .execute(Tuple.of(id, lead.toSeconds(), member, utc(now.plus(REMINDER_LEASE)), utc(now))))
        .chain(claimed -> claimed.size() == 0 ? Uni.createFrom().item(0)
            : sms.send(openPhone(row), reminderText(row))
                .chain(() -> mark(key, "sent_at = $4", utc(now)))
                .replaceWith(1)
                .onFailure().recoverWithUni(e -> {
                  LOG.warn("Reminder for appointment {} not sent, to be tried again: {}", id, e.toString());
                  return mark(key, "claimed_until = $4", utc(now)).replaceWith(0);
                }));
  }

  private Uni<Void> mark(Tuple key, String assignment, OffsetDateTime at) {
    return storage.pool().chain(pool -> pool.preparedQuery("UPDATE appointments.reminder SET " + assignment
            + " WHERE appointment_id = $1 AND lead_seconds = $2 AND claimed_by = $3")
        .execute(Tuple.of(key.getValue(0), key.getValue(1), key.getValue(2), at))).replaceWithVoid();
  }

  private String reminderText(Row row) {
    String when = instant(row, "starts_at").atZone(config.zone()).format(SMS_TIME);
    return "【汇通】您预约的" + row.getString("hall") + "大厅" + row.getString("queue") + "业务将于" + when
        + "开始，请按时到大厅凭身份证签到取号。如需取消请于开始前办理。";
  }

  private String openPhone(Row row) {
    return new String(master.open(row.getBuffer("phone_sealed").getBytes(), context(row.getString("id"), "phone")),
        StandardCharsets.UTF_8);
  }

  // ---- rows, audit -----------------------------------------------------------------------------------------------

  private byte[] seal(String value, String appointmentId, String column) {
    return master.seal(value.getBytes(StandardCharsets.UTF_8), context(appointmentId, column));
  }

  private static String context(String appointmentId, String column) {
    return "appointments.appointment/" + appointmentId + "/" + column;
  }

  private static Slot slot(Row r) {
    return new Slot(r.getString("id"), r.getString("hall"), r.getString("queue"), instant(r, "starts_at"),
        instant(r, "ends_at"), r.getInteger("capacity"), r.getInteger("booked"));
  }

  private static Appointment appointment(Row r) {
    Object ticket = r.getValue("ticket");
    return new Appointment(r.getString("id"), r.getString("slot_id"), r.getString("hall"), r.getString("queue"),
        instant(r, "starts_at"), instant(r, "ends_at"), r.getString("masked_id_number"), r.getString("name"),
        r.getString("masked_phone"), Channel.valueOf(r.getString("channel")), State.valueOf(r.getString("state")),
        instant(r, "booked_at"), instant(r, "cancelled_at"), instant(r, "checked_in_at"),
        ticket instanceof JsonObject json ? json : null);
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime utc(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  private static HubException invalid(String detail) {
    return HubError.APPOINTMENT_INPUT_INVALID.exception(detail);
  }

  /** Runs {@code work} and writes one audit entry when it ends, with its outcome; never a personal number. */
  private static <T> Uni<T> audited(AuditLog audit, Origin origin, String action, String target, Uni<T> work, JsonObject detail) {
    return AuditTrail.around(audit, new AuditEvent(origin.actor(), action, target, null, origin.requestId(),
        origin.remoteAddress(), detail), item -> item instanceof Appointment a ? a.id() : null, work);
  }

  @Override
  public Uni<Void> close() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    return commands.unregister().chain(() -> sms == null ? Uni.createFrom().voidItem() : sms.close());
  }
}
