/**
 * Keys, certificates and seals (密钥管理, 数字证书, 电子签章).
 *
 * <ul>
 *   <li>Contract: {@link io.huitong.hub.signing.KeyVault} (SM2 keys with versions and purposes),
 *       {@link io.huitong.hub.signing.Pki} (the hub's SM2 CA, revocation, CRL), {@link io.huitong.hub.signing.Seals},
 *       {@link io.huitong.hub.signing.BlindIndex} (HMAC-SM3 indexes of encrypted fields); assembled by
 *       {@link io.huitong.hub.signing.Signing}.</li>
 *   <li>Tables: schema {@code signing}: {@code master_key_check}, {@code signing_key}, {@code key_version},
 *       {@code certificate}, sequence {@code crl_number}. Private keys are stored only sealed under the
 *       {@link io.huitong.hub.signing.MasterKey}, which never enters the database.</li>
 *   <li>Config keys: {@code signing.*} ({@link io.huitong.hub.signing.SigningConfig}).</li>
 *   <li>Routes: {@code /api/v1/admin/keys}, {@code sign}, {@code verify}, {@code digest}, {@code encrypt},
 *       {@code decrypt}, {@code certificates}, {@code ca/certificate}, {@code ca/crl}, {@code seals}
 *       ({@link io.huitong.hub.signing.SigningRoutes}).</li>
 * </ul>
 */
package io.huitong.hub.signing;
