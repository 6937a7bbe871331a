/**
 * SM2 X.509: certificates and CRLs signed SM3withSM2 with the default signer ID (so {@code openssl verify
 * -vfyopt distid:1234567812345678} accepts them), a {@link io.huitong.crypto.x509.CertificateAuthority} that issues
 * and revokes, and a {@link io.huitong.crypto.x509.ChainValidator} that checks a chain against trust anchors, dates
 * and CRLs and says why it rejects one. No JCA provider is involved.
 */
package io.huitong.crypto.x509;
