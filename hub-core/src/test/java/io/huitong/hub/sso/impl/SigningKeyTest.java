package io.huitong.hub.sso.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SigningKeyTest {

  @Test
  void tokensOfBothAlgorithmsVerifyAfterTheKeyIsStoredAndRestored() {
    for (String alg : KeyRing.ALGORITHMS) {
      SigningKey key = SigningKey.generate(alg, SigningKey.newKid(alg));
      String token = Jose.sign(key, "at+jwt", new JsonObject().put("sub", "a-1").put("exp", 42));
      Jose.Jws jws = Jose.parse(token);
      assertEquals(alg, jws.header().getString("alg"));
      assertEquals(key.kid, jws.kid());
      assertEquals(64, jws.signature().length, alg + " signatures are raw r||s");

      JsonObject jwk = key.publicJwk();
      assertEquals("EC", jwk.getString("kty"));
      assertEquals(SigningKey.SM2.equals(alg) ? "SM2" : "P-256", jwk.getString("crv"));
      SigningKey restored = SigningKey.restore(key.kid, alg, jwk, key.privatePkcs8(), Instant.now(), null);
      assertTrue(restored.verify(jws.signingInput(), jws.signature()), alg);
      assertEquals(jwk, restored.publicJwk());
      Jose.Jws again = Jose.parse(Jose.sign(restored, "JWT", new JsonObject().put("sub", "a-2")));
      assertTrue(key.verify(again.signingInput(), again.signature()), alg + " restored key signs as the original");
    }
  }

  @Test
  void anAlteredPayloadOrAnotherKeyDoesNotVerify() {
    for (String alg : KeyRing.ALGORITHMS) {
      SigningKey key = SigningKey.generate(alg, "k1");
      SigningKey other = SigningKey.generate(alg, "k2");
      Jose.Jws jws = Jose.parse(Jose.sign(key, "at+jwt", new JsonObject().put("sub", "a-1")));
      byte[] altered = new String(jws.signingInput(), StandardCharsets.US_ASCII).replace('a', 'b')
          .getBytes(StandardCharsets.US_ASCII);
      assertFalse(key.verify(altered, jws.signature()), alg);
      assertFalse(other.verify(jws.signingInput(), jws.signature()), alg);
      assertFalse(key.verify(jws.signingInput(), new byte[70]), alg + ": not 64 bytes");
    }
  }

  /** ES256 is signed with BouncyCastle; the JDK's own provider is the independent check, both ways. */
  @Test
  void es256SignaturesInteroperateWithTheJdkProvider() throws Exception {
    SigningKey key = SigningKey.generate(SigningKey.ES256, "k1");
    JsonObject jwk = key.publicJwk();
    PublicKey jdkPublic = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(
        new BigInteger(1, Jose.decode(jwk.getString("x"))), new BigInteger(1, Jose.decode(jwk.getString("y")))), p256()));
    for (int i = 0; i < 20; i++) {
      byte[] input = ("header.claims-" + i).getBytes(StandardCharsets.US_ASCII);
      Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
      verifier.initVerify(jdkPublic);
      verifier.update(input);
      assertTrue(verifier.verify(key.sign(input)), "the JDK verifies the hub's signature " + i);

      Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
      signer.initSign(KeyFactory.getInstance("EC").generatePrivate(
          new PKCS8EncodedKeySpec(key.privatePkcs8())));
      signer.update(input);
      assertTrue(key.verify(input, signer.sign()), "the hub verifies the JDK's signature " + i);
    }
  }

  /** RFC 6979 appendix A.2.5: P-256, SHA-256, message "sample": deterministic nonces give exactly this signature. */
  @Test
  void es256UsesRfc6979DeterministicNonces() throws Exception {
    HexFormat hex = HexFormat.of();
    ECParameterSpec p256 = p256();
    BigInteger x = new BigInteger("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", 16);
    KeyFactory ec = KeyFactory.getInstance("EC");
    byte[] pkcs8 = ec.generatePrivate(new ECPrivateKeySpec(x, p256)).getEncoded();
    JsonObject jwk = new JsonObject()
        .put("x", Jose.encode(hex.parseHex("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6")))
        .put("y", Jose.encode(hex.parseHex("7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299")));
    SigningKey key = SigningKey.restore("rfc6979", SigningKey.ES256, jwk, pkcs8, Instant.now(), null);
    byte[] sample = "sample".getBytes(StandardCharsets.US_ASCII);
    assertEquals("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
        + "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8", hex.formatHex(key.sign(sample)));
    assertTrue(key.verify(sample, key.sign(sample)));
  }

  private static ECParameterSpec p256() throws Exception {
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec("secp256r1"));
    return parameters.getParameterSpec(ECParameterSpec.class);
  }

  @Test
  void whatIsNotACompactJwsParsesToNull() {
    assertNull(Jose.parse("opaque-refresh-token"));
    assertNull(Jose.parse("a.b"));
    assertNull(Jose.parse("a.b.c.d"));
    assertNull(Jose.parse("!!.??.**"));
    assertNull(Jose.parse(Jose.encode("[1]".getBytes(StandardCharsets.UTF_8)) + ".e30.AA"));
  }
}
