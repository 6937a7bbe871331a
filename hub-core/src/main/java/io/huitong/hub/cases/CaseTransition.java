package io.huitong.hub.cases;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One move of a case. What {@code detail} must carry depends on the action (docs/cases.md): a reason for REJECT,
 * WITHDRAW and TERMINATE; materials and a deadline for NOTIFY_CORRECTION; a step code and name for STEP; a type for
 * SUSPEND; {@code days} for EXTEND; a {@code resultCode} for CLOSE. It is kept with the case's event.
 *
 * @param at    when it happened; null is now. Never before the case's previous event.
 * @param actor who did it (staff number, department system), for the case's history
 */
public record CaseTransition(CaseAction action, Instant at, String actor, JsonObject detail) {
}
