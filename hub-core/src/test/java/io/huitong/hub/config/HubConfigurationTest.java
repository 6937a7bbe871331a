package io.huitong.hub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.config.Config;
import io.huitong.config.ConfigException;
import io.huitong.config.ConfigKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HubConfigurationTest {
  /** Surefire runs each module's tests in the module's directory. */
  private static final Path SHIPPED = Path.of("..", "config", "hub.yaml");

  @Test
  void theShippedExchangeExampleIsValid() {
    var example = io.huitong.hub.exchange.route.ExchangeDefinitions.load(Path.of("..", "config", "exchange.example.yaml"));
    assertEquals(1, example.routes().size());
    assertEquals(1, example.tableSources().size());
    assertEquals(1, example.tableSinks().size());
  }

  @Test
  void theShippedProxyExampleIsValidDownToItsConnectorSettings() {
    var example = io.huitong.hub.proxy.ProxyDefinitions.load(Path.of("..", "config", "proxy.example.yaml").toString());
    assertEquals(java.util.Set.of("query", "verify", "complete", "share"), example.services().stream()
        .map(s -> s.kind().name().toLowerCase(java.util.Locale.ROOT)).collect(java.util.stream.Collectors.toSet()));
    var vertx = io.vertx.mutiny.core.Vertx.vertx();
    try {
      var connectors = io.huitong.connector.Connectors.discover();
      example.connectors().forEach((id, declared) ->
          connectors.create(vertx, id, declared.kind(), declared.settings()).close().await().indefinitely());
    } finally {
      vertx.closeAndAwait();
    }
  }

  @Test
  void shippedFileIsExactlyTheRenderedDeclarations() throws Exception {
    assertEquals(HubConfiguration.template(), Files.readString(SHIPPED),
        "config/hub.yaml drifted from the declarations: regenerate it with scripts/hub config --template > config/hub.yaml");
  }

  @Test
  void shippedFileLoadsAndEqualsTheDefaults() {
    Config shipped = HubConfiguration.load(SHIPPED, Map.of());
    for (ConfigKey key : HubConfiguration.definition().keys().values()) {
      assertEquals(key.defaultValue(), valueOf(shipped, key), key.path());
      assertEquals(SHIPPED.toString(), shipped.originOf(key.path()), key.path());
    }
  }

  @Test
  void everyKeyHasADocAndAnEnvironmentVariable() {
    for (ConfigKey key : HubConfiguration.definition().keys().values()) {
      assertTrue(key.doc().endsWith("."), key.path() + " doc should be a sentence");
      assertTrue(key.environmentVariable(HubConfiguration.ENV_PREFIX).matches("HUB_[A-Z0-9_]+"), key.path());
    }
  }

  @Test
  void embeddedPortsMustDiffer() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> HubConfiguration.load(null, Map.of("HUB_PG_EMBEDDED_PORT", "8080")));
    assertEquals("pg.embedded.port: expected a port different from http.port, both are 8080", e.getMessage());
  }

  @Test
  void externalServersFreeTheirEmbeddedPorts() {
    Config c = HubConfiguration.load(null, Map.of("HUB_PG_URL", "postgresql://hub@db:5432/huitong",
        "HUB_PG_EMBEDDED_PORT", "8080"));
    assertEquals("postgresql://hub@db:5432/huitong", c.getString("pg.url"));
  }

  @Test
  void databaseUrlMustNotCarryAPassword() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> HubConfiguration.load(null, Map.of("HUB_PG_URL", "postgresql://hub:secret@db/huitong")));
    assertEquals("pg.url", e.key());
    assertTrue(e.getMessage().contains("pg.password"), e.getMessage());
  }

  @Test
  void malformedYamlNamesTheFileAndLine() throws Exception {
    Path file = Files.createTempFile("hub", ".yaml");
    Files.writeString(file, "http:\n  port: [8080\n");
    ConfigException e = assertThrows(ConfigException.class, () -> HubConfiguration.load(file, Map.of()));
    assertTrue(e.getMessage().startsWith(file + ": is not valid YAML at line"), e.getMessage());
    Files.delete(file);
  }

  @Test
  void missingConfigFileIsNamed() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> HubConfiguration.load(Path.of("no-such-hub.yaml"), Map.of()));
    assertEquals("--config: file no-such-hub.yaml does not exist", e.getMessage());
  }

  @Test
  void operatorTokenThatIsTooShortIsRefusedWithoutEchoingIt() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> HubConfiguration.load(null, Map.of("HUB_OPS_OPERATOR_TOKEN", "short-secret")));
    assertEquals("ops.operator-token", e.key());
    assertTrue(!e.getMessage().contains("short-secret"), e.getMessage());
  }

  private static Object valueOf(Config c, ConfigKey key) {
    return switch (key.type()) {
      case INT -> c.getInt(key.path());
      case BOOLEAN -> c.getBoolean(key.path());
      case STRING -> c.getString(key.path());
      case SECRET -> c.getSecret(key.path());
      case DURATION -> c.getDuration(key.path());
      case SIZE -> c.getSize(key.path());
      case LIST -> c.getList(key.path());
    };
  }
}
