package io.huitong.crypto.x509;

import java.math.BigInteger;
import java.time.Instant;

/**
 * One entry of a CRL.
 *
 * @param serial    serial number of the revoked certificate
 * @param revokedAt when it was revoked
 * @param reason    why
 */
public record RevokedCertificate(BigInteger serial, Instant revokedAt, RevocationReason reason) {
}
