package io.huitong.hub.sso.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RefreshTokensTest {
  private final RefreshTokens tokens = new RefreshTokens("a key derived for refresh tokens".getBytes(StandardCharsets.UTF_8));
  private final String family = Jose.randomToken().substring(0, 22);

  @Test
  void anIssuedTokenReadsBackAsItsFamilyGenerationAndTheHashItsRowKeeps() {
    RefreshTokens.Issued issued = tokens.issue(family, 41);
    RefreshTokens.Presented presented = tokens.parse(issued.token());
    assertEquals(new RefreshTokens.Presented(family, 41, issued.secretHash()), presented);
    assertTrue(issued.token().length() <= RefreshTokens.MAX_LENGTH, issued.token());
    assertEquals(-1, issued.token().indexOf('.'), "told apart from a JWS by the absence of dots");
    // The row keeps a hash, never the secret the token carries.
    assertEquals(-1, issued.token().indexOf(issued.secretHash()));
    RefreshTokens.Issued next = tokens.issue(family, 42);
    assertNotEquals(issued.secretHash(), next.secretHash());
  }

  @Test
  void anyAlteredPartOrAnotherKeyMakesTheTokenUnreadable() {
    String token = tokens.issue(family, 7).token();
    String[] parts = token.split("~");
    assertNull(tokens.parse(parts[0] + "~6~" + parts[2] + "~" + parts[3]), "an earlier generation, made up");
    assertNull(tokens.parse(parts[0] + "~" + parts[1] + "~" + Jose.randomToken() + "~" + parts[3]), "another secret");
    String otherFamily = (parts[0].charAt(0) == 'a' ? "b" : "a") + parts[0].substring(1);
    assertNull(tokens.parse(otherFamily + "~" + parts[1] + "~" + parts[2] + "~" + parts[3]), "another family");
    assertNull(tokens.parse(token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A")), "the tag");
    assertNull(new RefreshTokens("another key".getBytes(StandardCharsets.UTF_8)).parse(token), "another key");
    for (String malformed : new String[] {null, "", "~~~", token + "~", token.replace('~', '.'),
        parts[0] + "~07~" + parts[2] + "~" + parts[3], parts[0] + "~-1~" + parts[2] + "~" + parts[3],
        parts[0] + "~1234567890~" + parts[2] + "~" + parts[3], "x".repeat(10_000)}) {
      assertNull(tokens.parse(malformed), String.valueOf(malformed));
    }
  }
}
