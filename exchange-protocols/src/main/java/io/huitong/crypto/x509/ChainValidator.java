package io.huitong.crypto.x509;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Validates a certificate chain at a given time against trust anchors and CRLs, and says why when it does not
 * hold. The chain is given leaf first; it ends at a certificate issued by a trust anchor (or at the anchor itself).
 *
 * <p>Every certificate must be within its validity at the time, signed by the next one up, and not revoked by a
 * CRL of its issuer (a CRL is used only when its issuer's key signed it and it was issued by the time). Every
 * issuer must be a CA. An issuer without a CRL in {@code crls} is reported in {@link ChainCheck#unchecked()}.
 */
public final class ChainValidator {
  private final List<Sm2Certificate> anchors;
  private final List<Sm2Crl> crls;

  private ChainValidator(Collection<Sm2Certificate> anchors, Collection<Sm2Crl> crls) {
    this.anchors = List.copyOf(anchors);
    this.crls = List.copyOf(crls);
  }

  public static ChainValidator create(Collection<Sm2Certificate> anchors, Collection<Sm2Crl> crls) {
    return new ChainValidator(anchors, crls);
  }

  public ChainCheck validate(List<Sm2Certificate> chain, Instant at) {
    if (chain.isEmpty()) {
      return ChainCheck.reject(ChainCheck.Problem.UNTRUSTED, "no certificate given", null);
    }
    List<String> unchecked = new ArrayList<>();
    for (int i = 0; i < chain.size(); i++) {
      Sm2Certificate cert = chain.get(i);
      if (at.isBefore(cert.notBefore())) {
        return ChainCheck.reject(ChainCheck.Problem.NOT_YET_VALID, cert.subject() + " is valid from " + cert.notBefore(), null);
      }
      if (at.isAfter(cert.notAfter())) {
        return ChainCheck.reject(ChainCheck.Problem.EXPIRED, cert.subject() + " expired at " + cert.notAfter(), null);
      }
      if (anchors.contains(cert)) {
        return ChainCheck.accept(unchecked);
      }
      Optional<Sm2Certificate> issuer = i + 1 < chain.size() ? Optional.of(chain.get(i + 1)) : anchorFor(cert);
      if (issuer.isEmpty() || !cert.issuer().equals(issuer.get().subject())) {
        return ChainCheck.reject(ChainCheck.Problem.UNTRUSTED, "no trusted issuer for " + cert.subject()
            + " (issued by " + cert.issuer() + ")", null);
      }
      if (!issuer.get().isCa()) {
        return ChainCheck.reject(ChainCheck.Problem.NOT_A_CA, issuer.get().subject() + " may not issue certificates", null);
      }
      if (!cert.signedBy(issuer.get().publicKey())) {
        return ChainCheck.reject(ChainCheck.Problem.SIGNATURE_INVALID,
            "the signature on " + cert.subject() + " is not " + issuer.get().subject() + "'s", null);
      }
      Optional<Sm2Crl> crl = crlOf(issuer.get(), at);
      if (crl.isEmpty()) {
        unchecked.add(issuer.get().subject());
      } else {
        Optional<RevokedCertificate> entry = crl.get().entry(cert.serial());
        if (entry.isPresent() && !entry.get().revokedAt().isAfter(at)) {
          return ChainCheck.reject(ChainCheck.Problem.REVOKED, cert.subject() + " (serial " + cert.serial().toString(16)
              + ") was revoked at " + entry.get().revokedAt() + ": " + entry.get().reason().rfcName(), entry.get());
        }
      }
      if (i + 1 == chain.size()) {
        if (at.isAfter(issuer.get().notAfter()) || at.isBefore(issuer.get().notBefore())) {
          return ChainCheck.reject(ChainCheck.Problem.EXPIRED, "the trust anchor " + issuer.get().subject()
              + " is not valid at " + at, null);
        }
        return ChainCheck.accept(unchecked);
      }
    }
    return ChainCheck.reject(ChainCheck.Problem.UNTRUSTED, "the chain does not reach a trust anchor", null);
  }

  private Optional<Sm2Certificate> anchorFor(Sm2Certificate cert) {
    return anchors.stream()
        .filter(a -> a.subject().equals(cert.issuer()) && cert.signedBy(a.publicKey()))
        .findFirst();
  }

  /** The newest CRL its issuer signed and published by {@code at}. */
  private Optional<Sm2Crl> crlOf(Sm2Certificate issuer, Instant at) {
    return crls.stream()
        .filter(c -> c.issuer().equals(issuer.subject()) && !c.thisUpdate().isAfter(at) && c.signedBy(issuer.publicKey()))
        .max(java.util.Comparator.comparing(Sm2Crl::thisUpdate));
  }
}
