package io.huitong.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TraceContextTest {

  @Test
  void parsesTheW3cExampleAndWritesItBack() {
    String header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    TraceContext t = TraceContext.parse(header);
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", t.traceId());
    assertEquals("00f067aa0ba902b7", t.spanId());
    assertTrue(t.sampled());
    assertEquals(header, t.toString());
    assertFalse(TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").sampled());
  }

  @Test
  void aChildKeepsTheTraceWithANewSpan() {
    TraceContext root = TraceContext.newTrace();
    TraceContext child = root.child();
    assertEquals(root.traceId(), child.traceId());
    assertNotEquals(root.spanId(), child.spanId());
    assertEquals(child, TraceContext.parse(child.toString()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"})
  void refusesWhatIsNotVersion00(String header) {
    assertNull(TraceContext.parse(header));
  }
}
