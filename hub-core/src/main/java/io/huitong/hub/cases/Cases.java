package io.huitong.hub.cases;

import io.huitong.hub.cases.impl.PgCases;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.signing.Signing;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/**
 * The case capability (办件): submission with a unified case number, the state machine of {@link CaseAction},
 * working-day deadlines and electronic supervision, progress queries and monthly statistics. Every change is a case
 * event and an audit entry. Publishes supervision changes on {@link #SUPERVISION_ADDRESS} and reminders on
 * {@link #REMINDER_ADDRESS}; answers progress queries on {@link #PROGRESS_ADDRESS}.
 */
public interface Cases {
  /** Published {@code {caseNumber, department, itemName, from, to, promisedDueAt, legalDueAt, at}} on each change. */
  String SUPERVISION_ADDRESS = "huitong.cases.supervision";
  /** Published {@code {caseNumber, department, itemName, kind: WARNING|PROMISED|LEGAL, dueAt, at}} once per deadline reached. */
  String REMINDER_ADDRESS = "huitong.cases.reminders";
  /** Request {@code {caseNumber}}, {@code {idNumber}} or {@code {phone}}; reply {@code {cases: [...]}}. */
  String PROGRESS_ADDRESS = "huitong.cases.progress";

  /** Who acts, for the audit log. */
  record Origin(String actor, String requestId, String remoteAddress) {
    public static final Origin INTERNAL = new Origin("system", null, null);
  }

  /** What one supervision sweep changed. */
  record Sweep(Instant at, int changed, int reminders) {
  }

  /**
   * Opens a case in SUBMITTED with a new case number and applies {@code then}, in order, in the same transaction:
   * an immediate case (即办件) is submitted, accepted and closed in one visit and one call. Any move refused
   * refuses the whole submission.
   */
  Uni<CaseRecord> submit(CaseApplication application, List<CaseTransition> then, Origin origin);

  /** Opens a case in SUBMITTED with a new case number. */
  default Uni<CaseRecord> submit(CaseApplication application, Origin origin) {
    return submit(application, List.of(), origin);
  }

  /** Applies one move; 409 HT-CASE-TRANSITION when the state does not allow it, 404 when there is no such case. */
  Uni<CaseRecord> transition(String caseNumber, CaseTransition transition, Origin origin);

  /** The case; 404 HT-CASE-NOT-FOUND when there is none. */
  Uni<CaseRecord> find(String caseNumber);

  /**
   * The sealed notices issued for the case (acceptance receipt, non-acceptance notice, correction notices), oldest
   * first, each seal verified over its stored document; 404 HT-CASE-NOT-FOUND when there is no such case.
   */
  Uni<List<CaseReceipt>> receipts(String caseNumber);

  /** The case's history, oldest first. */
  Uni<List<CaseEvent>> events(String caseNumber);

  /** Cases by case number, ID number or phone (exactly one given), newest first, at most 50. */
  Uni<List<CaseRecord>> progress(String caseNumber, String idNumber, String phone);

  /**
   * The cases of one applicant, found by their ID number or their phone (either may be null), newest first, at most
   * 50; with {@code caseNumber}, only that case when it is theirs (else an empty list).
   */
  Uni<List<CaseRecord>> applicantCases(String idNumber, String phone, String caseNumber);

  /** Records {@code count} consultations (咨询) at a department, one visit or a period's tally, for the statistics. */
  Uni<Void> consult(String department, String regionCode, Instant at, int count, Origin origin);

  /** The month's report, for one region or (null) all. */
  Uni<MonthlyStatistics> statistics(YearMonth month, String regionCode);

  /** The calendar overrides of a region ({@code all}: every region) in a year: configured, then stored. */
  Uni<Map<LocalDate, Boolean>> calendar(String region, int year);

  /** Sets ({@code working} true or false) or removes (null) a region's calendar day; open cases keep their deadlines. */
  Uni<Void> setCalendarDay(String region, LocalDate day, Boolean working, String note, Origin origin);

  /** Recomputes supervision and sends due reminders now (the periodic sweep does this every sweep-interval). */
  Uni<Sweep> sweep();

  Uni<Void> close();

  static Uni<Cases> start(Vertx vertx, Storage storage, MasterKey master, Signing signing, AuditLog audit,
                          CasesConfig config, Clock clock) {
    return PgCases.start(vertx, storage, master, signing, audit, config, clock);
  }
}
