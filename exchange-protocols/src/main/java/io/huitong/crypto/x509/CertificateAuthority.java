package io.huitong.crypto.x509;

import io.huitong.crypto.CryptoError;
import io.huitong.crypto.CryptoException;
import io.huitong.crypto.Sm2KeyPair;
import io.huitong.crypto.Sm2PrivateKey;
import io.huitong.crypto.Sm2PublicKey;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509ExtensionUtils;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;

/**
 * An SM2 certificate authority: its key and certificate, issuing certificates and signing CRLs. It keeps no
 * state of its own: who was issued and revoked is the caller's record, handed in when a CRL is made. Thread-safe.
 */
public final class CertificateAuthority {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final X509ExtensionUtils EXTENSIONS = new BcX509ExtensionUtils();

  private final Sm2PrivateKey key;
  private final Sm2Certificate certificate;

  private CertificateAuthority(Sm2PrivateKey key, Sm2Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  /** An authority over an existing key and certificate; the key must be the certificate's. */
  public static CertificateAuthority of(Sm2PrivateKey key, Sm2Certificate certificate) {
    if (!key.publicKey().equals(certificate.publicKey())) {
      throw new CryptoException(CryptoError.CERTIFICATE_INVALID, "the CA key does not belong to the CA certificate");
    }
    if (!certificate.isCa()) {
      throw new CryptoException(CryptoError.CERTIFICATE_INVALID, "the certificate is not a CA certificate");
    }
    return new CertificateAuthority(key, certificate);
  }

  /** A self-signed root authority for {@code subject} (an X.500 name such as {@code CN=Huitong Dev CA,O=Huitong,C=CN}). */
  public static CertificateAuthority createRoot(Sm2KeyPair keys, String subject, Instant notBefore, Instant notAfter) {
    X500Name name = name(subject);
    X509v3CertificateBuilder b = builder(name, name, randomSerial(), notBefore, notAfter, keys.publicKey());
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, EXTENSIONS.createSubjectKeyIdentifier(spki(keys.publicKey())));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new CertificateAuthority(keys.privateKey(),
        new Sm2Certificate(b.build(new Sm2ContentSigner(keys.privateKey()))));
  }

  public Sm2Certificate certificate() {
    return certificate;
  }

  /**
   * Issues a certificate for {@code subjectKey}. The validity must lie within the authority's own.
   *
   * @param serial a positive serial number unique under this authority ({@link #randomSerial()})
   */
  public Sm2Certificate issue(Sm2PublicKey subjectKey, String subject, BigInteger serial, Instant notBefore,
                              Instant notAfter, CertificateProfile profile) {
    if (serial.signum() <= 0 || serial.bitLength() > 159) {
      throw new CryptoException(CryptoError.CERTIFICATE_INVALID, "a serial number is positive and at most 20 bytes");
    }
    if (!notBefore.isBefore(notAfter) || notBefore.isBefore(certificate.notBefore())
        || notAfter.isAfter(certificate.notAfter())) {
      throw new CryptoException(CryptoError.CERTIFICATE_INVALID, "the validity must be a non-empty period within the CA's, "
          + certificate.notBefore() + " to " + certificate.notAfter());
    }
    X509v3CertificateBuilder b = builder(name(certificate.subject()), name(subject), serial, notBefore, notAfter, subjectKey);
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(profile.ca));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(profile.keyUsage));
      if (profile.extendedUsage != null) {
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(profile.extendedUsage));
      }
      b.addExtension(Extension.subjectKeyIdentifier, false, EXTENSIONS.createSubjectKeyIdentifier(spki(subjectKey)));
      b.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new Sm2Certificate(b.build(new Sm2ContentSigner(key)));
  }

  /** A CRL listing {@code revoked}, numbered {@code crlNumber} (each CRL's number larger than the last's). */
  public Sm2Crl crl(List<RevokedCertificate> revoked, BigInteger crlNumber, Instant thisUpdate, Instant nextUpdate) {
    X509v2CRLBuilder b = new X509v2CRLBuilder(name(certificate.subject()), Date.from(thisUpdate));
    b.setNextUpdate(Date.from(nextUpdate));
    for (RevokedCertificate r : revoked) {
      b.addCRLEntry(r.serial(), Date.from(r.revokedAt()), CRLReason.lookup(r.reason().code()).getValue().intValueExact());
    }
    try {
      b.addExtension(Extension.cRLNumber, false, new ASN1Integer(crlNumber));
      b.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new Sm2Crl(b.build(new Sm2ContentSigner(key)));
  }

  /** A random positive 128-bit serial number, as RFC 5280 and the CA/B forum advise (unpredictable, ≤ 20 bytes). */
  public static BigInteger randomSerial() {
    return new BigInteger(127, RANDOM).setBit(126);
  }

  private AuthorityKeyIdentifier authorityKeyId() {
    return EXTENSIONS.createAuthorityKeyIdentifier(spki(certificate.publicKey()));
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, BigInteger serial,
                                                  Instant notBefore, Instant notAfter, Sm2PublicKey key) {
    return new X509v3CertificateBuilder(issuer, serial, Date.from(notBefore), Date.from(notAfter), subject, spki(key));
  }

  private static SubjectPublicKeyInfo spki(Sm2PublicKey key) {
    return SubjectPublicKeyInfo.getInstance(key.toDer());
  }

  private static X500Name name(String dn) {
    try {
      X500Name name = new X500Name(dn);
      if (name.getRDNs().length == 0) {
        throw new IllegalArgumentException("empty");
      }
      return name;
    } catch (RuntimeException e) {
      throw new CryptoException(CryptoError.CERTIFICATE_INVALID,
          "not an X.500 name such as CN=Window 3,O=City Hall,C=CN: " + dn);
    }
  }

}
