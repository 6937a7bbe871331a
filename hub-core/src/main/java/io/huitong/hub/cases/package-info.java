/**
 * Cases (办件): one-window acceptance with unified case numbers, the state machine of
 * {@link io.huitong.hub.cases.CaseAction} (gov-standards-and-models §2.5), working-day deadlines per region with
 * suspensions and extensions, electronic supervision (预警/黄牌/红牌) with reminders, progress queries and monthly
 * statistics; dispatch of promised cases to department systems over the exchange bus and their statuses back.
 *
 * <p>Tables (schema {@code cases}): {@code case_record}, {@code case_event}, {@code calendar_day}, {@code reminder},
 * {@code consultation}, {@code department_status} (department statuses from the exchange bus).
 * Routes: {@code /api/v1/cases/*}, {@code /api/v1/admin/cases/*}. Event-bus addresses:
 * {@code huitong.cases.supervision}, {@code huitong.cases.reminders} (published), {@code huitong.cases.progress}
 * (request/reply). A citizen's portal may read the person's own cases with an SSO access token through
 * {@link io.huitong.hub.cases.CitizenTokens} ({@code Sso.verifyAccessToken}, {@code Identity.personalNumbers}). Config keys: {@code cases.*} ({@link io.huitong.hub.cases.CasesConfig}). See docs/cases.md.
 */
package io.huitong.hub.cases;
