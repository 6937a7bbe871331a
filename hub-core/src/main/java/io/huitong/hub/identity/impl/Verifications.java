package io.huitong.hub.identity.impl;

import io.huitong.connector.Connector;
import io.huitong.connector.ConnectorException;
import io.huitong.connector.Connectors;
import io.huitong.hub.http.Admission;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.identity.IdentityConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.util.Base64;

/**
 * The three outside services registration relies on, each an {@code http} connector (docs/connectors.md): the
 * population database's identity verification (人口库核验), the SMS gateway (短信网关) and face comparison (人脸比对).
 * Any failure to get an answer is {@link HubError#VERIFICATION_UNAVAILABLE}; an answer that says no is the caller's
 * to map. Every call goes through one {@link Admission} per member ({@code identity.verification.max-in-flight}
 * at once, {@code identity.verification.queue} waiting), so a registration burst cannot pile up calls to the
 * outside services without bound: past capacity a request is answered {@link HubError#VERIFICATION_BUSY} at once.
 */
final class Verifications {
  private static final String VERIFY = "verify";
  private static final String SEND = "send";
  private static final String COMPARE = "compare";

  private final Connector population;
  private final Connector sms;
  private final Connector face;
  private final Admission admission;

  private Verifications(Connector population, Connector sms, Connector face, Admission admission) {
    this.population = population;
    this.sms = sms;
    this.face = face;
    this.admission = admission;
  }

  /** Null when no verification URL is configured: registration and SMS then answer 503. */
  static Verifications create(Vertx vertx, IdentityConfig config) {
    if (config.verificationUrl().isEmpty()) {
      return null;
    }
    Connectors connectors = Connectors.discover();
    return new Verifications(
        connectors.create(vertx, "identity-population", "http", settings(config, VERIFY, "GET",
            "/api/public-security/identity-verification", new JsonObject().put("idNumber", "{idNumber}").put("name", "{name}"))),
        connectors.create(vertx, "identity-sms", "http", settings(config, SEND, "POST", "/sms/messages", null)),
        connectors.create(vertx, "identity-face", "http", settings(config, COMPARE, "POST", "/face/compare", null)),
        new Admission(config.verificationMaxInFlight(), config.verificationQueue(), HubError.VERIFICATION_BUSY,
            "Every verification call slot and queue place of this member is taken"));
  }

  private static JsonObject settings(IdentityConfig config, String operation, String method, String path, JsonObject query) {
    JsonObject op = new JsonObject().put("method", method).put("path", path);
    if (query != null) {
      op.put("query", query);
    }
    return new JsonObject().put("base-url", config.verificationUrl())
        .put("timeout", config.verificationTimeout().toMillis() + "ms")
        .put("operations", new JsonObject().put(operation, op));
  }

  /** Whether the population database holds this ID number under this name. */
  Uni<Boolean> identityMatches(String idNumber, String name) {
    return admission.admit(() -> population.invoke(VERIFY, new JsonObject().put("idNumber", idNumber).put("name", name)))
        .map(answer -> answer.getBoolean("matched", false))
        .onFailure(ConnectorException.class).recoverWithUni(e -> notFound(e) ? Uni.createFrom().item(false)
            : Uni.createFrom().failure(unavailable("population database", e)));
  }

  /** Hands a text message to the SMS gateway. */
  Uni<Void> sendSms(String phone, String text) {
    return admission.admit(() -> sms.invoke(SEND, new JsonObject().put("phone", phone).put("text", text))).replaceWithVoid()
        .onFailure(ConnectorException.class).transform(e -> unavailable("SMS gateway", e));
  }

  /** The face service's score (0 to 100) of {@code image} against the photo on record for the ID number. */
  Uni<Integer> faceScore(String idNumber, byte[] image) {
    return admission.admit(() -> face.invoke(COMPARE, new JsonObject().put("idNumber", idNumber)
            .put("image", Base64.getEncoder().encodeToString(image))))
        .map(answer -> answer.getInteger("score", 0))
        .onFailure(ConnectorException.class).recoverWithUni(e -> notFound(e) ? Uni.createFrom().item(0)
            : Uni.createFrom().failure(unavailable("face comparison service", e)));
  }

  Uni<Void> close() {
    return Uni.join().all(population.close(), sms.close(), face.close()).andFailFast().replaceWithVoid();
  }

  private static boolean notFound(Throwable e) {
    return e instanceof ConnectorException c && c.failure() == ConnectorException.Failure.NOT_FOUND;
  }

  private static HubException unavailable(String service, Throwable e) {
    String why = e instanceof ConnectorException c ? c.failure().name() : e.getClass().getSimpleName();
    return HubError.VERIFICATION_UNAVAILABLE.exception("The " + service + " did not answer (" + why + ")");
  }
}
