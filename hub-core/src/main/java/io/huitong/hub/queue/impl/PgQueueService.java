package io.huitong.hub.queue.impl;

import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.queue.QueueConfig;
import io.huitong.hub.queue.QueueService;
import io.huitong.hub.queue.TicketKind;
import io.huitong.hub.signing.BlindIndex;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.eventbus.MessageConsumer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue service over PostgreSQL (schema {@code queue}). Each command is one call of a function of the schema
 * (db/queue/V1__halls_queues_tickets.sql and the migrations after it), so one transaction that locks the hall's
 * counter row, changes state, appends the hall's events and answers them; the events are published here once that
 * statement has committed. ID numbers and phones are sealed to their ticket and found through blind indexes, as in
 * identity.
 */
public final class PgQueueService implements QueueService {
  private static final Logger LOG = LoggerFactory.getLogger(PgQueueService.class);
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String ID_NUMBER_FIELD = "queue.id-number";
  private static final String PHONE_FIELD = "queue.phone";

  private final Vertx vertx;
  private final Storage storage;
  private final MasterKey master;
  private final BlindIndex blind;
  private final QueueConfig config;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();

  private PgQueueService(Vertx vertx, Storage storage, MasterKey master, QueueConfig config) {
    this.vertx = vertx;
    this.storage = storage;
    this.master = master;
    this.blind = BlindIndex.create(master);
    this.config = config;
  }

  /** Starts the service and registers its consumers on the (clustered) event bus. */
  public static Uni<QueueService> start(Vertx vertx, Storage storage, MasterKey master, QueueConfig config) {
    PgQueueService service = new PgQueueService(vertx, storage, master, config);
    return Uni.combine().all().unis(
            service.consume(COMMAND_ADDRESS, service::command),
            service.consume(EVENTS_ADDRESS, body -> service.events(QueueInput.id(body, "hall"),
                QueueInput.number(body, "after", 0, 0, Long.MAX_VALUE),
                (int) QueueInput.number(body, "limit", MAX_EVENTS, 1, MAX_EVENTS))),
            service.consume(SNAPSHOT_ADDRESS, body -> service.snapshot(QueueInput.id(body, "hall"))))
        .discardItems()
        .replaceWith(service);
  }

  /** Answers requests on {@code address}: the reply, or a failure with the HTTP status and "code: detail". */
  private Uni<Void> consume(String address, Function<JsonObject, Uni<JsonObject>> handler) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().<JsonObject>consumer(address);
    consumer.handler(message -> Uni.createFrom().deferred(() -> {
          if (!(message.getDelegate().body() instanceof JsonObject body)) {
            throw HubError.QUEUE_INPUT_INVALID.exception("Send a JSON object");
          }
          return handler.apply(body);
        })
        .subscribe().with(message::reply, failure -> {
          HubException e = failure instanceof HubException h ? h : null;
          if (e == null) {
            LOG.error("Queue request on {} failed", address, failure);
            message.fail(500, HubError.INTERNAL.code() + ": " + HubError.INTERNAL.title());
          } else {
            message.fail(e.error().status(), e.error().code() + ": " + e.getMessage());
          }
        }));
    consumers.add(consumer);
    return consumer.completionHandler();
  }

  // ---- commands ------------------------------------------------------------------------------------------------

  @Override
  public Uni<JsonObject> command(JsonObject command) {
    return Uni.createFrom().deferred(() -> {
      String action = QueueInput.text(command, "action", 32);
      String hall = QueueInput.id(command, "hall");
      return switch (action) {
        case "take-ticket" -> takeTicket(hall, command);
        case "call-next" -> run(hall, "call_next($1, $2, $3)", Tuple.of(hall, QueueInput.id(command, "window"),
            (int) config.idleClaim().toSeconds()));
        case "recall" -> run(hall, "recall($1, $2, $3)", Tuple.of(hall, ticket(command),
            QueueInput.optionalId(command, "window")));
        case "skip" -> run(hall, "skip($1, $2, $3)", Tuple.of(hall, ticket(command), actingWindow(command)));
        case "recheck-in" -> skippedTicket(hall, command).chain(ticket -> run(hall, "recheck_in($1, $2, $3)",
            Tuple.of(hall, ticket, (int) config.recheckWithin().toSeconds())));
        case "transfer" -> run(hall, "transfer($1, $2, $3, $4, $5)", Tuple.of(hall, ticket(command),
            QueueInput.id(command, "queue"), front(command), actingWindow(command)));
        case "hold" -> run(hall, "hold($1, $2, $3)", Tuple.of(hall, ticket(command), actingWindow(command)));
        case "finish" -> run(hall, "finish($1, $2, $3, $4)", Tuple.of(hall, ticket(command),
            config.ewmaWeightPercent() / 100.0, actingWindow(command)));
        case "window-state" -> run(hall, "window_state($1, $2, $3)", Tuple.of(hall, QueueInput.id(command, "window"),
            QueueInput.oneOf(command, "state", List.of("offline", "idle", "paused"))));
        default -> throw HubError.QUEUE_INPUT_INVALID.exception("Unknown action '" + action + "'; one of take-ticket,"
            + " call-next, recall, skip, recheck-in, transfer, hold, finish, window-state");
      };
    });
  }

  private static UUID ticket(JsonObject command) {
    String id = QueueInput.text(command, "ticket", 36);
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw HubError.QUEUE_INPUT_INVALID.exception("Field 'ticket' must be a ticket id (a UUID)");
    }
  }

  /**
   * The window a skip, hold, finish or transfer comes from, when named (the kiosk bridge names a window terminal's):
   * the command then acts only on a ticket called or held at that window. Null for an operator's command.
   */
  private static String actingWindow(JsonObject command) {
    return QueueInput.optionalId(command, "window");
  }

  /**
   * The ticket to re-check in: the one named, or the latest skipped ticket of the hall taken with the ID card or
   * phone given, found through its blind index (the holder swipes the card again at a kiosk).
   */
  private Uni<UUID> skippedTicket(String hall, JsonObject command) {
    if (command.getValue("ticket") != null) {
      return Uni.createFrom().item(ticket(command));
    }
    String idNumber = QueueInput.optionalIdNumber(command);
    String phone = QueueInput.optionalPhone(command);
    if ((idNumber == null) == (phone == null)) {
      throw HubError.QUEUE_INPUT_INVALID.exception("Send 'ticket', or exactly one of 'idNumber' and 'phone'");
    }
    String column = idNumber != null ? "id_number_index" : "phone_index";
    String index = idNumber != null ? blind.of(ID_NUMBER_FIELD, idNumber) : blind.of(PHONE_FIELD, phone);
    return storage.pool()
        .chain(pool -> pool.preparedQuery("SELECT id FROM queue.ticket WHERE hall_id = $1 AND " + column + " = $2"
            + " AND state = 'skipped' ORDER BY skipped_at DESC LIMIT 1").execute(Tuple.of(hall, index)))
        .map(rows -> {
          if (!rows.iterator().hasNext()) {
            throw HubError.QUEUE_TICKET_NOT_FOUND.exception("No skipped ticket of hall " + hall + " was taken with this "
                + (idNumber != null ? "ID card" : "phone"));
          }
          return rows.iterator().next().getUUID(0);
        });
  }

  private static boolean front(JsonObject command) {
    String position = command.getValue("position") == null ? "back"
        : QueueInput.oneOf(command, "position", List.of("front", "back"));
    return position.equals("front");
  }

  /**
   * Take-ticket by exactly one of ID card, phone or appointment check-in. An appointment already checked in answers
   * its ticket again, so a ticket machine or the appointments service may retry.
   */
  private Uni<JsonObject> takeTicket(String hall, JsonObject command) {
    String queue = QueueInput.id(command, "queue");
    String by = QueueInput.text(command, "by", 64);
    String idNumber = QueueInput.optionalIdNumber(command);
    String phone = QueueInput.optionalPhone(command);
    String appointment = QueueInput.optionalId(command, "appointmentId");
    int given = (idNumber != null ? 1 : 0) + (phone != null ? 1 : 0) + (appointment != null ? 1 : 0);
    if (given != 1) {
      throw HubError.QUEUE_INPUT_INVALID.exception("Send exactly one of 'idNumber', 'phone' and 'appointmentId'");
    }
    TicketKind kind = command.getValue("kind") == null
        ? (appointment != null ? TicketKind.APPOINTMENT : TicketKind.NORMAL)
        : TicketKind.fromWire(QueueInput.oneOf(command, "kind",
            java.util.Arrays.stream(TicketKind.values()).map(TicketKind::wire).toList()));
    UUID id = UUID.randomUUID();
    String channel = idNumber != null ? "id-card" : phone != null ? "phone" : "appointment";
    Tuple args = Tuple.tuple()
        .addString(hall).addString(queue).addString(kind.wire()).addInteger(kind.priority()).addString(channel)
        .addUUID(id)
        .addValue(idNumber == null ? null : Buffer.buffer(seal(idNumber, id, "id-number")))
        .addString(idNumber == null ? null : blind.of(ID_NUMBER_FIELD, idNumber))
        .addValue(phone == null ? null : Buffer.buffer(seal(phone, id, "phone")))
        .addString(phone == null ? null : blind.of(PHONE_FIELD, phone))
        .addString(appointment).addString(by).addLocalDate(LocalDate.now(config.timeZone()));
    return run(hall, "take_ticket($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)", args);
  }

  /** Sealed to its ticket and field: copied to another row or column, it no longer opens. */
  private byte[] seal(String value, UUID ticket, String field) {
    return master.seal(value.getBytes(StandardCharsets.UTF_8), "queue.ticket/" + ticket + "/" + field);
  }

  /**
   * Calls {@code queue.<call>}, publishes the events it answers (in one message, so that subscribers can pass a
   * transaction's events on together), and answers its reply.
   */
  private Uni<JsonObject> run(String hall, String call, Tuple args) {
    return storage.pool()
        .chain(pool -> pool.preparedQuery("SELECT queue." + call).execute(args))
        .onFailure(PgException.class).transform(PgQueueService::translate)
        .map(rows -> {
          JsonObject result = rows.iterator().next().getJsonObject(0);
          JsonArray events = result.getJsonArray("events");
          if (!events.isEmpty()) {
            vertx.eventBus().publish(QueueService.hallAddress(hall), new JsonObject().put("hall", hall)
                .put("events", events));
          }
          return result.getJsonObject("reply");
        });
  }

  /** A failure the schema's functions raise (SQLSTATE HQ + HTTP status, "code: detail") as the catalogued error. */
  static Throwable translate(Throwable failure) {
    PgException pg = (PgException) failure;
    String state = pg.getSqlState();
    if (state == null || !state.startsWith("HQ")) {
      return failure;
    }
    String message = pg.getErrorMessage();
    int colon = message.indexOf(": ");
    String code = colon < 0 ? message : message.substring(0, colon);
    for (HubError error : HubError.values()) {
      if (error.code().equals(code)) {
        return error.exception(colon < 0 ? null : message.substring(colon + 2));
      }
    }
    return failure;
  }

  // ---- reads ---------------------------------------------------------------------------------------------------

  @Override
  public Uni<JsonObject> events(String hall, long after, int limit) {
    return storage.pool()
        .chain(pool -> pool.preparedQuery("SELECT h.seq, (SELECT coalesce(jsonb_agg(e.body ORDER BY e.seq), '[]')"
                + " FROM (SELECT body, seq FROM queue.hall_event WHERE hall_id = h.id AND seq > $2 ORDER BY seq LIMIT $3) e)"
                + " FROM queue.hall h WHERE h.id = $1")
            .execute(Tuple.of(hall, after, limit)))
        .map(rows -> {
          Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
          if (row == null) {
            throw hallNotFound(hall);
          }
          return new JsonObject().put("hall", hall).put("events", (JsonArray) row.getValue(1))
              .put("latest", row.getLong(0));
        });
  }

  @Override
  public Uni<JsonObject> snapshot(String hall) {
    return storage.pool()
        .chain(pool -> pool.preparedQuery("SELECT queue.snapshot($1)").execute(Tuple.of(hall)))
        .map(rows -> {
          JsonObject snapshot = rows.iterator().next().getJsonObject(0);
          if (snapshot == null) {
            throw hallNotFound(hall);
          }
          return snapshot;
        });
  }

  private static HubException hallNotFound(String hall) {
    return HubError.QUEUE_HALL_NOT_FOUND.exception("No hall " + hall);
  }

  // ---- administration --------------------------------------------------------------------------------------------

  @Override
  public Uni<List<JsonObject>> halls() {
    return storage.pool()
        .chain(pool -> pool.query("SELECT id, name, seq FROM queue.hall ORDER BY id").execute())
        .map(rows -> {
          List<JsonObject> halls = new ArrayList<>();
          rows.forEach(r -> halls.add(new JsonObject().put("id", r.getString("id")).put("name", r.getString("name"))
              .put("seq", r.getLong("seq"))));
          return halls;
        });
  }

  @Override
  public Uni<JsonObject> createHall(String id, String name) {
    QueueInput.checkId("id", id);
    QueueInput.checkName(name);
    return storage.pool()
        .chain(pool -> pool.preparedQuery("INSERT INTO queue.hall (id, name) VALUES ($1, $2)").execute(Tuple.of(id, name)))
        .onFailure(PgQueueService::duplicate).transform(e -> exists("A hall " + id + " exists already"))
        .map(rows -> new JsonObject().put("id", id).put("name", name).put("seq", 0L));
  }

  @Override
  public Uni<JsonObject> createQueue(String hall, String id, String prefix, String name) {
    QueueInput.checkId("id", id);
    QueueInput.checkName(name);
    if (prefix == null || !prefix.matches("[A-Z]{1,3}")) {
      throw HubError.QUEUE_INPUT_INVALID.exception("Field 'prefix' must be 1 to 3 capital letters, such as A");
    }
    return storage.pool().chain(pool -> pool.withTransaction(tx -> lockHall(tx, hall)
            .chain(() -> tx.preparedQuery("INSERT INTO queue.business_queue (id, hall_id, prefix, name, service_seconds)"
                + " VALUES ($1, $2, $3, $4, $5)").execute(Tuple.of(id, hall, prefix, name,
                (double) config.initialServiceTime().toSeconds())))))
        .onFailure(PgQueueService::duplicate)
        .transform(e -> exists("A queue " + id + ", or a queue with prefix " + prefix + " in hall " + hall + ", exists already"))
        .map(rows -> new JsonObject().put("id", id).put("hall", hall).put("prefix", prefix).put("name", name));
  }

  @Override
  public Uni<JsonObject> createWindow(String hall, String id, int number, String name, List<String> queues) {
    QueueInput.checkId("id", id);
    QueueInput.checkName(name);
    QueueInput.checkQueues(queues);
    if (number < 1 || number > 9999) {
      throw HubError.QUEUE_INPUT_INVALID.exception("Field 'number' must be a window number from 1 to 9999");
    }
    return storage.pool().chain(pool -> pool.withTransaction(tx -> lockHall(tx, hall)
            .chain(() -> tx.preparedQuery("INSERT INTO queue.service_window (id, hall_id, number, name) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(id, hall, number, name)))
            .chain(() -> assign(tx, hall, id, queues))))
        .onFailure(PgQueueService::duplicate)
        .transform(e -> exists("A window " + id + ", or window number " + number + " in hall " + hall + ", exists already"));
  }

  @Override
  public Uni<JsonObject> setWindowQueues(String hall, String window, List<String> queues) {
    QueueInput.checkQueues(queues);
    // A command like the others: the figures of the queues it joins or leaves move, and screens are told.
    return run(hall, "set_window_queues($1, $2, $3)", Tuple.of(hall, window, queues.toArray(new String[0])));
  }

  /** Makes the window serve the queues, all of its hall; answers the window. */
  private Uni<JsonObject> assign(SqlClient tx, String hall, String window, List<String> queues) {
    return tx.preparedQuery("SELECT queue.find_window($1, $2)").execute(Tuple.of(hall, window))
        .onFailure(PgException.class).transform(PgQueueService::translate)
        .chain(() -> tx.preparedQuery("INSERT INTO queue.window_queue (window_id, queue_id) SELECT $1, id"
            + " FROM queue.business_queue WHERE hall_id = $2 AND id = ANY($3)").execute(Tuple.of(window, hall,
            queues.toArray(new String[0]))))
        .chain(inserted -> {
          if (inserted.rowCount() != queues.size()) {
            throw HubError.QUEUE_QUEUE_NOT_FOUND.exception("Not every queue of " + queues + " is a queue of hall " + hall);
          }
          return tx.preparedQuery("SELECT queue.window_json(w) FROM queue.service_window w WHERE id = $1")
              .execute(Tuple.of(window));
        })
        .map(rows -> rows.iterator().next().getJsonObject(0));
  }

  private static Uni<Void> lockHall(SqlClient tx, String hall) {
    return tx.preparedQuery("SELECT queue.lock_hall($1)").execute(Tuple.of(hall))
        .onFailure(PgException.class).transform(PgQueueService::translate)
        .replaceWithVoid();
  }

  private static boolean duplicate(Throwable e) {
    return e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }

  private static HubException exists(String detail) {
    return HubError.QUEUE_EXISTS.exception(detail);
  }

  @Override
  public Uni<Void> close() {
    return Uni.join().all(consumers.stream().map(MessageConsumer::unregister).toList()).andCollectFailures()
        .replaceWithVoid();
  }
}
