package io.huitong.hub.appointments;

import io.huitong.hub.appointments.Appointments.DayPlan;
import io.huitong.hub.appointments.Appointments.Period;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.JsonBody;
import io.huitong.hub.http.QueryParams;
import io.huitong.hub.http.RequestIds;
import io.huitong.hub.identity.Identity.Origin;
import io.huitong.hub.ops.AdminRoutes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The appointments API: public {@code /api/v1/appointments/*} for portals and kiosks (slots, booking, lookup,
 * cancel, check-in) and, behind the operator guard, {@code /api/v1/admin/appointments/plans} to lay out slots. ID
 * numbers travel only in request bodies. Handlers run on the event loop and end the response with the {@code Uni}'s
 * item, or fail it with the capability's {@code HubException}.
 */
public final class AppointmentsRoutes {
  public static final String PREFIX = "/api/v1/appointments";
  private static final String ADMIN = AdminRoutes.PREFIX + "/appointments";
  private static final int MAX_PERIODS = 48;

  private final Supplier<Appointments> started;
  private final long maxBodySize;

  /** @param started the capability once start-up has opened it, null before */
  public AppointmentsRoutes(Supplier<Appointments> started, long maxBodySize) {
    this.started = started;
    this.maxBodySize = maxBodySize;
  }

  private Appointments appointments() {
    Appointments a = started.get();
    if (a == null) {
      throw HubError.NOT_READY.exception("Appointments are available once the database is up");
    }
    return a;
  }

  public void mount(Router router) {
    router.get(PREFIX + "/slots").respond(ctx -> appointments()
        .slots(QueryParams.stringParam(ctx, "hall"), QueryParams.stringParam(ctx, "queue"), date(QueryParams.stringParam(ctx, "date")))
        .map(slots -> new JsonObject().put("slots", new JsonArray(slots.stream().map(Appointments.Slot::toJson).toList()))));
    post(router, PREFIX, 201, (ctx, body) -> appointments()
        .book(Appointments.Booking.fromJson(body.object(), null), origin(ctx))
        .map(Appointments.Appointment::toJson));
    post(router, PREFIX + "/lookup", 200, (ctx, body) -> appointments().lookup(body.optionalString("idNumber"))
        .map(list -> new JsonObject().put("appointments",
            new JsonArray(list.stream().map(Appointments.Appointment::toJson).toList()))));
    post(router, PREFIX + "/:id/cancel", 200, (ctx, body) -> appointments()
        .cancel(ctx.pathParam("id"), body.optionalString("idNumber"), origin(ctx)).map(Appointments.Appointment::toJson));
    post(router, PREFIX + "/:id/check-in", 200, (ctx, body) -> appointments()
        .checkIn(ctx.pathParam("id"), body.optionalString("idNumber"), origin(ctx)).map(Appointments.Appointment::toJson));
    post(router, ADMIN + "/plans", 200, (ctx, body) -> appointments()
        .plan(plan(body), new Origin("operator", ctx.get(RequestIds.KEY), remote(ctx)))
        .map(slots -> new JsonObject().put("slots", new JsonArray(slots.stream().map(Appointments.Slot::toJson).toList()))));
  }

  private static DayPlan plan(JsonBody body) {
    JsonObject json = body.object();
    if (!(json.getValue("dates") instanceof JsonArray dates) || !(json.getValue("periods") instanceof JsonArray periods)
        || periods.size() > MAX_PERIODS) {
      throw HubError.APPOINTMENT_INPUT_INVALID.exception("Send 'dates' (an array of yyyy-MM-dd) and 'periods' (an array"
          + " of at most " + MAX_PERIODS + " {from, to, slotMinutes, capacity})");
    }
    List<LocalDate> days = new ArrayList<>();
    for (Object d : dates) {
      days.add(date(d instanceof String s ? s : null));
    }
    List<Period> list = new ArrayList<>();
    for (Object p : periods) {
      if (!(p instanceof JsonObject period) || !(period.getValue("slotMinutes") instanceof Integer minutes)
          || !(period.getValue("capacity") instanceof Integer capacity)) {
        throw HubError.APPOINTMENT_INPUT_INVALID.exception("Each period is {from, to, slotMinutes, capacity}");
      }
      list.add(new Period(time(period.getValue("from")), time(period.getValue("to")), minutes, capacity));
    }
    return new DayPlan(body.optionalString("hall"), body.optionalString("queue"), days, list);
  }

  private static LocalDate date(String value) {
    try {
      return LocalDate.parse(value == null ? "" : value);
    } catch (DateTimeParseException e) {
      throw HubError.APPOINTMENT_INPUT_INVALID.exception("A date is yyyy-MM-dd, such as 2026-12-07");
    }
  }

  private static LocalTime time(Object value) {
    try {
      return LocalTime.parse(value instanceof String s ? s : "");
    } catch (DateTimeParseException e) {
      throw HubError.APPOINTMENT_INPUT_INVALID.exception("A period's 'from' and 'to' are HH:mm or HH:mm:ss, such as 09:00");
    }
  }

  private interface Handler {
    Uni<JsonObject> apply(RoutingContext ctx, JsonBody body);
  }

  private void post(Router router, String path, int status, Handler handler) {
    router.post(path).handler(BodyHandler.create(false).setBodyLimit(maxBodySize))
        .respond(ctx -> handler.apply(ctx, JsonBody.of(ctx)).invoke(() -> ctx.response().setStatusCode(status)));
  }

  private static Origin origin(RoutingContext ctx) {
    return new Origin("anonymous", ctx.get(RequestIds.KEY), remote(ctx));
  }

  private static String remote(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host();
  }
}
