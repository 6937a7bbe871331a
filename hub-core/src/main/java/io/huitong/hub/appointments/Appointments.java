package io.huitong.hub.appointments;

import io.huitong.hub.appointments.impl.PgAppointments;
import io.huitong.hub.http.HubError;
import io.huitong.hub.identity.Identity.Origin;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

/**
 * Appointments (预约): slots per hall queue and day with a capacity, booked and cancelled by citizens from the portal
 * or a kiosk, reminded by SMS ahead of the slot, and checked in at the hall, which turns the appointment into a queue
 * ticket. A citizen is known by ID number, which is kept sealed and found through a blind index; every action names
 * the appointment and the ID number together, so an appointment id alone gives nothing away.
 */
public interface Appointments {
  /** The hall queue's event-bus address check-in asks for a ticket on. */
  String QUEUE_COMMAND = "huitong.queue.command";
  /**
   * This capability's event-bus address for kiosks (through the bridge): {@code {action: book|cancel|lookup|check-in,
   * ...}} with the REST body's fields ({@code appointmentId} for cancel and check-in); replies as REST answers, or
   * fails with the HTTP status and {@code "<code>: <detail>"}.
   */
  String COMMAND_ADDRESS = "huitong.appointments.command";

  /** Where a booking was made. */
  enum Channel { PORTAL, KIOSK }

  /** BOOKED to CANCELLED or CHECKED_IN, and nothing further. */
  enum State { BOOKED, CANCELLED, CHECKED_IN }

  /** Slots of {@code slotMinutes} each from {@code from} until {@code to}, each taking {@code capacity} bookings. */
  record Period(LocalTime from, LocalTime to, int slotMinutes, int capacity) {
  }

  /**
   * A day template applied to some days of one hall queue: the slots it makes are created, or, where a slot starts at
   * the same time already, given the new end and capacity.
   */
  record DayPlan(String hall, String queue, List<LocalDate> dates, List<Period> periods) {
  }

  /** A bookable period of one hall queue. */
  record Slot(String id, String hall, String queue, Instant startsAt, Instant endsAt, int capacity, int booked) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("hall", hall).put("queue", queue).put("startsAt", startsAt.toString())
          .put("endsAt", endsAt.toString()).put("capacity", capacity).put("booked", booked)
          .put("available", capacity - booked);
    }
  }

  /** What a citizen gives to book. */
  record Booking(String slotId, String idNumber, String name, String phone, Channel channel) {
    /** From the REST or bus body: slotId, idNumber, name, phone, channel ({@code portal} or {@code kiosk}). */
    public static Booking fromJson(JsonObject body, Channel fallback) {
      Channel channel = fallback;
      Object given = body.getValue("channel");
      if (given != null) {
        channel = java.util.Arrays.stream(Channel.values()).filter(c -> c.name().equalsIgnoreCase(given.toString()))
            .findFirst().orElseThrow(() -> HubError.APPOINTMENT_INPUT_INVALID.exception("Field 'channel' is portal or kiosk"));
      }
      return new Booking(text(body, "slotId"), text(body, "idNumber"), text(body, "name"), text(body, "phone"), channel);
    }
  }

  /** A string field of a request body, or null; anything else is APPOINTMENT_INPUT_INVALID. */
  static String text(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v != null && !(v instanceof String)) {
      throw HubError.APPOINTMENT_INPUT_INVALID.exception("Field '" + field + "' must be a string");
    }
    return (String) v;
  }

  /** An appointment as shown: personal numbers masked. {@code ticket} is the queue's ticket once checked in. */
  record Appointment(String id, String slotId, String hall, String queue, Instant startsAt, Instant endsAt,
                     String maskedIdNumber, String name, String maskedPhone, Channel channel, State state,
                     Instant bookedAt, Instant cancelledAt, Instant checkedInAt, JsonObject ticket) {
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("id", id).put("slotId", slotId).put("hall", hall).put("queue", queue)
          .put("startsAt", startsAt.toString()).put("endsAt", endsAt.toString()).put("maskedIdNumber", maskedIdNumber)
          .put("name", name).put("maskedPhone", maskedPhone).put("channel", channel.name()).put("state", state.name())
          .put("bookedAt", bookedAt.toString());
      if (cancelledAt != null) {
        json.put("cancelledAt", cancelledAt.toString());
      }
      if (checkedInAt != null) {
        json.put("checkedInAt", checkedInAt.toString());
      }
      if (ticket != null) {
        json.put("ticket", ticket);
      }
      return json;
    }
  }

  /** Creates or updates the slots of a day plan, all or none; fails SLOT_CAPACITY_BELOW_BOOKED. */
  Uni<List<Slot>> plan(DayPlan plan, Origin origin);

  /** The slots of a hall queue on a day (in the configured zone), by start. */
  Uni<List<Slot>> slots(String hall, String queue, LocalDate date);

  /**
   * Books a slot: SLOT_NOT_FOUND, SLOT_STARTED, SLOT_FULL, or APPOINTMENT_EXISTS when this person holds a live
   * booking of the slot. Never books past the slot's capacity, however many book at once.
   */
  Uni<Appointment> book(Booking booking, Origin origin);

  /**
   * Cancels, which frees the place: APPOINTMENT_NOT_FOUND, APPOINTMENT_CANCELLED, APPOINTMENT_CHECKED_IN, or
   * CANCEL_CLOSED once the slot starts within {@code appointments.cancel-before}.
   */
  Uni<Appointment> cancel(String appointmentId, String idNumber, Origin origin);

  /** The person's appointments whose slot ended at most a day ago, by start; at most 50. */
  Uni<List<Appointment>> lookup(String idNumber);

  /**
   * Checks in within the window around the slot and once only, and asks the hall queue for a ticket of kind
   * {@code appointment}: CHECK_IN_TOO_EARLY, CHECK_IN_TOO_LATE, the state errors of {@link #cancel}, CHECK_IN_REFUSED
   * when the queue says no, QUEUE_UNAVAILABLE when it does not answer (the appointment then stays booked).
   */
  Uni<Appointment> checkIn(String appointmentId, String idNumber, Origin origin);

  /** One reminder sweep now: sends the reminders due and not yet sent by any member; the count sent. */
  Uni<Integer> sendDueReminders();

  Uni<Void> close();

  /**
   * Starts the capability and its reminder sweep.
   *
   * @param clock  what "now" is for slots, windows and reminders
   * @param member this member's name, which claims reminders
   */
  static Appointments start(Vertx vertx, Storage storage, MasterKey master, AuditLog audit, AppointmentsConfig config,
                            Clock clock, String member) {
    return PgAppointments.start(vertx, storage, master, audit, config, clock, member);
  }
}
