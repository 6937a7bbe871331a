package io.huitong.hub.evaluation.impl;

import io.huitong.hub.evaluation.EvaluationConfig;
import io.huitong.hub.evaluation.Evaluations;
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
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.eventbus.Message;
import io.vertx.mutiny.core.eventbus.MessageConsumer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluations in PostgreSQL (schema {@code evaluation}). A rating and the rectification task a bad one opens are
 * written in one transaction; the unique case number keeps one rating per case whoever submits first. Task state
 * changes are conditional updates, so two operators acting at once cannot both move a task.
 */
public final class PgEvaluations implements Evaluations {
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String PHONE_FIELD = "evaluation.phone";
  private static final Pattern CASE_NUMBER = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}._@-]{1,64}");
  /** A digit 1 to 5 first (full-width too, as phones send it), the rest the comment. */
  private static final Pattern SMS_RATING = Pattern.compile("\\s*([1-5１-５])\\s*(.*)", Pattern.DOTALL);
  private static final int MAX_COMMENT = 500;
  private static final int MAX_NOTE = 1000;
  private static final String RECTIFICATION_COLUMNS = "r.id, r.evaluation_id, r.state, r.opened_at, r.due_at, r.handled_at,"
      + " r.handled_by, r.handling, r.closed_at, r.closed_by, r.closing, r.reopened_at, r.reopening, e.case_number, e.rating, e.comment, e.window_id,"
      + " e.staff_id, e.department";

  private final Storage storage;
  private final MasterKey master;
  private final BlindIndex blind;
  private final AuditLog audit;
  private final EvaluationConfig config;
  private final Clock clock;
  private MessageConsumer<Object> consumer;

  private PgEvaluations(Storage storage, MasterKey master, AuditLog audit, EvaluationConfig config, Clock clock) {
    this.storage = storage;
    this.master = master;
    this.blind = BlindIndex.create(master);
    this.audit = audit;
    this.config = config;
    this.clock = clock;
  }

  public static Uni<Evaluations> start(Vertx vertx, Storage storage, MasterKey master, AuditLog audit,
                                       EvaluationConfig config, Clock clock) {
    PgEvaluations evaluations = new PgEvaluations(storage, master, audit, config, clock);
    evaluations.consumer = vertx.eventBus().consumer(SUBMIT_ADDRESS);
    evaluations.consumer.handler(evaluations::onSubmit);
    return evaluations.consumer.completionHandler().replaceWith(evaluations);
  }

  /** A device's rating over the bus: the REST body, channel EVALUATOR unless it says otherwise. */
  private void onSubmit(Message<Object> message) {
    Uni.createFrom().deferred(() -> {
      if (!(message.body() instanceof JsonObject body)) {
        throw HubError.EVALUATION_INVALID.exception("Send the evaluation as a JSON object");
      }
      Submission submission = Submission.fromJson(body, Channel.EVALUATOR);
      return submit(submission, new Origin("device:" + (submission.deviceId() == null ? "unknown" : submission.deviceId()),
          null, null));
    }).subscribe().with(e -> message.reply(e.toJson()), e -> {
      HubException h = e instanceof HubException x ? x : HubError.INTERNAL.exception(null);
      message.fail(h.error().status(), h.error().code() + (h.getMessage() == null ? "" : ": " + h.getMessage()));
    });
  }

  // ---- invitations and ratings -----------------------------------------------------------------------------------

  @Override
  public Uni<Void> invite(Invitation invitation, Origin origin) {
    return AuditTrail.around(audit, event(origin, "evaluation.invite", invitation.caseNumber()), null,
        Uni.createFrom().deferred(() -> {
          String caseNumber = caseNumber(invitation.caseNumber());
          String phone = invitation.phone() == null ? null : PersonalNumbers.phone(invitation.phone());
          Tuple values = Tuple.tuple().addString(caseNumber).addString(optionalName("hall", invitation.hall()))
              .addString(name("window", invitation.window())).addString(name("staff", invitation.staff()))
              .addString(name("department", invitation.department()))
              .addValue(phone == null ? null : master.seal(phone.getBytes(StandardCharsets.UTF_8), phoneContext(caseNumber)))
              .addString(phone == null ? null : blind.of(PHONE_FIELD, phone)).addValue(utc(clock.instant()));
          return storage.pool().chain(pool -> pool.preparedQuery("INSERT INTO evaluation.invitation (case_number, hall,"
                  + " window_id, staff_id, department, phone_sealed, phone_index, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                  + " ON CONFLICT (case_number) DO UPDATE SET hall = EXCLUDED.hall, window_id = EXCLUDED.window_id,"
                  + " staff_id = EXCLUDED.staff_id, department = EXCLUDED.department, phone_sealed = EXCLUDED.phone_sealed,"
                  + " phone_index = EXCLUDED.phone_index, created_at = EXCLUDED.created_at"
                  + " WHERE NOT EXISTS (SELECT 1 FROM evaluation.evaluation e WHERE e.case_number = EXCLUDED.case_number)"
                  + " RETURNING case_number").execute(values))
              .invoke(rows -> {
                if (rows.size() == 0) {
                  throw HubError.EVALUATION_EXISTS.exception(null);
                }
              }).replaceWithVoid();
        }));
  }

  @Override
  public Uni<Evaluation> submit(Submission s, Origin origin) {
    return AuditTrail.around(audit, new AuditEvent(origin.actor(), "evaluation.submit",
            s.caseNumber(), null, origin.requestId(), origin.remoteAddress(), new JsonObject().put("rating", s.rating())
            .put("channel", s.channel() == null ? null : s.channel().name())), Evaluation::caseNumber,
        Uni.createFrom().deferred(() -> {
          String caseNumber = caseNumber(s.caseNumber());
          if (s.rating() < 1 || s.rating() > 5) {
            throw HubError.EVALUATION_INVALID.exception("Field 'rating' must be a whole number from 1 to 5");
          }
          if (s.channel() == null) {
            throw HubError.EVALUATION_INVALID.exception("Field 'channel' must be evaluator or portal");
          }
          String comment = s.comment() == null ? null : s.comment().strip();
          if (comment != null && (comment.length() > MAX_COMMENT || comment.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n'))) {
            throw HubError.EVALUATION_INVALID.exception("Field 'comment' has at most " + MAX_COMMENT + " characters");
          }
          if (s.deviceId() != null && !NAME.matcher(s.deviceId()).matches()) {
            throw HubError.EVALUATION_INVALID.exception("Field 'deviceId' has 1 to 64 letters, digits, '.', '_', '@' or '-'");
          }
          optionalName("hall", s.hall());
          optionalName("window", s.window());
          optionalName("staff", s.staff());
          optionalName("department", s.department());
          return storage.pool().chain(pool -> pool.withTransaction(conn -> conn.preparedQuery("SELECT hall, window_id,"
                  + " staff_id, department FROM evaluation.invitation WHERE case_number = $1").execute(Tuple.of(caseNumber))
              .chain(rows -> insert(conn, s, caseNumber, comment, rows.size() == 0 ? null : rows.iterator().next()))));
        }));
  }

  /** Writes the rating, the submission's place and people first, the invitation's where it gives none. */
  private Uni<Evaluation> insert(SqlConnection conn, Submission s, String caseNumber, String comment, Row invited) {
    String hall = s.hall() != null ? s.hall() : invited == null ? null : invited.getString("hall");
    String window = s.window() != null ? s.window() : invited == null ? null : invited.getString("window_id");
    String staff = s.staff() != null ? s.staff() : invited == null ? null : invited.getString("staff_id");
    String department = s.department() != null ? s.department() : invited == null ? null : invited.getString("department");
    if (window == null || staff == null || department == null) {
      throw HubError.EVALUATION_INVALID.exception("The case has no invitation: send 'window', 'staff' and 'department'");
    }
    Instant now = clock.instant();
    String id = UUID.randomUUID().toString();
    String rectification = s.rating() <= config.badThreshold() ? UUID.randomUUID().toString() : null;
    Uni<?> written = conn.preparedQuery("INSERT INTO evaluation.evaluation (id, case_number, rating, comment, channel,"
            + " hall, window_id, staff_id, department, device_id, evaluated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .execute(Tuple.tuple().addString(id).addString(caseNumber).addShort((short) s.rating()).addString(comment)
            .addString(s.channel().name()).addString(hall).addString(window).addString(staff).addString(department)
            .addString(s.deviceId()).addValue(utc(now)))
        .onFailure(e -> e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()))
        .transform(e -> HubError.EVALUATION_EXISTS.exception(null));
    if (rectification != null) {
      written = written.chain(() -> conn.preparedQuery("INSERT INTO evaluation.rectification (id, evaluation_id, state,"
              + " opened_at, due_at) VALUES ($1, $2, 'OPEN', $3, $4)")
          .execute(Tuple.of(rectification, id, utc(now), utc(now.plus(config.rectificationDeadline())))));
    }
    return written.replaceWith(new Evaluation(id, caseNumber, s.rating(), comment, s.channel(), hall, window, staff,
        department, s.deviceId(), now, rectification));
  }

  @Override
  public Uni<Evaluation> submitSms(String phone, String text, Origin origin) {
    return Uni.createFrom().deferred(() -> {
      String normalised = PersonalNumbers.phone(phone);
      Matcher m = SMS_RATING.matcher(text == null ? "" : text);
      if (!m.matches()) {
        throw HubError.EVALUATION_INVALID.exception("An SMS rating starts with a digit from 1 to 5");
      }
      int rating = Character.getNumericValue(m.group(1).charAt(0));
      String comment = m.group(2).isBlank() ? null : m.group(2).strip();
      return storage.pool().chain(pool -> pool.preparedQuery("SELECT i.case_number FROM evaluation.invitation i"
              + " WHERE i.phone_index = $1 AND i.created_at > $2 AND NOT EXISTS"
              + " (SELECT 1 FROM evaluation.evaluation e WHERE e.case_number = i.case_number)"
              + " ORDER BY i.created_at DESC LIMIT 1")
          .execute(Tuple.of(blind.of(PHONE_FIELD, normalised), utc(clock.instant().minus(config.invitationValidity())))))
          .chain(rows -> {
            if (rows.size() == 0) {
              return Uni.createFrom().failure(HubError.INVITATION_NOT_FOUND.exception(null));
            }
            return submit(new Submission(rows.iterator().next().getString("case_number"), rating, comment, Channel.SMS,
                null, null, null, null, null), origin);
          });
    });
  }

  // ---- rectification ---------------------------------------------------------------------------------------------

  @Override
  public Uni<List<Rectification>> rectifications(RectificationState state, boolean overdueOnly, int limit) {
    Instant now = clock.instant();
    String sql = "SELECT " + RECTIFICATION_COLUMNS + " FROM evaluation.rectification r JOIN evaluation.evaluation e"
        + " ON e.id = r.evaluation_id WHERE ($1::text IS NULL OR r.state = $1)"
        + " AND (NOT $2 OR (r.state = 'OPEN' AND r.due_at < $3) OR r.handled_at > r.due_at)"
        + " ORDER BY r.due_at, r.id LIMIT $4";
    return storage.pool().chain(pool -> pool.preparedQuery(sql)
            .execute(Tuple.of(state == null ? null : state.name(), overdueOnly, utc(now), limit)))
        .map(rows -> all(rows, r -> rectification(r, now)));
  }

  @Override
  public Uni<Rectification> handle(String id, String note, Origin origin) {
    return move(id, note, origin, "evaluation.rectification.handle", RectificationState.OPEN,
        "state = 'HANDLED', handled_at = $3, handled_by = $4, handling = $5");
  }

  @Override
  public Uni<Rectification> close(String id, String note, Origin origin) {
    return move(id, note, origin, "evaluation.rectification.close", RectificationState.HANDLED,
        "state = 'CLOSED', closed_at = $3, closed_by = $4, closing = $5");
  }

  @Override
  public Uni<Rectification> reopen(String id, String note, Origin origin) {
    return move(id, note, origin, "evaluation.rectification.reopen", RectificationState.HANDLED,
        "state = 'OPEN', handled_at = NULL, handled_by = NULL, handling = NULL, reopened_at = $3, reopened_by = $4,"
            + " reopening = $5");
  }

  /** Moves a task out of {@code from} with the assignments given; RECTIFICATION_STATE when it is not there. */
  private Uni<Rectification> move(String id, String note, Origin origin, String action, RectificationState from,
                                  String assignments) {
    return AuditTrail.around(audit, event(origin, action, id), null, Uni.createFrom().deferred(() -> {
      if (note == null || note.isBlank() || note.length() > MAX_NOTE) {
        throw HubError.EVALUATION_INVALID.exception("Field 'note' must be 1 to " + MAX_NOTE + " characters");
      }
      Instant now = clock.instant();
      String sql = "WITH r AS (UPDATE evaluation.rectification SET " + assignments
          + " WHERE id = $1 AND state = $2 RETURNING *)"
          + " SELECT " + RECTIFICATION_COLUMNS + " FROM r JOIN evaluation.evaluation e ON e.id = r.evaluation_id";
      return storage.pool().chain(pool -> pool.preparedQuery(sql)
              .execute(Tuple.of(id, from.name(), utc(now), origin.actor(), note.strip())))
          .chain(rows -> rows.size() == 1 ? Uni.createFrom().item(rectification(rows.iterator().next(), now))
              : storage.pool().chain(pool -> pool.preparedQuery("SELECT state FROM evaluation.rectification WHERE id = $1")
                  .execute(Tuple.of(id))).map(found -> {
                    if (found.size() == 0) {
                      throw HubError.RECTIFICATION_NOT_FOUND.exception(null);
                    }
                    throw HubError.RECTIFICATION_STATE.exception("The task is " + found.iterator().next().getString("state")
                        + "; this needs it " + from);
                  }));
    }));
  }

  // ---- statistics ------------------------------------------------------------------------------------------------

  @Override
  public Uni<List<Statistic>> statistics(Dimension by, Instant from, Instant to) {
    String key = switch (by) {
      case WINDOW -> "window_id";
      case STAFF -> "staff_id";
      case DEPARTMENT -> "department";
    };
    StringBuilder sql = new StringBuilder("SELECT ").append(key).append(" AS key, count(*) AS total");
    for (int r = 1; r <= 5; r++) {
      sql.append(", count(*) FILTER (WHERE rating = ").append(r).append(") AS r").append(r);
    }
    sql.append(", count(*) FILTER (WHERE rating > $3) AS satisfied FROM evaluation.evaluation")
        .append(" WHERE evaluated_at >= $1 AND evaluated_at < $2 GROUP BY ").append(key).append(" ORDER BY ").append(key);
    return storage.pool().chain(pool -> pool.preparedQuery(sql.toString())
            .execute(Tuple.of(utc(from), utc(to), config.badThreshold())))
        .map(rows -> all(rows, r -> {
          long[] counts = new long[5];
          for (int i = 0; i < 5; i++) {
            counts[i] = r.getLong("r" + (i + 1));
          }
          return new Statistic(r.getString("key"), r.getLong("total"), counts, r.getLong("satisfied"));
        }));
  }

  // ---- rows, checks ----------------------------------------------------------------------------------------------

  private static Rectification rectification(Row r, Instant now) {
    Instant due = instant(r, "due_at");
    Instant handled = instant(r, "handled_at");
    RectificationState state = RectificationState.valueOf(r.getString("state"));
    boolean overdue = handled != null ? handled.isAfter(due) : state == RectificationState.OPEN && now.isAfter(due);
    return new Rectification(r.getString("id"), r.getString("evaluation_id"), r.getString("case_number"),
        r.getShort("rating"), r.getString("comment"), r.getString("window_id"), r.getString("staff_id"),
        r.getString("department"), state, instant(r, "opened_at"), due, handled, r.getString("handled_by"),
        r.getString("handling"), instant(r, "closed_at"), r.getString("closed_by"), r.getString("closing"),
        instant(r, "reopened_at"), r.getString("reopening"), overdue);
  }

  private static <T> List<T> all(RowSet<Row> rows, Function<Row, T> read) {
    List<T> out = new ArrayList<>();
    rows.forEach(r -> out.add(read.apply(r)));
    return out;
  }

  private static String caseNumber(String value) {
    if (value == null || !CASE_NUMBER.matcher(value).matches()) {
      throw HubError.EVALUATION_INVALID.exception("Field 'caseNumber' has 1 to 64 letters, digits, '.', '_' or '-'");
    }
    return value;
  }

  private static String name(String field, String value) {
    if (value == null) {
      throw HubError.EVALUATION_INVALID.exception("Field '" + field + "' is required");
    }
    return optionalName(field, value);
  }

  private static String optionalName(String field, String value) {
    if (value != null && !NAME.matcher(value).matches()) {
      throw HubError.EVALUATION_INVALID.exception("Field '" + field + "' has 1 to 64 letters, digits, '.', '_', '@' or '-'");
    }
    return value;
  }

  private static String phoneContext(String caseNumber) {
    return "evaluation.invitation/" + caseNumber + "/phone";
  }

  private static AuditEvent event(Origin origin, String action, String target) {
    return new AuditEvent(origin.actor(), action, target, null, origin.requestId(), origin.remoteAddress(), new JsonObject());
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime utc(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  @Override
  public Uni<Void> close() {
    return consumer == null ? Uni.createFrom().voidItem() : consumer.unregister();
  }
}
