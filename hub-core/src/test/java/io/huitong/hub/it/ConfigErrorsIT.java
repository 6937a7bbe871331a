package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad configuration stops the hub before it touches anything: exit code 2, one line on stderr naming the key and
 * what was expected, and no data directory made.
 */
class ConfigErrorsIT {
  private static final Duration EXIT_LIMIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private HubProcess hub() throws Exception {
    return HubProcess.embedded(dir, "config-errors");
  }

  private void assertRefused(HubProcess hub, String expectedLine) throws Exception {
    assertEquals(2, hub.awaitExit(EXIT_LIMIT), hub.stderr());
    assertEquals("huitong: configuration error: " + expectedLine + "\n", hub.stderr());
    assertFalse(Files.exists(hub.dataDir()), "a refused configuration must not create the data directory");
  }

  @Test
  void unknownKeyInTheConfigFile() throws Exception {
    Path file = dir.resolve("hub.yaml");
    Files.writeString(file, "http:\n  prot: 8081\n");
    HubProcess hub = hub().start("--config", file.toString());
    assertRefused(hub, "http.prot: unknown configuration key in " + file + "; did you mean 'http.port'?");
  }

  @Test
  void wrongTypeFromTheEnvironment() throws Exception {
    HubProcess hub = hub();
    hub.env.put("HUB_HTTP_PORT", "eighty");
    hub.start();
    assertRefused(hub, "http.port: expected an integer, got 'eighty' (from environment variable HUB_HTTP_PORT)");
  }

  @Test
  void outOfRangeInTheConfigFile() throws Exception {
    Path file = dir.resolve("hub.yaml");
    Files.writeString(file, "http:\n  max-body-size: 2GiB\n");
    HubProcess hub = hub().start("--config", file.toString());
    assertRefused(hub, "http.max-body-size: expected from 1024 to 1073741824, got '2147483648' (from " + file + ")");
  }

  @Test
  void badExchangeDefinitionsNameTheFileAndThePath() throws Exception {
    Path file = dir.resolve("exchange.yaml");
    Files.writeString(file, "routes:\n  - id: a-to-b\n    receivers: []\n");
    HubProcess hub = hub();
    hub.env.put("HUB_EXCHANGE_DEFINITIONS", file.toString());
    hub.start();
    assertEquals(2, hub.awaitExit(EXIT_LIMIT), hub.stderr());
    assertTrue(hub.stderr().startsWith("huitong: configuration error: exchange.definitions: " + file
        + ": routes[0].receivers: "), hub.stderr());
    assertFalse(Files.exists(hub.dataDir()));
  }

  @Test
  void unknownHubVariable() throws Exception {
    HubProcess hub = hub();
    hub.env.put("HUB_HTTP_PROT", "8081");
    hub.start();
    assertRefused(hub, "HUB_HTTP_PROT: environment variable names no configuration key; did you mean 'http.port'?");
  }

  @Test
  void configCommandPrintsEffectiveValuesWithSecretsMasked() throws Exception {
    HubProcess hub = hub();
    hub.env.put("HUB_OPS_OPERATOR_TOKEN", "an-operator-token-of-enough-length");
    hub.env.put("HUB_PG_PASSWORD", "db-password-value");
    hub.start("config");
    assertEquals(0, hub.awaitExit(EXIT_LIMIT), hub.stderr());
    String out = hub.stdout();
    assertTrue(out.contains("ops.operator-token = [hidden]    # from environment variable HUB_OPS_OPERATOR_TOKEN\n"), out);
    assertTrue(out.contains("pg.password = [hidden]    # from environment variable HUB_PG_PASSWORD\n"), out);
    assertTrue(out.contains("http.port = " + hub.httpPort() + "    # from environment variable HUB_HTTP_PORT\n"), out);
    assertTrue(out.contains("cluster.name = huitong\n"), out);
    assertFalse(out.contains("an-operator-token") || out.contains("db-password-value"), out);
  }

  @Test
  void portInUseNamesTheKeyAndExitsOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      HubProcess hub = hub();
      hub.env.put("HUB_HTTP_PORT", Integer.toString(taken.getLocalPort()));
      hub.start();
      assertEquals(1, hub.awaitExit(EXIT_LIMIT), hub.stderr());
      assertTrue(hub.stderr().startsWith("huitong: start-up failed: http.port: port " + taken.getLocalPort()
          + " on 127.0.0.1 is not available"), hub.stderr());
    }
  }
}
