package io.huitong.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.huitong.crypto.CryptoException;
import io.huitong.crypto.Sm2;
import io.huitong.crypto.Sm2KeyPair;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Envelopes arrive from other nodes: whatever the bytes, reading refuses only with {@link EnvelopeException}, and
 * what it accepts re-encodes to an equal envelope, verifies without throwing and opens (or is refused) cleanly.
 * The first input byte picks the codec (even JSON, odd XML). Seeds are a signed plaintext and a signed encrypted
 * envelope in both encodings.
 */
class EnvelopeFuzzTest {
  private static final Sm2KeyPair KEYS = Sm2.generateKeyPair();

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "8s")
  void readersRefuseOnlyWithEnvelopeException(byte[] input) {
    if (input.length == 0) {
      return;
    }
    boolean json = (input[0] & 1) == 0;
    byte[] body = Arrays.copyOfRange(input, 1, input.length);
    ExchangeEnvelope e;
    try {
      e = json ? EnvelopeJson.read(body) : EnvelopeXml.read(body);
    } catch (EnvelopeException refused) {
      return;
    }
    assertEquals(e, json ? EnvelopeJson.read(EnvelopeJson.write(e)) : EnvelopeXml.read(EnvelopeXml.write(e)));
    e.verify(KEYS.publicKey());
    e.expired(Instant.now());
    try {
      e.plaintexts(KEYS.privateKey());
    } catch (CryptoException refused) {
      // an encrypted envelope for another key, or altered: refused, as it must be
    }
  }

  static Stream<Arguments> seeds() {
    List<ExchangeRecord> records = List.of(
        ExchangeRecord.of("CASE-1", 1, 1, Operation.INSERT, "{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
        ExchangeRecord.of("CASE-1", 2, 1, Operation.DELETE, "{}".getBytes(StandardCharsets.UTF_8)));
    ExchangeEnvelope plain = ExchangeEnvelope.create("CASE_STEP", "case-step", "1.0", "dept-a", "hub", records)
        .with(UUID.randomUUID(), Instant.now().plusSeconds(60), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .sign(KEYS.privateKey(), "dept-a/v1");
    ExchangeEnvelope sealed = ExchangeEnvelope.create("CASE_STEP", "case-step", "1.0", "dept-a", "hub", records)
        .encryptFor(KEYS.publicKey(), "hub/v1").sign(KEYS.privateKey(), "dept-a/v1");
    return Stream.of(
        Arguments.of(prefixed(0, EnvelopeJson.write(plain))), Arguments.of(prefixed(1, EnvelopeXml.write(plain))),
        Arguments.of(prefixed(0, EnvelopeJson.write(sealed))), Arguments.of(prefixed(1, EnvelopeXml.write(sealed))));
  }

  private static byte[] prefixed(int codec, byte[] body) {
    byte[] out = new byte[body.length + 1];
    out[0] = (byte) codec;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }
}
