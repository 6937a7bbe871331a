package io.huitong.hub.proxy.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.proxy.Mask;
import io.huitong.hub.proxy.impl.FieldGrants.Access;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyPartsTest {
  private static final JsonObject PERSON = new JsonObject("""
      {"idNumber": "110101199003074514", "name": "张三丰", "phone": "13812345678",
       "address": {"city": "格尔木市", "street": "昆仑路 1 号"},
       "records": [{"month": "2026-01", "amount": 520, "employer": "A"}, {"month": "2026-02", "amount": 530, "employer": "B"}]}""");
  private static final Map<String, Mask> MASKS = Map.of("idNumber", Mask.ID_NUMBER, "phone", Mask.PHONE, "name", Mask.NAME);

  @Test
  void fieldsWithoutAGrantAreRemovedAndMaskedOnesMasked() {
    JsonObject shown = FieldGrants.apply(PERSON, Map.of("idNumber", Access.MASKED, "name", Access.CLEAR,
        "records.amount", Access.CLEAR, "address.city", Access.MASKED), MASKS);
    assertEquals(new JsonObject("""
        {"idNumber": "110101********4514", "name": "张三丰", "address": {"city": "***"},
         "records": [{"amount": 520}, {"amount": 530}]}"""), shown);
  }

  @Test
  void theWildcardGrantsEverything() {
    assertEquals(PERSON, FieldGrants.apply(PERSON, Map.of("*", Access.CLEAR), MASKS));
    JsonObject masked = FieldGrants.apply(PERSON, Map.of("*", Access.MASKED), MASKS);
    assertEquals("138****5678", masked.getString("phone"));
    assertEquals("***", masked.getJsonArray("records").getJsonObject(0).getValue("amount"));
  }

  @Test
  void grantsAreReadStrictly() {
    assertEquals(Map.of("a.b", Access.CLEAR), Catalogue.grants(new JsonObject().put("a.b", "clear"), "grants"));
    assertEquals("grants.a", assertThrows(DefinitionException.class,
        () -> Catalogue.grants(new JsonObject().put("a", "visible"), "grants")).path());
    assertThrows(DefinitionException.class, () -> Catalogue.grants(new JsonObject().put("a..b", "clear"), "grants"));
  }

  @Test
  void allowListsMatchNetworksOfBothFamilies() {
    IpAllowList list = IpAllowList.parse(List.of("10.1.0.0/16", "192.0.2.7", "2001:db8::/32"), "ipAllow");
    assertTrue(list.allows("10.1.200.3"));
    assertFalse(list.allows("10.2.0.1"));
    assertTrue(list.allows("192.0.2.7"));
    assertFalse(list.allows("192.0.2.8"));
    assertTrue(list.allows("2001:db8:1::5"));
    assertTrue(list.allows("::ffff:10.1.0.9"));
    assertFalse(list.allows("example.org"));
    assertTrue(IpAllowList.parse(List.of(), "ipAllow").allows("203.0.113.1"));
    assertEquals("ipAllow[1]", assertThrows(DefinitionException.class,
        () -> IpAllowList.parse(List.of("10.0.0.0/8", "10.0.0.0/33"), "ipAllow")).path());
    assertThrows(DefinitionException.class, () -> IpAllowList.parse(List.of("localhost"), "ipAllow"));
  }

  @Test
  void theBreakerOpensAfterTheThresholdAndLetsOneTrialThrough() throws InterruptedException {
    CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofMillis(200));
    for (int i = 0; i < 3; i++) {
      assertTrue(breaker.allow());
      breaker.failed();
    }
    assertEquals(CircuitBreaker.State.OPEN, breaker.state());
    assertFalse(breaker.allow());
    Thread.sleep(250);
    assertTrue(breaker.allow(), "the trial call");
    assertFalse(breaker.allow(), "only one trial at a time");
    breaker.failed();
    assertEquals(CircuitBreaker.State.OPEN, breaker.state());
    Thread.sleep(250);
    assertTrue(breaker.allow());
    breaker.succeeded();
    assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    assertTrue(breaker.allow());
  }

  @Test
  void cacheKeysIgnoreFieldOrder() {
    assertEquals(ResponseCache.key("s", new JsonObject("{\"a\":1,\"b\":{\"y\":2,\"x\":[1,\"2\"]}}")),
        ResponseCache.key("s", new JsonObject("{\"b\":{\"x\":[1,\"2\"],\"y\":2},\"a\":1}")));
    assertFalse(ResponseCache.key("s", new JsonObject().put("a", 1)).equals(ResponseCache.key("t", new JsonObject().put("a", 1))));
  }
}
