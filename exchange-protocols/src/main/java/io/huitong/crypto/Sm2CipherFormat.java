package io.huitong.crypto;

/** How an SM2 ciphertext is laid out. Both carry C1 (the point kG), C3 (SM3 check value) and C2 (masked message). */
public enum Sm2CipherFormat {
  /** {@code 04||x||y || C3 || C2}: the GM/T 0003-2012 order, as raw bytes. */
  C1C3C2,
  /**
   * {@code SEQUENCE { x INTEGER, y INTEGER, hash OCTET STRING, ciphertext OCTET STRING }} (GB/T 35276), which
   * {@code openssl pkeyutl -encrypt} writes and reads.
   */
  ASN1
}
