/**
 * Electronic seals (电子签章): a detached seal package over any document, modelled on the {@code SES_Signature}
 * structure of GB/T 38540-2020 (version 4): the seal (its header, id, name, validity and an empty picture, signed by
 * its maker), the time, the SM3 digest of the document, the signer's certificate and an SM3withSM2 signature.
 */
package io.huitong.crypto.seal;
