package io.huitong.hub.cases;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.ops.AuditLog;
import io.huitong.config.Secret;
import io.huitong.crypto.seal.SealPackage;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.signing.Signing;
import io.huitong.hub.signing.SigningConfig;
import io.huitong.hub.storage.Migrations;
import io.huitong.hub.storage.ScratchDatabase;
import io.huitong.hub.storage.Storage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The case repository over the machine's PostgreSQL (a fresh database with the cases and ops schemas): every allowed
 * transition moves a case and is recorded, every illegal one is refused and changes nothing; deadlines follow the
 * region's calendar and suspensions; supervision turns yellow then red as an injected clock passes the configured
 * points; acceptance, non-acceptance and correction notices are sealed in the move's transaction and tampering with one
 * shows; progress by case number, ID number and phone, over the API and the event bus.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CasesRepositoryIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final String REGION = "510502000000";
  private static final String ID_NUMBER = "11010519491231002X";
  private static final String PHONE = "13912345678";
  private static final Cases.Origin ORIGIN = new Cases.Origin("operator:it", null, null);

  private final Vertx vertx = Vertx.vertx();
  private final Storage storage = new Storage();
  private final MutableClock clock = new MutableClock(ZonedDateTime.of(2026, 9, 28, 9, 0, 0, 0, ZONE).toInstant());
  private ScratchDatabase database;
  private Signing signing;
  private Cases cases;

  @BeforeAll
  void start() throws Exception {
    database = ScratchDatabase.create("cases", "cases");
    Migrations.migrate(database.location(), "ops");
    Migrations.migrate(database.location(), "signing");
    storage.open(vertx, database.location(), 4);
    CasesConfig config = new CasesConfig("{region}{date}{seq}", 6, ZONE, REGION, 20,
        Map.of(LocalDate.of(2026, 10, 1), false, LocalDate.of(2026, 10, 2), false, LocalDate.of(2026, 10, 5), false,
            LocalDate.of(2026, 10, 6), false, LocalDate.of(2026, 10, 7), false),
        new Deadlines.Rules(2, 3), Duration.ofHours(1), CasesConfig.Dispatch.OFF);
    MasterKey master = MasterKey.of(new byte[16]);
    signing = Signing.start(vertx, storage, master, new SigningConfig(Secret.of(""), "", false,
        "CN=Cases IT CA,O=Huitong,C=CN", Duration.ofDays(30), Duration.ofDays(1)));
    cases = Cases.start(vertx, storage, master, signing, AuditLog.create(storage, "cases-it"), config, clock)
        .await().atMost(LIMIT);
  }

  @AfterAll
  void stop() throws Exception {
    cases.close().await().atMost(LIMIT);
    storage.close().await().atMost(LIMIT);
    vertx.closeAndAwait();
    database.close();
  }

  private CaseRecord submit(CaseKind kind, int promiseDays) {
    return cases.submit(new CaseApplication("11510500MB1234567X0001", "个体工商户设立登记", "SCJGJ", null, kind,
        promiseDays, null, "张三", ID_NUMBER, PHONE, "WINDOW", "T-A012", null), ORIGIN).await().atMost(LIMIT);
  }

  private CaseRecord move(String caseNumber, CaseAction action) {
    return move(caseNumber, action, null);
  }

  private CaseRecord move(String caseNumber, CaseAction action, Instant at) {
    return cases.transition(caseNumber, new CaseTransition(action, at, "staff-007", detail(action)), ORIGIN)
        .await().atMost(LIMIT);
  }

  /** The detail each action needs. */
  private static JsonObject detail(CaseAction action) {
    return switch (action) {
      case NOTIFY_CORRECTION -> new JsonObject().put("reason", "营业执照复印件不清晰")
          .put("materials", new JsonArray().add("营业执照复印件")).put("deadline", "2026-10-20");
      case REJECT, WITHDRAW, TERMINATE, REQUEST_SUPPLEMENT -> new JsonObject().put("reason", "申请人要求");
      case STEP -> new JsonObject().put("stepCode", "SC").put("stepName", "审查").put("opinion", "同意");
      case SUSPEND -> new JsonObject().put("type", "听证").put("reason", "需要听证");
      case EXTEND -> new JsonObject().put("days", 5);
      case CLOSE -> new JsonObject().put("resultCode", "6").put("feeFen", 5000);
      default -> new JsonObject();
    };
  }

  /** A way from SUBMITTED to each state. */
  private static List<CaseAction> pathTo(CaseState state) {
    return switch (state) {
      case SUBMITTED -> List.of();
      case PRE_REVIEW -> List.of(CaseAction.START_PRE_REVIEW);
      case PENDING_ACCEPT -> List.of(CaseAction.RECEIVE);
      case CORRECTION_REQUIRED -> List.of(CaseAction.RECEIVE, CaseAction.NOTIFY_CORRECTION);
      case ACCEPTED -> List.of(CaseAction.ACCEPT);
      case IN_PROCESS -> List.of(CaseAction.ACCEPT, CaseAction.STEP);
      case SUPPLEMENTING -> List.of(CaseAction.ACCEPT, CaseAction.REQUEST_SUPPLEMENT);
      case SUSPENDED -> List.of(CaseAction.ACCEPT, CaseAction.SUSPEND);
      case CLOSED -> List.of(CaseAction.ACCEPT, CaseAction.CLOSE);
      case DELIVERED -> List.of(CaseAction.ACCEPT, CaseAction.CLOSE, CaseAction.DELIVER);
      case NOT_ACCEPTED -> List.of(CaseAction.REJECT);
      case CLOSED_NO_CORRECTION -> List.of(CaseAction.RECEIVE, CaseAction.NOTIFY_CORRECTION, CaseAction.CORRECTION_LAPSED);
      case WITHDRAWN -> List.of(CaseAction.WITHDRAW);
      case TERMINATED -> List.of(CaseAction.TERMINATE);
    };
  }

  private CaseRecord caseIn(CaseState state) {
    CaseRecord c = submit(CaseKind.PROMISED, 5);
    for (CaseAction a : pathTo(state)) {
      c = move(c.caseNumber(), a);
    }
    assertEquals(state, c.state());
    return c;
  }

  @Test
  void everyAllowedTransitionMovesTheCaseAndIsRecorded() throws Exception {
    for (String move : CaseActionTest.ALLOWED) {
      String[] p = move.split(" ");
      CaseRecord before = caseIn(CaseState.valueOf(p[0]));
      CaseRecord after = move(before.caseNumber(), CaseAction.valueOf(p[1]));
      assertEquals(CaseState.valueOf(p[2]), after.state(), move);
      List<CaseEvent> events = cases.events(before.caseNumber()).await().atMost(LIMIT);
      CaseEvent last = events.get(events.size() - 1);
      assertEquals(p[1], last.action(), move);
      assertEquals(CaseState.valueOf(p[0]), last.from(), move);
      assertEquals(CaseState.valueOf(p[2]), last.to(), move);
      assertEquals("staff-007", last.actor());
      assertEquals(pathTo(CaseState.valueOf(p[0])).size() + 2, events.size(), move);
      long earlier = pathTo(CaseState.valueOf(p[0])).stream().filter(a -> a.name().equals(p[1])).count();
      assertEquals(earlier + 1, count("SELECT count(*) FROM ops.audit_log WHERE target = '" + before.caseNumber()
          + "' AND action = 'case." + p[1].toLowerCase() + "' AND outcome = 'ok'"), move);
      List<CaseAction> done = new ArrayList<>(pathTo(CaseState.valueOf(p[0])));
      done.add(CaseAction.valueOf(p[1]));
      assertEquals(done.stream().map(CaseReceipt.Kind::of).filter(java.util.Objects::nonNull).toList(),
          cases.receipts(before.caseNumber()).await().atMost(LIMIT).stream().map(CaseReceipt::kind).toList(),
          move + ": a sealed notice for each acceptance, non-acceptance and correction notice, and nothing else");
    }
  }

  @Test
  void everyIllegalTransitionIsRefusedAndChangesNothing() throws Exception {
    for (CaseState state : CaseState.values()) {
      CaseRecord c = caseIn(state);
      int events = cases.events(c.caseNumber()).await().atMost(LIMIT).size();
      int receipts = cases.receipts(c.caseNumber()).await().atMost(LIMIT).size();
      for (CaseAction action : CaseAction.values()) {
        if (CaseActionTest.TARGETS.containsKey(state + " " + action)) {
          continue;
        }
        HubException e = assertThrows(HubException.class, () -> move(c.caseNumber(), action));
        assertEquals(HubError.CASE_TRANSITION, e.error(), state + " " + action);
        assertEquals(state.name(), e.extensions().get("from"));
        assertEquals(action.target().name(), e.extensions().get("to"));
      }
      assertEquals(state, cases.find(c.caseNumber()).await().atMost(LIMIT).state());
      assertEquals(events, cases.events(c.caseNumber()).await().atMost(LIMIT).size());
      assertEquals(receipts, cases.receipts(c.caseNumber()).await().atMost(LIMIT).size());
    }
  }

  @Test
  void closingRecordsResultFeeAndWhetherItWasOnTime() {
    CaseRecord c = caseIn(CaseState.IN_PROCESS);
    CaseRecord closed = move(c.caseNumber(), CaseAction.CLOSE);
    assertEquals("6", closed.resultCode());
    assertEquals(5000L, closed.feeFen());
    assertEquals(Boolean.TRUE, closed.onTime());
    assertEquals("T-A012", closed.ticketId());
    assertTrue(closed.caseNumber().matches(REGION + "20260928\\d{6,}"), closed.caseNumber());
    HubException bad = assertThrows(HubException.class, () -> cases.transition(caseIn(CaseState.ACCEPTED).caseNumber(),
        new CaseTransition(CaseAction.CLOSE, null, null, new JsonObject().put("resultCode", "3")), ORIGIN)
        .await().atMost(LIMIT));
    assertEquals(HubError.CASE_INPUT_INVALID, bad.error());
  }

  @Test
  void anImmediateCaseIsSubmittedAcceptedAndClosedInOneCallOrNotAtAll() throws Exception {
    CaseApplication application = new CaseApplication("ITEM-IMMEDIATE", "居民身份证挂失", "GAJ", null,
        CaseKind.IMMEDIATE, 0, null, "王五", null, null, "WINDOW", null, null);
    CaseRecord c = cases.submit(application, List.of(new CaseTransition(CaseAction.ACCEPT, null, "staff-1", null),
        new CaseTransition(CaseAction.CLOSE, null, "staff-1", new JsonObject().put("resultCode", "0"))), ORIGIN)
        .await().atMost(LIMIT);
    assertEquals(CaseState.CLOSED, c.state());
    assertEquals(Boolean.TRUE, c.onTime());
    assertEquals(List.of("ACCEPT", "CLOSE"), cases.events(c.caseNumber()).await().atMost(LIMIT).stream()
        .skip(1).map(CaseEvent::action).toList());

    assertEquals(List.of(CaseReceipt.Kind.ACCEPTANCE), cases.receipts(c.caseNumber()).await().atMost(LIMIT).stream()
        .map(CaseReceipt::kind).toList(), "an immediate case gets its acceptance receipt too");

    long before = count("SELECT count(*) FROM cases.case_record");
    long receipts = count("SELECT count(*) FROM cases.case_receipt");
    HubException e = assertThrows(HubException.class, () -> cases.submit(application,
        List.of(new CaseTransition(CaseAction.CLOSE, null, null, new JsonObject().put("resultCode", "0"))), ORIGIN)
        .await().atMost(LIMIT));
    assertEquals(HubError.CASE_TRANSITION, e.error());
    assertEquals(before, count("SELECT count(*) FROM cases.case_record"), "a refused move refuses the submission");
    assertEquals(receipts, count("SELECT count(*) FROM cases.case_receipt"));
  }

  @Test
  void correctionAcceptanceAndNonAcceptanceNoticesAreSealedAndTamperingShows() throws Exception {
    CaseRecord c = caseIn(CaseState.CORRECTION_REQUIRED);
    move(c.caseNumber(), CaseAction.RESUBMIT);
    CaseRecord accepted = move(c.caseNumber(), CaseAction.ACCEPT);
    List<CaseReceipt> notices = cases.receipts(c.caseNumber()).await().atMost(LIMIT);
    assertEquals(List.of(CaseReceipt.Kind.CORRECTION, CaseReceipt.Kind.ACCEPTANCE),
        notices.stream().map(CaseReceipt::kind).toList());

    JsonObject correction = new JsonObject(new String(notices.get(0).document(), StandardCharsets.UTF_8));
    assertEquals("一次性补正告知书", correction.getString("title"));
    assertEquals("BZ-" + c.caseNumber() + "-3", notices.get(0).receiptNumber());
    assertEquals(notices.get(0).receiptNumber(), correction.getString("receiptNumber"));
    assertEquals(new JsonArray().add("营业执照复印件"), correction.getJsonArray("materials"));
    assertEquals("营业执照复印件不清晰", correction.getString("reason"));
    assertEquals("2026-10-20", correction.getString("correctBy"));

    JsonObject acceptance = new JsonObject(new String(notices.get(1).document(), StandardCharsets.UTF_8));
    assertEquals("受理回执", acceptance.getString("title"));
    assertEquals(c.caseNumber(), acceptance.getString("caseNumber"));
    assertEquals("staff-007", acceptance.getString("issuedBy"));
    assertEquals(accepted.deadlines().promiseDueAt(), java.time.OffsetDateTime.parse(acceptance.getString("promisedDueAt")).toInstant());
    assertEquals(accepted.deadlines().legalDueAt(), java.time.OffsetDateTime.parse(acceptance.getString("legalDueAt")).toInstant());
    assertTrue(acceptance.getString("promisedDueAt").endsWith("+08:00"), "printed in the hub's zone");
    assertEquals(accepted.maskedIdNumber(), acceptance.getString("maskedIdNumber"));
    String text = new String(notices.get(1).document(), StandardCharsets.UTF_8);
    assertFalse(text.contains(ID_NUMBER) || text.contains(PHONE), "no personal number in clear on a notice");

    for (CaseReceipt r : notices) {
      assertTrue(r.check().valid(), r.receiptNumber());
      // Checked again without the hub: the package's own signature, its digest of the bytes, the hub CA's issue.
      SealPackage p = SealPackage.parse(r.seal());
      assertTrue(p.signatureValid());
      assertTrue(p.matches(r.document()));
      assertEquals("汇通政务服务受理专用章", p.sealName());
      assertTrue(p.signer().signedBy(signing.pki().authority().await().atMost(LIMIT).publicKey()));
    }

    execute("UPDATE cases.case_receipt SET document = convert_to(replace(convert_from(document, 'UTF8'), '营业执照',"
        + " '身份证'), 'UTF8') WHERE receipt_number = '" + notices.get(0).receiptNumber() + "'");
    CaseReceipt tampered = cases.receipts(c.caseNumber()).await().atMost(LIMIT).get(0);
    assertFalse(tampered.check().documentIntact());
    assertFalse(tampered.check().valid());
    assertTrue(tampered.check().signatureValid(), "the seal itself is untouched; the document no longer matches it");

    // A crash between the move's commit and its sealing leaves the notice unsealed: reading it seals it.
    execute("UPDATE cases.case_receipt SET seal = NULL WHERE receipt_number = '" + notices.get(1).receiptNumber() + "'");
    CaseReceipt healed = cases.receipts(c.caseNumber()).await().atMost(LIMIT).get(1);
    assertTrue(healed.valid(), "sealed on reading");
    assertFalse(java.util.Arrays.equals(notices.get(1).seal(), healed.seal()), "a new seal over the same document");
    assertArrayEquals(notices.get(1).document(), healed.document());

    CaseRecord rejected = caseIn(CaseState.NOT_ACCEPTED);
    CaseReceipt notice = cases.receipts(rejected.caseNumber()).await().atMost(LIMIT).get(0);
    JsonObject n = new JsonObject(new String(notice.document(), StandardCharsets.UTF_8));
    assertEquals(CaseReceipt.Kind.NON_ACCEPTANCE, notice.kind());
    assertEquals("不予受理通知书", n.getString("title"));
    assertEquals("申请人要求", n.getString("reason"));
    assertTrue(n.getString("remedy").contains("行政复议"), "the notice tells the applicant how to challenge it");
    assertTrue(notice.check().valid());

    HubException none = assertThrows(HubException.class, () -> cases.receipts("NO-SUCH-CASE").await().atMost(LIMIT));
    assertEquals(HubError.CASE_NOT_FOUND, none.error());
  }

  @Test
  void deadlinesFollowTheRegionsCalendarAndPauseWhileSuspended() {
    // Saturday 10 October is a make-up workday in this region only (the holidays come from the configuration).
    cases.setCalendarDay(REGION, LocalDate.of(2026, 10, 10), true, "国庆调休", ORIGIN).await().atMost(LIMIT);
    try {
      Instant accepted = ZonedDateTime.of(2026, 9, 30, 10, 0, 0, 0, ZONE).toInstant();
      CaseRecord c = submit(CaseKind.PROMISED, 3);
      c = move(c.caseNumber(), CaseAction.ACCEPT, accepted);
      // 8 (Thu), 9 (Fri), 10 (make-up Saturday): due at the end of 10 October.
      assertEquals(ZonedDateTime.of(2026, 10, 11, 0, 0, 0, 0, ZONE).toInstant(), c.deadlines().promiseDueAt());
      move(c.caseNumber(), CaseAction.SUSPEND, ZonedDateTime.of(2026, 10, 8, 15, 0, 0, 0, ZONE).toInstant());
      c = move(c.caseNumber(), CaseAction.RESUME, ZonedDateTime.of(2026, 10, 12, 9, 0, 0, 0, ZONE).toInstant());
      // 8, 9 and 10 October paused: three more working days, 12, 13 and 14 October.
      assertEquals(3, c.pausedDays());
      assertEquals(ZonedDateTime.of(2026, 10, 15, 0, 0, 0, 0, ZONE).toInstant(), c.deadlines().promiseDueAt());
      c = move(c.caseNumber(), CaseAction.EXTEND, ZonedDateTime.of(2026, 10, 12, 10, 0, 0, 0, ZONE).toInstant());
      assertEquals(5, c.extensionDays());
      assertEquals(ZonedDateTime.of(2026, 10, 22, 0, 0, 0, 0, ZONE).toInstant(), c.deadlines().promiseDueAt());
      assertEquals(Map.of(LocalDate.of(2026, 10, 1), false, LocalDate.of(2026, 10, 2), false,
              LocalDate.of(2026, 10, 5), false, LocalDate.of(2026, 10, 6), false, LocalDate.of(2026, 10, 7), false,
              LocalDate.of(2026, 10, 10), true),
          cases.calendar(REGION, 2026).await().atMost(LIMIT));
    } finally {
      cases.setCalendarDay(REGION, LocalDate.of(2026, 10, 10), null, null, ORIGIN).await().atMost(LIMIT);
    }
  }

  @Test
  void anOverdueCaseTurnsYellowThenRedAndRemindersGoOut() throws Exception {
    List<JsonObject> levels = new CopyOnWriteArrayList<>();
    List<JsonObject> reminders = new CopyOnWriteArrayList<>();
    var levelConsumer = vertx.eventBus().<JsonObject>consumer(Cases.SUPERVISION_ADDRESS).handler(m -> levels.add(m.body()));
    var reminderConsumer = vertx.eventBus().<JsonObject>consumer(Cases.REMINDER_ADDRESS).handler(m -> reminders.add(m.body()));
    Instant start = clock.instant();
    try {
      clock.set(ZonedDateTime.of(2026, 11, 2, 9, 0, 0, 0, ZONE).toInstant());
      cases.sweep().await().atMost(LIMIT);
      CaseRecord c = move(submit(CaseKind.PROMISED, 3).caseNumber(), CaseAction.ACCEPT);
      String number = c.caseNumber();
      Deadlines d = c.deadlines();
      // Accepted Monday 2 November: due end of Thursday 5th, warning from end of Tuesday 3rd, red from end of 10th.
      assertEquals(ZonedDateTime.of(2026, 11, 6, 0, 0, 0, 0, ZONE).toInstant(), d.promiseDueAt());
      assertEquals(ZonedDateTime.of(2026, 11, 4, 0, 0, 0, 0, ZONE).toInstant(), d.warningAt());
      assertEquals(ZonedDateTime.of(2026, 11, 11, 0, 0, 0, 0, ZONE).toInstant(), d.redAt());

      assertEquals(Supervision.NORMAL, sweepAndRead(number, d.warningAt().minusSeconds(1)));
      assertEquals(Supervision.WARNING, sweepAndRead(number, d.warningAt()));
      assertEquals(Supervision.YELLOW, sweepAndRead(number, d.promiseDueAt().plusSeconds(60)));
      assertEquals(Supervision.YELLOW, sweepAndRead(number, d.redAt().minusSeconds(1)));
      assertEquals(Supervision.RED, sweepAndRead(number, d.redAt()));
      assertEquals(Supervision.RED, sweepAndRead(number, d.legalDueAt().plusSeconds(1)));

      waitFor(() -> levels.stream()
          .filter(l -> number.equals(l.getString("caseNumber"))).count() == 3);
      List<String> seen = levels.stream().filter(l -> number.equals(l.getString("caseNumber")))
          .map(l -> l.getString("from") + ">" + l.getString("to")).toList();
      assertEquals(List.of("NORMAL>WARNING", "WARNING>YELLOW", "YELLOW>RED"), seen);
      waitFor(() -> reminders.stream()
          .filter(r -> number.equals(r.getString("caseNumber"))).count() == 3);
      assertEquals(List.of("WARNING", "PROMISED", "LEGAL"), reminders.stream()
          .filter(r -> number.equals(r.getString("caseNumber"))).map(r -> r.getString("kind")).toList());
      assertEquals(3, count("SELECT count(*) FROM cases.reminder r JOIN cases.case_record c ON c.id = r.case_id"
          + " WHERE c.case_number = '" + number + "'"));

      // Suspended, the clock stops and the sweep leaves the case alone.
      CaseRecord other = move(submit(CaseKind.PROMISED, 3).caseNumber(), CaseAction.ACCEPT);
      move(other.caseNumber(), CaseAction.SUSPEND);
      assertEquals(Supervision.NORMAL, sweepAndRead(other.caseNumber(), clock.instant().plus(Duration.ofDays(60))));
    } finally {
      levelConsumer.unregisterAndAwait();
      reminderConsumer.unregisterAndAwait();
      clock.set(start);
    }
  }

  /** Event-bus deliveries are asynchronous: wait, generously, for what was published to arrive. */
  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not delivered within 30 s");
      }
      Thread.sleep(50);
    }
  }

  private Supervision sweepAndRead(String caseNumber, Instant at) {
    clock.set(at);
    cases.sweep().await().atMost(LIMIT);
    return cases.find(caseNumber).await().atMost(LIMIT).supervision();
  }

  @Test
  void anApplicantsCasesAreFoundByTheirIdNumberOrPhoneAndNoOneElses() {
    CaseRecord mine = submit(CaseKind.PROMISED, 5);
    CaseRecord theirs = cases.submit(new CaseApplication("11510500MB1234567X0001", "个体工商户设立登记", "SCJGJ", null,
        CaseKind.PROMISED, 5, null, "李四", "110105198001010016", "13900009999", "WINDOW", null, null), ORIGIN)
        .await().atMost(LIMIT);
    // Other tests submit many cases for the same applicant: the newest 50 need not hold this one.
    assertFalse(cases.applicantCases(ID_NUMBER, null, null).await().atMost(LIMIT).stream()
        .anyMatch(c -> c.caseNumber().equals(theirs.caseNumber())));
    assertEquals(List.of(theirs.caseNumber()), cases.applicantCases("110105198001010016", null, null)
        .await().atMost(LIMIT).stream().map(CaseRecord::caseNumber).toList());
    assertEquals(List.of(mine.caseNumber()), cases.applicantCases(ID_NUMBER, null, mine.caseNumber())
        .await().atMost(LIMIT).stream().map(CaseRecord::caseNumber).toList());
    assertEquals(List.of(mine.caseNumber()), cases.applicantCases(null, PHONE, mine.caseNumber()).await().atMost(LIMIT)
        .stream().map(CaseRecord::caseNumber).toList());
    assertEquals(List.of(), cases.applicantCases(ID_NUMBER, PHONE, theirs.caseNumber()).await().atMost(LIMIT));
    assertEquals(List.of(), cases.applicantCases(null, null, mine.caseNumber()).await().atMost(LIMIT),
        "an account without numbers has no cases");
  }

  @Test
  void progressByCaseNumberIdNumberAndPhoneOverTheApiAndTheEventBus() throws Exception {
    String idNumber = "110105194912310029";
    CaseRecord c = cases.submit(new CaseApplication("ITEM-PROGRESS", "社会保障卡申领", "RSJ", null, CaseKind.PROMISED, 5,
        null, "李四", idNumber.substring(0, 17) + checkOf(idNumber), "+86 139 0000 1111", "KIOSK", null, null), ORIGIN)
        .await().atMost(LIMIT);
    assertEquals("139****1111", c.maskedPhone());
    assertEquals(1, cases.progress(null, null, "13900001111").await().atMost(LIMIT).size());
    assertEquals(c.caseNumber(), cases.progress(c.caseNumber(), null, null).await().atMost(LIMIT).get(0).caseNumber());
    assertFalse(cases.progress(null, ID_NUMBER, null).await().atMost(LIMIT).isEmpty());
    assertThrows(HubException.class, () -> cases.progress(null, null, null).await().atMost(LIMIT));

    JsonObject reply = vertx.eventBus().<JsonObject>request(Cases.PROGRESS_ADDRESS,
        new JsonObject().put("phone", "13900001111")).await().atMost(LIMIT).body();
    JsonObject one = reply.getJsonArray("cases").getJsonObject(0);
    assertEquals(c.caseNumber(), one.getString("caseNumber"));
    assertEquals("社会保障卡申领", one.getString("itemName"));
    assertEquals("RSJ", one.getString("department"));
    assertEquals("SUBMITTED", one.getString("state"));
    assertEquals("NORMAL", one.getString("supervision"));
    assertNull(one.getValue("promisedDueAt"));

    // Sealed, not stored in clear.
    try (Connection conn = database.connect(); Statement s = conn.createStatement();
         ResultSet rows = s.executeQuery("SELECT phone_sealed FROM cases.case_record WHERE case_number = '"
             + c.caseNumber() + "'")) {
      assertTrue(rows.next());
      assertFalse(new String(rows.getBytes(1), StandardCharsets.ISO_8859_1).contains("13900001111"));
    }
  }

  private static char checkOf(String id) {
    int[] w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    char[] check = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (id.charAt(i) - '0') * w[i];
    }
    return check[sum % 11];
  }

  private void execute(String sql) throws Exception {
    try (Connection conn = database.connect(); Statement s = conn.createStatement()) {
      s.execute(sql);
    }
  }

  private long count(String sql) throws Exception {
    try (Connection conn = database.connect(); Statement s = conn.createStatement(); ResultSet rows = s.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;

    MutableClock(Instant start) {
      this.now = new AtomicReference<>(start);
    }

    void set(Instant at) {
      now.set(at);
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
