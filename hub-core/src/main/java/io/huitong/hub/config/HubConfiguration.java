package io.huitong.hub.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigException;
import io.huitong.config.ConfigSource;
import io.huitong.config.ConfigTemplate;
import io.huitong.hub.bus.BusConfig;
import io.huitong.hub.cluster.ClusterConfig;
import io.huitong.hub.http.HttpConfig;
import io.huitong.hub.ops.OpsConfig;
import io.huitong.hub.storage.PgConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hub's whole configuration: the declarations of every capability's keys, and how they are read.
 *
 * <p>Precedence, lowest first: the declared defaults; {@code config/hub.yaml} in the working directory, or instead
 * the file given with {@code --config}; then {@code HUB_*} environment variables.
 */
public final class HubConfiguration {
  /** Prefix of the environment variables that override keys: {@code HUB_HTTP_PORT} is {@code http.port}. */
  public static final String ENV_PREFIX = "HUB_";
  /** The configuration file read when no {@code --config} is given, relative to the working directory. */
  public static final Path DEFAULT_FILE = Path.of("config", "hub.yaml");

  private static final ConfigDef DEFINITION = buildDefinition();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private HubConfiguration() {
  }

  /** Every key of the hub, declared once. */
  public static ConfigDef definition() {
    return DEFINITION;
  }

  /**
   * Resolves the configuration from {@code file} (or {@link #DEFAULT_FILE} if it exists, when {@code file} is null)
   * and the environment.
   *
   * @throws ConfigException naming the key, and the file or variable, of the first unacceptable value
   */
  public static Config load(Path file, Map<String, String> environment) {
    List<ConfigSource> sources = new ArrayList<>();
    Path chosen = file != null ? file : Files.exists(DEFAULT_FILE) ? DEFAULT_FILE : null;
    if (chosen != null) {
      sources.add(ConfigSource.fromTree(chosen.toString(), readYaml(chosen), DEFINITION));
    }
    sources.add(ConfigSource.fromEnvironment(environment, ENV_PREFIX, DEFINITION));
    return DEFINITION.resolve(sources);
  }

  /** Checks a candidate configuration document, without environment overrides, as an operator would before a restart. */
  public static Config check(String name, String yamlText) {
    return DEFINITION.resolve(List.of(ConfigSource.fromTree(name, parseYaml(name, yamlText), DEFINITION)));
  }

  /** The shipped {@code config/hub.yaml}: every key with its default, type, rule and doc. */
  public static String template() {
    return ConfigTemplate.render(DEFINITION, ENV_PREFIX, List.of(
        "Huitong hub configuration: every key, with its default.",
        "Generated from the declarations in the code (scripts/hub config --template); a test keeps it current.",
        "Override a key with --config FILE (a file of the same shape, holding only the keys you change)",
        "or with the environment variable named beside it. Secrets belong in the environment, not here."));
  }

  private static Map<?, ?> readYaml(Path file) {
    try {
      return parseYaml(file.toString(), Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new ConfigException("--config", "file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("--config", "file " + file + " cannot be read: " + e.getMessage());
    }
  }

  private static Map<?, ?> parseYaml(String name, String text) {
    try {
      Object tree = YAML.readValue(text, Object.class);
      if (tree == null) {
        return Map.of();
      }
      if (!(tree instanceof Map<?, ?> map)) {
        throw new ConfigException(name, "expected a YAML mapping of sections and keys at the top level");
      }
      return map;
    } catch (JacksonException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ConfigException(name, "is not valid YAML" + where + ": " + e.getOriginalMessage());
    }
  }

  private static ConfigDef buildDefinition() {
    ConfigDef def = new ConfigDef();
    NodeConfig.declare(def);
    HttpConfig.declare(def);
    PgConfig.declare(def);
    BusConfig.declare(def);
    ClusterConfig.declare(def);
    OpsConfig.declare(def);
    io.huitong.hub.signing.SigningConfig.declare(def);
    io.huitong.hub.exchange.ExchangeConfig.declare(def);
    io.huitong.hub.proxy.ProxyConfig.declare(def);
    io.huitong.hub.files.FilesConfig.declare(def);
    io.huitong.hub.identity.IdentityConfig.declare(def);
    io.huitong.hub.cases.CasesConfig.declare(def);
    io.huitong.hub.appointments.AppointmentsConfig.declare(def);
    io.huitong.hub.evaluation.EvaluationConfig.declare(def);
    io.huitong.hub.queue.QueueConfig.declare(def);
    io.huitong.kioskbridge.BridgeConfig.declare(def);
    io.huitong.hub.sso.SsoConfig.declare(def);
    def.rule(HubConfiguration::portsDistinct);
    return def;
  }

  /** Two servers of one hub cannot share a port; say which keys collide rather than fail later at bind time. */
  private static void portsDistinct(Config c) {
    List<String> portKeys = new ArrayList<>(List.of(HttpConfig.PORT, ClusterConfig.PORT));
    if (c.getString(PgConfig.URL).isEmpty()) {
      portKeys.add(PgConfig.EMBEDDED_PORT);
    }
    if (c.getBoolean(io.huitong.kioskbridge.BridgeConfig.ENABLED)) {
      portKeys.add(io.huitong.kioskbridge.BridgeConfig.PORT);
    }
    if (c.getString(BusConfig.BOOTSTRAP).isEmpty()) {
      portKeys.add(BusConfig.EMBEDDED_PORT);
      portKeys.add(BusConfig.CONTROLLER_PORT);
    }
    for (int i = 0; i < portKeys.size(); i++) {
      for (int j = i + 1; j < portKeys.size(); j++) {
        if (c.getInt(portKeys.get(i)) == c.getInt(portKeys.get(j))) {
          throw new ConfigException(portKeys.get(j), "expected a port different from " + portKeys.get(i)
              + ", both are " + c.getInt(portKeys.get(i)));
        }
      }
    }
  }
}
