package io.huitong.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/**
 * The published vectors: GB/T 32905 (SM3), GB/T 32907 (SM4), GM/T 0003.5 Annex A (SM2, files in
 * {@code shared/testdata}), RFC 8998 Appendix A (SM4-GCM), and the CBC/CTR vectors cross-checked with OpenSSL.
 */
class StandardVectorsTest {
  private static final Path ANNEX_A = Path.of("..", "..", "shared", "testdata", "sm2-gmt0003-annexA");
  private static final byte[] SM4_KEY = Hex.decode("0123456789abcdeffedcba9876543210");

  @Test
  void sm3OfAbc() {
    assertEquals("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
        Hex.toHexString(Sm3.hash("abc".getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void sm3OfTheSixtyFourByteMessageFedInPieces() {
    byte[] message = "abcd".repeat(16).getBytes(StandardCharsets.US_ASCII);
    Sm3 streaming = Sm3.newHash();
    for (int i = 0; i < message.length; i += 7) {
      streaming.update(message, i, Math.min(7, message.length - i));
    }
    assertEquals("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732", Hex.toHexString(streaming.finish()));
    assertEquals("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732", Hex.toHexString(Sm3.hash(message)));
  }

  @Test
  void hmacSm3MatchesOpenSsl() {
    assertEquals("28e63256e7c5a087b1f073265dc53092163f7b82729735d06f28f10af9d52393",
        Hex.toHexString(Sm3.hmac("key".getBytes(StandardCharsets.US_ASCII), "abc".getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void sm4SingleBlock() {
    // CBC with a zero IV on one block is the block cipher itself (ECB).
    byte[] ct = Sm4.encrypt(Sm4Mode.CBC, SM4_KEY, new byte[16], null, SM4_KEY);
    assertEquals("681edf34d206965e86b3e94f536e4246", Hex.toHexString(ct, 0, 16));
  }

  @Test
  void sm4OneMillionRounds() {
    org.bouncycastle.crypto.engines.SM4Engine engine = new org.bouncycastle.crypto.engines.SM4Engine();
    engine.init(true, new org.bouncycastle.crypto.params.KeyParameter(SM4_KEY));
    byte[] block = SM4_KEY.clone();
    for (int i = 0; i < 1_000_000; i++) {
      engine.processBlock(block, 0, block, 0);
    }
    assertEquals("595298c7c6fd271f0402f804c33d3f66", Hex.toHexString(block));
  }

  @Test
  void sm4CbcAndCtrMatchOpenSsl() {
    byte[] iv = Hex.decode("000102030405060708090a0b0c0d0e0f");
    byte[] plain = "hello sm4 cbc pkcs7".getBytes(StandardCharsets.US_ASCII);
    byte[] cbc = Sm4.encrypt(Sm4Mode.CBC, SM4_KEY, iv, null, plain);
    assertEquals("1907379f81737a2d40cf93b2bfb62400672e8b977d49af24061dafaebe791788", Hex.toHexString(cbc));
    assertArrayEquals(plain, Sm4.decrypt(Sm4Mode.CBC, SM4_KEY, iv, null, cbc));
    byte[] ctr = Sm4.encrypt(Sm4Mode.CTR, SM4_KEY, iv, null, plain);
    assertEquals("6efdf00d52861bc01ead94e0828889010c743a", Hex.toHexString(ctr));
    assertArrayEquals(plain, Sm4.decrypt(Sm4Mode.CTR, SM4_KEY, iv, null, ctr));
  }

  @Test
  void sm4GcmRfc8998() {
    byte[] iv = Hex.decode("00001234567800000000ABCD");
    byte[] aad = Hex.decode("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2");
    byte[] plain = Hex.decode("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
        + "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA");
    byte[] out = Sm4.encrypt(Sm4Mode.GCM, SM4_KEY, iv, aad, plain);
    assertEquals(("17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        + "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
        + "83DE3541E4C2B58177E065A9BF7B62EC").toLowerCase(), Hex.toHexString(out));
    assertArrayEquals(plain, Sm4.decrypt(Sm4Mode.GCM, SM4_KEY, iv, aad, out));
  }

  @Test
  void sm4StreamingEqualsWholeMessage() {
    byte[] data = new byte[100_003];
    new java.util.Random(7).nextBytes(data);
    byte[] iv = Sm4.newIv(Sm4Mode.GCM);
    Sm4Cipher enc = Sm4Cipher.create(true, Sm4Mode.GCM, SM4_KEY, iv, null);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < data.length; i += 4096) {
      out.writeBytes(enc.update(data, i, Math.min(4096, data.length - i)));
    }
    out.writeBytes(enc.finish());
    assertArrayEquals(Sm4.encrypt(Sm4Mode.GCM, SM4_KEY, iv, null, data), out.toByteArray());
  }

  @Test
  void sm2AnnexAKeyPairAndSignature() throws Exception {
    Sm2PrivateKey priv = Sm2PrivateKey.fromPem(Files.readString(ANNEX_A.resolve("annexA_priv.pem")));
    Sm2PublicKey pub = Sm2PublicKey.fromPem(Files.readString(ANNEX_A.resolve("annexA_pub.pem")));
    assertEquals("3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8", Hex.toHexString(priv.scalar()));
    assertEquals(pub, priv.publicKey());
    assertEquals("0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020"
        + "ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13", Hex.toHexString(pub.point()));

    byte[] message = Files.readAllBytes(ANNEX_A.resolve("annexA_msg.txt"));
    byte[] signature = Files.readAllBytes(ANNEX_A.resolve("annexA_sig.der"));
    assertTrue(Sm2.verify(pub, message, signature));
    byte[] raw = Sm2.rawSignature(signature);
    assertEquals("f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3"
        + "b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa", Hex.toHexString(raw));
    assertTrue(Sm2.verify(pub, message, raw), "raw r||s is accepted too");
    assertArrayEquals(signature, Sm2.derSignature(raw));
    assertTrue(!Sm2.verify(pub, "message digesT".getBytes(StandardCharsets.US_ASCII), signature));
    assertTrue(!Sm2.verify(pub, message, signature, "ALICE123@YAHOO.COM".getBytes(StandardCharsets.US_ASCII)),
        "the signer ID is bound into the signature");
  }

  @Test
  void sm2AnnexADecryption() throws Exception {
    Sm2PrivateKey priv = Sm2PrivateKey.fromPem(Files.readString(ANNEX_A.resolve("annexA_priv.pem")));
    byte[] asn1 = Files.readAllBytes(ANNEX_A.resolve("annexA_ct.der"));
    assertEquals("encryption standard", new String(Sm2.decrypt(priv, asn1), StandardCharsets.US_ASCII));
    byte[] raw = Sm2.fromAsn1(asn1);
    assertEquals("04" + "04ebfc718e8d1798620432268e77feb6415e2ede0e073c0f4f640ecd2e149a73"
        + "e858f9d81e5430a57b36daab8f950a3c64e6ee6a63094d99283aff767e124df0"
        + "59983c18f809e262923c53aec295d30383b54e39d609d160afcb1908d0bd8766"
        + "21886ca989ca9c7d58087307ca93092d651efa", Hex.toHexString(raw));
    assertEquals("encryption standard", new String(Sm2.decrypt(priv, raw), StandardCharsets.US_ASCII));
    assertArrayEquals(asn1, Sm2.toAsn1(raw));
  }

  @Test
  void sm2RoundTripsWithFreshKeys() {
    Sm2KeyPair keys = Sm2.generateKeyPair();
    byte[] message = "一窗受理".getBytes(StandardCharsets.UTF_8);
    assertTrue(Sm2.verify(keys.publicKey(), message, Sm2.sign(keys.privateKey(), message)));
    for (Sm2CipherFormat format : Sm2CipherFormat.values()) {
      assertArrayEquals(message, Sm2.decrypt(keys.privateKey(), Sm2.encrypt(keys.publicKey(), message, format)));
    }
    assertEquals(keys.publicKey(), Sm2PublicKey.fromPem(keys.publicKey().toPem()));
    assertEquals(keys.publicKey(), Sm2PrivateKey.fromPem(keys.privateKey().toPem()).publicKey());
    assertTrue(!keys.privateKey().toString().contains(Hex.toHexString(keys.privateKey().scalar())));
  }
}
