/**
 * Unified identity (统一身份认证): real-name accounts of natural persons and legal persons, registration verified
 * through connectors (population database, SMS gateway, face comparison), login by ID number or phone with
 * lockout and an optional SMS second factor, password reset by SMS, disable and approved unlock. The contract an
 * OpenID Connect provider builds on is {@link io.huitong.hub.identity.Accounts}.
 *
 * <p>Tables (schema {@code identity}): {@code account}, {@code delegation}, {@code sms_code}, {@code unlock_request}.
 * Routes: {@code /api/v1/identity/*}, {@code /api/v1/admin/identity/*}. Config keys: {@code identity.*}
 * ({@link io.huitong.hub.identity.IdentityConfig}). See docs/identity.md.
 */
package io.huitong.hub.identity;
