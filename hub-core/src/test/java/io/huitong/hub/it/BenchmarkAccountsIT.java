package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code huitong-hub identity generate}: a benchmark dataset loaded by the command logs in through the REST API like
 * registered accounts, keeps no personal number in clear, and the command refuses a database holding other accounts
 * unless forced.
 */
class BenchmarkAccountsIT {
  private static final Duration LIMIT = Duration.ofMinutes(5);
  private static final int ACCOUNTS = 2_000;

  @Test
  void generatedAccountsLogInAndOtherAccountsStopTheTool(@TempDir Path dir) throws Exception {
    HubProcess generator = HubProcess.embedded(dir.resolve("hub"), "generator-it");
    Path credentials = dir.resolve("credentials.csv");
    generator.start("identity", "generate", "--accounts", Integer.toString(ACCOUNTS), "--passwords", "20",
        "--credentials", credentials.toString());
    assertEquals(0, generator.awaitExit(LIMIT), generator.stderr());
    assertTrue(generator.stdout().contains("generated accounts 0 to 1999 into"), generator.stdout());
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(credentials));
    List<String> lines = Files.readAllLines(credentials, StandardCharsets.UTF_8);
    assertEquals("login,password", lines.get(0));
    assertEquals(ACCOUNTS + 1, lines.size());

    HubProcess hub = generator.again();
    try (HubProcess running = hub.start()) {
      running.awaitReady(LIMIT);
      // The first (an ID number), the second (a phone), the last, and a spread between.
      for (int line : new int[] {1, 2, 3, 777, 1_234, 1_999, ACCOUNTS}) {
        String[] login = lines.get(line).split(",");
        HttpResponse<String> answer = login(running, login[0], login[1]);
        assertEquals(200, answer.statusCode(), answer.body());
        JsonObject account = new JsonObject(answer.body());
        assertEquals("压测用户" + (line - 1), account.getString("name"));
        assertEquals("NATURAL_PERSON", account.getString("kind"));
      }
      String[] first = lines.get(1).split(",");
      assertEquals(401, login(running, first[0], first[1] + "x").statusCode());

      try (Connection c = running.database(); Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM identity.account")) {
          rs.next();
          assertEquals(ACCOUNTS, rs.getInt(1));
        }
        // No login (ID number or phone) is stored in clear anywhere in the row.
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM identity.account a WHERE a::text LIKE '%"
            + first[0] + "%' OR a::text LIKE '%" + lines.get(2).split(",")[0] + "%'")) {
          rs.next();
          assertEquals(0, rs.getInt(1));
        }
        // An account the tool did not make: as if someone had registered.
        s.executeUpdate("UPDATE identity.account SET name = '张三' WHERE name = '压测用户5'");
      }
    }

    HubProcess refused = generator.again().start("identity", "generate", "--accounts", "10", "--passwords", "2",
        "--credentials", credentials.toString());
    assertEquals(2, refused.awaitExit(LIMIT));
    assertTrue(refused.stderr().contains("holds 1 account(s) this tool did not generate"), refused.stderr());

    HubProcess forced = generator.again().start("identity", "generate", "--accounts", "10", "--passwords", "2",
        "--credentials", credentials.toString(), "--force");
    assertEquals(0, forced.awaitExit(LIMIT), forced.stderr());
    // Numbered on after the highest generated account.
    assertTrue(forced.stdout().contains("generated accounts 2000 to 2009"), forced.stdout());
  }

  private static HttpResponse<String> login(HubProcess hub, String login, String password) throws Exception {
    return hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/identity/login")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("login", login).put("password", password).encode())));
  }
}
