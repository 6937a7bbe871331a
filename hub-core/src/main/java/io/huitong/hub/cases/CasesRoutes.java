package io.huitong.hub.cases;

import io.huitong.config.Secret;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.JsonBody;
import io.huitong.hub.http.QueryParams;
import io.huitong.hub.http.RequestIds;
import io.huitong.hub.ops.AdminRoutes;
import io.huitong.hub.ops.OperatorAuth;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The case API. {@code /api/v1/cases/*} for window, department and portal back-end systems: submit, move, read,
 * progress and consultations. They present the operator token, as the admin API does, until systems get credentials
 * of their own (docs/cases.md). A citizen's portal may instead present the person's SSO access token on progress and
 * on reading a case and its receipts: it then sees only that person's own cases, matched by the account's ID number and phone. {@code /api/v1/admin/cases/*}, behind the operator guard of {@link AdminRoutes}:
 * monthly statistics, the working-day calendar and a supervision sweep on demand. ID numbers and phones only ever
 * travel in request bodies.
 */
public final class CasesRoutes {
  public static final String PREFIX = "/api/v1/cases";
  private static final String ADMIN = AdminRoutes.PREFIX + "/cases";
  private static final int MAX_ACTOR = 64;
  private static final int MAX_THEN = 10;

  /** Routing-context key of the {@link CitizenTokens.Citizen} a citizen's access token named. */
  private static final String CITIZEN = "casesCitizen";
  private static final String BEARER = "Bearer ";

  private final Supplier<Cases> started;
  private final Secret token;
  private final CitizenTokens citizens;
  private final long maxBodySize;

  /** @param started the capability once start-up has opened it, null before */
  public CasesRoutes(Supplier<Cases> started, Secret token, CitizenTokens citizens, long maxBodySize) {
    this.started = started;
    this.token = token;
    this.citizens = citizens;
    this.maxBodySize = maxBodySize;
  }

  private Cases cases() {
    Cases c = started.get();
    if (c == null) {
      throw HubError.NOT_READY.exception("Cases are available once the database is up");
    }
    return c;
  }

  public void mount(Router router) {
    OperatorAuth guard = new OperatorAuth(token);
    // The citizen's routes take the operator token or a citizen's SSO access token; the body is read first so that
    // the asynchronous token check cannot lose it.
    router.post(PREFIX + "/progress").handler(BodyHandler.create(false).setBodyLimit(maxBodySize))
        .handler(ctx -> citizenOrOperator(ctx, guard));
    router.get(PREFIX + "/:caseNumber").handler(ctx -> citizenOrOperator(ctx, guard));
    router.get(PREFIX + "/:caseNumber/receipts").handler(ctx -> citizenOrOperator(ctx, guard));
    Consumer<RoutingContext> operatorOnly = ctx -> {
      if (ctx.get(CITIZEN) != null || Boolean.TRUE.equals(ctx.get(OperatorAuth.AUTHENTICATED))) {
        ctx.next();
      } else {
        guard.accept(ctx);
      }
    };
    router.route(PREFIX).handler(operatorOnly);
    router.route(PREFIX + "/*").handler(operatorOnly);
    post(router, PREFIX, 201, (ctx, body) -> cases().submit(application(body), then(body),
        origin(ctx, body.optionalString("actor"))).map(CaseRecord::toJson));
    post(router, PREFIX + "/progress", 200, (ctx, body) -> progress(ctx.get(CITIZEN), body)
        .map(found -> new JsonObject().put("cases", new JsonArray(found.stream().map(CaseRecord::progressJson).toList()))));
    post(router, PREFIX + "/consultations", 201, (ctx, body) -> cases()
        .consult(body.optionalString("department"), body.optionalString("regionCode"), time(body, "at"),
            body.integer("count", 1, 1, 100_000), origin(ctx, body.optionalString("actor")))
        .map(v -> new JsonObject().put("recorded", true)));
    router.get(PREFIX + "/:caseNumber").respond(ctx -> view(ctx.get(CITIZEN), ctx.pathParam("caseNumber"))
        .chain(c -> cases().events(c.caseNumber()).map(events -> c.toJson()
            .put("events", new JsonArray(events.stream().map(CaseEvent::toJson).toList())))));
    router.get(PREFIX + "/:caseNumber/receipts").respond(ctx -> view(ctx.get(CITIZEN), ctx.pathParam("caseNumber"))
        .chain(c -> cases().receipts(c.caseNumber())).map(receipts -> new JsonObject()
            .put("caseNumber", ctx.pathParam("caseNumber"))
            .put("receipts", new JsonArray(receipts.stream().map(CaseReceipt::toJson).toList()))));
    post(router, PREFIX + "/:caseNumber/transitions", 200, (ctx, body) -> {
      CaseTransition t = transition(body);
      return cases().transition(ctx.pathParam("caseNumber"), t, origin(ctx, t.actor())).map(CaseRecord::toJson);
    });

    router.get(ADMIN + "/statistics").respond(ctx -> cases()
        .statistics(month(QueryParams.stringParam(ctx, "month")), QueryParams.stringParam(ctx, "region"))
        .map(MonthlyStatistics::toJson));
    router.post(ADMIN + "/supervision/sweep").respond(ctx -> cases().sweep()
        .map(s -> new JsonObject().put("at", s.at().toString()).put("changed", s.changed()).put("reminders", s.reminders())));
    router.get(ADMIN + "/calendar/:region").respond(ctx -> {
      int year = (int) QueryParams.longParam(ctx, "year", LocalDate.now().getYear(), 2000, 2100);
      return cases().calendar(ctx.pathParam("region"), year).map(days -> {
        JsonArray list = new JsonArray();
        days.forEach((day, working) -> list.add(new JsonObject().put("day", day.toString()).put("working", working)));
        return new JsonObject().put("region", ctx.pathParam("region")).put("year", year).put("days", list);
      });
    });
    router.put(ADMIN + "/calendar/:region/:day").handler(BodyHandler.create(false).setBodyLimit(maxBodySize))
        .respond(ctx -> {
          JsonBody body = JsonBody.of(ctx);
          if (!(body.object().getValue("working") instanceof Boolean working)) {
            throw HubError.CASE_INPUT_INVALID.exception("Field 'working' must be true (a make-up workday) or false (a holiday)");
          }
          LocalDate day = day(ctx.pathParam("day"));
          return cases().setCalendarDay(ctx.pathParam("region"), day, working, body.optionalString("note"),
                  origin(ctx, body.optionalString("operator")))
              .map(v -> new JsonObject().put("region", ctx.pathParam("region")).put("day", day.toString())
                  .put("working", working));
        });
    router.delete(ADMIN + "/calendar/:region/:day").respond(ctx -> cases()
        .setCalendarDay(ctx.pathParam("region"), day(ctx.pathParam("day")), null, null, origin(ctx, null))
        .invoke(() -> ctx.response().setStatusCode(204)).replaceWith((JsonObject) null));
  }

  /**
   * Accepts the operator token ({@link OperatorAuth}) or a citizen's live SSO access token, whose citizen it puts
   * under {@link #CITIZEN}; then calls {@code next()}. Fails 401 HT-CASE-TOKEN-INVALID (with {@code WWW-Authenticate:
   * Bearer error="invalid_token"}) for any other bearer token. Runs on the event loop.
   */
  private void citizenOrOperator(RoutingContext ctx, OperatorAuth guard) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
        || token.matches(header.substring(BEARER.length()).trim())) {
      guard.accept(ctx);
      return;
    }
    citizens.citizen(header.substring(BEARER.length()).trim()).subscribe().with(citizen -> {
      if (citizen == null) {
        ctx.fail(HubError.CASE_TOKEN_INVALID.exception("The access token is invalid, expired or revoked;"
            + " sign the person in again"));
        return;
      }
      ctx.put(CITIZEN, citizen);
      ctx.next();
    }, ctx::fail);
  }

  /** The operator's query as asked; a citizen's only ever among their own cases, by case number or all of them. */
  private Uni<java.util.List<CaseRecord>> progress(CitizenTokens.Citizen citizen, JsonBody body) {
    if (citizen == null) {
      return cases().progress(body.optionalString("caseNumber"), body.optionalString("idNumber"),
          body.optionalString("phone"));
    }
    if (body.optionalString("idNumber") != null || body.optionalString("phone") != null) {
      throw HubError.CASE_INPUT_INVALID.exception("With a citizen's access token send 'caseNumber' or nothing:"
          + " the ID number and phone are the account's own");
    }
    return cases().applicantCases(citizen.idNumber(), citizen.phone(), body.optionalString("caseNumber"));
  }

  /** The case; for a citizen 404 unless it is their own, so that a case number tells nothing about others' cases. */
  private Uni<CaseRecord> view(CitizenTokens.Citizen citizen, String caseNumber) {
    if (citizen == null) {
      return cases().find(caseNumber);
    }
    return cases().applicantCases(citizen.idNumber(), citizen.phone(), caseNumber).map(own -> {
      if (own.isEmpty()) {
        throw HubError.CASE_NOT_FOUND.exception("No case " + caseNumber + " among this account's cases");
      }
      return own.get(0);
    });
  }

  private static CaseApplication application(JsonBody body) {
    String kind = body.optionalString("kind");
    CaseKind k;
    try {
      k = kind == null ? null : CaseKind.valueOf(kind);
    } catch (IllegalArgumentException e) {
      k = null;
    }
    if (k == null) {
      throw HubError.CASE_INPUT_INVALID.exception("Field 'kind' must be IMMEDIATE or PROMISED");
    }
    return new CaseApplication(body.optionalString("itemCode"), body.optionalString("itemName"),
        body.optionalString("department"), body.optionalString("regionCode"), k,
        body.integer("promiseDays", 0, 0, 365), body.integer("legalDays", null, 1, 365),
        body.optionalString("applicantName"), body.optionalString("idNumber"), body.optionalString("phone"),
        body.optionalString("channel"), body.optionalString("ticketId"), time(body, "at"));
  }

  /** A transition body: {@code action}, {@code at}, {@code actor}; every other field is the action's detail. */
  private static CaseTransition transition(JsonBody body) {
    JsonObject detail = body.object();
    detail.remove("action");
    detail.remove("at");
    detail.remove("actor");
    return new CaseTransition(action(body.optionalString("action")), time(body, "at"),
        actor(body.optionalString("actor")), detail);
  }

  /** The moves a submission carries in {@code then}: transition bodies, applied in order. */
  private static java.util.List<CaseTransition> then(JsonBody body) {
    Object then = body.object().getValue("then");
    if (then == null) {
      return java.util.List.of();
    }
    if (!(then instanceof JsonArray moves) || moves.size() > MAX_THEN
        || moves.stream().anyMatch(m -> !(m instanceof JsonObject))) {
      throw HubError.CASE_INPUT_INVALID.exception("Field 'then' must be a list of at most " + MAX_THEN
          + " transitions, each like the body of POST " + PREFIX + "/{caseNumber}/transitions");
    }
    return moves.stream().map(m -> transition(JsonBody.of((JsonObject) m))).toList();
  }

  private static CaseAction action(String name) {
    try {
      return CaseAction.valueOf(name == null ? "" : name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw HubError.CASE_INPUT_INVALID.exception("Field 'action' must be one of "
          + java.util.Arrays.toString(CaseAction.values()));
    }
  }

  private static String actor(String actor) {
    if (actor != null && (actor.isBlank() || actor.length() > MAX_ACTOR || !actor.matches("[\\p{L}\\p{N}._@:-]+"))) {
      throw HubError.CASE_INPUT_INVALID.exception("Field 'actor' must be 1 to " + MAX_ACTOR
          + " letters, digits, . _ @ : -");
    }
    return actor;
  }

  /** An RFC 3339 time with its offset, or null when absent. */
  private static Instant time(JsonBody body, String field) {
    String value = body.optionalString(field);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeException e) {
      throw HubError.CASE_INPUT_INVALID.exception("Field '" + field
          + "' must be an RFC 3339 time with an offset, such as 2026-01-02T09:30:00+08:00");
    }
  }

  private static YearMonth month(String value) {
    try {
      return YearMonth.parse(value == null ? "" : value);
    } catch (DateTimeException e) {
      throw HubError.CASE_INPUT_INVALID.exception("Query parameter 'month' must be a month such as 2026-01");
    }
  }

  private static LocalDate day(String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeException e) {
      throw HubError.CASE_INPUT_INVALID.exception("The day must be a date such as 2026-10-01");
    }
  }

  private interface Handler {
    Uni<JsonObject> apply(RoutingContext ctx, JsonBody body);
  }

  private void post(Router router, String path, int status, Handler handler) {
    Function<RoutingContext, Uni<JsonObject>> respond = ctx -> handler.apply(ctx, JsonBody.of(ctx))
        .invoke(() -> ctx.response().setStatusCode(status));
    router.post(path).handler(BodyHandler.create(false).setBodyLimit(maxBodySize)).respond(respond);
  }

  private static Cases.Origin origin(RoutingContext ctx, String actor) {
    String remote = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host();
    return new Cases.Origin(actor == null ? "operator" : "operator:" + actor(actor), ctx.get(RequestIds.KEY), remote);
  }
}
