package io.huitong.crypto.x509;

import io.huitong.crypto.Asn1;
import io.huitong.crypto.CryptoError;
import io.huitong.crypto.CryptoException;
import io.huitong.crypto.Pem;
import io.huitong.crypto.Sm2;
import io.huitong.crypto.Sm2PublicKey;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;

/** An X.509 v2 CRL signed SM3withSM2. Immutable. */
public final class Sm2Crl {
  private final X509CRLHolder holder;
  // Read once, when the CRL is: a corrupt part fails at fromDer, never later in an accessor.
  private final String issuer;
  private final Instant thisUpdate;
  private final byte[] tbs;
  private final byte[] signature;
  private final Map<BigInteger, RevokedCertificate> entries = new HashMap<>();

  Sm2Crl(X509CRLHolder holder) {
    this.holder = holder;
    try {
      this.issuer = holder.getIssuer().toString();
      this.thisUpdate = holder.getThisUpdate().toInstant();
      this.tbs = holder.toASN1Structure().getTBSCertList().getEncoded("DER");
      this.signature = holder.toASN1Structure().getSignature().getOctets();
      for (Object o : holder.getRevokedCertificates()) {
        X509CRLEntryHolder e = (X509CRLEntryHolder) o;
        RevocationReason reason = RevocationReason.UNSPECIFIED;
        Extension ext = e.getExtensions() == null ? null : e.getExtensions().getExtension(Extension.reasonCode);
        if (ext != null) {
          reason = RevocationReason.ofCode(ASN1Enumerated.getInstance(ext.getParsedValue()).intValueExact());
        }
        entries.put(e.getSerialNumber(), new RevokedCertificate(e.getSerialNumber(), e.getRevocationDate().toInstant(), reason));
      }
    } catch (IOException | RuntimeException e) {
      throw new CryptoException(CryptoError.MALFORMED_DER, "the CRL's fields do not parse");
    }
  }

  public static Sm2Crl fromDer(byte[] der) {
    return Asn1.whole(der, "X.509 CRL",
        p -> new Sm2Crl(new X509CRLHolder(org.bouncycastle.asn1.x509.CertificateList.getInstance(p))));
  }

  public byte[] toDer() {
    try {
      return holder.getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String toPem() {
    return Pem.write("X509 CRL", toDer());
  }

  public String issuer() {
    return issuer;
  }

  public Instant thisUpdate() {
    return thisUpdate;
  }

  /** True when {@code issuer}'s key made this CRL's SM3withSM2 signature. */
  public boolean signedBy(Sm2PublicKey issuer) {
    if (!holder.toASN1Structure().getSignatureAlgorithm().equals(Sm2ContentSigner.ALGORITHM)) {
      return false;
    }
    try {
      return Sm2.verify(issuer, tbs, signature);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The entry for {@code serial}, if this CRL revokes it. */
  public Optional<RevokedCertificate> entry(BigInteger serial) {
    return Optional.ofNullable(entries.get(serial));
  }
}
