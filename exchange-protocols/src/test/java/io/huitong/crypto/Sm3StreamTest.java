package io.huitong.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.junit.jupiter.api.Test;

class Sm3StreamTest {
  private static final HexFormat HEX = HexFormat.of();

  /** GB/T 32905-2016 Appendix A, examples 1 and 2. */
  @Test
  void theStandardExamples() {
    assertArrayEquals(HEX.parseHex("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
        new Sm3Stream().update("abc".getBytes(StandardCharsets.US_ASCII)).digest());
    assertArrayEquals(HEX.parseHex("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
        new Sm3Stream().update("abcd".repeat(16).getBytes(StandardCharsets.US_ASCII)).digest());
  }

  /** Pieces of any size, saved and resumed between any two of them, digest as BC does over the whole. */
  @Test
  void savedAndResumedAnywhereItAgreesWithBouncyCastle() {
    SplittableRandom random = new SplittableRandom(11);
    for (int round = 0; round < 300; round++) {
      byte[] data = new byte[random.nextInt(5000)];
      random.nextBytes(data);
      Sm3Stream stream = new Sm3Stream();
      for (int at = 0; at < data.length; ) {
        int n = Math.min(data.length - at, random.nextInt(200));
        stream = Sm3Stream.resume(stream.update(data, at, n).state());
        at += n;
      }
      SM3Digest bc = new SM3Digest();
      bc.update(data, 0, data.length);
      byte[] expected = new byte[32];
      bc.doFinal(expected, 0);
      assertArrayEquals(expected, stream.digest(), "round " + round);
      assertArrayEquals(expected, stream.digest(), "digest() leaves the stream as it was");
      assertEquals(data.length, stream.count());
    }
  }

  @Test
  void refusesWhatIsNoSavedState() {
    assertThrows(CryptoException.class, () -> Sm3Stream.resume(new byte[3]));
    byte[] state = new Sm3Stream().update(new byte[10]).state();
    state[0] = 9;
    assertThrows(CryptoException.class, () -> Sm3Stream.resume(state));
    byte[] cut = java.util.Arrays.copyOf(new Sm3Stream().update(new byte[10]).state(), 41 + 3);
    assertThrows(CryptoException.class, () -> Sm3Stream.resume(cut));
  }
}
