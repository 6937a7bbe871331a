package io.huitong.hub.appointments.impl;

import io.huitong.hub.appointments.Appointments;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.identity.Identity.Origin;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.eventbus.Message;
import io.vertx.mutiny.core.eventbus.MessageConsumer;

/**
 * {@link Appointments#COMMAND_ADDRESS}: what a kiosk does over the bridge (book, cancel, look up, check in), with the
 * same rules and answers as the REST API. Runs on the consumer's event loop.
 */
final class AppointmentCommands {
  private AppointmentCommands() {
  }

  static MessageConsumer<Object> register(Vertx vertx, Appointments appointments) {
    return vertx.eventBus().consumer(Appointments.COMMAND_ADDRESS).handler(m -> handle(appointments, m));
  }

  private static void handle(Appointments appointments, Message<Object> message) {
    Uni.createFrom().deferred(() -> {
      if (!(message.body() instanceof JsonObject body) || !(body.getValue("action") instanceof String action)) {
        throw HubError.APPOINTMENT_INPUT_INVALID.exception("Send a JSON object with 'action': book, cancel, lookup or check-in");
      }
      Origin origin = new Origin("device:" + (body.getValue("deviceId") instanceof String d ? d : "unknown"), null, null);
      String id = body.getValue("appointmentId") instanceof String s ? s : null;
      String idNumber = body.getValue("idNumber") instanceof String s ? s : null;
      return switch (action) {
        case "book" -> appointments.book(Appointments.Booking.fromJson(body, Appointments.Channel.KIOSK), origin)
            .map(Appointments.Appointment::toJson);
        case "cancel" -> appointments.cancel(id, idNumber, origin).map(Appointments.Appointment::toJson);
        case "check-in" -> appointments.checkIn(id, idNumber, origin).map(Appointments.Appointment::toJson);
        case "lookup" -> appointments.lookup(idNumber).map(list -> new JsonObject().put("appointments",
            new JsonArray(list.stream().map(Appointments.Appointment::toJson).toList())));
        default -> throw HubError.APPOINTMENT_INPUT_INVALID.exception("Unknown action '" + action
            + "'; one of book, cancel, lookup, check-in");
      };
    }).subscribe().with(message::reply, e -> {
      HubException h = e instanceof HubException x ? x : HubError.INTERNAL.exception(null);
      message.fail(h.error().status(), h.error().code() + (h.getMessage() == null ? "" : ": " + h.getMessage()));
    });
  }
}
