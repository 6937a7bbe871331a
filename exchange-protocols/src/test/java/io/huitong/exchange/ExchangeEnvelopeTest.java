package io.huitong.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.crypto.CryptoError;
import io.huitong.crypto.CryptoException;
import io.huitong.crypto.Sm2;
import io.huitong.crypto.Sm2KeyPair;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ExchangeEnvelopeTest {
  private static final Sm2KeyPair SENDER = Sm2.generateKeyPair();
  private static final Sm2KeyPair RECEIVER = Sm2.generateKeyPair();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<ExchangeRecord> records(int n) {
    List<ExchangeRecord> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(ExchangeRecord.of("CASE-2026-" + (i % 3), i, 1, i % 2 == 0 ? Operation.UPDATE : Operation.INSERT,
          utf8("{\"row\":" + i + ",\"name\":\"张三\"}")));
    }
    return out;
  }

  private static ExchangeEnvelope signed(int n) {
    return ExchangeEnvelope.create("CASE_STEP", "case-step", "1.0", "dept-a", "hub", records(n))
        .with(UUID.randomUUID(), Instant.now().plusSeconds(3600), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .sign(SENDER.privateKey(), "dept-a/key-1/v1");
  }

  /** Re-encodes {@code e} as JSON text, lets {@code edit} change the text, and reads it back. */
  private static ExchangeEnvelope tamperJson(ExchangeEnvelope e, Function<String, String> edit) {
    String json = new String(EnvelopeJson.write(e), StandardCharsets.UTF_8);
    String changed = edit.apply(json);
    assertNotEquals(json, changed, "the edit must change something");
    return EnvelopeJson.read(utf8(changed));
  }

  @Test
  void aSignedBatchVerifiesAndRoundTripsThroughJsonAndXml() {
    ExchangeEnvelope e = signed(50);
    assertEquals(ExchangeEnvelope.Check.VALID, e.verify(SENDER.publicKey()));
    ExchangeEnvelope fromJson = EnvelopeJson.read(EnvelopeJson.write(e));
    ExchangeEnvelope fromXml = EnvelopeXml.read(EnvelopeXml.write(e));
    assertEquals(e, fromJson);
    assertEquals(e, fromXml);
    assertEquals(ExchangeEnvelope.Check.VALID, fromXml.verify(SENDER.publicKey()));
    assertArrayEquals(EnvelopeJson.write(e), EnvelopeJson.write(EnvelopeXml.read(EnvelopeXml.write(fromJson))),
        "JSON and XML carry the same envelope");
  }

  @Test
  void anyChangeToHeaderOrRecordBreaksTheSignature() {
    ExchangeEnvelope e = signed(3);
    assertEquals(ExchangeEnvelope.Check.SIGNATURE_INVALID,
        tamperJson(e, j -> j.replace("\"receiver\":\"hub\"", "\"receiver\":\"dept-b\"")).verify(SENDER.publicKey()));
    assertEquals(ExchangeEnvelope.Check.SIGNATURE_INVALID,
        tamperJson(e, j -> j.replace("\"sequence\":2", "\"sequence\":5")).verify(SENDER.publicKey()));
    assertEquals(ExchangeEnvelope.Check.SIGNATURE_INVALID,
        tamperJson(e, j -> j.replace("\"operation\":\"U\"", "\"operation\":\"D\"")).verify(SENDER.publicKey()));
    assertEquals(ExchangeEnvelope.Check.SIGNATURE_INVALID,
        tamperJson(e, j -> j.replace("dept-a/key-1/v1", "dept-a/key-1/v2")).verify(SENDER.publicKey()),
        "the signer's key reference is signed too");
    assertEquals(ExchangeEnvelope.Check.SIGNATURE_INVALID, e.verify(RECEIVER.publicKey()), "someone else's key");
    assertEquals(ExchangeEnvelope.Check.UNSIGNED,
        ExchangeEnvelope.create("CASE_STEP", "case-step", "1.0", "dept-a", "hub", records(1)).verify(SENDER.publicKey()));
  }

  @Test
  void aChangedPayloadIsCaughtByItsDigest() {
    ExchangeEnvelope e = signed(3);
    ExchangeRecord first = e.records().get(0);
    List<ExchangeRecord> altered = new ArrayList<>(e.records());
    altered.set(0, new ExchangeRecord(first.issue(), first.sequence(), first.dataVersion(), first.operation(),
        first.digest(), null, utf8("{\"row\":1,\"name\":\"李四\"}")));
    ExchangeEnvelope swapped = new ExchangeEnvelope(e.messageId(), e.correlationId(), e.type(), e.schema(),
        e.schemaVersion(), e.sender(), e.receiver(), e.createdAt(), e.expiresAt(), e.traceparent(), null, altered,
        e.signature());
    assertEquals(ExchangeEnvelope.Check.DIGEST_MISMATCH, swapped.verify(SENDER.publicKey()));
  }

  @Test
  void encryptedPayloadsOpenOnlyForTheReceiverAndOnlyUnchanged() {
    List<ExchangeRecord> plain = records(4);
    ExchangeEnvelope e = ExchangeEnvelope.create("CASE_STEP", "case-step", "1.0", "dept-a", "hub", plain)
        .encryptFor(RECEIVER.publicKey(), "hub/enc-1/v1").sign(SENDER.privateKey(), "dept-a/key-1/v1");
    ExchangeEnvelope received = EnvelopeXml.read(EnvelopeXml.write(e));
    assertEquals(ExchangeEnvelope.Check.VALID, received.verify(SENDER.publicKey()));
    assertTrue(received.records().stream().allMatch(ExchangeRecord::encrypted));
    assertFalse(new String(EnvelopeJson.write(received), StandardCharsets.UTF_8).contains("张三"));
    List<byte[]> opened = received.plaintexts(RECEIVER.privateKey());
    for (int i = 0; i < plain.size(); i++) {
      assertArrayEquals(plain.get(i).payload(), opened.get(i));
    }

    CryptoException wrongKey = assertThrows(CryptoException.class, () -> received.plaintexts(SENDER.privateKey()));
    assertEquals(CryptoError.CIPHERTEXT_INVALID, wrongKey.error());

    // Two records' ciphertexts exchanged: each is bound to its envelope and position.
    List<ExchangeRecord> moved = new ArrayList<>(received.records());
    ExchangeRecord a = moved.get(0);
    ExchangeRecord b = moved.get(1);
    moved.set(0, new ExchangeRecord(a.issue(), a.sequence(), a.dataVersion(), a.operation(), a.digest(), b.nonce(), b.payload()));
    ExchangeEnvelope reordered = new ExchangeEnvelope(received.messageId(), null, received.type(), received.schema(),
        received.schemaVersion(), received.sender(), received.receiver(), received.createdAt(), null, null,
        received.encryption(), moved, null);
    assertEquals(CryptoError.CIPHERTEXT_INVALID,
        assertThrows(CryptoException.class, () -> reordered.plaintexts(RECEIVER.privateKey())).error());
  }

  @Test
  void theCanonicalFormIsFixedSoEveryNodeSignsTheSameBytes() {
    ExchangeRecord r = ExchangeRecord.of("370800-2026-000001", 7, 2, Operation.UPDATE, utf8("abc"));
    ExchangeEnvelope e = new ExchangeEnvelope(UUID.fromString("01936b2a-7c00-7000-8000-000000000001"), null, "CASE_STEP",
        "case-step", "1.0", "dept-a", "hub", Instant.parse("2026-11-22T01:02:03.456Z"), null, null, null, List.of(r), null);
    String expected = "{\"format\":1,\"messageId\":\"01936b2a-7c00-7000-8000-000000000001\",\"correlationId\":null,"
        + "\"type\":\"CASE_STEP\",\"schema\":\"case-step\",\"schemaVersion\":\"1.0\",\"sender\":\"dept-a\",\"receiver\":\"hub\","
        + "\"createdAt\":\"2026-11-22T01:02:03.456Z\",\"expiresAt\":null,\"traceparent\":null,\"encryption\":null,"
        + "\"signer\":\"dept-a/key-1/v1\",\"records\":[{\"issue\":\"370800-2026-000001\",\"sequence\":7,\"dataVersion\":2,"
        + "\"operation\":\"U\",\"digest\":\"66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0\",\"nonce\":null}]}";
    ExchangeEnvelope s = e.sign(SENDER.privateKey(), "dept-a/key-1/v1");
    assertEquals(expected, new String(s.canonicalBytes(), StandardCharsets.UTF_8));
    assertTrue(Sm2.verify(SENDER.publicKey(), utf8(expected), s.signature().value()));
  }

  @Test
  void malformedEnvelopesNameWhatIsWrong() {
    byte[] good = EnvelopeJson.write(signed(1));
    String json = new String(good, StandardCharsets.UTF_8);
    assertEquals("unknown envelope field 'extra'",
        assertThrows(EnvelopeException.class, () -> EnvelopeJson.read(utf8(json.replace("{\"format\":1,", "{\"format\":1,\"extra\":1,")))).getMessage());
    assertTrue(assertThrows(EnvelopeException.class, () -> EnvelopeJson.read(utf8(json.replaceFirst("\"sender\":\"dept-a\",", ""))))
        .getMessage().contains("sender"));
    assertTrue(assertThrows(EnvelopeException.class, () -> EnvelopeJson.read(utf8(json.replace("\"format\":1", "\"format\":2"))))
        .getMessage().contains("format"));
    assertTrue(assertThrows(EnvelopeException.class, () -> EnvelopeJson.read(utf8(json.replace("\"sequence\":1", "\"sequence\":0"))))
        .getMessage().contains("sequence"));
    assertTrue(assertThrows(EnvelopeException.class, () -> EnvelopeJson.read(utf8(json.replace("\"operation\":\"I\"", "\"operation\":\"X\""))))
        .getMessage().contains("operation"));
    assertThrows(EnvelopeException.class, () -> EnvelopeJson.read(utf8(json.replace("\"type\":\"CASE_STEP\"", "\"type\":\"CASE_STEP\",\"type\":\"X\""))));
    assertThrows(EnvelopeException.class, () -> EnvelopeJson.read(utf8(json + " {}")));
    assertThrows(EnvelopeException.class, () -> EnvelopeJson.read(utf8("not json")));
    assertThrows(EnvelopeException.class, () -> EnvelopeJson.read(utf8(json.replace("\"records\":[", "\"records\":{"))));
  }

  @Test
  void xmlEntitiesAreNeverResolved() throws Exception {
    java.nio.file.Path secret = java.nio.file.Files.createTempFile("secret", ".txt");
    java.nio.file.Files.writeString(secret, "TOP-SECRET");
    String xml = new String(EnvelopeXml.write(signed(1)), StandardCharsets.UTF_8)
        .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE envelope [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>")
        .replace("<traceparent>", "<traceparent>&x;");
    EnvelopeException refused = assertThrows(EnvelopeException.class, () -> EnvelopeXml.read(utf8(xml)));
    assertFalse(refused.getMessage().contains("TOP-SECRET"));
    java.nio.file.Files.delete(secret);
  }

  @Test
  void messageIdsAreTimeOrderedVersion7() {
    UUID first = MessageIds.next();
    UUID later = MessageIds.at(System.currentTimeMillis() + 5);
    assertEquals(7, first.version());
    assertEquals(2, first.variant());
    assertTrue(MessageIds.unixMillis(later) > MessageIds.unixMillis(first));
    assertTrue(first.toString().compareTo(later.toString()) < 0, "text order is time order");
  }

  @Test
  void expiryAndBatchBounds() {
    ExchangeEnvelope e = signed(1);
    assertFalse(e.expired(Instant.now()));
    assertTrue(e.expired(e.expiresAt().plusMillis(1)));
    assertThrows(EnvelopeException.class, () -> ExchangeEnvelope.create("CASE_STEP", "s", "1", "a", "b", List.of()));
    assertThrows(EnvelopeException.class,
        () -> ExchangeEnvelope.create("CASE_STEP", "s", "1", "a", "b", records(ExchangeEnvelope.MAX_RECORDS + 1)));
    assertThrows(EnvelopeException.class, () -> e.sign(SENDER.privateKey(), "again"), "a signed envelope is final");
  }
}
