package io.huitong.crypto;

import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Primitive;

/** Strict DER reading: one object that fills the input exactly, in its canonical encoding. */
public final class Asn1 {
  private Asn1() {
  }

  /**
   * Parses {@code der} as exactly one DER object; trailing bytes, indefinite lengths and non-canonical encodings are
   * refused, so two different byte strings never pass as the same signature or key.
   */
  /**
   * Reads one DER (or BER) object and builds {@code T} from it, parsing every part now rather than lazily, so that
   * what is accepted is safe to use later. Any failure is MALFORMED_DER naming {@code what}.
   */
  public static <T> T whole(byte[] der, String what, java.util.function.Function<ASN1Primitive, T> reader) {
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(der);
      p.getEncoded("DER");
      return reader.apply(p);
    } catch (CryptoException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CryptoException(CryptoError.MALFORMED_DER, "not a DER " + what);
    }
  }

  public static ASN1Primitive strict(byte[] der) {
    if (der == null || der.length == 0) {
      throw new CryptoException(CryptoError.MALFORMED_DER, "no DER given");
    }
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(der);
      if (!Arrays.equals(p.getEncoded("DER"), der)) {
        throw new CryptoException(CryptoError.MALFORMED_DER, "not canonical DER (or trailing bytes)");
      }
      return p;
    } catch (IOException | RuntimeException e) {
      if (e instanceof CryptoException c) {
        throw c;
      }
      throw new CryptoException(CryptoError.MALFORMED_DER, "not DER: " + e.getMessage());
    }
  }
}
