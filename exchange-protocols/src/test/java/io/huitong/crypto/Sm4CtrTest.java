package io.huitong.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

class Sm4CtrTest {
  private static final HexFormat HEX = HexFormat.of();

  /** GB/T 32907-2016 Appendix A.1: one block under the standard key, in counter mode from a zero IV at block 0. */
  @Test
  void theStandardBlockIsTheKeyStreamOfCounterZero() {
    byte[] key = HEX.parseHex("0123456789abcdeffedcba9876543210");
    byte[] iv = HEX.parseHex("0123456789abcdeffedcba9876543210");
    byte[] data = new byte[16];
    new Sm4Ctr(key, iv).apply(0, data, 0, 16);
    assertArrayEquals(HEX.parseHex("681edf34d206965e86b3e94f536e4246"), data);
  }

  /** Any position, any length, any IV (including ones whose counter carries across 64 bits): BC's SM4-CTR agrees. */
  @Test
  void agreesWithBouncyCastleAtEveryPosition() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 200; round++) {
      byte[] key = bytes(random, 16);
      byte[] iv = bytes(random, 16);
      if (round % 3 == 0) {
        Arrays.fill(iv, 8, 16, (byte) 0xff);
      }
      if (round % 7 == 0) {
        Arrays.fill(iv, (byte) 0xff);
      }
      byte[] plain = bytes(random, 1 + random.nextInt(3000));
      byte[] expected = bouncyCastle(key, iv, plain);
      Sm4Ctr ctr = new Sm4Ctr(key, iv);
      // Encrypt in uneven pieces, as chunks of an upload arrive.
      byte[] data = plain.clone();
      for (int at = 0; at < data.length; ) {
        int n = Math.min(data.length - at, 1 + random.nextInt(97));
        ctr.apply(at, data, at, n);
        at += n;
      }
      assertArrayEquals(expected, data, "round " + round);
      ctr.apply(0, data, 0, data.length);
      assertArrayEquals(plain, data, "decrypting round " + round);
    }
  }

  @Test
  void refusesWrongSizesAndRanges() {
    assertThrows(CryptoException.class, () -> new Sm4Ctr(new byte[15], new byte[16]));
    assertThrows(CryptoException.class, () -> new Sm4Ctr(new byte[16], new byte[12]));
    Sm4Ctr ctr = new Sm4Ctr(new byte[16], new byte[16]);
    assertThrows(IllegalArgumentException.class, () -> ctr.apply(-1, new byte[4], 0, 4));
    assertThrows(IllegalArgumentException.class, () -> ctr.apply(0, new byte[4], 2, 4));
  }

  private static byte[] bouncyCastle(byte[] key, byte[] iv, byte[] plain) {
    SICBlockCipher c = new SICBlockCipher(new SM4Engine());
    c.init(true, new ParametersWithIV(new KeyParameter(key), iv));
    byte[] out = new byte[plain.length];
    c.processBytes(plain, 0, plain.length, out, 0);
    return out;
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
