package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A month shaped like seed 004's January report — about 1,500 cases, 78% immediate and 22% promised, 2.8
 * consultations per case, a few suspensions, extensions, refusals, withdrawals and terminations, a handful of
 * promised cases closed late and some left open — generated from a seeded Random, driven through a real hub's REST
 * API, and the hub's monthly statistics must equal the generated truth exactly, in total and per department.
 *
 * <p>The truth is counted from what was generated, not from hub code: late cases are closed long after any possible
 * due time, on-time ones well before theirs (half their promised days in calendar days).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaseMonthIT {
  private static final Duration START_LIMIT = Duration.ofMinutes(3);
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
  private static final String REGION = "510502000000";
  private static final int CASES = 1_500;
  private static final int IMMEDIATE = 1_170;
  private static final int CONSULTATIONS = 4_200;
  private static final int PARALLEL = 12;
  private static final List<String> DEPARTMENTS = List.of("FGJ", "JYJ", "MZJ", "SFJ", "CZJ", "RSJ", "ZRZYJ", "ZJJ",
      "JTJ", "SWJ", "WJJ", "SCJGJ");
  /** January 2026's days off on weekdays, and its make-up Sunday (the State Council's 2026 notice). */
  private static final String HOLIDAYS = "2026-01-01,2026-01-02";
  private static final String WORKDAYS = "2026-01-04";

  private HubProcess hub;
  private String token;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    hub = HubProcess.embedded(dir.resolve("hub"), "case-month-it");
    hub.env.put("HUB_CASES_CALENDAR_HOLIDAYS", HOLIDAYS);
    hub.env.put("HUB_CASES_CALENDAR_WORKDAYS", WORKDAYS);
    hub.env.put("HUB_CASES_DEFAULT_REGION", REGION);
    hub.start().awaitReady(START_LIMIT);
    token = hub.token();
  }

  @AfterAll
  void stop() throws Exception {
    if (hub != null) {
      hub.close();
    }
  }

  /** What happens to one generated case, in order; each step a transition at its time. */
  private record Plan(String department, boolean immediate, int promiseDays, ZonedDateTime submitted,
                      List<JsonObject> steps) {
  }

  @Test
  void theMonthsStatisticsEqualTheGeneratedTruth() throws Exception {
    Random random = new Random(2008_01);
    List<LocalDate> workingDays = new ArrayList<>();
    for (LocalDate d = LocalDate.of(2026, 1, 1); d.getMonthValue() == 1; d = d.plusDays(1)) {
      boolean weekend = d.getDayOfWeek().getValue() >= 6;
      if ((!weekend && !HOLIDAYS.contains(d.toString())) || WORKDAYS.contains(d.toString())) {
        workingDays.add(d);
      }
    }
    ZonedDateTime monthEnd = ZonedDateTime.of(2026, 2, 1, 0, 0, 0, 0, ZONE);
    Map<String, long[]> truth = new TreeMap<>();
    List<Boolean> kinds = new ArrayList<>(Collections.nCopies(IMMEDIATE, true));
    kinds.addAll(Collections.nCopies(CASES - IMMEDIATE, false));
    Collections.shuffle(kinds, random);

    List<Plan> plans = new ArrayList<>();
    for (int i = 0; i < CASES; i++) {
      String department = DEPARTMENTS.get(random.nextInt(DEPARTMENTS.size()));
      long[] t = truth.computeIfAbsent(department, d -> new long[13]);
      LocalDate day = workingDays.get(random.nextInt(workingDays.size()));
      ZonedDateTime at = day.atTime(8, 30).atZone(ZONE).plusMinutes(random.nextInt(9 * 60));
      List<JsonObject> steps = new ArrayList<>();
      boolean immediate = kinds.get(i);
      int promise = immediate ? 0 : 3 + random.nextInt(13);
      int fate = random.nextInt(1000);
      if (!immediate && fate < 15) {
        // Refused at the window: never received.
        steps.add(step("REJECT", at.plusMinutes(3)).put("reason", "不属于本机关职权范围"));
        t[6]++;
        plans.add(new Plan(department, false, promise, at, steps));
        continue;
      }
      ZonedDateTime accepted = at.plusMinutes(2);
      steps.add(step("ACCEPT", accepted));
      t[0]++;
      t[immediate ? 1 : 2]++;
      if (immediate) {
        ZonedDateTime closed = accepted.plusMinutes(5 + random.nextInt(20));
        long fee = random.nextInt(10) < 3 ? 100 * (50 + random.nextInt(1500)) : 0;
        steps.add(close(closed, random.nextBoolean() ? "0" : "6", fee));
        t[3]++;
        t[4]++;
        t[12] += fee;
        plans.add(new Plan(department, true, 0, at, steps));
        continue;
      }
      ZonedDateTime when = accepted.plusHours(1);
      steps.add(step("STEP", when).put("stepCode", "SC").put("stepName", "审查"));
      if (fate < 25) {
        // Withdrawn or terminated after acceptance.
        boolean withdraw = fate < 20;
        steps.add(step(withdraw ? "WITHDRAW" : "TERMINATE", when.plusHours(2)).put("reason", "申请人撤回"));
        if (when.plusHours(2).isBefore(monthEnd)) {
          t[withdraw ? 7 : 8]++;
        }
        plans.add(new Plan(department, false, promise, at, steps));
        continue;
      }
      if (fate < 55) {
        // 特别程序: paused for a few days.
        steps.add(step("SUSPEND", when.plusHours(1)).put("type", "专家评审").put("reason", "需专家评审"));
        steps.add(step("RESUME", when.plusDays(2 + random.nextInt(3))));
        if (when.plusHours(1).isBefore(monthEnd)) {
          t[9]++;
        }
        when = when.plusDays(5);
      } else if (fate < 75) {
        steps.add(step("EXTEND", when.plusHours(1)).put("days", 5 + random.nextInt(6)).put("reason", "情况复杂"));
        if (when.plusHours(1).isBefore(monthEnd)) {
          t[10]++;
        }
        when = when.plusHours(2);
      }
      if (fate >= 970) {
        // Still open at the end of the month and now (在办).
        t[5]++;
        plans.add(new Plan(department, false, promise, at, steps));
        continue;
      }
      boolean late = fate >= 950 && fate < 970;
      // On time: half the promised days in calendar days, well before the due time; late: long after it.
      ZonedDateTime closed = late ? accepted.plusDays(3L * promise + 20) : when.plusHours(1).plusDays(promise / 2);
      long fee = random.nextInt(10) < 5 ? 100 * (100 + random.nextInt(5000)) : 0;
      steps.add(step("STEP", closed.minusMinutes(30)).put("stepCode", "JD").put("stepName", "决定"));
      steps.add(close(closed, random.nextInt(20) == 0 ? "7" : "6", fee));
      if (closed.isBefore(monthEnd)) {
        t[3]++;
        t[4] += late ? 0 : 1;
        t[12] += fee;
      }
      plans.add(new Plan(department, false, promise, at, steps));
    }
    // Consultations as the queue system reports them: one tally per department and working day, a few singly.
    Map<String, Integer> tallies = new TreeMap<>();
    for (int i = 0; i < CONSULTATIONS; i++) {
      String department = DEPARTMENTS.get(random.nextInt(DEPARTMENTS.size()));
      truth.computeIfAbsent(department, d -> new long[13])[11]++;
      tallies.merge(department + "|" + workingDays.get(random.nextInt(workingDays.size())), 1, Integer::sum);
    }
    List<JsonObject> consultations = new ArrayList<>();
    tallies.forEach((key, n) -> {
      String[] k = key.split("\\|");
      ZonedDateTime at = LocalDate.parse(k[1]).atTime(17, 30).atZone(ZONE);
      consultations.add(new JsonObject().put("department", k[0]).put("at", RFC3339.format(at)).put("count", n - 1));
      consultations.add(new JsonObject().put("department", k[0]).put("at", RFC3339.format(at.minusHours(7))));
    });
    consultations.removeIf(c -> Integer.valueOf(0).equals(c.getInteger("count")));

    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (Plan plan : plans) {
        work.add(pool.submit(() -> {
          run(plan);
          return null;
        }));
      }
      for (int i = 0; i < consultations.size(); i += 50) {
        List<JsonObject> batch = consultations.subList(i, Math.min(i + 50, consultations.size()));
        work.add(pool.submit(() -> {
          for (JsonObject c : batch) {
            post("/api/v1/cases/consultations", c, 201);
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    JsonObject report = hub.adminJson("GET", "/cases/statistics?month=2026-01", null);
    long[] total = new long[13];
    JsonArray departments = new JsonArray();
    truth.forEach((department, v) -> {
      departments.add(counts(v).put("department", department));
      for (int i = 0; i < total.length; i++) {
        total[i] += v[i];
      }
    });
    JsonObject expected = new JsonObject().put("month", "2026-01").putNull("regionCode").put("total", counts(total))
        .put("departments", departments);
    assertEquals(expected, report);
    // The shape of seed 004's month: 78% immediate, 2.8 consultations per case.
    assertEquals(IMMEDIATE, report.getJsonObject("total").getLong("immediate"));
    assertEquals(CONSULTATIONS, report.getJsonObject("total").getLong("consultations"));
  }

  private static JsonObject counts(long[] v) {
    double rate = v[3] == 0 ? 1.0 : Math.round(v[4] * 10_000.0 / v[3]) / 10_000.0;
    return new JsonObject().put("received", v[0]).put("immediate", v[1]).put("promised", v[2])
        .put("completed", v[3]).put("onTime", v[4]).put("onTimeRate", rate).put("open", v[5])
        .put("notAccepted", v[6]).put("withdrawn", v[7]).put("terminated", v[8]).put("suspensions", v[9])
        .put("extensions", v[10]).put("consultations", v[11]).put("feesFen", v[12]);
  }

  private void run(Plan plan) throws Exception {
    JsonObject created = post("/api/v1/cases", new JsonObject().put("itemCode", "ITEM-" + plan.department())
        .put("itemName", "事项 " + plan.department()).put("department", plan.department())
        .put("kind", plan.immediate() ? "IMMEDIATE" : "PROMISED").put("promiseDays", plan.promiseDays())
        .put("applicantName", "申请人").put("ticketId", "T" + plan.submitted().toEpochSecond())
        .put("at", RFC3339.format(plan.submitted()))
        // The first moves travel with the submission: an immediate case is accepted and closed in one call.
        .put("then", new JsonArray(plan.steps().subList(0, Math.min(2, plan.steps().size())))), 201);
    String number = created.getString("caseNumber");
    for (JsonObject step : plan.steps().subList(Math.min(2, plan.steps().size()), plan.steps().size())) {
      post("/api/v1/cases/" + number + "/transitions", step, 200);
    }
  }

  private static JsonObject step(String action, ZonedDateTime at) {
    return new JsonObject().put("action", action).put("at", RFC3339.format(at)).put("actor", "window-01");
  }

  private static JsonObject close(ZonedDateTime at, String resultCode, long feeFen) {
    JsonObject close = step("CLOSE", at).put("resultCode", resultCode);
    return feeFen > 0 ? close.put("feeFen", feeFen) : close;
  }

  private JsonObject post(String path, JsonObject body, int status) throws Exception {
    HttpResponse<String> response = HubProcess.HTTP.send(HttpRequest.newBuilder(hub.uri(path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != status) {
      throw new AssertionError("POST " + path + " " + body.encode() + " answered " + response.statusCode() + ": "
          + response.body());
    }
    return new JsonObject(response.body());
  }
}
