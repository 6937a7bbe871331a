/**
 * SM-series (国密) cryptography over BouncyCastle, byte-compatible with OpenSSL 3 and the GM/T test vectors:
 * {@link io.huitong.crypto.Sm3} digests and HMAC, {@link io.huitong.crypto.Sm4} in CBC, CTR and GCM (whole
 * messages and streams), {@link io.huitong.crypto.Sm2} signatures and encryption with their keys, and SM2 X.509
 * in {@link io.huitong.crypto.x509}. Callers never see a JCA provider.
 *
 * <p>Every malformed input (PEM, DER, a point off the curve, a key of the wrong length, a truncated or altered
 * ciphertext) is a {@link io.huitong.crypto.CryptoException} with a stable {@link io.huitong.crypto.CryptoError}
 * code, never another runtime exception. All classes are thread-safe unless their Javadoc says otherwise; the
 * streaming objects are single-threaded.
 */
package io.huitong.crypto;
