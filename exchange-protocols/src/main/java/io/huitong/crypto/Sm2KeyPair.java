package io.huitong.crypto;

/**
 * An SM2 private key with its public key.
 *
 * @param privateKey the scalar
 * @param publicKey  the point d·G
 */
public record Sm2KeyPair(Sm2PrivateKey privateKey, Sm2PublicKey publicKey) {
}
