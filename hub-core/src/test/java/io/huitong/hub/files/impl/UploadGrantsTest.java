package io.huitong.hub.files.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UploadGrantsTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

  private static UploadGrants at(Instant now) {
    return new UploadGrants(KEY, Duration.ofMinutes(30), Clock.fixed(now, ZoneOffset.UTC));
  }

  private static HubError refusal(UploadGrants grants, String token) {
    return assertThrows(HubException.class, () -> grants.verify(token)).error();
  }

  @Test
  void aGrantNamesItsConsumerUntilItExpires() {
    UploadGrants.Grant grant = at(NOW).issue("ak0123456789abcdef0123");
    assertEquals(NOW.plus(Duration.ofMinutes(30)), grant.expiresAt());
    assertEquals("ak0123456789abcdef0123", at(NOW.plus(Duration.ofMinutes(29))).verify(grant.token()));
    assertEquals(HubError.UPLOAD_GRANT_EXPIRED, refusal(at(NOW.plus(Duration.ofMinutes(30))), grant.token()));
  }

  @Test
  void aGrantOfAnotherKeyOrAlteredIsInvalid() {
    String token = at(NOW).issue("portal").token();
    UploadGrants otherKey = new UploadGrants(new byte[32], Duration.ofMinutes(30), Clock.fixed(NOW, ZoneOffset.UTC));
    assertEquals(HubError.UPLOAD_GRANT_INVALID, refusal(otherKey, token));
    String[] parts = token.split("\\.");
    // Another consumer or a later expiry under the same MAC.
    String renamed = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("county".getBytes()) + "." + parts[1] + "." + parts[2];
    assertEquals(HubError.UPLOAD_GRANT_INVALID, refusal(at(NOW), renamed));
    assertEquals(HubError.UPLOAD_GRANT_INVALID, refusal(at(NOW), parts[0] + "." + (Long.parseLong(parts[1]) + 3600) + "." + parts[2]));
  }

  @Test
  void malformedTokensAreInvalid() {
    UploadGrants grants = at(NOW);
    for (String token : new String[] {"", "a.b", "a.b.c.d", "cG9ydGFs.notanumber.AAAA", "cG9ydGFs.1.!!!", "x".repeat(300)}) {
      assertEquals(HubError.UPLOAD_GRANT_INVALID, refusal(grants, token), token);
    }
  }
}
