package io.huitong.hub.signing;

/** What a key may be used for; a key is created for one purpose and never used for another. */
public enum KeyPurpose {
  /** SM2 signatures: exchange envelopes, receipts, seals, the admin sign API. */
  SIGN,
  /** SM2 encryption to this key. */
  ENCRYPT,
  /** Signing SSO tokens. */
  TOKEN,
  /** The hub's certificate authority: certificates and CRLs only. */
  CA
}
