package io.huitong.hub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.mutiny.Uni;
import java.time.Duration;

/** Assertions on the catalogued errors a capability's {@code Uni} fails with. */
public final class HubErrors {
  private HubErrors() {
  }

  /** Awaits {@code call} (a minute at most) and checks it fails with the error of this code. */
  public static void assertFails(String code, Uni<?> call) {
    try {
      call.await().atMost(Duration.ofMinutes(1));
    } catch (HubException e) {
      assertEquals(code, e.error().code(), e.getMessage());
      return;
    }
    throw new AssertionError("expected " + code);
  }
}
