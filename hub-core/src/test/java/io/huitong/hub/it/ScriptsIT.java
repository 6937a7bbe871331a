package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.hub.Eventually;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/hub} as an operator uses it: start until ready, status, token, config, stop; and after a crash,
 * {@code stop} clears the PostgreSQL the dead hub left running.
 */
class ScriptsIT {
  private static final Path REPO = Path.of(System.getProperty("hub.repo", "..")).toAbsolutePath().normalize();

  private record Run(int exit, String output) {
  }

  private static Run script(Map<String, String> env, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("bash", REPO.resolve("scripts/hub").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("HUB_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("_JAVA_OPTIONS"));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("scripts/hub " + String.join(" ", args) + " did not finish");
    }
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void startStatusTokenConfigStopAndCleanUpAfterACrash(@TempDir Path dir) throws Exception {
    HubProcess ports = HubProcess.embedded(dir, "scripts");
    Map<String, String> env = new HashMap<>(ports.env);
    env.put("JAVA_OPTS", System.getProperty("hub.heap", "-Xmx512m"));

    Run start = script(env, "start");
    assertEquals(0, start.exit(), start.output());
    assertTrue(start.output().contains("ready in"), start.output());
    Run status = script(env, "status");
    assertEquals(0, status.exit(), status.output());
    assertTrue(status.output().contains("ready: yes") && status.output().contains("\"status\":\"UP\""), status.output());
    Run token = script(env, "token");
    assertEquals(Files.readString(ports.dataDir().resolve("operator-token")).trim(), token.output().trim());
    Run config = script(env, "config");
    assertTrue(config.output().contains("http.port = " + ports.httpPort()), config.output());
    assertTrue(script(env, "start").output().contains("already running"));

    Run stop = script(env, "stop");
    assertEquals(0, stop.exit(), stop.output());
    assertTrue(stop.output().contains("stopped"), stop.output());
    assertEquals(3, script(env, "status").exit(), "not running");

    assertEquals(0, script(env, "start").exit());
    long hub = Long.parseLong(Files.readString(ports.dataDir().resolve("hub.pid")).trim());
    ProcessHandle.of(hub).orElseThrow().destroyForcibly();
    ProcessHandle.of(hub).ifPresent(h -> h.onExit().join());
    long postmaster = Long.parseLong(Files.readAllLines(ports.dataDir().resolve("pg").resolve("postmaster.pid")).get(0).trim());
    assertTrue(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false), "the crash left PostgreSQL running");
    Run cleanup = script(env, "stop");
    assertTrue(cleanup.output().contains("left running"), cleanup.output());
    Eventually.holds("the leftover PostgreSQL is gone", Duration.ofSeconds(40),
        () -> !ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false));
    assertFalse(Files.exists(ports.dataDir().resolve("hub.pid")));
  }
}
