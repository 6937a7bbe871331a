package io.huitong.hub.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.config.ConfigException;
import io.huitong.hub.config.DefinitionException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceDefinitionTest {
  @TempDir
  Path dir;

  private static JsonObject service() {
    return new JsonObject("""
        {"id": "hrss.person", "kind": "query", "department": "hrss", "region": "632801",
         "sources": [{"connector": "dc", "operation": "person"}, {"connector": "hrss", "operation": "person"}],
         "input-schema": {"type": "object", "required": ["idNumber"],
                          "properties": {"idNumber": {"type": "string", "format": "id-number"}}},
         "output-schema": {"type": "object", "properties": {
             "idNumber": {"type": "string", "mask": "id-number"},
             "records": {"type": "array", "items": {"type": "object",
                         "properties": {"phone": {"type": "string", "mask": "phone"}}}}}},
         "cache-ttl": "30s", "stale-ttl": "1h", "rate-limit": "100/s burst 20"}""");
  }

  @Test
  void aServiceRoundTripsThroughItsJson() {
    ServiceDefinition s = ServiceDefinition.parse(service(), "", "api");
    assertEquals(ServiceKind.QUERY, s.kind());
    assertEquals(List.of("dc", "hrss"), s.sources().stream().map(ServiceDefinition.Source::connector).toList());
    assertEquals(Duration.ofSeconds(30), s.cacheTtl());
    assertEquals(20, s.rateLimit().burst());
    assertEquals(Map.of("idNumber", Mask.ID_NUMBER, "records.phone", Mask.PHONE), s.outputSchema().masks());
    assertEquals(s.toJson(), ServiceDefinition.parse(s.toJson(), "", "api").toJson());
  }

  @Test
  void mistakesNameTheirPath() {
    assertEquals("services[2].kind", error(service().put("kind", "lookup")).path());
    assertEquals("services[2].sources", error(service().put("sources", new JsonArray())).path());
    assertEquals("services[2].region", error(service().put("region", "63")).path());
    assertEquals("services[2].cachettl", error(service().put("cachettl", "1s")).path());
    assertEquals("services[2].input-schema.properties.idNumber.format",
        error(service().put("input-schema", new JsonObject("{\"properties\": {\"idNumber\": {\"format\": \"ssn\"}}}"))).path());
    assertEquals("services[2].rate-limit", error(service().put("rate-limit", "fast")).path());
    // A share service may change upstream state: caching its answers would hide a second call.
    assertEquals("services[2].cache-ttl", error(service().put("kind", "share")).path());
  }

  private static DefinitionException error(JsonObject json) {
    return assertThrows(DefinitionException.class, () -> ServiceDefinition.parse(json, "services[2]", "config"));
  }

  @Test
  void schemasValidateWithPaths() {
    DataSchema schema = ServiceDefinition.parse(service(), "", "api").inputSchema();
    assertEquals(List.of(), schema.validate(new JsonObject().put("idNumber", "110101199003074514")));
    assertEquals(List.of("$.idNumber: is required"), schema.validate(new JsonObject()));
    assertEquals(List.of("$.idNumber: is not a valid id-number"), schema.validate(new JsonObject().put("idNumber", "110101199003074515")));
    assertEquals(List.of("$.idNumber: expected string, got a number"), schema.validate(new JsonObject().put("idNumber", 7)));
  }

  @Test
  void residentIdsAreCheckedByTheirCheckCharacter() {
    assertTrue(ResidentId.isValid("110101199003074514"));
    assertTrue(ResidentId.isValid("11010519491231002X"));
    assertFalse(ResidentId.isValid("11010519491231002x"));
    assertFalse(ResidentId.isValid("110101199003074515"));
    assertFalse(ResidentId.isValid("1101011990030745"));
  }

  @Test
  void masksKeepWhatIdentifiesAValueToItsOwnerOnly() {
    assertEquals("110101********4514", Mask.ID_NUMBER.apply("110101199003074514"));
    assertEquals("138****5678", Mask.PHONE.apply("13812345678"));
    assertEquals("张**", Mask.NAME.apply("张三丰"));
    assertEquals("*", Mask.NAME.apply("张"));
    assertEquals("***", Mask.ALL.apply(42));
  }

  @Test
  void rateLimitsParseWithBurst() {
    RateLimit limit = RateLimit.parse("6000/1m", "x");
    assertEquals(6000, limit.burst());
    assertEquals(10_000_000L, limit.intervalNanos());
    assertEquals(limit, RateLimit.parse(limit.toString(), "x"));
    assertThrows(DefinitionException.class, () -> RateLimit.parse("0/s", "x"));
    assertThrows(DefinitionException.class, () -> RateLimit.parse("10 per second", "x"));
  }

  @Test
  void theFileNeedsDeclaredConnectorsAndUniqueIds() throws IOException {
    Path file = dir.resolve("proxy.yaml");
    Files.writeString(file, """
        connectors:
          dc: {kind: postgresql, host: 127.0.0.1, database: test, user: postgres}
        services:
          - {id: a, kind: verify, department: hrss, sources: [{connector: dc, operation: person}]}
          - {id: b, kind: query, department: hrss, sources: [{connector: hrss, operation: person}]}
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> ProxyDefinitions.load(file.toString()));
    assertTrue(e.getMessage().contains("services[1].sources[0].connector: no connector 'hrss' is declared"), e.getMessage());
    assertEquals(ProxyConfig.DEFINITIONS, e.key());

    Files.writeString(file, """
        connectors:
          dc: {kind: postgresql, host: 127.0.0.1}
        services:
          - {id: a, kind: verify, department: hrss, sources: [{connector: dc, operation: person}]}
        """);
    ProxyDefinitions ok = ProxyDefinitions.load(file.toString());
    assertEquals("postgresql", ok.connectors().get("dc").kind());
    assertFalse(ok.connectors().get("dc").settings().containsKey("kind"));
  }
}
