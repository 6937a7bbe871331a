package io.huitong.hub;

import io.huitong.config.Config;
import io.huitong.config.ConfigException;
import io.huitong.hub.exchange.ExchangeConfig;
import io.huitong.hub.exchange.route.ExchangeDefinitions;
import io.huitong.hub.proxy.AuditCommand;
import io.huitong.hub.proxy.ProxyConfig;
import io.huitong.hub.proxy.ProxyDefinitions;
import io.huitong.hub.config.HubConfiguration;
import io.huitong.hub.config.NodeConfig;
import io.huitong.hub.http.HttpConfig;
import io.huitong.hub.identity.IdentityCommand;
import io.huitong.hub.ops.OperatorToken;
import io.huitong.hub.ops.OpsConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The hub's command line.
 *
 * <pre>
 *   huitong-hub [run] [--config FILE]          run the hub in the foreground until SIGTERM or SIGINT
 *   huitong-hub config [--config FILE]         print the effective configuration, secrets masked
 *   huitong-hub config --template              print config/hub.yaml as the code declares it
 *   huitong-hub token [--config FILE]          print the operator API token (generating it if there is none)
 *   huitong-hub audit verify [--config FILE]   ask the running hub to check the call audit chain
 *   huitong-hub identity generate|kdf-rate ... benchmark dataset and KDF rate ({@link IdentityCommand})
 * </pre>
 *
 * Exit codes: 0 after a clean stop, 1 when start-up fails, 2 for a configuration error or a bad command line.
 * {@code audit verify}: 0 when the chain is intact, 1 when it is broken (the first broken seq is printed), 3 when
 * the hub does not answer.
 */
public final class Main {
  static final int EXIT_STARTUP_FAILED = 1;
  static final int EXIT_CONFIG = 2;

  private Main() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  private static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> words = new ArrayList<>();
    Path configFile = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        configFile = Path.of(args[++i]);
      } else if (args[i].startsWith("--config=")) {
        configFile = Path.of(args[i].substring("--config=".length()));
      } else {
        words.add(args[i]);
      }
    }
    String command = words.isEmpty() ? "run" : words.get(0);
    if (command.equals("config") && words.equals(List.of("config", "--template"))) {
      out.print(HubConfiguration.template());
      return 0;
    }
    boolean auditVerify = words.equals(List.of("audit", "verify"));
    boolean identity = command.equals("identity") && words.size() > 1;
    if (!auditVerify && !identity && (words.size() > 1 || !List.of("run", "config", "token").contains(command))) {
      err.println("usage: huitong-hub [run|config [--template]|token|audit verify|identity ...] [--config FILE]");
      return EXIT_CONFIG;
    }
    Config config;
    ExchangeDefinitions definitions;
    ProxyDefinitions proxyDefinitions;
    try {
      config = HubConfiguration.load(configFile, System.getenv());
      definitions = ExchangeConfig.from(config).loadDefinitions();
      proxyDefinitions = ProxyDefinitions.load(ProxyConfig.from(config).definitions());
    } catch (ConfigException e) {
      err.println("huitong: configuration error: " + e.getMessage());
      return EXIT_CONFIG;
    } catch (RuntimeException e) {
      // A value no rule foresaw: still a configuration problem, still named and never a stack trace.
      err.println("huitong: configuration error: " + e);
      return EXIT_CONFIG;
    }
    switch (command) {
      case "config" -> {
        config.describe().forEach(out::println);
        return 0;
      }
      case "token" -> {
        try {
          out.println(OperatorToken.resolve(OpsConfig.from(config), NodeConfig.from(config).dataDir()).reveal());
          return 0;
        } catch (IOException e) {
          err.println("huitong: cannot read or write the operator token: " + e.getMessage());
          return EXIT_STARTUP_FAILED;
        }
      }
      case "audit" -> {
        try {
          return AuditCommand.verify(HttpConfig.from(config),
              OperatorToken.resolve(OpsConfig.from(config), NodeConfig.from(config).dataDir()), out, err);
        } catch (IOException e) {
          err.println("huitong: cannot read the operator token: " + e.getMessage());
          return AuditCommand.EXIT_UNREACHABLE;
        }
      }
      case "identity" -> {
        // Its embedded PostgreSQL and migrations log as the hub does, to the data directory rather than the cwd.
        System.setProperty("hub.log.dir", NodeConfig.from(config).dataDir().resolve("logs").toAbsolutePath().toString());
        try {
          return IdentityCommand.run(words.subList(1, words.size()), config, out, err);
        } finally {
          flushLogs();
        }
      }
      default -> {
        return serve(config, definitions, proxyDefinitions, err);
      }
    }
  }

  private static int serve(Config config, ExchangeDefinitions definitions, ProxyDefinitions proxyDefinitions,
                           PrintStream err) {
    NodeConfig node = NodeConfig.from(config);
    // Logging reads these when the first logger is made, which must come after them.
    System.setProperty("hub.log.dir", node.dataDir().resolve("logs").toAbsolutePath().toString());
    System.setProperty("hub.log.level", node.logLevel());
    System.setProperty("hub.log.access", node.accessLog() ? "INFO" : "OFF");
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.setProperty("hazelcast.logging.type", "slf4j");
    String member = Hub.memberName(node, HttpConfig.from(config));
    ((ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory()).putProperty("node", member);
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);

    Hub hub = new Hub(config, definitions, proxyDefinitions);
    Runnable stopAndExit = () -> {
      try {
        hub.stop();
      } finally {
        flushLogs();
        System.exit(0);
      }
    };
    // Handled from the first moment, so a signal during start-up also stops what has started, and a clean stop
    // exits 0 rather than the JVM's 143. Any other way out of the JVM still runs stop() through the hook.
    for (String signal : List.of("TERM", "INT")) {
      sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> new Thread(stopAndExit, "hub-stop").start());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(hub::stop, "hub-stop-hook"));
    try {
      hub.start();
    } catch (StartupException e) {
      if (hub.stopping()) {
        return awaitForever();
      }
      log.error("Start-up failed: {}", e.getMessage(), e.getCause());
      flushLogs();
      err.println("huitong: start-up failed: " + e.getMessage());
      return EXIT_STARTUP_FAILED;
    }
    return awaitForever();
  }

  /** Log events wait in asynchronous appenders' queues; stopping the context writes them out. */
  private static void flushLogs() {
    ((ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory()).stop();
  }

  private static int awaitForever() {
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
