/**
 * Operations (运维): the operator token, the audit log, readiness and the admin API.
 *
 * <ul>
 *   <li>Tables: schema {@code ops}: {@code audit_log}.</li>
 *   <li>Config keys: {@code ops.*} ({@link io.huitong.hub.ops.OpsConfig}).</li>
 *   <li>Routes: {@code GET /health/live}, {@code GET /health/ready}, {@code GET /api/v1/admin/audit},
 *       {@code GET /api/v1/admin/config}, {@code POST /api/v1/admin/config/check}.</li>
 *   <li>Other capabilities record audit events through {@link io.huitong.hub.ops.AuditLog}, never its table.</li>
 * </ul>
 */
package io.huitong.hub.ops;
