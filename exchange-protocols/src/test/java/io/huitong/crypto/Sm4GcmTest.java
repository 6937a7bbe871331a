package io.huitong.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sm4GcmTest {
  private final byte[] key = Sm4.newKey();

  @Test
  void manyMessagesUnderOneKeyEqualOneShotEncryptionAndOpenAgain() {
    Sm4Gcm gcm = new Sm4Gcm(key);
    for (int i = 0; i < 20; i++) {
      byte[] nonce = Sm4.newIv(Sm4Mode.GCM);
      byte[] aad = ("record " + i).getBytes(StandardCharsets.US_ASCII);
      byte[] plain = ("payload number " + i).repeat(i + 1).getBytes(StandardCharsets.UTF_8);
      byte[] sealed = gcm.seal(nonce, aad, plain);
      assertArrayEquals(Sm4.encrypt(Sm4Mode.GCM, key, nonce, aad, plain), sealed);
      assertArrayEquals(plain, gcm.open(nonce, aad, sealed));
      assertArrayEquals(plain, new Sm4Gcm(key).open(nonce, aad, sealed));
    }
  }

  @Test
  void anAlteredCiphertextOrAadDoesNotOpen() {
    Sm4Gcm gcm = new Sm4Gcm(key);
    byte[] nonce = Sm4.newIv(Sm4Mode.GCM);
    byte[] sealed = gcm.seal(nonce, new byte[] {1}, new byte[] {1, 2, 3});
    byte[] altered = sealed.clone();
    altered[0] ^= 1;
    assertEquals(CryptoError.CIPHERTEXT_INVALID, assertThrows(CryptoException.class, () -> gcm.open(nonce, new byte[] {1}, altered)).error());
    assertEquals(CryptoError.CIPHERTEXT_INVALID, assertThrows(CryptoException.class, () -> gcm.open(nonce, new byte[] {2}, sealed)).error());
    assertArrayEquals(new byte[] {1, 2, 3}, gcm.open(nonce, new byte[] {1}, sealed), "usable after a failed open");
  }
}
