package io.huitong.hub.appointments.impl;

import io.huitong.connector.Connector;
import io.huitong.connector.Connectors;
import io.huitong.hub.appointments.AppointmentsConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;

/** The SMS gateway reminders go through: an {@code http} connector posting {@code {phone, text}} to /sms/messages. */
final class SmsReminders {
  private static final String SEND = "send";

  private final Connector sms;

  private SmsReminders(Connector sms) {
    this.sms = sms;
  }

  /** Null when no gateway is configured: then no reminder is due. */
  static SmsReminders create(Vertx vertx, AppointmentsConfig config) {
    if (config.smsUrl().isEmpty()) {
      return null;
    }
    JsonObject settings = new JsonObject().put("base-url", config.smsUrl())
        .put("timeout", config.smsTimeout().toMillis() + "ms")
        .put("operations", new JsonObject().put(SEND, new JsonObject().put("method", "POST").put("path", "/sms/messages")));
    return new SmsReminders(Connectors.discover().create(vertx, "appointments-sms", "http", settings));
  }

  Uni<Void> send(String phone, String text) {
    return sms.invoke(SEND, new JsonObject().put("phone", phone).put("text", text)).replaceWithVoid();
  }

  Uni<Void> close() {
    return sms.close();
  }
}
