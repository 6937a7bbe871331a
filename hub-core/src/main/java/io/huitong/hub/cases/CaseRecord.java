package io.huitong.hub.cases;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A case as the API shows it: personal numbers masked, deadlines once it is accepted.
 *
 * @param deadlines      null until accepted, and for a case never accepted
 * @param onTime         for a closed case, whether it closed by its promised due time; otherwise null
 * @param extensionDays  working days granted by extensions
 * @param pausedDays     working days paused by special procedures and supplements
 * @param dispatch       DISPATCHED, ACKNOWLEDGED, LAGGING or REFUSED once sent to the department's system; else null
 */
public record CaseRecord(String caseNumber, CaseKind kind, String itemCode, String itemName, String department,
                         String regionCode, String applicantName, String maskedIdNumber, String maskedPhone,
                         String channel, String ticketId, CaseState state, String stateReason, String resultCode,
                         Long feeFen, Instant submittedAt, Instant acceptedAt, Instant closedAt, int promiseDays,
                         int legalDays, int extensionDays, int pausedDays, Deadlines deadlines, Supervision supervision,
                         Boolean onTime, String dispatch) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("caseNumber", caseNumber).put("kind", kind.name()).put("itemCode", itemCode)
        .put("itemName", itemName).put("department", department).put("regionCode", regionCode)
        .put("applicantName", applicantName).put("maskedIdNumber", maskedIdNumber).put("maskedPhone", maskedPhone)
        .put("channel", channel).put("ticketId", ticketId).put("state", state.name()).put("stateReason", stateReason)
        .put("resultCode", resultCode).put("feeFen", feeFen).put("submittedAt", submittedAt.toString())
        .put("acceptedAt", time(acceptedAt)).put("closedAt", time(closedAt)).put("promiseDays", promiseDays)
        .put("legalDays", legalDays).put("extensionDays", extensionDays).put("pausedDays", pausedDays)
        .put("supervision", supervision.name()).put("onTime", onTime).put("dispatch", dispatch);
    if (deadlines != null) {
      json.put("warningAt", time(deadlines.warningAt())).put("promisedDueAt", time(deadlines.promiseDueAt()))
          .put("redAt", time(deadlines.redAt())).put("legalDueAt", time(deadlines.legalDueAt()));
    }
    return json;
  }

  /** The short form progress queries answer (kiosks, portals, {@code huitong.cases.progress}). */
  public JsonObject progressJson() {
    return new JsonObject().put("caseNumber", caseNumber).put("itemName", itemName).put("department", department)
        .put("state", state.name()).put("receivedAt", submittedAt.toString())
        .put("promisedDueAt", deadlines == null ? null : deadlines.promiseDueAt().toString())
        .put("supervision", supervision.name());
  }

  private static String time(Instant at) {
    return at == null ? null : at.toString();
  }
}
