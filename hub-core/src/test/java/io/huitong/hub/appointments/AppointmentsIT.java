package io.huitong.hub.appointments;

import static io.huitong.hub.http.HubErrors.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.connectors.simulator.DepartmentSimulator;
import io.huitong.connectors.simulator.ResidentIdNumber;
import io.huitong.connectors.simulator.SimulatorOptions;
import io.huitong.hub.MovableClock;
import io.huitong.hub.appointments.Appointments.Appointment;
import io.huitong.hub.appointments.Appointments.Booking;
import io.huitong.hub.appointments.Appointments.Channel;
import io.huitong.hub.appointments.Appointments.DayPlan;
import io.huitong.hub.appointments.Appointments.Period;
import io.huitong.hub.appointments.Appointments.Slot;
import io.huitong.hub.appointments.Appointments.State;
import io.huitong.hub.http.HubException;
import io.huitong.hub.identity.Identity.Origin;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.storage.Migrations;
import io.huitong.hub.storage.ScratchDatabase;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.eventbus.MessageConsumer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Appointments against the machine's PostgreSQL (a fresh database), the department simulator's SMS gateway on a real
 * socket and a clock the test moves: capacity under concurrent booking, the one-booking rule, cancellation and
 * check-in rules, and reminders sent once by two members sweeping together and again after a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppointmentsIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final Origin ORIGIN = new Origin("test", null, null);
  private static final LocalDate DAY = LocalDate.of(2030, 3, 4);

  private final Vertx vertx = Vertx.vertx();
  private final Storage storage = new Storage();
  private final HttpClient http = HttpClient.newHttpClient();
  private final MovableClock clock = new MovableClock(DAY.minusDays(3).atTime(9, 0).atZone(ZONE).toInstant());
  private final AtomicInteger people = new AtomicInteger(100_000);
  private final AtomicInteger phones = new AtomicInteger(1000);
  private ScratchDatabase database;
  private DepartmentSimulator simulator;
  private int simulatorPort;
  private AuditLog audit;
  private MasterKey master;
  private Appointments appointments;

  @BeforeAll
  void start() throws Exception {
    database = ScratchDatabase.create("appointments", "appointments");
    Migrations.migrate(database.location(), "ops");
    storage.open(vertx, database.location(), 8);
    simulator = DepartmentSimulator.create(vertx, SimulatorOptions.forTests().withPeople(100));
    simulatorPort = simulator.start().await().atMost(LIMIT);
    audit = AuditLog.create(storage, "appointments-it");
    master = MasterKey.of(new byte[16]);
    appointments = member("member-a");
  }

  /** A member as Hub starts it, without its own sweep timer getting in the way (an hour apart). */
  private Appointments member(String name) {
    AppointmentsConfig config = new AppointmentsConfig(ZONE, Duration.ofHours(2), Duration.ofMinutes(30),
        Duration.ofMinutes(15), Duration.ofSeconds(2), List.of(Duration.ofHours(24), Duration.ofHours(1)),
        Duration.ofHours(1), "http://127.0.0.1:" + simulatorPort, Duration.ofSeconds(5));
    return Appointments.start(vertx, storage, master, audit, config, clock, name);
  }

  @AfterAll
  void stop() throws Exception {
    appointments.close().await().atMost(LIMIT);
    simulator.close().await().atMost(LIMIT);
    storage.close().await().atMost(LIMIT);
    vertx.closeAndAwait();
    database.close();
  }

  @Test
  void concurrentBookingsNeverExceedTheCapacity() throws Exception {
    Slot slot = plan("hall-1", "q-capacity", LocalTime.of(9, 0), 5).get(0);
    int attempts = 40;
    List<Uni<String>> all = new ArrayList<>();
    for (int i = 0; i < attempts; i++) {
      all.add(appointments.book(booking(slot.id(), idNumber(), phone()), ORIGIN)
          .map(a -> "booked").onFailure(HubException.class).recoverWithItem(e -> ((HubException) e).error().code()));
    }
    Map<String, Integer> outcomes = new ConcurrentHashMap<>();
    Uni.join().all(all).andCollectFailures().await().atMost(LIMIT).forEach(o -> outcomes.merge(o, 1, Integer::sum));
    assertEquals(Map.of("booked", 5, "HT-SLOT-FULL", attempts - 5), outcomes);
    assertEquals(5, count("SELECT booked FROM appointments.slot WHERE id = '" + slot.id() + "'"));
    assertEquals(5, count("SELECT count(*) FROM appointments.appointment WHERE slot_id = '" + slot.id() + "'"));
  }

  @Test
  void aPersonBooksASlotOnceUntilCancelling() {
    Slot slot = plan("hall-1", "q-once", LocalTime.of(10, 0), 3).get(0);
    String id = idNumber();
    Appointment first = appointments.book(booking(slot.id(), id, phone()), ORIGIN).await().atMost(LIMIT);
    assertEquals(id.substring(0, 6) + "********" + id.substring(14), first.maskedIdNumber());
    assertFails("HT-APPOINTMENT-EXISTS", appointments.book(booking(slot.id(), id, phone()), ORIGIN));
    // Lower-case check letters and spaces are the same person.
    assertFails("HT-APPOINTMENT-EXISTS", appointments.book(booking(slot.id(), " " + id.toLowerCase() + " ", phone()), ORIGIN));
    appointments.cancel(first.id(), id, ORIGIN).await().atMost(LIMIT);
    Appointment again = appointments.book(booking(slot.id(), id, phone()), ORIGIN).await().atMost(LIMIT);
    assertEquals(State.BOOKED, again.state());
    assertEquals(List.of(State.CANCELLED, State.BOOKED),
        appointments.lookup(id).await().atMost(LIMIT).stream().map(Appointment::state).toList());
    assertEquals(1, count("SELECT booked FROM appointments.slot WHERE id = '" + slot.id() + "'"));
    // Sealed: the clear number is in no column.
    assertEquals(0, count("SELECT count(*) FROM appointments.appointment a WHERE a::text LIKE '%" + id.substring(6, 14) + "%'"));
  }

  @Test
  void planningChecksItsInputAndNeverCutsCapacityBelowBookings() {
    Slot slot = plan("hall-2", "q-plan", LocalTime.of(9, 0), 2).get(0);
    appointments.book(booking(slot.id(), idNumber(), phone()), ORIGIN).await().atMost(LIMIT);
    appointments.book(booking(slot.id(), idNumber(), phone()), ORIGIN).await().atMost(LIMIT);
    assertFails("HT-SLOT-CAPACITY-BELOW-BOOKED", appointments.plan(dayPlan("hall-2", "q-plan", LocalTime.of(9, 0), 1), ORIGIN));
    List<Slot> replanned = appointments.plan(dayPlan("hall-2", "q-plan", LocalTime.of(9, 0), 4), ORIGIN).await().atMost(LIMIT);
    assertEquals(slot.id(), replanned.get(0).id());
    assertEquals(4, replanned.get(0).capacity());
    assertEquals(2, replanned.get(0).booked());
    assertEquals(4, appointments.slots("hall-2", "q-plan", DAY).await().atMost(LIMIT).size());
    assertFails("HT-APPOINTMENT-INPUT-INVALID", appointments.plan(new DayPlan("hall 2", "q", List.of(DAY),
        List.of(new Period(LocalTime.of(9, 0), LocalTime.of(10, 0), 30, 1))), ORIGIN));
    assertFails("HT-APPOINTMENT-INPUT-INVALID", appointments.plan(new DayPlan("hall-2", "q", List.of(DAY),
        List.of(new Period(LocalTime.of(9, 0), LocalTime.of(10, 0), 30, 1), new Period(LocalTime.of(9, 30), LocalTime.of(11, 0), 30, 1))),
        ORIGIN));
    assertFails("HT-SLOT-NOT-FOUND", appointments.book(booking("no-such-slot", idNumber(), phone()), ORIGIN));
    assertFails("HT-ID-NUMBER-INVALID", appointments.book(booking(slot.id(), idNumber().substring(0, 17) + "Z", phone()), ORIGIN));
    assertFails("HT-PHONE-INVALID", appointments.book(booking(slot.id(), idNumber(), "12345"), ORIGIN));
  }

  @Test
  void cancellingFollowsItsRules() {
    Slot slot = plan("hall-3", "q-cancel", LocalTime.of(9, 0), 5).get(0);
    String id = idNumber();
    Appointment a = appointments.book(booking(slot.id(), id, phone()), ORIGIN).await().atMost(LIMIT);
    assertFails("HT-APPOINTMENT-NOT-FOUND", appointments.cancel(a.id(), idNumber(), ORIGIN));
    Appointment cancelled = appointments.cancel(a.id(), id, ORIGIN).await().atMost(LIMIT);
    assertEquals(State.CANCELLED, cancelled.state());
    assertFails("HT-APPOINTMENT-CANCELLED", appointments.cancel(a.id(), id, ORIGIN));
    assertFails("HT-APPOINTMENT-NOT-FOUND", appointments.cancel("no-such-appointment", id, ORIGIN));
    assertEquals(0, count("SELECT booked FROM appointments.slot WHERE id = '" + slot.id() + "'"));
  }

  @Test
  void cancellingClosesBeforeTheSlot() {
    Slot slot = plan("hall-3", "q-cancel-late", LocalTime.of(9, 0), 5).get(0);
    String id = idNumber();
    Appointment a = appointments.book(booking(slot.id(), id, phone()), ORIGIN).await().atMost(LIMIT);
    Instant saved = clock.instant();
    try {
      // cancel-before is 2h here
      clock.set(slot.startsAt().minus(Duration.ofMinutes(119)));
      assertFails("HT-CANCEL-CLOSED", appointments.cancel(a.id(), id, ORIGIN));
      clock.set(slot.startsAt());
      assertFails("HT-SLOT-STARTED", appointments.book(booking(slot.id(), idNumber(), phone()), ORIGIN));
    } finally {
      clock.set(saved);
    }
    assertEquals(1, count("SELECT booked FROM appointments.slot WHERE id = '" + slot.id() + "'"));
  }

  @Test
  void checkInOpensInAWindowOnceAndAsksTheQueueForATicket() {
    Slot slot = plan("hall-4", "q-check-in", LocalTime.of(9, 0), 5).get(0);
    String id = idNumber();
    Appointment a = appointments.book(booking(slot.id(), id, phone()), ORIGIN).await().atMost(LIMIT);
    Instant saved = clock.instant();
    List<JsonObject> requests = new ArrayList<>();
    // Stands in for the hall queue's take-ticket contract (io.huitong.hub.queue); AppointmentsEndToEndIT uses the real one.
    AtomicReference<MessageConsumer<JsonObject>> queue = new AtomicReference<>();
    try {
      clock.set(slot.startsAt().minus(Duration.ofMinutes(31)));
      assertFails("HT-CHECK-IN-TOO-EARLY", appointments.checkIn(a.id(), id, ORIGIN));
      clock.set(slot.startsAt().plus(Duration.ofMinutes(16)));
      assertFails("HT-CHECK-IN-TOO-LATE", appointments.checkIn(a.id(), id, ORIGIN));
      clock.set(slot.startsAt().minus(Duration.ofMinutes(10)));
      // No queue on the bus: 503, and the appointment stays booked.
      assertFails("HT-QUEUE-UNAVAILABLE", appointments.checkIn(a.id(), id, ORIGIN));
      queue.set(vertx.eventBus().<JsonObject>consumer(Appointments.QUEUE_COMMAND).handler(m -> {
        requests.add(m.body());
        if (m.body().getString("queue").equals("closed")) {
          m.fail(409, "HT-QUEUE-CLOSED");
        } else {
          m.reply(new JsonObject().put("id", "t-1").put("number", "Y001").put("hall", m.body().getString("hall"))
              .put("queue", m.body().getString("queue")).put("kind", "appointment"));
        }
      }));
      queue.get().completionHandlerAndAwait();
      assertFails("HT-APPOINTMENT-NOT-FOUND", appointments.checkIn(a.id(), idNumber(), ORIGIN));
      Appointment in = appointments.checkIn(a.id(), id, ORIGIN).await().atMost(LIMIT);
      assertEquals(State.CHECKED_IN, in.state());
      assertEquals("Y001", in.ticket().getString("number"));
      assertEquals(new JsonObject().put("action", "take-ticket").put("hall", "hall-4").put("queue", "q-check-in")
          .put("kind", "appointment").put("appointmentId", a.id()).put("by", "appointment"), requests.get(0));
      assertFails("HT-APPOINTMENT-CHECKED-IN", appointments.checkIn(a.id(), id, ORIGIN));
      assertFails("HT-APPOINTMENT-CHECKED-IN", appointments.cancel(a.id(), id, ORIGIN));

      Slot closed = plan("hall-4", "closed", LocalTime.of(9, 0), 1).get(0);
      String other = idNumber();
      Appointment b = appointments.book(booking(closed.id(), other, phone()), ORIGIN).await().atMost(LIMIT);
      assertFails("HT-CHECK-IN-REFUSED", appointments.checkIn(b.id(), other, ORIGIN));
      assertEquals(State.BOOKED, appointments.lookup(other).await().atMost(LIMIT).get(0).state());
    } finally {
      clock.set(saved);
      if (queue.get() != null) {
        queue.get().unregisterAndAwait();
      }
    }
  }

  @Test
  void remindersGoOutOnceAcrossMembersAndRestarts() throws Exception {
    // A later day than the other tests' slots, whose reminders would be due too.
    Slot slot = appointments.plan(new DayPlan("hall-5", "q-remind", List.of(DAY.plusDays(30)),
        List.of(new Period(LocalTime.of(14, 0), LocalTime.of(15, 0), 30, 10))), ORIGIN).await().atMost(LIMIT).get(0);
    String phone = phone();
    String late = phone();
    appointments.book(booking(slot.id(), idNumber(), phone), ORIGIN).await().atMost(LIMIT);
    Instant saved = clock.instant();
    Appointments other = member("member-b");
    try {
      clock.set(slot.startsAt().minus(Duration.ofHours(25)));
      assertEquals(0, sweepBoth(other));
      clock.set(slot.startsAt().minus(Duration.ofHours(23)));
      // Booked within the 24 hours: it gets the 1-hour reminder only.
      appointments.book(booking(slot.id(), idNumber(), late), ORIGIN).await().atMost(LIMIT);
      assertEquals(1, sweepBoth(other));
      assertEquals(0, sweepBoth(other));
      assertEquals(1, texts(phone).size());
      assertTrue(texts(phone).get(0).contains("4月3日 14:00") && texts(phone).get(0).contains("q-remind"), texts(phone).get(0));
      assertEquals(0, texts(late).size());

      clock.set(slot.startsAt().minus(Duration.ofMinutes(59)));
      assertEquals(2, sweepBoth(other));
      other.close().await().atMost(LIMIT);
      other = member("member-b");
      assertEquals(0, sweepBoth(other));
      assertEquals(2, texts(phone).size());
      assertEquals(1, texts(late).size());
      assertEquals(3, count("SELECT count(*) FROM appointments.reminder WHERE sent_at IS NOT NULL"
          + " AND appointment_id IN (SELECT id FROM appointments.appointment WHERE slot_id = '" + slot.id() + "')"));
    } finally {
      other.close().await().atMost(LIMIT);
      clock.set(saved);
    }
  }

  @Test
  void kiosksBookLookUpAndCancelOverTheEventBus() {
    Slot slot = plan("hall-6", "q-kiosk", LocalTime.of(9, 0), 2).get(0);
    String id = idNumber();
    JsonObject booked = command(new JsonObject().put("action", "book").put("slotId", slot.id()).put("idNumber", id)
        .put("name", "李四").put("phone", phone()).put("deviceId", "kiosk-1"));
    assertEquals("KIOSK", booked.getString("channel"));
    assertEquals(booked.getString("id"), command(new JsonObject().put("action", "lookup").put("idNumber", id))
        .getJsonArray("appointments").getJsonObject(0).getString("id"));
    assertEquals("CANCELLED", command(new JsonObject().put("action", "cancel").put("appointmentId", booked.getString("id"))
        .put("idNumber", id)).getString("state"));
    try {
      command(new JsonObject().put("action", "cancel").put("appointmentId", booked.getString("id")).put("idNumber", id));
      throw new AssertionError("cancelled twice");
    } catch (ReplyException e) {
      assertEquals(409, e.failureCode());
      assertTrue(e.getMessage().startsWith("HT-APPOINTMENT-CANCELLED"), e.getMessage());
    }
    try {
      command(new JsonObject().put("action", "teleport"));
      throw new AssertionError("unknown action taken");
    } catch (ReplyException e) {
      assertEquals(422, e.failureCode());
    }
  }

  private JsonObject command(JsonObject request) {
    return vertx.eventBus().<JsonObject>request(Appointments.COMMAND_ADDRESS, request).await().atMost(LIMIT).body();
  }

  /** Both members sweep at once; the reminders the two sent together. */
  private int sweepBoth(Appointments other) {
    return Uni.combine().all().unis(appointments.sendDueReminders(), other.sendDueReminders())
        .with((a, b) -> a + b).await().atMost(LIMIT);
  }

  private List<String> texts(String phone) throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulatorPort
        + "/_sim/sms?phone=" + phone)).build(), HttpResponse.BodyHandlers.ofString());
    return new JsonObject(answer.body()).getJsonArray("messages").stream()
        .map(m -> ((JsonObject) m).getString("text")).toList();
  }

  private List<Slot> plan(String hall, String queue, LocalTime from, int capacity) {
    return appointments.plan(dayPlan(hall, queue, from, capacity), ORIGIN).await().atMost(LIMIT);
  }

  private static DayPlan dayPlan(String hall, String queue, LocalTime from, int capacity) {
    return new DayPlan(hall, queue, List.of(DAY), List.of(new Period(from, from.plusHours(2), 30, capacity)));
  }

  private static Booking booking(String slot, String idNumber, String phone) {
    return new Booking(slot, idNumber, "张三", phone, Channel.PORTAL);
  }

  private String idNumber() {
    return ResidentIdNumber.complete(String.format("1101051980%07d", people.incrementAndGet()));
  }

  private String phone() {
    return String.format("1390000%04d", phones.incrementAndGet());
  }


  private long count(String sql) throws RuntimeException {
    try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
