package io.huitong.crypto.x509;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/** What an issued certificate may be used for: its keyUsage, extendedKeyUsage and basicConstraints. */
public enum CertificateProfile {
  /** A signing key: digital signatures and non-repudiation (exchange envelopes, receipts, seals). */
  SIGNING(KeyUsage.digitalSignature | KeyUsage.nonRepudiation, null, false),
  /** An encryption key: SM2 encryption and key agreement. */
  ENCRYPTION(KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyAgreement, null, false),
  /** A TLS or TLCP server. */
  SERVER(KeyUsage.digitalSignature | KeyUsage.keyEncipherment, KeyPurposeId.id_kp_serverAuth, false),
  /** A TLS or TLCP client. */
  CLIENT(KeyUsage.digitalSignature, KeyPurposeId.id_kp_clientAuth, false),
  /** A subordinate certificate authority. */
  CA(KeyUsage.keyCertSign | KeyUsage.cRLSign, null, true);

  final int keyUsage;
  final KeyPurposeId extendedUsage;
  final boolean ca;

  CertificateProfile(int keyUsage, KeyPurposeId extendedUsage, boolean ca) {
    this.keyUsage = keyUsage;
    this.extendedUsage = extendedUsage;
    this.ca = ca;
  }
}
