package io.huitong.crypto;

/** The SM4 modes the hub uses, with the IV each takes. */
public enum Sm4Mode {
  /** CBC with PKCS#7 padding (OpenSSL {@code -sm4-cbc}); 16-byte IV. */
  CBC(16),
  /** Counter mode (OpenSSL {@code -sm4-ctr}), no padding; 16-byte initial counter block. */
  CTR(16),
  /** GCM (RFC 8998) with associated data and a 16-byte tag appended to the ciphertext; 12-byte nonce. */
  GCM(12);

  private final int ivLength;

  Sm4Mode(int ivLength) {
    this.ivLength = ivLength;
  }

  /** Length in bytes of the IV (CBC, CTR) or nonce (GCM). */
  public int ivLength() {
    return ivLength;
  }
}
