package io.huitong.crypto;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM armour (RFC 7468): one labelled block in, one out. */
public final class Pem {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----", Pattern.DOTALL);

  private Pem() {
  }

  /**
   * One PEM block.
   *
   * @param label the label, such as {@code CERTIFICATE}
   * @param der   the decoded content
   */
  public record Block(String label, byte[] der) {
  }

  /** The first PEM block of {@code text} that is not a curve-parameters block. */
  public static Block read(String text) {
    if (text == null) {
      throw new CryptoException(CryptoError.MALFORMED_PEM, "no PEM given");
    }
    Matcher m = BLOCK.matcher(text);
    boolean found;
    while ((found = m.find()) && m.group(1).endsWith(" PARAMETERS")) {
      // openssl ecparam -genkey writes the curve's parameters before the key
    }
    if (!found) {
      throw new CryptoException(CryptoError.MALFORMED_PEM, "no -----BEGIN ...----- / -----END ...----- block found");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      if (der.length == 0) {
        throw new CryptoException(CryptoError.MALFORMED_PEM, "the PEM block " + m.group(1) + " is empty");
      }
      return new Block(m.group(1), der);
    } catch (IllegalArgumentException e) {
      throw new CryptoException(CryptoError.MALFORMED_PEM, "the PEM block " + m.group(1) + " is not valid base64");
    }
  }

  /** The block labelled {@code label}, or MALFORMED_PEM naming what was found instead. */
  public static byte[] read(String text, String label) {
    Block block = read(text);
    if (!block.label().equals(label)) {
      throw new CryptoException(CryptoError.MALFORMED_PEM, "expected a " + label + " block, got " + block.label());
    }
    return block.der();
  }

  public static String write(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }
}
