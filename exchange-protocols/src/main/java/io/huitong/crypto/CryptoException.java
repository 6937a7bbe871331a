package io.huitong.crypto;

/**
 * Input a cryptographic operation cannot accept. The message says what was wrong with the input and never contains
 * key material.
 */
public class CryptoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final CryptoError error;

  public CryptoException(CryptoError error, String message) {
    super(message);
    this.error = error;
  }

  public CryptoException(CryptoError error, String message, Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  public CryptoError error() {
    return error;
  }
}
