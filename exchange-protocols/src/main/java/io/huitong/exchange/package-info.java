/**
 * The exchange envelope (交换信封): what travels between front-exchange nodes. One signed envelope carries one or
 * many records, each with its issue reference (case number), per-issue sequence, data version, operation and the
 * SM3 digest of its payload; an SM2 signature covers a canonical encoding of the header and every record's
 * metadata and digest. Payloads may be SM4-GCM encrypted under a content key wrapped with the receiver's SM2 key.
 * {@link io.huitong.exchange.EnvelopeJson} and {@link io.huitong.exchange.EnvelopeXml} encode and decode it,
 * round-trippably; {@link io.huitong.exchange.EnvelopeException} names what a malformed one lacks.
 */
package io.huitong.exchange;
