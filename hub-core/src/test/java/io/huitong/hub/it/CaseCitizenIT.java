package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import io.huitong.connectors.simulator.DepartmentSimulator;
import io.huitong.connectors.simulator.SimulatorOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A citizen's portal reads the person's own cases with the person's SSO access token (docs/cases.md): progress and
 * the case view, never another person's case, and nothing once the token is revoked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaseCitizenIT {
  private static final Duration START_LIMIT = Duration.ofMinutes(3);

  private final Vertx vertx = Vertx.vertx();
  private DepartmentSimulator simulator;
  private HubProcess hub;
  private JsonObject citizenA;
  private ClientID portal;
  private Secret portalSecret;
  private String caseOfA;
  private String caseOfB;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    simulator = DepartmentSimulator.create(vertx, SimulatorOptions.forTests());
    int simulatorPort = simulator.start().await().atMost(Duration.ofSeconds(30));
    JsonArray people = new JsonObject(SsoSignIn.simulatorGet(simulatorPort, "/_sim/people?limit=2"))
        .getJsonArray("people");
    citizenA = people.getJsonObject(0);
    JsonObject citizenB = people.getJsonObject(1);
    hub = HubProcess.embedded(dir.resolve("hub"), "case-citizen-it");
    hub.env.put("HUB_IDENTITY_VERIFICATION_BASE_URL", "http://127.0.0.1:" + simulatorPort);
    hub.env.put("HUB_IDENTITY_KDF_MEMORY_KIB", "1024");
    hub.env.put("HUB_IDENTITY_KDF_ITERATIONS", "1");
    hub.env.put("HUB_SSO_PUBLIC_BASE_URL", "http://127.0.0.1:" + hub.httpPort());
    hub.start().awaitReady(START_LIMIT);

    SsoSignIn.register(hub, simulatorPort, citizenA, "13900002001");
    JsonObject client = hub.adminJson("POST", "/sso/clients", new JsonObject().put("name", "政务服务网 portal")
        .put("redirectUris", new JsonArray().add(SsoSignIn.CALLBACK.toString())).put("signingAlg", "ES256")
        .put("scopes", new JsonArray().add("openid").add("cases")));
    portal = new ClientID(client.getString("clientId"));
    portalSecret = new Secret(client.getString("clientSecret"));
    caseOfA = submit(citizenA, "13900002001");
    caseOfB = submit(citizenB, "13900002002");
  }

  @AfterAll
  void stop() throws Exception {
    if (hub != null) {
      hub.close();
    }
    if (simulator != null) {
      simulator.close().await().atMost(Duration.ofSeconds(30));
    }
    vertx.closeAndAwait();
  }

  @Test
  void aCitizenSeesOnlyTheirOwnCasesUntilTheTokenIsRevoked() throws Exception {
    // A relying system that was not granted the cases scope reads no cases with the person's token.
    JsonObject department = hub.adminJson("POST", "/sso/clients", new JsonObject().put("name", "部门业务系统")
        .put("redirectUris", new JsonArray().add(SsoSignIn.CALLBACK.toString())).put("signingAlg", "ES256"));
    String openidOnly = SsoSignIn.signIn(hub, new ClientID(department.getString("clientId")),
        new Secret(department.getString("clientSecret")), citizenA.getString("idNumber"), SsoSignIn.PASSWORD,
        new Scope("openid")).tokens().getOIDCTokens().getAccessToken().getValue();
    HttpResponse<String> refused = progress(openidOnly, new JsonObject());
    assertEquals(403, refused.statusCode(), refused.body());
    assertEquals("HT-CASE-TOKEN-SCOPE", new JsonObject(refused.body()).getString("code"));
    assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").contains("insufficient_scope"));

    BearerAccessToken token = (BearerAccessToken) SsoSignIn.signIn(hub, portal, portalSecret,
        citizenA.getString("idNumber"), SsoSignIn.PASSWORD, new Scope("openid", "cases")).tokens().getOIDCTokens()
        .getAccessToken();

    assertEquals(List.of(caseOfA), caseNumbers(progress(token.getValue(), new JsonObject())), "my cases");
    assertEquals(List.of(caseOfA), caseNumbers(progress(token.getValue(), new JsonObject().put("caseNumber", caseOfA))));
    assertEquals(List.of(), caseNumbers(progress(token.getValue(), new JsonObject().put("caseNumber", caseOfB))),
        "another's case is not among mine");
    HttpResponse<String> theirs = progress(token.getValue(), new JsonObject().put("idNumber", "any"));
    assertEquals(422, theirs.statusCode(), "the numbers are the account's, never the request's: " + theirs.body());

    HttpResponse<String> own = view(token.getValue(), caseOfA);
    assertEquals(200, own.statusCode(), own.body());
    assertEquals(caseOfA, new JsonObject(own.body()).getString("caseNumber"));
    HttpResponse<String> other = view(token.getValue(), caseOfB);
    assertEquals(404, other.statusCode(), "not 403: the case's existence does not leak");
    assertEquals("HT-CASE-NOT-FOUND", new JsonObject(other.body()).getString("code"));
    assertEquals(404, view(token.getValue(), "NO-SUCH-CASE").statusCode());

    HttpResponse<String> move = hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/cases/" + caseOfA + "/transitions"))
        .header("Authorization", "Bearer " + token.getValue()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("action", "ACCEPT").encode())));
    assertEquals(401, move.statusCode(), "window routes stay on the operator token");

    HttpResponse<String> accepted = hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/cases/" + caseOfA + "/transitions"))
        .header("Authorization", "Bearer " + hub.token()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("action", "ACCEPT").encode())));
    assertEquals(200, accepted.statusCode(), accepted.body());
    HttpResponse<String> receipts = view(token.getValue(), caseOfA + "/receipts");
    assertEquals(200, receipts.statusCode(), receipts.body());
    JsonObject receipt = new JsonObject(receipts.body()).getJsonArray("receipts").getJsonObject(0);
    assertEquals("受理回执", receipt.getString("title"));
    assertEquals(caseOfA, receipt.getJsonObject("document").getString("caseNumber"));
    assertTrue(receipt.getJsonObject("verification").getBoolean("valid"), receipts.body());
    assertEquals(404, view(token.getValue(), caseOfB + "/receipts").statusCode(), "another's receipts stay hidden");

    var revocation = new TokenRevocationRequest(hub.uri("/sso/revoke"), new ClientSecretBasic(portal, portalSecret),
        token).toHTTPRequest().send();
    assertEquals(200, revocation.getStatusCode());
    HttpResponse<String> revoked = view(token.getValue(), caseOfA);
    assertEquals(401, revoked.statusCode(), revoked.body());
    assertEquals("HT-CASE-TOKEN-INVALID", new JsonObject(revoked.body()).getString("code"));
    assertTrue(revoked.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""));
    assertEquals(401, progress(token.getValue(), new JsonObject()).statusCode());
  }

  private String submit(JsonObject person, String phone) throws Exception {
    HttpResponse<String> answer = hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/cases"))
        .header("Authorization", "Bearer " + hub.token()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("itemCode", "ITEM-GAJ")
            .put("itemName", "户口迁移").put("department", "GAJ").put("regionCode", "510502000000").put("kind", "PROMISED").put("promiseDays", 5)
            .put("applicantName", person.getString("name")).put("idNumber", person.getString("idNumber"))
            .put("phone", phone).encode())));
    assertEquals(201, answer.statusCode(), answer.body());
    return new JsonObject(answer.body()).getString("caseNumber");
  }

  private HttpResponse<String> progress(String token, JsonObject body) throws Exception {
    return hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/cases/progress")).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  /** GET /api/v1/cases/{path}: a case, or its receipts. */
  private HttpResponse<String> view(String token, String path) throws Exception {
    return hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/cases/" + path))
        .header("Authorization", "Bearer " + token).GET());
  }

  private static List<String> caseNumbers(HttpResponse<String> answer) {
    assertEquals(200, answer.statusCode(), answer.body());
    return new JsonObject(answer.body()).getJsonArray("cases").stream()
        .map(c -> ((JsonObject) c).getString("caseNumber")).toList();
  }
}
