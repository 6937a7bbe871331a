package io.huitong.hub.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.crypto.Sm3;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** A blind index finds equal values in one field, and tells nothing across fields or master keys. */
class BlindIndexTest {
  private static final MasterKey MASTER = MasterKey.of("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  private static final String ID = "110101199003071234";

  @Test
  void equalValuesOfOneFieldHaveOneIndex() {
    BlindIndex index = BlindIndex.create(MASTER);
    assertEquals(index.of("identity.id-number", ID), BlindIndex.create(MASTER).of("identity.id-number", ID));
    assertTrue(index.of("identity.id-number", ID).matches("[0-9a-f]{64}"));
    assertNotEquals(index.of("identity.id-number", ID), index.of("identity.id-number", "110101199003071235"));
  }

  @Test
  void fieldsAndMasterKeysSeparateIndexes() {
    BlindIndex index = BlindIndex.create(MASTER);
    assertNotEquals(index.of("identity.id-number", ID), index.of("identity.phone", ID), "no matching across fields");
    assertNotEquals(index.of("identity.id-number", ID),
        BlindIndex.create(MasterKey.of("fedcba9876543210".getBytes(StandardCharsets.US_ASCII))).of("identity.id-number", ID));
    assertNotEquals(HexFormat.of().formatHex(Sm3.hash(ID.getBytes(StandardCharsets.UTF_8))), index.of("identity.id-number", ID),
        "not a plain digest anyone could compute");
  }

  @Test
  void sealedValuesOpenOnlyInTheirContext() {
    byte[] sealed = MASTER.seal("secret".getBytes(StandardCharsets.UTF_8), "row/1");
    assertEquals("secret", new String(MASTER.open(sealed, "row/1"), StandardCharsets.UTF_8));
    io.huitong.crypto.CryptoException moved = org.junit.jupiter.api.Assertions.assertThrows(io.huitong.crypto.CryptoException.class,
        () -> MASTER.open(sealed, "row/2"));
    assertEquals(io.huitong.crypto.CryptoError.CIPHERTEXT_INVALID, moved.error());
  }
}
