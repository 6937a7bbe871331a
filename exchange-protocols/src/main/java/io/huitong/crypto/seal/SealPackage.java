package io.huitong.crypto.seal;

import io.huitong.crypto.CryptoError;
import io.huitong.crypto.CryptoException;
import io.huitong.crypto.Sm2;
import io.huitong.crypto.Sm2PrivateKey;
import io.huitong.crypto.Sm3;
import io.huitong.crypto.x509.Sm2Certificate;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;

/**
 * A detached seal over a document, in the shape of GB/T 38540 {@code SES_Signature} v4:
 *
 * <pre>
 * SES_Signature ::= SEQUENCE { toSign TBS_Sign, cert OCTET STRING, signatureAlgID OID, signature BIT STRING }
 * TBS_Sign      ::= SEQUENCE { version INTEGER(4), eseal SESeal, timeInfo GeneralizedTime,
 *                              dataHash BIT STRING, propertyInfo IA5String }
 * SESeal        ::= SEQUENCE { esealInfo SES_SealInfo, cert OCTET STRING, signAlgID OID, signedValue BIT STRING }
 * SES_SealInfo  ::= SEQUENCE { header SEQUENCE { id IA5String "ES", version INTEGER(4), vid IA5String },
 *                              esID IA5String,
 *                              property SEQUENCE { type INTEGER, name UTF8String, certListType INTEGER(1),
 *                                                  certList SEQUENCE OF OCTET STRING, createDate, validStart,
 *                                                  validEnd GeneralizedTime },
 *                              picture SEQUENCE { type IA5String, data OCTET STRING, width INTEGER, height INTEGER } }
 * </pre>
 *
 * The hub makes the seal and signs with it in one step, so the maker's and the signer's certificate are the same.
 * Signatures are SM3withSM2 with the default signer ID, DER (raw r||s is accepted when verifying). Immutable.
 */
public final class SealPackage {
  /** GB/T 38540 structures carry version 4. */
  public static final int VERSION = 4;
  private static final ASN1ObjectIdentifier SM3_WITH_SM2 = GMObjectIdentifiers.sm2sign_with_sm3;
  private static final String VENDOR = "Huitong";
  /** Seal type 1: an official seal of an organisation (单位公章). */
  private static final int OFFICIAL_SEAL = 1;

  private final byte[] der;
  private final byte[] toSign;
  private final byte[] sealInfo;
  private final byte[] sealSignature;
  private final String sealId;
  private final String sealName;
  private final Instant sealedAt;
  private final byte[] documentDigest;
  private final String documentName;
  private final Sm2Certificate signer;
  private final byte[] signature;

  private SealPackage(byte[] der, byte[] toSign, byte[] sealInfo, byte[] sealSignature, String sealId, String sealName,
                      Instant sealedAt, byte[] documentDigest, String documentName, Sm2Certificate signer, byte[] signature) {
    this.der = der;
    this.toSign = toSign;
    this.sealInfo = sealInfo;
    this.sealSignature = sealSignature;
    this.sealId = sealId;
    this.sealName = sealName;
    this.sealedAt = sealedAt;
    this.documentDigest = documentDigest;
    this.documentName = documentName;
    this.signer = signer;
    this.signature = signature;
  }

  /**
   * Seals {@code document} with {@code key}, whose certificate is {@code signer}. The caller has checked that the
   * certificate is valid and not revoked.
   */
  public static SealPackage seal(Sm2PrivateKey key, Sm2Certificate signer, String sealId, String sealName,
                                 String documentName, byte[] document, Instant at) {
    if (!key.publicKey().equals(signer.publicKey())) {
      throw new CryptoException(CryptoError.CERTIFICATE_INVALID, "the signing key is not the certificate's key");
    }
    requireIa5(sealId, "seal id");
    requireIa5(documentName, "document name");
    Instant time = at.truncatedTo(ChronoUnit.SECONDS);
    byte[] certDer = signer.toDer();
    ASN1Primitive info = sequence(
        sequence(new DERIA5String("ES"), new ASN1Integer(VERSION), new DERIA5String(VENDOR)),
        new DERIA5String(sealId),
        sequence(new ASN1Integer(OFFICIAL_SEAL), new DERUTF8String(sealName), new ASN1Integer(1),
            sequence(new DEROctetString(certDer)), time(time), time(time), time(signer.notAfter())),
        sequence(new DERIA5String("NONE"), new DEROctetString(new byte[0]), new ASN1Integer(0), new ASN1Integer(0)));
    byte[] infoDer = der(info);
    byte[] infoSignature = Sm2.sign(key, infoDer);
    ASN1Primitive seal = sequence(info, new DEROctetString(certDer), SM3_WITH_SM2, new DERBitString(infoSignature));
    byte[] digest = Sm3.hash(document);
    ASN1Primitive tbs = sequence(new ASN1Integer(VERSION), seal, time(time), new DERBitString(digest),
        new DERIA5String(documentName));
    byte[] tbsDer = der(tbs);
    byte[] signature = Sm2.sign(key, tbsDer);
    byte[] all = der(sequence(tbs, new DEROctetString(certDer), SM3_WITH_SM2, new DERBitString(signature)));
    return new SealPackage(all, tbsDer, infoDer, infoSignature, sealId, sealName, time, digest, documentName, signer, signature);
  }

  /**
   * Reads a seal package.
   *
   * @throws CryptoException MALFORMED_DER when it is not one
   */
  public static SealPackage parse(byte[] der) {
    try {
      ASN1Sequence root = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
      ASN1Sequence tbs = ASN1Sequence.getInstance(root.getObjectAt(0));
      Sm2Certificate signer = Sm2Certificate.fromDer(ASN1OctetString.getInstance(root.getObjectAt(1)).getOctets());
      requireAlgorithm(root.getObjectAt(2));
      byte[] signature = DERBitString.getInstance(root.getObjectAt(3)).getOctets();
      if (ASN1Integer.getInstance(tbs.getObjectAt(0)).intValueExact() != VERSION) {
        throw new CryptoException(CryptoError.MALFORMED_DER, "the seal is not a version-4 (GB/T 38540) seal");
      }
      ASN1Sequence seal = ASN1Sequence.getInstance(tbs.getObjectAt(1));
      ASN1Sequence info = ASN1Sequence.getInstance(seal.getObjectAt(0));
      requireAlgorithm(seal.getObjectAt(2));
      ASN1Sequence property = ASN1Sequence.getInstance(info.getObjectAt(2));
      return new SealPackage(der.clone(), tbs.getEncoded("DER"), info.getEncoded("DER"),
          DERBitString.getInstance(seal.getObjectAt(3)).getOctets(),
          ((ASN1String) info.getObjectAt(1)).getString(), ((ASN1String) property.getObjectAt(1)).getString(),
          ASN1GeneralizedTime.getInstance(tbs.getObjectAt(2)).getDate().toInstant(),
          DERBitString.getInstance(tbs.getObjectAt(3)).getOctets(), ((ASN1String) tbs.getObjectAt(4)).getString(),
          signer, signature);
    } catch (CryptoException e) {
      throw e;
    } catch (IOException | RuntimeException | java.text.ParseException e) {
      throw new CryptoException(CryptoError.MALFORMED_DER, "not a seal package (GB/T 38540 SES_Signature)");
    }
  }

  /** True when both the seal and the signature over document digest and time are the signer's. */
  public boolean signatureValid() {
    return Sm2.verify(signer.publicKey(), sealInfo, sealSignature) && Sm2.verify(signer.publicKey(), toSign, signature);
  }

  /** True when {@code document} is the one sealed: its SM3 digest equals the sealed one. */
  public boolean matches(byte[] document) {
    return MessageDigest.isEqual(documentDigest, Sm3.hash(document));
  }

  public byte[] toDer() {
    return der.clone();
  }

  public String sealId() {
    return sealId;
  }

  public String sealName() {
    return sealName;
  }

  public Instant sealedAt() {
    return sealedAt;
  }

  public byte[] documentDigest() {
    return documentDigest.clone();
  }

  public String documentName() {
    return documentName;
  }

  public Sm2Certificate signer() {
    return signer;
  }

  private static void requireAlgorithm(Object oid) {
    if (!SM3_WITH_SM2.equals(ASN1ObjectIdentifier.getInstance(oid))) {
      throw new CryptoException(CryptoError.MALFORMED_DER, "the seal is not signed SM3withSM2");
    }
  }

  private static void requireIa5(String s, String what) {
    if (s == null || s.isEmpty() || !DERIA5String.isIA5String(s)) {
      throw new CryptoException(CryptoError.INPUT_INVALID, "the " + what + " must be non-empty ASCII");
    }
  }

  private static ASN1GeneralizedTime time(Instant t) {
    return new ASN1GeneralizedTime(Date.from(t));
  }

  private static ASN1Primitive sequence(org.bouncycastle.asn1.ASN1Encodable... items) {
    return new DERSequence(items);
  }

  private static byte[] der(ASN1Primitive p) {
    try {
      return p.getEncoded("DER");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
