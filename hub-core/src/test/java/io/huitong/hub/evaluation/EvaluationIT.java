package io.huitong.hub.evaluation;

import static io.huitong.hub.http.HubErrors.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.hub.MovableClock;
import io.huitong.hub.evaluation.Evaluations.Channel;
import io.huitong.hub.evaluation.Evaluations.Dimension;
import io.huitong.hub.evaluation.Evaluations.Evaluation;
import io.huitong.hub.evaluation.Evaluations.Invitation;
import io.huitong.hub.evaluation.Evaluations.Rectification;
import io.huitong.hub.evaluation.Evaluations.RectificationState;
import io.huitong.hub.evaluation.Evaluations.Statistic;
import io.huitong.hub.evaluation.Evaluations.Submission;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Evaluations against the machine's PostgreSQL (a fresh database) and a clock the test moves: ratings from each
 * channel, the one-rating-per-case rule, SMS replies matched through invitations, rectification tasks and their
 * deadline, statistics and the event-bus address evaluator devices use.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluationIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final Origin ORIGIN = new Origin("test", null, null);

  private final Vertx vertx = Vertx.vertx();
  private final Storage storage = new Storage();
  private final MovableClock now = new MovableClock(Instant.parse("2030-05-06T02:00:00Z"));
  private final AtomicInteger cases = new AtomicInteger();
  private ScratchDatabase database;
  private Evaluations evaluations;

  @BeforeAll
  void start() throws Exception {
    database = ScratchDatabase.create("evaluation", "evaluation");
    Migrations.migrate(database.location(), "ops");
    storage.open(vertx, database.location(), 4);
    evaluations = Evaluations.start(vertx, storage, MasterKey.of(new byte[16]), AuditLog.create(storage, "evaluation-it"),
        new EvaluationConfig(2, Duration.ofDays(5), Duration.ofDays(7)), now).await().atMost(LIMIT);
  }

  @AfterAll
  void stop() throws Exception {
    evaluations.close().await().atMost(LIMIT);
    storage.close().await().atMost(LIMIT);
    vertx.closeAndAwait();
    database.close();
  }

  @Test
  void aCaseIsRatedOnceAndOnlyWithValidFields() {
    String c = caseNumber();
    Evaluation e = evaluations.submit(rating(c, 5, "w-01", "staff-a"), ORIGIN).await().atMost(LIMIT);
    assertEquals(5, e.rating());
    assertNull(e.rectificationId());
    assertFails("HT-EVALUATION-EXISTS", evaluations.submit(rating(c, 1, "w-01", "staff-a"), ORIGIN));
    assertFails("HT-EVALUATION-INVALID", evaluations.submit(rating(caseNumber(), 0, "w-01", "staff-a"), ORIGIN));
    assertFails("HT-EVALUATION-INVALID", evaluations.submit(rating(caseNumber(), 6, "w-01", "staff-a"), ORIGIN));
    assertFails("HT-EVALUATION-INVALID", evaluations.submit(rating("bad case/1", 3, "w-01", "staff-a"), ORIGIN));
    // No invitation and no window: nothing to link the rating to.
    assertFails("HT-EVALUATION-INVALID", evaluations.submit(rating(caseNumber(), 3, null, "staff-a"), ORIGIN));
    assertFails("HT-EVALUATION-INVALID", evaluations.submit(new Submission(caseNumber(), 3, "x".repeat(501),
        Channel.PORTAL, null, "w-01", "staff-a", "dept", null), ORIGIN));
  }

  @Test
  void twoDevicesRatingOneCaseAtOnceLeaveOneRating() {
    String c = caseNumber();
    List<String> outcomes = Uni.join().all(
            evaluations.submit(rating(c, 4, "w-02", "staff-b"), ORIGIN).map(e -> "ok")
                .onFailure(HubException.class).recoverWithItem(e -> ((HubException) e).error().code()),
            evaluations.submit(rating(c, 1, "w-02", "staff-b"), ORIGIN).map(e -> "ok")
                .onFailure(HubException.class).recoverWithItem(e -> ((HubException) e).error().code()))
        .andFailFast().await().atMost(LIMIT);
    assertEquals(List.of("HT-EVALUATION-EXISTS", "ok"), outcomes.stream().sorted().toList());
  }

  @Test
  void anSmsReplyRatesTheLatestInvitedCaseOfItsPhone() {
    String older = caseNumber();
    String latest = caseNumber();
    evaluations.invite(new Invitation(older, "hall-1", "w-03", "staff-c", "dept-sms", "13900002000"), ORIGIN).await().atMost(LIMIT);
    now.set(now.instant().plusSeconds(60));
    evaluations.invite(new Invitation(latest, "hall-1", "w-04", "staff-d", "dept-sms", "+86 139 0000 2000"), ORIGIN)
        .await().atMost(LIMIT);
    Evaluation e = evaluations.submitSms("13900002000", " ２ 排队太久", ORIGIN).await().atMost(LIMIT);
    assertEquals(latest, e.caseNumber());
    assertEquals(2, e.rating());
    assertEquals("排队太久", e.comment());
    assertEquals(Channel.SMS, e.channel());
    assertEquals("w-04", e.window());
    assertEquals("staff-d", e.staff());
    assertNotNull(e.rectificationId());
    // The next reply rates the case still open; then there is none.
    assertEquals(older, evaluations.submitSms("13900002000", "5", ORIGIN).await().atMost(LIMIT).caseNumber());
    assertFails("HT-INVITATION-NOT-FOUND", evaluations.submitSms("13900002000", "4", ORIGIN));
    assertFails("HT-EVALUATION-EXISTS", evaluations.invite(new Invitation(latest, null, "w-04", "staff-d", "dept-sms", null), ORIGIN));
    assertFails("HT-EVALUATION-INVALID", evaluations.submitSms("13900002000", "好评", ORIGIN));
    assertFails("HT-PHONE-INVALID", evaluations.submitSms("12345", "5", ORIGIN));

    String stale = caseNumber();
    evaluations.invite(new Invitation(stale, null, "w-04", "staff-d", "dept-sms", "13900002001"), ORIGIN).await().atMost(LIMIT);
    now.set(now.instant().plus(Duration.ofDays(8)));
    assertFails("HT-INVITATION-NOT-FOUND", evaluations.submitSms("13900002001", "5", ORIGIN));
    // A device rating the case still links it through the invitation.
    Evaluation byDevice = evaluations.submit(new Submission(stale, 3, null, Channel.EVALUATOR, null, null, null, null, "pad-7"),
        ORIGIN).await().atMost(LIMIT);
    assertEquals("w-04", byDevice.window());
    assertEquals("pad-7", byDevice.deviceId());
  }

  @Test
  void aBadRatingOpensARectificationThatIsHandledReviewedAndClosed() {
    String c = caseNumber();
    Instant rated = now.instant();
    Evaluation e = evaluations.submit(rating(c, 1, "w-05", "staff-e"), ORIGIN).await().atMost(LIMIT);
    Rectification task = task(e.rectificationId());
    assertEquals(RectificationState.OPEN, task.state());
    assertEquals(rated.plus(Duration.ofDays(5)), task.dueAt());
    assertFalse(task.overdue());

    Origin handler = new Origin("operator:li", null, null);
    assertFails("HT-RECTIFICATION-STATE", evaluations.close(task.id(), "done", handler));
    assertFails("HT-EVALUATION-INVALID", evaluations.handle(task.id(), " ", handler));
    assertFails("HT-RECTIFICATION-NOT-FOUND", evaluations.handle("no-such-task", "done", handler));
    Rectification handled = evaluations.handle(task.id(), "窗口人员已培训", handler).await().atMost(LIMIT);
    assertEquals(RectificationState.HANDLED, handled.state());
    assertEquals("operator:li", handled.handledBy());
    assertFails("HT-RECTIFICATION-STATE", evaluations.handle(task.id(), "again", handler));
    Rectification reopened = evaluations.reopen(task.id(), "回访不满意", handler).await().atMost(LIMIT);
    assertEquals(RectificationState.OPEN, reopened.state());
    assertEquals("回访不满意", reopened.reopening());
    assertNull(reopened.handledAt());
    evaluations.handle(task.id(), "已重新办理", handler).await().atMost(LIMIT);
    Rectification closed = evaluations.close(task.id(), "回访满意", new Origin("operator:wang", null, null)).await().atMost(LIMIT);
    assertEquals(RectificationState.CLOSED, closed.state());
    assertEquals("operator:wang", closed.closedBy());
    assertFails("HT-RECTIFICATION-STATE", evaluations.reopen(task.id(), "no", handler));
  }

  @Test
  void anUnhandledTaskPastItsDeadlineIsOverdue() {
    Evaluation late = evaluations.submit(rating(caseNumber(), 2, "w-06", "staff-f"), ORIGIN).await().atMost(LIMIT);
    Evaluation onTime = evaluations.submit(rating(caseNumber(), 2, "w-06", "staff-f"), ORIGIN).await().atMost(LIMIT);
    evaluations.handle(onTime.rectificationId(), "done", ORIGIN).await().atMost(LIMIT);
    Instant saved = now.instant();
    try {
      now.set(saved.plus(Duration.ofDays(5)).plusSeconds(1));
      List<String> overdue = evaluations.rectifications(null, true, 1000).await().atMost(LIMIT).stream()
          .map(Rectification::id).toList();
      assertTrue(overdue.contains(late.rectificationId()));
      assertFalse(overdue.contains(onTime.rectificationId()));
      assertTrue(task(late.rectificationId()).overdue());
      // Handled after the deadline: still counted as overdue.
      evaluations.handle(late.rectificationId(), "late", ORIGIN).await().atMost(LIMIT);
      assertTrue(task(late.rectificationId()).overdue());
      assertTrue(evaluations.rectifications(RectificationState.HANDLED, true, 1000).await().atMost(LIMIT).stream()
          .anyMatch(r -> r.id().equals(late.rectificationId())));
    } finally {
      now.set(saved);
    }
  }

  @Test
  void statisticsCountRatingsAndSatisfactionPerWindowStaffAndDepartment() {
    Instant from = now.instant().plus(Duration.ofDays(100));
    now.set(from);
    int[][] ratings = {{5, 5, 4, 2}, {3, 1}};
    for (int w = 0; w < ratings.length; w++) {
      for (int r : ratings[w]) {
        evaluations.submit(new Submission(caseNumber(), r, null, Channel.EVALUATOR, null, "stat-w" + w, "stat-s" + w,
            "stat-dept", null), ORIGIN).await().atMost(LIMIT);
      }
    }
    Instant to = from.plusSeconds(1);
    Map<String, Statistic> byWindow = evaluations.statistics(Dimension.WINDOW, from, to).await().atMost(LIMIT).stream()
        .collect(Collectors.toMap(Statistic::key, s -> s));
    Statistic w0 = byWindow.get("stat-w0");
    assertEquals(4, w0.total());
    assertEquals(List.of(0L, 1L, 0L, 1L, 2L), java.util.Arrays.stream(w0.counts()).boxed().toList());
    assertEquals(3, w0.satisfied());
    assertEquals(0.75, w0.toJson().getDouble("satisfactionRate"));
    assertEquals(1, byWindow.get("stat-w1").satisfied());
    Statistic department = evaluations.statistics(Dimension.DEPARTMENT, from, to).await().atMost(LIMIT).stream()
        .filter(s -> s.key().equals("stat-dept")).findFirst().orElseThrow();
    assertEquals(6, department.total());
    assertEquals(4, department.satisfied());
    assertEquals(2, evaluations.statistics(Dimension.STAFF, from, to).await().atMost(LIMIT).stream()
        .filter(s -> s.key().startsWith("stat-s")).count());
  }

  @Test
  void evaluatorDevicesSubmitOverTheEventBus() {
    String c = caseNumber();
    JsonObject reply = vertx.eventBus().<JsonObject>request(Evaluations.SUBMIT_ADDRESS, new JsonObject()
            .put("caseNumber", c).put("rating", 4).put("comment", "好").put("window", "w-07").put("staff", "staff-g")
            .put("department", "dept-bus").put("deviceId", "pad-1"))
        .await().atMost(LIMIT).body();
    assertEquals(c, reply.getString("caseNumber"));
    assertEquals("EVALUATOR", reply.getString("channel"));
    try {
      vertx.eventBus().request(Evaluations.SUBMIT_ADDRESS, new JsonObject().put("caseNumber", c).put("rating", "four"))
          .await().atMost(LIMIT);
      throw new AssertionError("expected a failure");
    } catch (ReplyException e) {
      assertEquals(422, e.failureCode());
      assertTrue(e.getMessage().startsWith("HT-EVALUATION-INVALID"), e.getMessage());
    }
  }

  private Rectification task(String id) {
    return evaluations.rectifications(null, false, 1000).await().atMost(LIMIT).stream()
        .filter(r -> r.id().equals(id)).findFirst().orElseThrow();
  }

  private String caseNumber() {
    return "C2030050600" + String.format("%04d", cases.incrementAndGet());
  }

  private static Submission rating(String caseNumber, int rating, String window, String staff) {
    return new Submission(caseNumber, rating, "comment", Channel.PORTAL, "hall-1", window, staff, "dept-1", null);
  }

}
