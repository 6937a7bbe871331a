package io.huitong.hub.sso.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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

  @Test
  void whatIsNotACompactJwsParsesToNull() {
    assertNull(Jose.parse("opaque-refresh-token"));
    assertNull(Jose.parse("a.b"));
    assertNull(Jose.parse("a.b.c.d"));
    assertNull(Jose.parse("!!.??.**"));
    assertNull(Jose.parse(Jose.encode("[1]".getBytes(StandardCharsets.UTF_8)) + ".e30.AA"));
  }
}
