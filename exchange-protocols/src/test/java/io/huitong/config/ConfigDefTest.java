package io.huitong.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigDefTest {
  private final ConfigDef def = new ConfigDef()
      .section("http", "HTTP server.")
      .define("http.port", ConfigType.INT, 8080, Validator.between(1, 65535), "Port.")
      .define("http.max-body-size", ConfigType.SIZE, "1MiB", Validator.between(1024, 1L << 30), "Body bound.")
      .define("http.drain-timeout", ConfigType.DURATION, "30s", Validator.between(Duration.ZERO, Duration.ofMinutes(10)), "Drain.")
      .define("cluster.members", ConfigType.LIST, List.of(), Validator.each(Validator.hostAndPort()), "Members.")
      .define("ops.token", ConfigType.SECRET, "", Validator.any(), "Token.")
      .define("log.level", ConfigType.STRING, "INFO", Validator.oneOf("DEBUG", "INFO"), "Level.")
      .define("tls", ConfigType.BOOLEAN, false, Validator.any(), "TLS on.");

  private Config fromYamlTree(Map<String, ?> tree) {
    return def.resolve(List.of(ConfigSource.fromTree("hub.yaml", tree, def)));
  }

  private Config fromEnv(Map<String, String> env) {
    return def.resolve(List.of(ConfigSource.fromEnvironment(env, "HUB_", def)));
  }

  @Test
  void defaultsApplyWhenNothingIsGiven() {
    Config c = def.resolve(List.of());
    assertEquals(8080, c.getInt("http.port"));
    assertEquals(1024 * 1024, c.getSize("http.max-body-size"));
    assertEquals(Duration.ofSeconds(30), c.getDuration("http.drain-timeout"));
    assertEquals(List.of(), c.getList("cluster.members"));
    assertEquals("default", c.originOf("http.port"));
  }

  @Test
  void unknownKeyNamesThePathAndSuggestsTheClosest() {
    ConfigException e = assertThrows(ConfigException.class, () -> fromYamlTree(Map.of("http", Map.of("prot", 1))));
    assertEquals("http.prot", e.key());
    assertEquals("http.prot: unknown configuration key in hub.yaml; did you mean 'http.port'?", e.getMessage());
  }

  @Test
  void unknownTopLevelSectionIsRejected() {
    ConfigException e = assertThrows(ConfigException.class, () -> fromYamlTree(Map.of("kafak", Map.of("x", 1))));
    assertEquals("kafak", e.key());
  }

  @Test
  void wrongTypeNamesTheKeyAndWhatWasExpected() {
    ConfigException e = assertThrows(ConfigException.class, () -> fromYamlTree(Map.of("http", Map.of("port", "eighty"))));
    assertEquals("http.port: expected an integer, got 'eighty' (from hub.yaml)", e.getMessage());
  }

  @Test
  void outOfRangeNamesTheKeyAndTheRange() {
    ConfigException e = assertThrows(ConfigException.class, () -> fromYamlTree(Map.of("http", Map.of("port", 70000))));
    assertEquals("http.port: expected from 1 to 65535, got '70000' (from hub.yaml)", e.getMessage());
  }

  @Test
  void valueWhereASectionBelongsIsRejected() {
    ConfigException e = assertThrows(ConfigException.class, () -> fromYamlTree(Map.of("http", 8080)));
    assertEquals("http", e.key());
    assertTrue(e.getMessage().contains("is a section"), e.getMessage());
  }

  @Test
  void emptyValueIsRejectedRatherThanTakenAsDefault() {
    java.util.HashMap<String, Object> http = new java.util.HashMap<>();
    http.put("port", null);
    ConfigException e = assertThrows(ConfigException.class, () -> fromYamlTree(Map.of("http", http)));
    assertEquals("http.port", e.key());
  }

  @Test
  void environmentOverridesByVariableName() {
    Config c = fromEnv(Map.of("HUB_HTTP_PORT", "9090", "HUB_CLUSTER_MEMBERS", "a:5701, b:5702",
        "HUB_HTTP_DRAIN_TIMEOUT", "500ms", "HUB_TLS", "true", "PATH", "/bin"));
    assertEquals(9090, c.getInt("http.port"));
    assertEquals(List.of("a:5701", "b:5702"), c.getList("cluster.members"));
    assertEquals(Duration.ofMillis(500), c.getDuration("http.drain-timeout"));
    assertTrue(c.getBoolean("tls"));
    assertEquals("environment variable HUB_HTTP_PORT", c.originOf("http.port"));
  }

  @Test
  void laterSourceWins() {
    Config c = def.resolve(List.of(
        ConfigSource.fromTree("hub.yaml", Map.of("http", Map.of("port", 1000)), def),
        ConfigSource.fromEnvironment(Map.of("HUB_HTTP_PORT", "2000"), "HUB_", def)));
    assertEquals(2000, c.getInt("http.port"));
  }

  @Test
  void environmentErrorsNameTheVariable() {
    ConfigException e = assertThrows(ConfigException.class, () -> fromEnv(Map.of("HUB_HTTP_PORT", "0")));
    assertEquals("http.port: expected from 1 to 65535, got '0' (from environment variable HUB_HTTP_PORT)", e.getMessage());
  }

  @Test
  void unknownPrefixedVariableIsRejected() {
    ConfigException e = assertThrows(ConfigException.class, () -> fromEnv(Map.of("HUB_HTTP_PROT", "1")));
    assertEquals("HUB_HTTP_PROT", e.key());
    assertTrue(e.getMessage().contains("did you mean 'http.port'"), e.getMessage());
  }

  @Test
  void listElementsAreValidatedWithTheirIndex() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> fromYamlTree(Map.of("cluster", Map.of("members", List.of("a:5701", "b:99999")))));
    assertEquals("cluster.members[1]", e.key());
  }

  @Test
  void sizesAndDurationsTakeUnits() {
    Config c = fromYamlTree(Map.of("http", Map.of("max-body-size", "64KiB", "drain-timeout", "2m")));
    assertEquals(64 * 1024, c.getSize("http.max-body-size"));
    assertEquals(Duration.ofMinutes(2), c.getDuration("http.drain-timeout"));
    assertThrows(ConfigException.class, () -> fromYamlTree(Map.of("http", Map.of("max-body-size", "64 parsecs"))));
    assertThrows(ConfigException.class, () -> fromYamlTree(Map.of("http", Map.of("drain-timeout", 30))));
    assertThrows(ConfigException.class, () -> fromYamlTree(Map.of("http", Map.of("drain-timeout", "11m"))));
  }

  @Test
  void enumeratedStringsAreChecked() {
    ConfigException e = assertThrows(ConfigException.class, () -> fromYamlTree(Map.of("log", Map.of("level", "LOUD"))));
    assertEquals("log.level: expected one of DEBUG, INFO, got 'LOUD' (from hub.yaml)", e.getMessage());
  }

  @Test
  void secretsNeverPrint() {
    Config c = fromEnv(Map.of("HUB_OPS_TOKEN", "s3cr3t-value"));
    assertEquals("s3cr3t-value", c.getSecret("ops.token").reveal());
    assertFalse(c.toString().contains("s3cr3t-value"));
    assertFalse(String.join("\n", c.describe()).contains("s3cr3t-value"));
    assertFalse(c.getSecret("ops.token").toString().contains("s3cr3t"));
    assertTrue(c.describe().contains("ops.token = [hidden]    # from environment variable HUB_OPS_TOKEN"));
  }

  @Test
  void secretComparisonMatchesOnlyTheSameValue() {
    Secret s = Secret.of("abc");
    assertTrue(s.matches("abc"));
    assertFalse(s.matches("abd"));
    assertFalse(s.matches(null));
    assertFalse(Secret.of("").matches(""));
  }

  @Test
  void declarationMistakesFailAtDefinition() {
    ConfigDef d = new ConfigDef().define("a.b", ConfigType.INT, 1, Validator.any(), "Doc.");
    assertThrows(IllegalArgumentException.class, () -> d.define("a.b", ConfigType.INT, 1, Validator.any(), "Doc."));
    assertThrows(IllegalArgumentException.class, () -> d.define("a.b.c", ConfigType.INT, 1, Validator.any(), "Doc."));
    assertThrows(IllegalArgumentException.class, () -> d.define("Bad_Name", ConfigType.INT, 1, Validator.any(), "Doc."));
    assertThrows(IllegalArgumentException.class, () -> d.define("c", ConfigType.INT, 1, Validator.any(), " "));
    assertThrows(ConfigException.class, () -> d.define("d", ConfigType.INT, 0, Validator.between(1, 2), "Doc."));
  }

  @Test
  void crossKeyRulesRunAfterEveryKeyIsValid() {
    ConfigDef d = new ConfigDef()
        .define("a", ConfigType.INT, 1, Validator.any(), "A.")
        .define("b", ConfigType.INT, 2, Validator.any(), "B.")
        .rule(c -> {
          if (c.getInt("a") == c.getInt("b")) {
            throw new ConfigException("b", "expected a value different from a");
          }
        });
    assertThrows(ConfigException.class,
        () -> d.resolve(List.of(ConfigSource.fromEnvironment(Map.of("X_B", "1"), "X_", d))));
  }

  @Test
  void templateListsEveryKeyWithItsDefaultDocAndVariable() {
    String yaml = ConfigTemplate.render(def, "HUB_", List.of("Header."));
    assertTrue(yaml.startsWith("# Header.\n"), yaml);
    assertTrue(yaml.contains("http:\n  # Port.\n  # an integer; from 1 to 65535; env HUB_HTTP_PORT\n  port: 8080\n"), yaml);
    assertTrue(yaml.contains("  max-body-size: 1MiB\n"), yaml);
    assertTrue(yaml.contains("  members: []\n"), yaml);
    assertTrue(yaml.contains("  token: \"\"\n"), yaml);
    assertTrue(yaml.contains("\n# TLS on.\n# a boolean (true or false); env HUB_TLS\ntls: false\n"), yaml);
  }
}
