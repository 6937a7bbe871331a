package io.huitong.crypto;

/** Why a cryptographic operation refused its input. Codes are stable: the HTTP API reports them. */
public enum CryptoError {
  /** Text that should be PEM is not, or holds the wrong kind of object. */
  MALFORMED_PEM,
  /** Bytes that should be DER (a key, a signature, a ciphertext, a certificate) do not parse. */
  MALFORMED_DER,
  /** A public key whose point is not on the SM2 curve, or is the point at infinity. */
  POINT_NOT_ON_CURVE,
  /** A key (or IV, or nonce) of the wrong length, or a private scalar outside [1, n-2]. */
  WRONG_KEY_LENGTH,
  /** A key of another algorithm or curve where SM2 was expected. */
  NOT_SM2,
  /** A ciphertext that is truncated, altered, or fails its integrity check. */
  CIPHERTEXT_INVALID,
  /** A signature that is neither DER nor raw 64-byte r||s. */
  SIGNATURE_MALFORMED,
  /** Input outside what the operation is defined for (an empty message to encrypt, an over-long signer ID). */
  INPUT_INVALID,
  /** A certificate or CRL that cannot be issued, parsed or trusted (the message says which). */
  CERTIFICATE_INVALID
}
