/**
 * Citizen evaluation (好差评): ratings 1 to 5 with a comment from evaluator devices, SMS replies and the portal, one
 * per case, linked to the window, staff member and department; a bad rating opens a rectification task (差评整改)
 * with a deadline; statistics per window, staff member and department.
 *
 * <p>Tables (schema {@code evaluation}): {@code invitation}, {@code evaluation}, {@code rectification}. Routes:
 * {@code /api/v1/evaluations}, {@code /api/v1/evaluations/sms}, {@code /api/v1/admin/evaluations/*}. Event bus:
 * consumes {@code huitong.evaluation.submit} (the REST body; replies with the evaluation, or fails with the HTTP
 * status and {@code "<code>: <detail>"}). Config keys: {@code evaluation.*}
 * ({@link io.huitong.hub.evaluation.EvaluationConfig}). See docs/evaluation.md.
 */
package io.huitong.hub.evaluation;
