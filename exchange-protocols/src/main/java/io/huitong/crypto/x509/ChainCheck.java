package io.huitong.crypto.x509;

import java.util.List;

/**
 * The outcome of validating a chain.
 *
 * @param valid      true when the chain holds
 * @param problem    why it does not, or null
 * @param detail     the reason in words, naming the certificate at fault
 * @param revocation the CRL entry, when the problem is {@link Problem#REVOKED}
 * @param unchecked  issuers whose revocation status could not be checked (no CRL of theirs was given)
 */
public record ChainCheck(boolean valid, Problem problem, String detail, RevokedCertificate revocation,
                         List<String> unchecked) {

  /** Why a chain is rejected. */
  public enum Problem { EXPIRED, NOT_YET_VALID, REVOKED, UNTRUSTED, SIGNATURE_INVALID, NOT_A_CA }

  static ChainCheck accept(List<String> unchecked) {
    return new ChainCheck(true, null, "valid", null, List.copyOf(unchecked));
  }

  static ChainCheck reject(Problem problem, String detail, RevokedCertificate revocation) {
    return new ChainCheck(false, problem, detail, revocation, List.of());
  }
}
