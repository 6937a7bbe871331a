package io.huitong.hub.ops;

import io.vertx.core.json.JsonObject;

/**
 * One thing that happened to the hub, to be kept in the audit log.
 *
 * @param actor         who: {@code operator}, {@code anonymous}, {@code system}, or an account id
 * @param action        what, as a stable name such as {@code hub.started} or {@code GET /api/v1/admin/audit}
 * @param target        what it was done to, or null
 * @param outcome       how it ended: {@code ok}, {@code denied}, an HTTP status, an error code
 * @param requestId     the HTTP request id, or null outside a request
 * @param remoteAddress where the request came from, or null
 * @param detail        anything else worth keeping; never a secret
 */
public record AuditEvent(String actor, String action, String target, String outcome, String requestId,
                         String remoteAddress, JsonObject detail) {

  /** An event the hub itself causes, outside any request. */
  public static AuditEvent system(String action, String outcome, JsonObject detail) {
    return new AuditEvent("system", action, null, outcome, null, null, detail);
  }
}
