package io.huitong.hub.signing;

import io.huitong.crypto.seal.SealPackage;
import io.huitong.crypto.x509.ChainCheck;
import io.smallrye.mutiny.Uni;

/**
 * Electronic seals (电子签章) made with vault keys and certificates of the hub's CA. A key seals only through a
 * certificate that is valid and unrevoked at that moment: an expired certificate is refused with
 * {@code HT-CERTIFICATE-EXPIRED}, a revoked one with {@code HT-CERTIFICATE-REVOKED}.
 */
public interface Seals {

  /**
   * Seals {@code document} with SIGN key {@code keyId} through its newest certificate.
   *
   * @param sealName     the seal's name, such as 某某市政务服务中心业务专用章
   * @param documentName how the document is referred to (ASCII), such as a case number
   */
  Uni<SealPackage> seal(String keyId, String sealName, String documentName, byte[] document);

  /** Verifies {@code seal} over {@code document}: signature, document digest, and the certificate at sealing time. */
  Uni<Verification> verify(byte[] seal, byte[] document);

  /**
   * What verifying a seal found.
   *
   * @param seal             the seal as read
   * @param signatureValid   the seal and its signature are the signer certificate's key's
   * @param documentIntact   the document's SM3 digest is the sealed one
   * @param certificateCheck the signer certificate checked against the hub's CA and CRL at the sealing time
   */
  record Verification(SealPackage seal, boolean signatureValid, boolean documentIntact, ChainCheck certificateCheck) {
    public boolean valid() {
      return signatureValid && documentIntact && certificateCheck.valid();
    }
  }
}
