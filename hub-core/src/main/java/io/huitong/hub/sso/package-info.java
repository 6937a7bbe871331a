/**
 * Single sign-on (统一认证): an OpenID Connect provider for portals and department systems, on the accounts of
 * {@link io.huitong.hub.identity.Accounts}. Authorization-code flow with PKCE, refresh tokens rotated with reuse
 * detection, userinfo, RP-initiated logout, introspection and revocation; tokens signed ES256 or SM2 (JOSE
 * {@code SM2SM3}) per relying system. Sessions, codes and revocations are shared by the cluster (Hazelcast).
 *
 * <p>Tables (schema {@code sso}): {@code client}, {@code signing_key}, {@code refresh_token}. Routes: {@code /sso/*},
 * {@code /api/v1/admin/sso/*}. Config keys: {@code sso.*} ({@link io.huitong.hub.sso.SsoConfig}). See docs/sso.md.
 */
package io.huitong.hub.sso;
