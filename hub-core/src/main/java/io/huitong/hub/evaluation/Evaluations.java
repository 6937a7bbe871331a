package io.huitong.hub.evaluation;

import io.huitong.hub.evaluation.impl.PgEvaluations;
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
import java.util.List;

/**
 * Citizen evaluation (好差评): a rating from 1 (非常不满意) to 5 (非常满意) with a comment, one per case, from an
 * evaluator device (评价器), an SMS reply or the portal, linked to the window and staff member that handled the case.
 * A bad rating opens a rectification task (差评整改) with a deadline, which operators handle and close.
 */
public interface Evaluations {
  /** Event-bus address evaluator devices submit on through the kiosk bridge: the REST body in, the evaluation out. */
  String SUBMIT_ADDRESS = "huitong.evaluation.submit";

  /** Where a rating came from. */
  enum Channel { EVALUATOR, SMS, PORTAL }

  /** OPEN to HANDLED (rectified, with a note), HANDLED to CLOSED (reviewed) or back to OPEN (not good enough). */
  enum RectificationState { OPEN, HANDLED, CLOSED }

  /** What statistics are grouped by. */
  enum Dimension { WINDOW, STAFF, DEPARTMENT }

  /**
   * What the window system says when it has handled a case: where and by whom, and the applicant's phone (optional)
   * from which an SMS rating of the case is taken.
   */
  record Invitation(String caseNumber, String hall, String window, String staff, String department, String phone) {
  }

  /**
   * A rating. {@code window}, {@code staff} and {@code department} may be left out when the case has an invitation,
   * which gives them.
   */
  record Submission(String caseNumber, int rating, String comment, Channel channel, String hall, String window,
                    String staff, String department, String deviceId) {
    /**
     * Reads a submission from the REST or bus body: caseNumber, rating, comment, channel, hall, window, staff,
     * department, deviceId.
     */
    public static Submission fromJson(JsonObject body, Channel fallback) {
      Object rating = body.getValue("rating");
      if (!(rating instanceof Integer r)) {
        throw HubError.EVALUATION_INVALID.exception("Field 'rating' must be a whole number from 1 to 5");
      }
      Channel channel = fallback;
      if (body.getValue("channel") != null) {
        try {
          channel = Channel.valueOf(body.getValue("channel").toString().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw HubError.EVALUATION_INVALID.exception("Field 'channel' must be evaluator or portal");
        }
      }
      return new Submission(string(body, "caseNumber"), r, string(body, "comment"), channel, string(body, "hall"),
          string(body, "window"), string(body, "staff"), string(body, "department"), string(body, "deviceId"));
    }

    private static String string(JsonObject body, String field) {
      Object v = body.getValue(field);
      if (v != null && !(v instanceof String)) {
        throw HubError.EVALUATION_INVALID.exception("Field '" + field + "' must be a string");
      }
      return (String) v;
    }
  }

  record Evaluation(String id, String caseNumber, int rating, String comment, Channel channel, String hall, String window,
                    String staff, String department, String deviceId, Instant evaluatedAt, String rectificationId) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("caseNumber", caseNumber).put("rating", rating).put("comment", comment)
          .put("channel", channel.name()).put("hall", hall).put("window", window).put("staff", staff)
          .put("department", department).put("deviceId", deviceId).put("evaluatedAt", evaluatedAt.toString())
          .put("rectificationId", rectificationId);
    }
  }

  record Rectification(String id, String evaluationId, String caseNumber, int rating, String comment, String window,
                       String staff, String department, RectificationState state, Instant openedAt, Instant dueAt,
                       Instant handledAt, String handledBy, String handling, Instant closedAt, String closedBy,
                       String closing, Instant reopenedAt, String reopening, boolean overdue) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("evaluationId", evaluationId).put("caseNumber", caseNumber)
          .put("rating", rating).put("comment", comment).put("window", window).put("staff", staff)
          .put("department", department).put("state", state.name()).put("openedAt", openedAt.toString())
          .put("dueAt", dueAt.toString()).put("handledAt", handledAt == null ? null : handledAt.toString())
          .put("handledBy", handledBy).put("handling", handling)
          .put("closedAt", closedAt == null ? null : closedAt.toString()).put("closedBy", closedBy).put("closing", closing)
          .put("reopenedAt", reopenedAt == null ? null : reopenedAt.toString()).put("reopening", reopening)
          .put("overdue", overdue);
    }
  }

  /** Counts of one window, staff member or department; {@code counts[r-1]} ratings of r. */
  record Statistic(String key, long total, long[] counts, long satisfied) {
    public JsonObject toJson() {
      JsonObject byRating = new JsonObject();
      for (int r = 1; r <= 5; r++) {
        byRating.put(Integer.toString(r), counts[r - 1]);
      }
      return new JsonObject().put("key", key).put("total", total).put("ratings", byRating).put("satisfied", satisfied)
          .put("satisfactionRate", total == 0 ? 0.0 : Math.round(satisfied * 10_000.0 / total) / 10_000.0);
    }
  }

  /** Records (or replaces, while the case is not evaluated) the case's invitation. */
  Uni<Void> invite(Invitation invitation, Origin origin);

  /**
   * Records a rating: EVALUATION_INVALID for a missing or malformed field, EVALUATION_EXISTS when the case has one.
   * A bad rating opens a rectification task in the same transaction.
   */
  Uni<Evaluation> submit(Submission submission, Origin origin);

  /**
   * An SMS reply from {@code phone}: a digit 1 to 5 first, the comment after it. It rates the latest case invited
   * with this phone within {@code evaluation.invitation-validity} and not yet evaluated: INVITATION_NOT_FOUND when
   * there is none, EVALUATION_INVALID when the text does not start with a rating.
   */
  Uni<Evaluation> submitSms(String phone, String text, Origin origin);

  /** Tasks by due time, of one state or any (null); only the overdue ones if asked. */
  Uni<List<Rectification>> rectifications(RectificationState state, boolean overdueOnly, int limit);

  /** OPEN to HANDLED with what was done; RECTIFICATION_STATE otherwise. */
  Uni<Rectification> handle(String id, String note, Origin origin);

  /** HANDLED to CLOSED with the reviewer's note; RECTIFICATION_STATE otherwise. */
  Uni<Rectification> close(String id, String note, Origin origin);

  /** HANDLED back to OPEN, the rectification not accepted; the deadline stays. RECTIFICATION_STATE otherwise. */
  Uni<Rectification> reopen(String id, String note, Origin origin);

  /** Counts per rating and satisfaction rate per window, staff member or department, of ratings in [from, to). */
  Uni<List<Statistic>> statistics(Dimension by, Instant from, Instant to);

  Uni<Void> close();

  /** Starts the capability and its consumer of {@link #SUBMIT_ADDRESS}. */
  static Uni<Evaluations> start(Vertx vertx, Storage storage, MasterKey master, AuditLog audit, EvaluationConfig config,
                                Clock clock) {
    return PgEvaluations.start(vertx, storage, master, audit, config, clock);
  }
}
