package io.huitong.hub.signing;

import io.huitong.crypto.Sm2PublicKey;
import io.huitong.crypto.x509.CertificateProfile;
import io.huitong.crypto.x509.ChainCheck;
import io.huitong.crypto.x509.RevocationReason;
import io.huitong.crypto.x509.Sm2Certificate;
import io.huitong.crypto.x509.Sm2Crl;
import io.smallrye.mutiny.Uni;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;

/**
 * The hub's SM2 certificate authority: it issues certificates for keys in the vault (or any SM2 public key),
 * revokes them with a reason, publishes a signed CRL, and checks a certificate against itself and that CRL.
 * Issued certificates and revocations are kept in {@code signing.certificate}.
 */
public interface Pki {

  /** The authority's own certificate (the trust anchor to give to relying parties). */
  Uni<Sm2Certificate> authority();

  /**
   * Issues a certificate valid from now for {@code validity}.
   *
   * @param keyId the vault key it certifies, or null when {@code publicKey} is an outside key
   */
  Uni<Issued> issue(String keyId, Sm2PublicKey publicKey, String subject, Duration validity, CertificateProfile profile);

  /** The certificate with {@code serial}, with its revocation state; {@code HT-CERTIFICATE-NOT-FOUND} if none. */
  Uni<Issued> certificate(BigInteger serial);

  /** Revokes a certificate; revoking twice keeps the first revocation. */
  Uni<Issued> revoke(BigInteger serial, RevocationReason reason);

  /** A fresh CRL of every revocation so far, signed by the authority. */
  Uni<Sm2Crl> crl();

  /** Checks {@code certificate} against the authority and its current CRL, at {@code at}. */
  Uni<ChainCheck> check(Sm2Certificate certificate, Instant at);

  /**
   * A certificate as the authority records it.
   *
   * @param certificate       the certificate
   * @param keyId             the vault key it certifies, or null
   * @param profile           what it was issued for
   * @param revokedAt         when it was revoked, or null
   * @param revocationReason  why, or null
   */
  record Issued(Sm2Certificate certificate, String keyId, CertificateProfile profile, Instant revokedAt,
                RevocationReason revocationReason) {
  }
}
