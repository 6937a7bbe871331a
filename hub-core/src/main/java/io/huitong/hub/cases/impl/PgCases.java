package io.huitong.hub.cases.impl;

import io.huitong.hub.cases.CaseAction;
import io.huitong.hub.cases.CaseApplication;
import io.huitong.hub.cases.CaseEvent;
import io.huitong.hub.cases.CaseKind;
import io.huitong.hub.cases.CaseReceipt;
import io.huitong.hub.cases.CaseRecord;
import io.huitong.hub.cases.CaseState;
import io.huitong.hub.cases.CaseTransition;
import io.huitong.hub.cases.Cases;
import io.huitong.hub.cases.CasesConfig;
import io.huitong.hub.cases.Deadlines;
import io.huitong.hub.cases.MonthlyStatistics;
import io.huitong.hub.cases.Supervision;
import io.huitong.hub.cases.WorkingCalendar;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.identity.PersonalNumbers;
import io.huitong.hub.ops.AuditEvent;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.signing.BlindIndex;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.signing.Signing;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.eventbus.Message;
import io.vertx.mutiny.core.eventbus.MessageConsumer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cases in PostgreSQL (schema {@code cases}). A transition locks the case row, checks the move with
 * {@link CaseAction#from}, updates the row and appends the case event in one transaction, then writes the audit entry.
 * Deadlines are computed in Java from the region's working-day calendar when a case is accepted, resumed or
 * extended, and stored, so the supervision sweep is two SQL statements whatever the number of cases.
 */
public final class PgCases implements Cases {
  private static final Logger LOG = LoggerFactory.getLogger(PgCases.class);
  /** Blind index fields of their own: a case's index never matches an account's. */
  private static final String ID_NUMBER_FIELD = "cases.id-number";
  private static final String PHONE_FIELD = "cases.phone";
  private static final int MAX_PROGRESS = 50;
  /** SQL conditions on the state, from CaseState's own definitions. */
  private static final String RUNNING = states(CaseState::clockRunning);
  /** Exchange record types: what the hub sends departments, and what they send back. */
  public static final String DISPATCH_TYPE = "CASE_DISPATCH";
  /** A department's status: the action REFUSE refuses the case; any other is a {@link CaseAction} to apply. */
  private static final String REFUSE = "REFUSE";
  private static final int STATUS_BATCH = 100;
  private static final int MAX_TALLY = 100_000;
  private static final String OPEN = states(CaseState::open);

  private static String states(java.util.function.Predicate<CaseState> which) {
    return java.util.Arrays.stream(CaseState.values()).filter(which).map(st -> "'" + st.name() + "'")
        .collect(java.util.stream.Collectors.joining(", ", "state IN (", ")"));
  }

  private final Vertx vertx;
  private final Storage storage;
  private final MasterKey master;
  private final BlindIndex blind;
  private final AuditLog audit;
  private final CasesConfig config;
  private final Clock clock;
  private final CaseReceipts receipts;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private volatile MessageConsumer<JsonObject> progressConsumer;
  private volatile long sweepTimer = -1;
  private volatile long statusTimer = -1;
  private final AtomicBoolean applying = new AtomicBoolean();

  private PgCases(Vertx vertx, Storage storage, MasterKey master, AuditLog audit, CasesConfig config, Clock clock,
                  CaseReceipts receipts) {
    this.vertx = vertx;
    this.receipts = receipts;
    this.storage = storage;
    this.master = master;
    this.blind = BlindIndex.create(master);
    this.audit = audit;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Opens the capability: makes the case receipt seal on first start, answers progress queries on the event bus and
   * sweeps supervision every sweep-interval.
   */
  public static Uni<Cases> start(Vertx vertx, Storage storage, MasterKey master, Signing signing, AuditLog audit,
                                 CasesConfig config, Clock clock) {
    return CaseReceipts.open(storage, signing, config.zone())
        .map(receipts -> listen(new PgCases(vertx, storage, master, audit, config, clock, receipts)));
  }

  private static Cases listen(PgCases cases) {
    CasesConfig config = cases.config;
    Vertx vertx = cases.vertx;
    cases.progressConsumer = vertx.eventBus().<JsonObject>consumer(PROGRESS_ADDRESS).handler(cases::answerProgress);
    cases.sweepTimer = vertx.setPeriodic(config.sweepInterval().toMillis(), id -> cases.sweepInBackground());
    if (config.dispatch().enabled()) {
      cases.statusTimer = vertx.setPeriodic(config.dispatch().pollInterval().toMillis(), id -> cases.applyInBackground());
    }
    return cases;
  }

  // ---- submission and transitions --------------------------------------------------------------------------------

  @Override
  public Uni<CaseRecord> submit(CaseApplication application, List<CaseTransition> then, Origin origin) {
    return Uni.createFrom().deferred(() -> {
      CaseApplication a = CaseInput.application(application, config);
      List<Move> moves = then.stream().map(t -> new Move(t, false)).toList();
      String id = UUID.randomUUID().toString();
      Instant at = a.at() == null ? clock.instant() : a.at();
      Tuple row = Tuple.tuple().addString(id).addString(a.kind().name()).addString(a.itemCode()).addString(a.itemName())
          .addString(a.department()).addString(a.regionCode()).addString(a.applicantName())
          .addValue(seal(a.idNumber(), id, "id-number")).addString(index(ID_NUMBER_FIELD, a.idNumber()))
          .addString(a.idNumber() == null ? null : PersonalNumbers.maskIdNumber(a.idNumber()))
          .addValue(seal(a.phone(), id, "phone")).addString(index(PHONE_FIELD, a.phone()))
          .addString(a.phone() == null ? null : PersonalNumbers.maskPhone(a.phone()))
          .addString(a.channel()).addString(a.ticketId()).addInteger(a.promiseDays()).addInteger(a.legalDays())
          .addValue(time(at));
      return storage.pool().chain(pool -> pool.withTransaction(tx -> tx.query("SELECT nextval('cases.case_number_seq')")
          .execute().chain(seq -> {
            String number = CaseInput.caseNumber(config, a, at, seq.iterator().next().getLong(0));
            return tx.preparedQuery("INSERT INTO cases.case_record (id, kind, item_code, item_name, department,"
                    + " region_code, applicant_name, id_number_sealed, id_number_index, masked_id_number, phone_sealed,"
                    + " phone_index, masked_phone, channel, ticket_id, promise_days, legal_days, submitted_at,"
                    + " last_event_at, case_number, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
                    + " $13, $14, $15, $16, $17, $18, $18, $19, 'SUBMITTED') RETURNING *")
                .execute(row.addString(number))
                .map(rows -> rows.iterator().next())
                .call(() -> appendEvent(tx, id, 1, null, null, CaseState.SUBMITTED, at, origin.actor(),
                    new JsonObject().put("channel", a.channel()).put("ticketId", a.ticketId())))
                .chain(inserted -> {
                  Uni<Row> last = Uni.createFrom().item(inserted);
                  for (Move move : moves) {
                    last = last.chain(() -> move.apply(tx, number));
                  }
                  return last;
                });
          })))
          .map(this::record)
          .call(c -> sealReceipts(c.caseNumber()))
          .call(c -> record(origin, "case.submitted", c.caseNumber(), new JsonObject()
              .put("department", c.department()).put("kind", c.kind().name()).put("ticketId", c.ticketId())))
          .call(c -> {
            Uni<Void> audits = Uni.createFrom().voidItem();
            for (Move move : moves) {
              audits = audits.chain(() -> move.audit(origin, c.caseNumber(), "ok"));
            }
            return audits;
          });
    });
  }

  @Override
  public Uni<CaseRecord> transition(String caseNumber, CaseTransition t, Origin origin) {
    return transition(caseNumber, t, origin, false);
  }

  /** A transition; {@code acknowledges}: it came from the department's system, so it also acknowledges the dispatch. */
  private Uni<CaseRecord> transition(String caseNumber, CaseTransition t, Origin origin, boolean acknowledges) {
    return Uni.createFrom().deferred(() -> {
      Move move = new Move(t, acknowledges);
      return storage.pool().chain(pool -> pool.withTransaction(tx -> move.apply(tx, caseNumber)))
          .map(this::record)
          .call(c -> sealReceipts(caseNumber))
          .call(c -> move.audit(origin, caseNumber, "ok"))
          .onFailure(HubException.class).call(e -> ((HubException) e).error() == HubError.CASE_TRANSITION
              ? move.audit(origin, caseNumber, HubError.CASE_TRANSITION.code()) : Uni.createFrom().voidItem());
    });
  }

  /**
   * Seals the notices the committed moves of a case (null: of any case, a batch) issued. The moves stand whatever
   * happens here: a notice that cannot be sealed now is sealed when read or by the next sweep.
   */
  private Uni<Void> sealReceipts(String caseNumber) {
    return receipts.sealPending(caseNumber).onFailure().invoke(e -> LOG.warn("Case notices ({}) not sealed yet: {}",
        caseNumber == null ? "any case" : caseNumber, e.toString())).onFailure().recoverWithItem(0).replaceWithVoid();
  }

  /** One checked transition, applied inside a caller's transaction, and its audit entry. */
  private final class Move {
    private final CaseTransition t;
    private final boolean acknowledges;
    private final JsonObject detail;
    private final JsonObject audited;

    /** Checks what can be checked before the case is read; fails CASE_INPUT_INVALID. */
    Move(CaseTransition t, boolean acknowledges) {
      if (t.action() == null) {
        throw CaseInput.invalid("Field 'action' must be one of the actions of docs/cases.md");
      }
      this.t = t;
      this.acknowledges = acknowledges;
      this.detail = CaseInput.detail(t.action(), t.detail());
      this.audited = new JsonObject().put("action", t.action().name());
    }

    /** Locks the case, checks the move against the table, updates the row and appends the event; the new row. */
    Uni<Row> apply(SqlClient tx, String caseNumber) {
      Instant at = t.at() == null ? clock.instant() : t.at();
      return tx.preparedQuery("SELECT * FROM cases.case_record WHERE case_number = $1 FOR UPDATE")
          .execute(Tuple.of(caseNumber))
          .chain(rows -> {
            Row row = only(rows, caseNumber);
            CaseState from = CaseState.valueOf(row.getString("state"));
            audited.put("from", from.name());
            CaseState to = t.action().from(from);
            audited.put("to", to.name());
            if (at.isBefore(row.getOffsetDateTime("last_event_at").toInstant())) {
              throw CaseInput.invalid("Field 'at' is before the case's previous event ("
                  + row.getOffsetDateTime("last_event_at").toInstant() + ")");
            }
            return calendarIfNeeded(tx, t.action(), row.getString("region_code"))
                .chain(calendar -> {
                  Change change = change(t.action(), row, to, at, detail, calendar);
                  int seq = row.getInteger("last_event_seq") + 1;
                  change.set("last_event_seq", seq).set("last_event_at", time(at));
                  boolean dispatch = dispatches(t.action(), row);
                  if (dispatch) {
                    change.set("dispatch_state", "DISPATCHED").set("dispatched_at", time(clock.instant()));
                  } else if (acknowledges && awaitsDepartment(row.getString("dispatch_state"))) {
                    // With the move itself: a reader or a crash never sees the move without its acknowledgement.
                    change.set("dispatch_state", "ACKNOWLEDGED");
                  }
                  return change.apply(tx, row.getString("id"))
                      .map(updated -> updated.iterator().next())
                      .call(() -> appendEvent(tx, row.getString("id"), seq, t.action(), from, to, at, t.actor(), detail))
                      .call(updated -> receipts.issue(tx, t.action(), row.getString("id"), record(updated), seq, at,
                          t.actor(), detail))
                      .call(updated -> dispatch ? dispatch(tx, record(updated)) : Uni.createFrom().voidItem());
                });
          });
    }

    Uni<Void> audit(Origin origin, String caseNumber, String outcome) {
      return record(origin, "case." + t.action().name().toLowerCase(java.util.Locale.ROOT), caseNumber, audited, outcome);
    }
  }

  /** What an action changes besides the state, the event sequence and its time. */
  private Change change(CaseAction action, Row row, CaseState to, Instant at, JsonObject detail,
                        WorkingCalendar calendar) {
    Change c = new Change().set("state", to.name());
    switch (action) {
      case NOTIFY_CORRECTION, REQUEST_SUPPLEMENT, SUSPEND -> {
        c.set("state_reason", detail.getString("reason", detail.getString("type")));
        if (action != CaseAction.NOTIFY_CORRECTION) {
          c.set("paused_at", time(at));
        }
      }
      case REJECT -> c.set("state_reason", detail.getString("reason")).set("finished_at", time(at));
      case WITHDRAW, TERMINATE, CORRECTION_LAPSED -> c.set("state_reason", detail.getString("reason"))
          .set("result_code", action == CaseAction.WITHDRAW ? "3" : action == CaseAction.TERMINATE ? "2" : "5")
          .set("finished_at", time(at));
      case ACCEPT -> c.set("accepted_at", time(at)).set("supervision", Supervision.NORMAL.name())
          .deadlines(deadlines(calendar, row, at, 0, 0));
      case RESUME, SUPPLEMENT -> {
        Instant pausedAt = row.getOffsetDateTime("paused_at").toInstant();
        int paused = row.getInteger("paused_days")
            + calendar.workingDaysBetween(CaseInput.day(pausedAt, config.zone()), CaseInput.day(at, config.zone()));
        c.set("paused_days", paused).set("paused_at", null).set("state_reason", null)
            .deadlines(deadlines(calendar, row, row.getOffsetDateTime("accepted_at").toInstant(),
                row.getInteger("extension_days"), paused));
      }
      case EXTEND -> {
        int extension = row.getInteger("extension_days") + CaseInput.days(detail);
        c.set("extension_days", extension).deadlines(deadlines(calendar, row,
            row.getOffsetDateTime("accepted_at").toInstant(), extension, row.getInteger("paused_days")));
      }
      case CLOSE -> {
        Object fee = detail.getValue("feeFen");
        c.set("result_code", detail.getString("resultCode")).set("state_reason", detail.getString("resultDescription"))
            .set("closed_at", time(at)).set("finished_at", time(at))
            .set("fee_fen", fee == null ? null : ((Number) fee).longValue())
            .set("on_time", at.isBefore(row.getOffsetDateTime("promise_due_at").toInstant()));
      }
      default -> {
      }
    }
    return c;
  }

  /** Dispatched and not answered yet (a REFUSED or ACKNOWLEDGED dispatch stays as it is). */
  private static boolean awaitsDepartment(String dispatchState) {
    return "DISPATCHED".equals(dispatchState) || "LAGGING".equals(dispatchState);
  }

  /** Accepting a promised case sends it to its department's system when dispatch is on. */
  private boolean dispatches(CaseAction action, Row row) {
    return action == CaseAction.ACCEPT && config.dispatch().enabled()
        && CaseKind.valueOf(row.getString("kind")) == CaseKind.PROMISED;
  }

  /**
   * Writes the case to the exchange bus's outbox in the acceptance's transaction: the relay routes it (by
   * {@code department}) to the department's node, signed. No personal numbers travel.
   */
  private Uni<Void> dispatch(SqlClient tx, CaseRecord c) {
    JsonObject payload = new JsonObject().put("caseNumber", c.caseNumber()).put("department", c.department())
        .put("itemCode", c.itemCode()).put("itemName", c.itemName()).put("regionCode", c.regionCode())
        .put("kind", c.kind().name()).put("applicantName", c.applicantName()).put("promiseDays", c.promiseDays())
        .put("legalDays", c.legalDays()).put("acceptedAt", c.acceptedAt().toString())
        .put("promisedDueAt", c.deadlines().promiseDueAt().toString())
        .put("legalDueAt", c.deadlines().legalDueAt().toString());
    return tx.preparedQuery("INSERT INTO exchange.outbox (sender, type, schema_name, schema_version, issue, operation,"
            + " payload) VALUES ($1, $2, 'case-dispatch', '1.0', $3, 'I', $4)")
        .execute(Tuple.of(config.dispatch().node(), DISPATCH_TYPE, c.caseNumber(),
            payload.encode().getBytes(StandardCharsets.UTF_8)))
        .replaceWithVoid();
  }

  private Deadlines deadlines(WorkingCalendar calendar, Row row, Instant acceptedAt, int extension, int paused) {
    return Deadlines.compute(calendar, config.zone(), acceptedAt, row.getInteger("promise_days"),
        row.getInteger("legal_days"), extension + paused, config.rules());
  }

  private Uni<WorkingCalendar> calendarIfNeeded(SqlClient tx, CaseAction action, String region) {
    return switch (action) {
      case ACCEPT, RESUME, SUPPLEMENT, EXTEND -> overrides(tx, region).map(WorkingCalendar::new);
      default -> Uni.createFrom().nullItem();
    };
  }

  /** The configured days, then the stored ones for every region, then the region's own: later ones win. */
  private Uni<Map<LocalDate, Boolean>> overrides(SqlClient client, String region) {
    return client.preparedQuery("SELECT day, working FROM cases.calendar_day WHERE region_code IN ('', $1)"
            + " ORDER BY region_code")
        .execute(Tuple.of(region))
        .map(rows -> {
          Map<LocalDate, Boolean> days = new HashMap<>(config.calendar());
          rows.forEach(r -> days.put(r.getLocalDate("day"), r.getBoolean("working")));
          return days;
        });
  }

  private static Uni<Void> appendEvent(SqlClient tx, String caseId, int seq, CaseAction action, CaseState from,
                                       CaseState to, Instant at, String actor, JsonObject detail) {
    return tx.preparedQuery("INSERT INTO cases.case_event (case_id, seq, action, from_state, to_state, at, actor, detail)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .execute(Tuple.tuple().addString(caseId).addInteger(seq).addString(action == null ? null : action.name())
            .addString(from == null ? null : from.name()).addString(to.name()).addValue(time(at)).addString(actor)
            .addValue(detail))
        .replaceWithVoid();
  }

  /** Column changes of one UPDATE, in order. */
  private static final class Change {
    private final List<String> columns = new ArrayList<>();
    private final Tuple values = Tuple.tuple();

    Change set(String column, Object value) {
      columns.add(column);
      values.addValue(value);
      return this;
    }

    Change deadlines(Deadlines d) {
      return set("warning_at", time(d.warningAt())).set("promise_due_at", time(d.promiseDueAt()))
          .set("red_at", time(d.redAt())).set("legal_due_at", time(d.legalDueAt()));
    }

    Uni<RowSet<Row>> apply(SqlClient tx, String id) {
      StringBuilder sql = new StringBuilder("UPDATE cases.case_record SET ");
      for (int i = 0; i < columns.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append(columns.get(i)).append(" = $").append(i + 1);
      }
      sql.append(" WHERE id = $").append(columns.size() + 1).append(" RETURNING *");
      return tx.preparedQuery(sql.toString()).execute(values.addString(id));
    }
  }

  // ---- reads ----------------------------------------------------------------------------------------------------

  @Override
  public Uni<CaseRecord> find(String caseNumber) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT * FROM cases.case_record WHERE case_number = $1")
        .execute(Tuple.of(caseNumber))).map(rows -> record(only(rows, caseNumber)));
  }

  @Override
  public Uni<List<CaseReceipt>> receipts(String caseNumber) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT id FROM cases.case_record WHERE case_number = $1")
            .execute(Tuple.of(caseNumber)))
        .chain(rows -> receipts.list(only(rows, caseNumber).getString("id"), caseNumber));
  }

  @Override
  public Uni<List<CaseEvent>> events(String caseNumber) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT e.*, c.case_number FROM cases.case_record c"
            + " LEFT JOIN cases.case_event e ON e.case_id = c.id WHERE c.case_number = $1 ORDER BY e.seq")
        .execute(Tuple.of(caseNumber))).map(rows -> {
          only(rows, caseNumber);
          List<CaseEvent> events = new ArrayList<>();
          rows.forEach(r -> events.add(new CaseEvent(r.getInteger("seq"), r.getString("action"),
              r.getString("from_state") == null ? null : CaseState.valueOf(r.getString("from_state")),
              CaseState.valueOf(r.getString("to_state")), r.getOffsetDateTime("at").toInstant(), r.getString("actor"),
              (JsonObject) r.getValue("detail"))));
          return events;
        });
  }

  @Override
  public Uni<List<CaseRecord>> progress(String caseNumber, String idNumber, String phone) {
    return Uni.createFrom().deferred(() -> {
      int given = (caseNumber == null ? 0 : 1) + (idNumber == null ? 0 : 1) + (phone == null ? 0 : 1);
      if (given != 1) {
        throw CaseInput.invalid("Send exactly one of 'caseNumber', 'idNumber' and 'phone'");
      }
      String column;
      String key;
      if (caseNumber != null) {
        column = "case_number";
        key = caseNumber;
      } else if (idNumber != null) {
        column = "id_number_index";
        key = blind.of(ID_NUMBER_FIELD, PersonalNumbers.idNumber(idNumber));
      } else {
        column = "phone_index";
        key = blind.of(PHONE_FIELD, PersonalNumbers.phone(phone));
      }
      return newest(column + " = $1", Tuple.of(key));
    });
  }

  @Override
  public Uni<List<CaseRecord>> applicantCases(String idNumber, String phone, String caseNumber) {
    return Uni.createFrom().deferred(() -> newest("(id_number_index = $1 OR phone_index = $2)"
            + " AND ($3::text IS NULL OR case_number = $3)",
        Tuple.of(index(ID_NUMBER_FIELD, idNumber == null ? null : PersonalNumbers.idNumber(idNumber)),
            index(PHONE_FIELD, phone == null ? null : PersonalNumbers.phone(phone)), caseNumber)));
  }

  /** The cases {@code where} selects, newest first, at most {@link #MAX_PROGRESS}. */
  private Uni<List<CaseRecord>> newest(String where, Tuple args) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT * FROM cases.case_record WHERE " + where
            + " ORDER BY submitted_at DESC LIMIT " + MAX_PROGRESS).execute(args))
        .map(rows -> {
          List<CaseRecord> found = new ArrayList<>();
          rows.forEach(r -> found.add(record(r)));
          return found;
        });
  }

  private void answerProgress(Message<JsonObject> message) {
    JsonObject q = message.body() == null ? new JsonObject() : message.body();
    Uni.createFrom().deferred(() -> progress(string(q, "caseNumber"), string(q, "idNumber"), string(q, "phone")))
        .subscribe().with(
            found -> message.reply(new JsonObject().put("cases",
                new JsonArray(found.stream().map(CaseRecord::progressJson).toList()))),
            e -> message.fail(e instanceof HubException h ? h.error().status() : 500,
                e instanceof HubException ? e.getMessage() : "progress query failed"));
  }

  private static String string(JsonObject q, String field) {
    return q.getValue(field) instanceof String s && !s.isBlank() ? s : null;
  }

  // ---- consultations and statistics -------------------------------------------------------------------------------

  @Override
  public Uni<Void> consult(String department, String regionCode, Instant at, int count, Origin origin) {
    return Uni.createFrom().deferred(() -> {
      if (department == null || !department.matches("[A-Za-z0-9._-]{1,64}")) {
        throw CaseInput.invalid("Field 'department' must be 1 to 64 letters, digits, '.', '_' or '-'");
      }
      String region = regionCode == null ? config.defaultRegion() : regionCode;
      if (!region.matches("\\d{12}")) {
        throw CaseInput.invalid("Field 'regionCode' must be the 12-digit region code (区划)");
      }
      if (count < 1 || count > MAX_TALLY) {
        throw CaseInput.invalid("Field 'count' must be from 1 to " + MAX_TALLY);
      }
      return storage.pool().chain(pool -> pool.preparedQuery("INSERT INTO cases.consultation (department, region_code,"
              + " at, count) VALUES ($1, $2, $3, $4)")
          .execute(Tuple.of(department, region, time(at == null ? clock.instant() : at), count))).replaceWithVoid();
    });
  }

  @Override
  public Uni<MonthlyStatistics> statistics(YearMonth month, String regionCode) {
    OffsetDateTime start = month.atDay(1).atStartOfDay(config.zone()).toOffsetDateTime();
    OffsetDateTime end = month.plusMonths(1).atDay(1).atStartOfDay(config.zone()).toOffsetDateTime();
    Tuple bounds = Tuple.of(start, end, regionCode);
    String in = " >= $1 AND %s < $2";
    String accepted = "accepted_at" + in.formatted("accepted_at");
    String closed = "closed_at" + in.formatted("closed_at");
    String finished = "finished_at" + in.formatted("finished_at");
    String region = " ($3::text IS NULL OR region_code = $3) ";
    String cases = "SELECT department,"
        + " count(*) FILTER (WHERE " + accepted + ") AS received,"
        + " count(*) FILTER (WHERE " + accepted + " AND kind = 'IMMEDIATE') AS immediate,"
        + " count(*) FILTER (WHERE " + accepted + " AND kind = 'PROMISED') AS promised,"
        + " count(*) FILTER (WHERE " + closed + ") AS completed,"
        + " count(*) FILTER (WHERE " + closed + " AND on_time) AS on_time,"
        + " count(*) FILTER (WHERE " + accepted + " AND " + OPEN + ") AS open,"
        + " count(*) FILTER (WHERE " + finished + " AND state = 'NOT_ACCEPTED') AS not_accepted,"
        + " count(*) FILTER (WHERE " + finished + " AND state = 'WITHDRAWN') AS withdrawn,"
        + " count(*) FILTER (WHERE " + finished + " AND state = 'TERMINATED') AS terminated,"
        + " coalesce(sum(fee_fen) FILTER (WHERE " + closed + "), 0) AS fees"
        + " FROM cases.case_record WHERE" + region + "AND (" + accepted + " OR " + finished + ") GROUP BY department";
    String events = "SELECT c.department, count(*) FILTER (WHERE e.action = 'SUSPEND') AS suspensions,"
        + " count(*) FILTER (WHERE e.action = 'EXTEND') AS extensions FROM cases.case_event e"
        + " JOIN cases.case_record c ON c.id = e.case_id WHERE e.action IN ('SUSPEND', 'EXTEND')"
        + " AND e.at >= $1 AND e.at < $2 AND ($3::text IS NULL OR c.region_code = $3) GROUP BY c.department";
    String consultations = "SELECT department, sum(count) AS consultations FROM cases.consultation"
        + " WHERE at >= $1 AND at < $2 AND" + region + "GROUP BY department";
    return storage.pool().chain(pool -> pool.preparedQuery(cases).execute(bounds)
        .chain(caseRows -> pool.preparedQuery(events).execute(bounds)
            .chain(eventRows -> pool.preparedQuery(consultations).execute(bounds)
                .map(consultationRows -> {
                  Map<String, long[]> by = new TreeMap<>();
                  caseRows.forEach(r -> {
                    long[] v = by.computeIfAbsent(r.getString("department"), d -> new long[13]);
                    String[] columns = {"received", "immediate", "promised", "completed", "on_time", "open",
                        "not_accepted", "withdrawn", "terminated"};
                    for (int i = 0; i < columns.length; i++) {
                      v[i] = r.getLong(columns[i]);
                    }
                    v[12] = r.getLong("fees");
                  });
                  eventRows.forEach(r -> {
                    long[] v = by.computeIfAbsent(r.getString("department"), d -> new long[13]);
                    v[9] = r.getLong("suspensions");
                    v[10] = r.getLong("extensions");
                  });
                  consultationRows.forEach(r -> by.computeIfAbsent(r.getString("department"), d -> new long[13])[11]
                      = r.getLong("consultations"));
                  long[] sum = new long[13];
                  List<MonthlyStatistics.Counts> departments = new ArrayList<>();
                  by.forEach((department, v) -> {
                    departments.add(counts(department, v));
                    for (int i = 0; i < sum.length; i++) {
                      sum[i] += v[i];
                    }
                  });
                  return new MonthlyStatistics(month, regionCode, counts(null, sum), departments);
                }))));
  }

  private static MonthlyStatistics.Counts counts(String department, long[] v) {
    return new MonthlyStatistics.Counts(department, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10],
        v[11], v[12]);
  }

  // ---- calendar -----------------------------------------------------------------------------------------------

  @Override
  public Uni<Map<LocalDate, Boolean>> calendar(String region, int year) {
    return Uni.createFrom().deferred(() -> {
      String code = CaseInput.region(region);
      return storage.pool().chain(pool -> overrides(pool, code)).map(days -> {
        Map<LocalDate, Boolean> inYear = new TreeMap<>();
        days.forEach((day, working) -> {
          if (day.getYear() == year) {
            inYear.put(day, working);
          }
        });
        return inYear;
      });
    });
  }

  @Override
  public Uni<Void> setCalendarDay(String region, LocalDate day, Boolean working, String note, Origin origin) {
    return Uni.createFrom().deferred(() -> {
      String code = CaseInput.region(region);
      if (note != null && note.length() > 200) {
        throw CaseInput.invalid("Field 'note' must be at most 200 characters");
      }
      String sql = working == null
          ? "DELETE FROM cases.calendar_day WHERE region_code = $1 AND day = $2"
          : "INSERT INTO cases.calendar_day (region_code, day, working, note) VALUES ($1, $2, $3, $4)"
              + " ON CONFLICT (region_code, day) DO UPDATE SET working = $3, note = $4";
      Tuple args = working == null ? Tuple.of(code, day) : Tuple.of(code, day, working, note);
      return storage.pool().chain(pool -> pool.preparedQuery(sql).execute(args))
          .call(() -> record(origin, working == null ? "case.calendar.cleared" : "case.calendar.set",
              (code.isEmpty() ? "all" : code) + "/" + day, new JsonObject().put("working", working).put("note", note)))
          .replaceWithVoid();
    });
  }

  // ---- supervision ----------------------------------------------------------------------------------------------

  @Override
  public Uni<Sweep> sweep() {
    Instant now = clock.instant();
    OffsetDateTime at = time(now);
    String levels = "UPDATE cases.case_record c SET supervision = v.level FROM (SELECT id, supervision AS before, CASE"
        + " WHEN $1 >= red_at THEN 'RED' WHEN $1 >= promise_due_at THEN 'YELLOW' WHEN $1 >= warning_at THEN 'WARNING'"
        + " ELSE 'NORMAL' END AS level FROM cases.case_record WHERE " + RUNNING + ") v"
        + " WHERE c.id = v.id AND c.supervision <> v.level"
        + " RETURNING c.case_number, c.department, c.item_name, v.before, v.level, c.promise_due_at, c.legal_due_at";
    String reminders = "WITH sent AS (INSERT INTO cases.reminder (case_id, kind, due_at, sent_at)"
        + " SELECT c.id, k.kind, k.due, $1 FROM cases.case_record c CROSS JOIN LATERAL (VALUES ('WARNING', c.warning_at),"
        + " ('PROMISED', c.promise_due_at), ('LEGAL', c.legal_due_at)) AS k (kind, due)"
        + " WHERE c." + RUNNING + " AND k.due <= $1 ON CONFLICT DO NOTHING RETURNING case_id, kind, due_at)"
        + " SELECT s.kind, s.due_at, c.case_number, c.department, c.item_name FROM sent s"
        + " JOIN cases.case_record c ON c.id = s.case_id";
    String lagging = "UPDATE cases.case_record SET dispatch_state = 'LAGGING' WHERE dispatch_state = 'DISPATCHED'"
        + " AND dispatched_at <= $1 AND " + OPEN + " RETURNING case_number, department, item_name";
    OffsetDateTime lagSince = time(now.minus(config.dispatch().lag()));
    return storage.pool().chain(pool -> pool.preparedQuery(levels).execute(Tuple.of(at))
        .call(() -> pool.preparedQuery(lagging).execute(Tuple.of(lagSince))
            .invoke(lag -> lag.forEach(r -> publishDispatch(r, "LAGGING", null))))
        .chain(changed -> pool.preparedQuery(reminders).execute(Tuple.of(at)).map(sent -> {
          changed.forEach(r -> vertx.eventBus().publish(SUPERVISION_ADDRESS, new JsonObject()
              .put("caseNumber", r.getString("case_number")).put("department", r.getString("department"))
              .put("itemName", r.getString("item_name")).put("from", r.getString("before"))
              .put("to", r.getString("level")).put("promisedDueAt", r.getOffsetDateTime("promise_due_at").toInstant().toString())
              .put("legalDueAt", r.getOffsetDateTime("legal_due_at").toInstant().toString()).put("at", now.toString())));
          sent.forEach(r -> vertx.eventBus().publish(REMINDER_ADDRESS, new JsonObject()
              .put("caseNumber", r.getString("case_number")).put("department", r.getString("department"))
              .put("itemName", r.getString("item_name")).put("kind", r.getString("kind"))
              .put("dueAt", r.getOffsetDateTime("due_at").toInstant().toString()).put("at", now.toString())));
          return new Sweep(now, changed.rowCount(), sent.rowCount());
        })))
        .call(() -> sealReceipts(null));
  }

  /**
   * Applies department statuses the exchange bus delivered to {@code cases.department_status}, oldest first: each
   * row claimed once (across members) and its outcome kept ({@code ok} or the problem code). A REFUSE marks the
   * dispatch REFUSED and is published on the supervision address; any status acknowledges the dispatch.
   */
  public Uni<Integer> applyStatuses() {
    OffsetDateTime now = time(clock.instant());
    return storage.pool().chain(pool -> pool.preparedQuery("UPDATE cases.department_status SET applied_at = $1"
            + " WHERE id IN (SELECT id FROM cases.department_status WHERE applied_at IS NULL ORDER BY arrival"
            + " LIMIT " + STATUS_BATCH + " FOR UPDATE SKIP LOCKED) RETURNING *").execute(Tuple.of(now)))
        .chain(rows -> {
          List<Row> claimed = new ArrayList<>();
          rows.forEach(claimed::add);
          claimed.sort(java.util.Comparator.comparingLong(r -> r.getLong("arrival")));
          Uni<Void> chain = Uni.createFrom().voidItem();
          for (Row r : claimed) {
            chain = chain.chain(() -> applyStatus(r));
          }
          return chain.replaceWith(claimed.size());
        });
  }

  private Uni<Void> applyStatus(Row status) {
    String caseNumber = status.getString("case_number");
    String action = status.getString("action");
    JsonObject detail = status.getValue("detail") instanceof JsonObject d ? d : new JsonObject();
    Origin origin = new Origin("exchange:" + config.dispatch().node(), null, null);
    Uni<Void> applied;
    if (REFUSE.equals(action)) {
      String reason = detail.getString("reason");
      applied = storage.pool().chain(pool -> pool.preparedQuery("UPDATE cases.case_record SET dispatch_state = 'REFUSED',"
              + " dispatch_reason = $2 WHERE case_number = $1 AND dispatch_state IS NOT NULL"
              + " RETURNING case_number, department, item_name").execute(Tuple.of(caseNumber, reason)))
          .map(rows -> {
            if (rows.size() == 0) {
              throw HubError.CASE_NOT_FOUND.exception("No dispatched case numbered " + caseNumber);
            }
            publishDispatch(rows.iterator().next(), "REFUSED", reason);
            return null;
          })
          .call(() -> record(origin, "case.dispatch.refused", caseNumber, new JsonObject().put("reason", reason)))
          .replaceWithVoid();
    } else {
      CaseAction a;
      try {
        a = CaseAction.valueOf(action);
      } catch (IllegalArgumentException e) {
        a = null;
      }
      Instant at = status.getOffsetDateTime("at") == null ? null : status.getOffsetDateTime("at").toInstant();
      applied = transition(caseNumber, new CaseTransition(a, at, status.getString("actor"), detail), origin, true)
          .replaceWithVoid();
    }
    return applied.map(v -> "ok")
        .onFailure().recoverWithItem(e -> e instanceof HubException h ? h.error().code() : HubError.INTERNAL.code())
        .invoke(outcome -> {
          if (!"ok".equals(outcome)) {
            LOG.warn("Department status {} for case {} not applied: {}", status.getString("id"), caseNumber, outcome);
          }
        })
        .chain(outcome -> storage.pool().chain(pool -> pool.preparedQuery("UPDATE cases.department_status SET"
            + " outcome = $2 WHERE id = $1").execute(Tuple.of(status.getString("id"), outcome))))
        .replaceWithVoid();
  }

  private void publishDispatch(Row r, String dispatch, String reason) {
    vertx.eventBus().publish(SUPERVISION_ADDRESS, new JsonObject().put("caseNumber", r.getString("case_number"))
        .put("department", r.getString("department")).put("itemName", r.getString("item_name"))
        .put("dispatch", dispatch).put("reason", reason).put("at", clock.instant().toString()));
  }

  private void applyInBackground() {
    if (!applying.compareAndSet(false, true)) {
      return;
    }
    applyStatuses().eventually(() -> applying.set(false)).subscribe().with(
        n -> {
        },
        e -> LOG.warn("Applying department statuses failed: {}", e.toString()));
  }

  private void sweepInBackground() {
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    sweep().eventually(() -> sweeping.set(false)).subscribe().with(
        s -> {
          if (s.changed() > 0 || s.reminders() > 0) {
            LOG.info("Supervision sweep: {} case(s) changed level, {} reminder(s) sent", s.changed(), s.reminders());
          }
        },
        e -> LOG.warn("Supervision sweep failed: {}", e.toString()));
  }

  @Override
  public Uni<Void> close() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    if (statusTimer >= 0) {
      vertx.cancelTimer(statusTimer);
    }
    MessageConsumer<JsonObject> consumer = progressConsumer;
    return consumer == null ? Uni.createFrom().voidItem() : consumer.unregister();
  }

  // ---- rows -----------------------------------------------------------------------------------------------------

  private static Row only(RowSet<Row> rows, String caseNumber) {
    if (rows.size() == 0) {
      throw HubError.CASE_NOT_FOUND.exception("No case numbered " + caseNumber);
    }
    return rows.iterator().next();
  }

  private CaseRecord record(Row r) {
    Deadlines deadlines = r.getOffsetDateTime("promise_due_at") == null ? null : new Deadlines(
        instant(r, "warning_at"), instant(r, "promise_due_at"), instant(r, "red_at"), instant(r, "legal_due_at"));
    return new CaseRecord(r.getString("case_number"), CaseKind.valueOf(r.getString("kind")), r.getString("item_code"),
        r.getString("item_name"), r.getString("department"), r.getString("region_code"), r.getString("applicant_name"),
        r.getString("masked_id_number"), r.getString("masked_phone"), r.getString("channel"), r.getString("ticket_id"),
        CaseState.valueOf(r.getString("state")), r.getString("state_reason"), r.getString("result_code"),
        r.getLong("fee_fen"), instant(r, "submitted_at"), instant(r, "accepted_at"), instant(r, "closed_at"),
        r.getInteger("promise_days"), r.getInteger("legal_days"), r.getInteger("extension_days"),
        r.getInteger("paused_days"), deadlines, Supervision.valueOf(r.getString("supervision")), r.getBoolean("on_time"),
        r.getString("dispatch_state"));
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime time(Instant at) {
    return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
  }

  /** Sealed to its case and column: copied to another row or column, it no longer opens. */
  private byte[] seal(String value, String caseId, String column) {
    return value == null ? null
        : master.seal(value.getBytes(StandardCharsets.UTF_8), "cases.case_record/" + caseId + "/" + column);
  }

  private String index(String field, String value) {
    return value == null ? null : blind.of(field, value);
  }

  private Uni<Void> record(Origin origin, String action, String target, JsonObject detail) {
    return record(origin, action, target, detail, "ok");
  }

  /** One audit entry per change, after it committed; never holds a personal number. */
  private Uni<Void> record(Origin origin, String action, String target, JsonObject detail, String outcome) {
    return audit.record(new AuditEvent(origin.actor(), action, target, outcome, origin.requestId(),
            origin.remoteAddress(), detail))
        .onFailure().recoverWithItem(e -> {
          LOG.warn("Audit event {} not recorded: {}", action, e.toString());
          return null;
        });
  }
}
