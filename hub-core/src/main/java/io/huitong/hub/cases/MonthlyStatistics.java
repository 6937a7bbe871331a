package io.huitong.hub.cases;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.YearMonth;
import java.util.List;

/**
 * A month's case report (接办件情况统计), modelled on seed 004's: the whole hub (or one region) and each department.
 * Months are calendar months in {@code cases.zone}.
 */
public record MonthlyStatistics(YearMonth month, String regionCode, Counts total, List<Counts> departments) {

  /**
   * @param department   null for the total
   * @param received     accepted (受理) in the month
   * @param immediate    of those, immediate cases (即办件)
   * @param promised     of those, promised cases (承诺件)
   * @param completed    closed (办结) in the month, whenever accepted
   * @param onTime       of those, closed by their promised due time (按期办结)
   * @param open         accepted in the month and not finished yet (在办)
   * @param notAccepted  refused (不予受理) in the month
   * @param withdrawn    withdrawn in the month
   * @param terminated   terminated in the month
   * @param suspensions  special procedures started in the month
   * @param extensions   extensions granted in the month
   * @param consultations consultations (咨询) recorded in the month
   * @param feesFen      fees of the cases closed in the month, in fen
   */
  public record Counts(String department, long received, long immediate, long promised, long completed, long onTime,
                       long open, long notAccepted, long withdrawn, long terminated, long suspensions, long extensions,
                       long consultations, long feesFen) {

    /** On-time completions over completions, to four places; 1 when nothing was completed (seed 004: 100%). */
    public double onTimeRate() {
      return completed == 0 ? 1.0 : Math.round(onTime * 10_000.0 / completed) / 10_000.0;
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject();
      if (department != null) {
        json.put("department", department);
      }
      return json.put("received", received).put("immediate", immediate).put("promised", promised)
          .put("completed", completed).put("onTime", onTime).put("onTimeRate", onTimeRate()).put("open", open)
          .put("notAccepted", notAccepted).put("withdrawn", withdrawn).put("terminated", terminated)
          .put("suspensions", suspensions).put("extensions", extensions).put("consultations", consultations)
          .put("feesFen", feesFen);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("month", month.toString()).put("regionCode", regionCode).put("total", total.toJson())
        .put("departments", new JsonArray(departments.stream().map(Counts::toJson).toList()));
  }
}
