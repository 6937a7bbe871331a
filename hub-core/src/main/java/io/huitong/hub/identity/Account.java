package io.huitong.hub.identity;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A real-name account as callers see it: personal numbers only masked.
 *
 * @param maskedIdNumber the ID number with its middle hidden (for a legal person, the credit code likewise)
 * @param maskedPhone    the phone with its middle four digits hidden; null when the account has none
 * @param status         {@code ACTIVE} or {@code DISABLED}
 * @param representativeId for a legal person, its legal representative's natural-person account; null otherwise
 */
public record Account(String id, AccountKind kind, String name, String maskedIdNumber, String maskedPhone,
                      Instant createdAt, String status, String representativeId) {

  public Account(String id, AccountKind kind, String name, String maskedIdNumber, String maskedPhone, Instant createdAt) {
    this(id, kind, name, maskedIdNumber, maskedPhone, createdAt, "ACTIVE", null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("kind", kind.name()).put("name", name)
        .put("maskedIdNumber", maskedIdNumber).put("maskedPhone", maskedPhone)
        .put("createdAt", createdAt.toString()).put("status", status);
    if (representativeId != null) {
      json.put("representativeId", representativeId);
    }
    return json;
  }
}
