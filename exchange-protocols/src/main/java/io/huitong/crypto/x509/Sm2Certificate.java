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
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;

/** An X.509 certificate whose subject key is SM2. Immutable. */
public final class Sm2Certificate {
  private final X509CertificateHolder holder;
  private final Sm2PublicKey publicKey;
  // Read once, when the certificate is: a corrupt part fails at fromDer, never later in an accessor.
  private final String subject;
  private final String issuer;
  private final Instant notBefore;
  private final Instant notAfter;
  private final BasicConstraints basicConstraints;
  private final KeyUsage keyUsage;
  private final byte[] tbs;

  Sm2Certificate(X509CertificateHolder holder) {
    this.holder = holder;
    try {
      this.publicKey = Sm2PublicKey.fromDer(holder.getSubjectPublicKeyInfo().getEncoded("DER"));
      this.subject = holder.getSubject().toString();
      this.issuer = holder.getIssuer().toString();
      this.notBefore = holder.getNotBefore().toInstant();
      this.notAfter = holder.getNotAfter().toInstant();
      this.basicConstraints = BasicConstraints.fromExtensions(holder.getExtensions());
      this.keyUsage = KeyUsage.fromExtensions(holder.getExtensions());
      this.tbs = holder.toASN1Structure().getTBSCertificate().getEncoded("DER");
    } catch (CryptoException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CryptoException(CryptoError.MALFORMED_DER, "the certificate's fields do not parse");
    }
  }

  public static Sm2Certificate fromDer(byte[] der) {
    return Asn1.whole(der, "X.509 certificate",
        p -> new Sm2Certificate(new X509CertificateHolder(org.bouncycastle.asn1.x509.Certificate.getInstance(p))));
  }

  /** Reads the first {@code -----BEGIN CERTIFICATE-----} block. */
  public static Sm2Certificate fromPem(String pem) {
    return fromDer(Pem.read(pem, "CERTIFICATE"));
  }

  public byte[] toDer() {
    try {
      return holder.getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String toPem() {
    return Pem.write("CERTIFICATE", toDer());
  }

  public BigInteger serial() {
    return holder.getSerialNumber();
  }

  /** Subject distinguished name, RFC 4514 style as BouncyCastle prints it. */
  public String subject() {
    return subject;
  }

  public String issuer() {
    return issuer;
  }

  public Instant notBefore() {
    return notBefore;
  }

  public Instant notAfter() {
    return notAfter;
  }

  public Sm2PublicKey publicKey() {
    return publicKey;
  }

  /** True when basicConstraints says CA and, if keyUsage is present, it allows certificate signing. */
  public boolean isCa() {
    return basicConstraints != null && basicConstraints.isCA() && (keyUsage == null || keyUsage.hasUsages(KeyUsage.keyCertSign));
  }

  /** True when {@code issuer}'s key made this certificate's SM3withSM2 signature. */
  public boolean signedBy(Sm2PublicKey issuer) {
    if (!holder.getSignatureAlgorithm().equals(Sm2ContentSigner.ALGORITHM)) {
      return false;
    }
    try {
      return Sm2.verify(issuer, tbs, holder.getSignature());
    } catch (RuntimeException e) {
      return false;
    }
  }

  X509CertificateHolder holder() {
    return holder;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sm2Certificate other && holder.equals(other.holder);
  }

  @Override
  public int hashCode() {
    return holder.hashCode();
  }

  @Override
  public String toString() {
    return "Sm2Certificate[" + subject() + ", serial " + serial().toString(16) + "]";
  }
}
