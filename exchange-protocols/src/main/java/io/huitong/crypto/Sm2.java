package io.huitong.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.math.ec.ECMultiplier;

/**
 * SM2 (GB/T 32918) signatures and public-key encryption on sm2p256v1.
 *
 * <p>Signatures are SM3withSM2 over Z_A||M, where Z_A binds the signer's ID ({@link #DEFAULT_SIGNER_ID} unless
 * given) and public key. They come out as DER {@code SEQUENCE { r, s }} (GB/T 35276) and are accepted as DER or
 * as raw 64-byte {@code r||s}. Note that OpenSSL 3.0's default ID is empty: pass
 * {@code -sigopt distid:1234567812345678} to it.
 */
public final class Sm2 {
  /** The default signer ID of GM/T 0009 / GB/T 35276: ASCII {@code 1234567812345678}. */
  public static final byte[] DEFAULT_SIGNER_ID = "1234567812345678".getBytes(StandardCharsets.US_ASCII);
  /** The ID length is carried in 16 bits of bit-length. */
  public static final int MAX_SIGNER_ID_LENGTH = 8191;
  /** Length of a raw {@code r||s} signature. */
  public static final int RAW_SIGNATURE_LENGTH = 64;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int C1_LENGTH = 65;

  private Sm2() {
  }

  public static Sm2KeyPair generateKeyPair() {
    ECKeyPairGenerator generator = new ECKeyPairGenerator();
    generator.init(new ECKeyGenerationParameters(Sm2Curve.DOMAIN, RANDOM));
    while (true) {
      AsymmetricCipherKeyPair pair = generator.generateKeyPair();
      BigInteger d = ((ECPrivateKeyParameters) pair.getPrivate()).getD();
      // SM2 needs (1 + d) invertible mod n, so d = n - 1 (probability 2^-256) is drawn again.
      if (d.compareTo(Sm2Curve.N.subtract(BigInteger.ONE)) < 0) {
        Sm2PrivateKey priv = Sm2PrivateKey.fromD(d);
        return new Sm2KeyPair(priv, priv.publicKey());
      }
    }
  }

  /** Signs {@code message} with the default signer ID; returns the DER signature. */
  public static byte[] sign(Sm2PrivateKey key, byte[] message) {
    return sign(key, message, DEFAULT_SIGNER_ID);
  }

  /** Signs {@code message} with {@code signerId}; returns the DER signature. */
  public static byte[] sign(Sm2PrivateKey key, byte[] message, byte[] signerId) {
    SM2Signer signer = new SM2Signer() {
      @Override
      protected ECMultiplier createBasePointMultiplier() {
        return FixedBaseMultiplier.sm2();
      }
    };
    signer.init(true, new ParametersWithID(new ParametersWithRandom(key.params(), RANDOM), requireId(signerId)));
    signer.update(message, 0, message.length);
    try {
      return signer.generateSignature();
    } catch (org.bouncycastle.crypto.CryptoException e) {
      throw new IllegalStateException("SM2 signing failed with a valid key", e);
    }
  }

  /** Verifies with the default signer ID. */
  public static boolean verify(Sm2PublicKey key, byte[] message, byte[] signature) {
    return verify(key, message, signature, DEFAULT_SIGNER_ID);
  }

  /**
   * True when {@code signature} (DER or raw {@code r||s}) is {@code key}'s signature of {@code message} under
   * {@code signerId}; false for a well-formed signature that does not match.
   *
   * @throws CryptoException SIGNATURE_MALFORMED when the signature is neither form
   */
  public static boolean verify(Sm2PublicKey key, byte[] message, byte[] signature, byte[] signerId) {
    byte[] raw = rawSignature(signature);
    SM2Signer verifier = new SM2Signer(PlainDSAEncoding.INSTANCE);
    verifier.init(false, new ParametersWithID(key.params(), requireId(signerId)));
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(raw);
  }

  /** Converts a DER signature to raw 64-byte {@code r||s}; a raw one is returned as it is. */
  public static byte[] rawSignature(byte[] signature) {
    if (signature == null) {
      throw new CryptoException(CryptoError.SIGNATURE_MALFORMED, "no signature given");
    }
    if (signature.length > 0 && signature[0] == 0x30) {
      try {
        ASN1Primitive p = Asn1.strict(signature);
        ASN1Sequence seq = ASN1Sequence.getInstance(p);
        if (seq.size() == 2) {
          BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getPositiveValue();
          BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getPositiveValue();
          if (r.bitLength() <= 256 && s.bitLength() <= 256) {
            return concat(Sm2Curve.fixed(r), Sm2Curve.fixed(s));
          }
        }
      } catch (RuntimeException notDer) {
        // fall through: a 64-byte raw signature may begin with 0x30
      }
    }
    if (signature.length == RAW_SIGNATURE_LENGTH) {
      return signature.clone();
    }
    throw new CryptoException(CryptoError.SIGNATURE_MALFORMED,
        "an SM2 signature is DER SEQUENCE { r, s } or 64 raw bytes r||s; got " + signature.length + " bytes of neither");
  }

  /** Converts a raw 64-byte {@code r||s} signature to DER. */
  public static byte[] derSignature(byte[] raw) {
    if (raw == null || raw.length != RAW_SIGNATURE_LENGTH) {
      throw new CryptoException(CryptoError.SIGNATURE_MALFORMED, "a raw SM2 signature is 64 bytes");
    }
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, 32))));
    v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 32, 64))));
    return der(new DERSequence(v));
  }

  /** Encrypts {@code plaintext} (at least one byte) to {@code key}. */
  public static byte[] encrypt(Sm2PublicKey key, byte[] plaintext, Sm2CipherFormat format) {
    if (plaintext == null || plaintext.length == 0) {
      throw new CryptoException(CryptoError.INPUT_INVALID, "SM2 encrypts at least one byte");
    }
    SM2Engine engine = new SM2Engine(new SM3Digest(), SM2Engine.Mode.C1C3C2) {
      @Override
      protected ECMultiplier createBasePointMultiplier() {
        return FixedBaseMultiplier.sm2();
      }
    };
    engine.init(true, new ParametersWithRandom(key.params(), RANDOM));
    byte[] c1c3c2;
    try {
      c1c3c2 = engine.processBlock(plaintext, 0, plaintext.length);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("SM2 encryption failed with a valid key", e);
    }
    return format == Sm2CipherFormat.C1C3C2 ? c1c3c2 : toAsn1(c1c3c2);
  }

  /**
   * Decrypts a ciphertext in either {@link Sm2CipherFormat}, told apart by its first byte ({@code 04} raw,
   * {@code 30} ASN.1).
   *
   * @throws CryptoException CIPHERTEXT_INVALID when it is truncated, altered or not for this key; MALFORMED_DER
   *     when the ASN.1 form does not parse
   */
  public static byte[] decrypt(Sm2PrivateKey key, byte[] ciphertext) {
    if (ciphertext == null || ciphertext.length < C1_LENGTH + Sm3.LENGTH + 1) {
      throw new CryptoException(CryptoError.CIPHERTEXT_INVALID, "the SM2 ciphertext is too short");
    }
    byte[] c1c3c2 = ciphertext[0] == 0x30 ? fromAsn1(ciphertext) : ciphertext;
    if (c1c3c2[0] != 0x04) {
      throw new CryptoException(CryptoError.CIPHERTEXT_INVALID, "the SM2 ciphertext does not start with an uncompressed point");
    }
    try {
      Sm2Curve.point(Arrays.copyOfRange(c1c3c2, 0, C1_LENGTH));
    } catch (CryptoException offCurve) {
      throw new CryptoException(CryptoError.CIPHERTEXT_INVALID, "the SM2 ciphertext's point C1 is not on the curve: it was altered");
    }
    SM2Engine engine = new SM2Engine(new SM3Digest(), SM2Engine.Mode.C1C3C2);
    engine.init(false, key.params());
    try {
      return engine.processBlock(c1c3c2, 0, c1c3c2.length);
    } catch (InvalidCipherTextException | RuntimeException e) {
      throw new CryptoException(CryptoError.CIPHERTEXT_INVALID, "the SM2 ciphertext is altered, truncated or not for this key");
    }
  }

  /** Wraps raw {@code C1||C3||C2} in the GB/T 35276 ASN.1 structure. */
  public static byte[] toAsn1(byte[] c1c3c2) {
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(c1c3c2, 1, 33))));
    v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(c1c3c2, 33, 65))));
    v.add(new DEROctetString(Arrays.copyOfRange(c1c3c2, C1_LENGTH, C1_LENGTH + Sm3.LENGTH)));
    v.add(new DEROctetString(Arrays.copyOfRange(c1c3c2, C1_LENGTH + Sm3.LENGTH, c1c3c2.length)));
    return der(new DERSequence(v));
  }

  /** Unwraps the GB/T 35276 ASN.1 structure to raw {@code C1||C3||C2}. */
  public static byte[] fromAsn1(byte[] asn1) {
    try {
      ASN1Sequence seq = ASN1Sequence.getInstance(Asn1.strict(asn1));
      if (seq.size() != 4) {
        throw new CryptoException(CryptoError.MALFORMED_DER, "an SM2 ciphertext SEQUENCE has 4 fields");
      }
      BigInteger x = ASN1Integer.getInstance(seq.getObjectAt(0)).getPositiveValue();
      BigInteger y = ASN1Integer.getInstance(seq.getObjectAt(1)).getPositiveValue();
      byte[] c3 = ASN1OctetString.getInstance(seq.getObjectAt(2)).getOctets();
      byte[] c2 = ASN1OctetString.getInstance(seq.getObjectAt(3)).getOctets();
      if (x.bitLength() > 256 || y.bitLength() > 256 || c3.length != Sm3.LENGTH || c2.length == 0) {
        throw new CryptoException(CryptoError.CIPHERTEXT_INVALID, "the SM2 ciphertext fields have the wrong sizes");
      }
      return concat(new byte[] {0x04}, Sm2Curve.fixed(x), Sm2Curve.fixed(y), c3, c2);
    } catch (CryptoException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CryptoException(CryptoError.MALFORMED_DER, "not an SM2 ciphertext SEQUENCE { x, y, hash, ciphertext }");
    }
  }

  private static byte[] requireId(byte[] signerId) {
    if (signerId == null || signerId.length > MAX_SIGNER_ID_LENGTH) {
      throw new CryptoException(CryptoError.INPUT_INVALID, "a signer ID is 0 to " + MAX_SIGNER_ID_LENGTH + " bytes");
    }
    return signerId;
  }

  private static byte[] der(ASN1Primitive p) {
    try {
      return p.getEncoded("DER");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
