package io.huitong.hub.ops;

import java.time.Instant;

/**
 * An audit event as stored: the event, when and on which member it was recorded, and its position in the log.
 *
 * @param id         position in the log; later entries have larger ids
 * @param occurredAt when it was recorded
 * @param node       the member that recorded it
 * @param event      what happened
 */
public record AuditEntry(long id, Instant occurredAt, String node, AuditEvent event) {
}
