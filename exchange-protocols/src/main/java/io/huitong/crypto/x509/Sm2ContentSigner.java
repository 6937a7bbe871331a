package io.huitong.crypto.x509;

import io.huitong.crypto.Sm2;
import io.huitong.crypto.Sm2PrivateKey;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;

/** Signs certificates and CRLs SM3withSM2 (OID 1.2.156.10197.1.501) with the default signer ID. Single use. */
final class Sm2ContentSigner implements ContentSigner {
  static final AlgorithmIdentifier ALGORITHM = new AlgorithmIdentifier(GMObjectIdentifiers.sm2sign_with_sm3);

  private final Sm2PrivateKey key;
  private final ByteArrayOutputStream tbs = new ByteArrayOutputStream();

  Sm2ContentSigner(Sm2PrivateKey key) {
    this.key = key;
  }

  @Override
  public AlgorithmIdentifier getAlgorithmIdentifier() {
    return ALGORITHM;
  }

  @Override
  public OutputStream getOutputStream() {
    return tbs;
  }

  @Override
  public byte[] getSignature() {
    return Sm2.sign(key, tbs.toByteArray());
  }
}
