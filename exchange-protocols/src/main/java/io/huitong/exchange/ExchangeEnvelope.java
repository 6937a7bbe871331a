package io.huitong.exchange;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.huitong.crypto.CryptoError;
import io.huitong.crypto.CryptoException;
import io.huitong.crypto.Sm2;
import io.huitong.crypto.Sm2CipherFormat;
import io.huitong.crypto.Sm2PrivateKey;
import io.huitong.crypto.Sm2PublicKey;
import io.huitong.crypto.Sm4;
import io.huitong.crypto.Sm4Gcm;
import io.huitong.crypto.Sm4Mode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A signed batch of records from one node to another (交换信封). Immutable: {@link #encryptFor} and {@link #sign}
 * return new envelopes.
 *
 * <p>The signature (SM3withSM2, default signer ID, DER) covers {@link #canonicalBytes()}: every header field, the
 * encryption header, the signer's key reference and each record's metadata, digest and nonce, written as compact
 * JSON in a fixed order. Payloads are covered through their SM3 digests, so a receiver checks the signature once
 * per batch and one digest per record.
 *
 * @param messageId     UUIDv7, the idempotency key
 * @param correlationId the message this one answers (receipts), or null
 * @param type          message type such as {@code CASE_STEP} or {@code RECEIPT}
 * @param schema        payload schema name
 * @param schemaVersion payload schema version
 * @param sender        sending node id
 * @param receiver      receiving node id
 * @param createdAt     creation time (millisecond precision)
 * @param expiresAt     after this the receiver rejects it as EXPIRED, or null
 * @param traceparent   W3C trace context, so one record's path across nodes is one trace, or null
 * @param encryption    how payloads are encrypted, or null for plaintext
 * @param records       one or more records
 * @param signature     the signature, or null before {@link #sign}
 */
public record ExchangeEnvelope(UUID messageId, UUID correlationId, String type, String schema, String schemaVersion,
                               String sender, String receiver, Instant createdAt, Instant expiresAt,
                               String traceparent, Encryption encryption, List<ExchangeRecord> records,
                               Signature signature) {

  /** Envelope format version, part of the signed bytes. */
  public static final int FORMAT = 1;
  /** Largest batch: one signature covers at most this many records. */
  public static final int MAX_RECORDS = 10_000;
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");
  private static final Pattern TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * How the payloads are encrypted: SM4-GCM under one content key per envelope, wrapped (SM2, ASN.1 form) with the
   * receiver's public key.
   *
   * @param keyRef     which receiver key wrapped it (key id and version, or certificate serial)
   * @param wrappedKey the SM2-encrypted content key
   */
  public record Encryption(String keyRef, byte[] wrappedKey) {
    public static final String ALGORITHM = "SM4-GCM";

    public Encryption {
      requireToken(keyRef, "encryption keyRef");
      if (wrappedKey == null || wrappedKey.length == 0) {
        throw new EnvelopeException("encryption wrappedKey is required");
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Encryption e && keyRef.equals(e.keyRef) && java.util.Arrays.equals(wrappedKey, e.wrappedKey);
    }

    @Override
    public int hashCode() {
      return keyRef.hashCode() * 31 + java.util.Arrays.hashCode(wrappedKey);
    }
  }

  /**
   * The sender's signature.
   *
   * @param keyRef the signing key (key id and version, or certificate serial)
   * @param value  DER SM3withSM2 signature over {@link ExchangeEnvelope#canonicalBytes()}
   */
  public record Signature(String keyRef, byte[] value) {
    public static final String ALGORITHM = "SM3withSM2";

    public Signature {
      requireToken(keyRef, "signature keyRef");
      if (value == null || value.length == 0) {
        throw new EnvelopeException("signature value is required");
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Signature s && keyRef.equals(s.keyRef) && java.util.Arrays.equals(value, s.value);
    }

    @Override
    public int hashCode() {
      return keyRef.hashCode() * 31 + java.util.Arrays.hashCode(value);
    }
  }

  public ExchangeEnvelope {
    Objects.requireNonNull(messageId, "messageId");
    if (type == null || !TYPE.matcher(type).matches()) {
      throw new EnvelopeException("type must be upper-case letters, digits and underscores, got '" + type + "'");
    }
    requireToken(schema, "schema");
    requireToken(schemaVersion, "schemaVersion");
    requireToken(sender, "sender");
    requireToken(receiver, "receiver");
    if (createdAt == null) {
      throw new EnvelopeException("createdAt is required");
    }
    createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
    expiresAt = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MILLIS);
    if (expiresAt != null && !expiresAt.isAfter(createdAt)) {
      throw new EnvelopeException("expiresAt must be after createdAt");
    }
    if (traceparent != null && traceparent.length() > 256) {
      throw new EnvelopeException("traceparent is at most 256 characters");
    }
    if (records == null || records.isEmpty() || records.size() > MAX_RECORDS) {
      throw new EnvelopeException("an envelope carries 1 to " + MAX_RECORDS + " records");
    }
    records = List.copyOf(records);
    boolean encryptedRecords = records.get(0).encrypted();
    if (records.stream().anyMatch(r -> r.encrypted() != encryptedRecords) || encryptedRecords != (encryption != null)) {
      throw new EnvelopeException("either every record is encrypted under the encryption header, or none is");
    }
  }

  /** A new unsigned, plaintext envelope: a fresh UUIDv7 and the current time. */
  public static ExchangeEnvelope create(String type, String schema, String schemaVersion, String sender, String receiver,
                                        List<ExchangeRecord> records) {
    return new ExchangeEnvelope(MessageIds.next(), null, type, schema, schemaVersion, sender, receiver, Instant.now(),
        null, null, null, records, null);
  }

  /** This envelope answering {@code correlationId}, expiring at {@code expiresAt}, in trace {@code traceparent}. */
  public ExchangeEnvelope with(UUID correlationId, Instant expiresAt, String traceparent) {
    requireUnsigned();
    return new ExchangeEnvelope(messageId, correlationId, type, schema, schemaVersion, sender, receiver, createdAt,
        expiresAt, traceparent, encryption, records, null);
  }

  /**
   * Encrypts every payload with SM4-GCM under a fresh content key wrapped for {@code receiverKey}. The digests stay
   * those of the plaintext, so the receiver checks them after decrypting.
   */
  public ExchangeEnvelope encryptFor(Sm2PublicKey receiverKey, String keyRef) {
    requireUnsigned();
    if (encryption != null) {
      throw new EnvelopeException("the envelope is already encrypted");
    }
    byte[] contentKey = Sm4.newKey();
    List<ExchangeRecord> sealed = new ArrayList<>(records.size());
    Sm4Gcm gcm = new Sm4Gcm(contentKey);
    for (int i = 0; i < records.size(); i++) {
      ExchangeRecord r = records.get(i);
      byte[] nonce = Sm4.newIv(Sm4Mode.GCM);
      sealed.add(new ExchangeRecord(r.issue(), r.sequence(), r.dataVersion(), r.operation(), r.digest(), nonce,
          gcm.seal(nonce, recordAad(i), r.payload())));
    }
    Encryption header = new Encryption(keyRef, Sm2.encrypt(receiverKey, contentKey, Sm2CipherFormat.ASN1));
    java.util.Arrays.fill(contentKey, (byte) 0);
    return new ExchangeEnvelope(messageId, correlationId, type, schema, schemaVersion, sender, receiver, createdAt,
        expiresAt, traceparent, header, sealed, null);
  }

  /** Signs the canonical bytes with {@code key}, named {@code keyRef} for the receiver to find its public key. */
  public ExchangeEnvelope sign(Sm2PrivateKey key, String keyRef) {
    requireUnsigned();
    byte[] value = Sm2.sign(key, canonicalBytes(keyRef));
    return new ExchangeEnvelope(messageId, correlationId, type, schema, schemaVersion, sender, receiver, createdAt,
        expiresAt, traceparent, encryption, records, new Signature(keyRef, value));
  }

  /**
   * Checks the signature against {@code signerKey} and, for plaintext envelopes, every record's digest.
   *
   * @return VALID, or the first reason it is not: UNSIGNED, SIGNATURE_INVALID or DIGEST_MISMATCH
   */
  public Check verify(Sm2PublicKey signerKey) {
    if (signature == null) {
      return Check.UNSIGNED;
    }
    boolean signed;
    try {
      signed = Sm2.verify(signerKey, canonicalBytes(signature.keyRef()), signature.value());
    } catch (CryptoException malformed) {
      signed = false;
    }
    if (!signed) {
      return Check.SIGNATURE_INVALID;
    }
    if (encryption == null && records.stream().anyMatch(r -> !r.digestMatches(r.payload()))) {
      return Check.DIGEST_MISMATCH;
    }
    return Check.VALID;
  }

  /** The outcome of {@link #verify}. */
  public enum Check { VALID, UNSIGNED, SIGNATURE_INVALID, DIGEST_MISMATCH }

  /**
   * The plaintext payloads, in record order, decrypted with the receiver's key and checked against their digests.
   *
   * @throws CryptoException CIPHERTEXT_INVALID when a payload or the wrapped key was altered or a digest differs
   */
  public List<byte[]> plaintexts(Sm2PrivateKey receiverKey) {
    if (encryption == null) {
      return records.stream().map(ExchangeRecord::payload).toList();
    }
    byte[] contentKey = Sm2.decrypt(receiverKey, encryption.wrappedKey());
    try {
      Sm4Gcm gcm = new Sm4Gcm(contentKey);
      List<byte[]> out = new ArrayList<>(records.size());
      for (int i = 0; i < records.size(); i++) {
        ExchangeRecord r = records.get(i);
        byte[] plain = gcm.open(r.nonce(), recordAad(i), r.payload());
        if (!r.digestMatches(plain)) {
          throw new CryptoException(CryptoError.CIPHERTEXT_INVALID, "record " + i + " does not match its digest");
        }
        out.add(plain);
      }
      return out;
    } finally {
      java.util.Arrays.fill(contentKey, (byte) 0);
    }
  }

  /** True when the envelope has an expiry and {@code now} is past it. */
  public boolean expired(Instant now) {
    return expiresAt != null && now.isAfter(expiresAt);
  }

  /** The bytes the signature covers (for an unsigned envelope, as they would be under {@code keyRef}). */
  public byte[] canonicalBytes() {
    if (signature == null) {
      throw new EnvelopeException("an unsigned envelope has no signer to bind; use canonicalBytes(keyRef)");
    }
    return canonicalBytes(signature.keyRef());
  }

  private byte[] canonicalBytes(String signerKeyRef) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 160 * records.size());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      writeHeader(g);
      g.writeStringField("signer", signerKeyRef);
      g.writeArrayFieldStart("records");
      for (ExchangeRecord r : records) {
        g.writeStartObject();
        writeRecordFields(g, r);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes the header fields and the encryption header, in the order the canonical form and the JSON share. */
  void writeHeader(JsonGenerator g) throws IOException {
    g.writeNumberField("format", FORMAT);
    g.writeStringField("messageId", messageId.toString());
    g.writeStringField("correlationId", correlationId == null ? null : correlationId.toString());
    g.writeStringField("type", type);
    g.writeStringField("schema", schema);
    g.writeStringField("schemaVersion", schemaVersion);
    g.writeStringField("sender", sender);
    g.writeStringField("receiver", receiver);
    g.writeStringField("createdAt", createdAt.toString());
    g.writeStringField("expiresAt", expiresAt == null ? null : expiresAt.toString());
    g.writeStringField("traceparent", traceparent);
    if (encryption == null) {
      g.writeNullField("encryption");
    } else {
      g.writeObjectFieldStart("encryption");
      g.writeStringField("alg", Encryption.ALGORITHM);
      g.writeStringField("keyRef", encryption.keyRef());
      g.writeStringField("wrappedKey", Base64.getEncoder().encodeToString(encryption.wrappedKey()));
      g.writeEndObject();
    }
  }

  /** Writes a record's signed fields: everything but the payload, which its digest stands for. */
  static void writeRecordFields(JsonGenerator g, ExchangeRecord r) throws IOException {
    g.writeStringField("issue", r.issue());
    g.writeNumberField("sequence", r.sequence());
    g.writeNumberField("dataVersion", r.dataVersion());
    g.writeStringField("operation", r.operation().code());
    g.writeStringField("digest", r.digestHex());
    g.writeStringField("nonce", r.nonce() == null ? null : Base64.getEncoder().encodeToString(r.nonce()));
  }

  /** Binds each encrypted payload to its envelope and position: a payload moved elsewhere does not decrypt. */
  private byte[] recordAad(int index) {
    return (messageId + "/" + index).getBytes(StandardCharsets.US_ASCII);
  }

  private void requireUnsigned() {
    if (signature != null) {
      throw new EnvelopeException("a signed envelope cannot change; build a new one");
    }
  }

  static void requireToken(String value, String field) {
    if (value == null || !TOKEN.matcher(value).matches()) {
      throw new EnvelopeException(field + " must be 1 to 128 of A-Z a-z 0-9 . _ : / -, got '" + value + "'");
    }
  }
}
