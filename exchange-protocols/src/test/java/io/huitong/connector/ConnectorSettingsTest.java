package io.huitong.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Errors in a connector's settings name the connector and the whole key. */
class ConnectorSettingsTest {

  @Test
  void aSectionNamesItsPathInErrors() {
    ConnectorSettings settings = new ConnectorSettings("hrss-api", new JsonObject()
        .put("operations", new JsonObject().put("work-injury", new JsonObject().put("path", 3))));

    ConnectorException e = assertThrows(ConnectorException.class,
        () -> settings.section("operations").section("work-injury").string("path"));

    assertEquals(ConnectorException.Failure.MISCONFIGURED, e.failure());
    assertEquals("connector 'hrss-api': setting 'operations.work-injury.path' is required (a non-empty string)",
        e.getMessage());
  }

  @Test
  void allowOnlyRefusesAnUnknownKey() {
    ConnectorSettings settings = new ConnectorSettings("census", new JsonObject().put("host", "h").put("timout", "2s"));

    ConnectorException e = assertThrows(ConnectorException.class, () -> settings.allowOnly(Set.of("host", "timeout")));

    assertEquals("connector 'census': setting 'timout' is not a setting here (known: host, timeout)", e.getMessage());
  }
}
