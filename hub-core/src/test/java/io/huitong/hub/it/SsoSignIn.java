package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import io.huitong.hub.Eventually;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A citizen's way into a running hub's single sign-on, as a browser and a portal take it: registration against the
 * department simulator, the login form, and the code flow with PKCE for tokens.
 */
final class SsoSignIn {
  static final String PASSWORD = "Huitong-2025";
  static final URI CALLBACK = URI.create("https://portal.example.gov.cn/callback");
  private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

  private SsoSignIn() {
  }

  /** Registers {@code person} of the simulator (SMS code, population database, face) with {@code phone}; the account id. */
  static String register(HubProcess hub, int simulatorPort, JsonObject person, String phone) throws Exception {
    assertEquals(202, hub.post("/api/v1/identity/registration/sms-code", new JsonObject().put("phone", phone))
        .statusCode());
    String code = new JsonObject(simulatorGet(simulatorPort, "/_sim/sms?phone=" + phone)).getString("lastCode");
    HttpResponse<String> answer = hub.post("/api/v1/identity/registration", new JsonObject()
        .put("idNumber", person.getString("idNumber")).put("name", person.getString("name")).put("phone", phone)
        .put("smsCode", code).put("password", PASSWORD).put("faceImage", Base64.getEncoder().encodeToString(
            ("face:" + person.getString("idNumber")).getBytes(StandardCharsets.UTF_8))));
    assertEquals(201, answer.statusCode(), answer.body());
    return new JsonObject(answer.body()).getString("id");
  }

  /** What a sign-in leaves a browser and its portal with. */
  record SignedIn(OIDCTokenResponse tokens, String sessionCookie) {
  }

  /**
   * Signs {@code login} in through the form and redeems the code (PKCE S256) for {@code client}, whose redirect URI
   * is {@link #CALLBACK}, asking for {@code scope}: the tokens and the browser's session cookie.
   */
  static SignedIn signIn(HubProcess hub, ClientID client, Secret secret, String login, String password, Scope scope)
      throws Exception {
    URI authorize = hub.uri("/sso/authorize");
    CodeVerifier verifier = new CodeVerifier();
    URI request = new AuthenticationRequest.Builder(new ResponseType("code"), scope, client, CALLBACK)
        .endpointURI(authorize).state(new State()).codeChallenge(verifier, CodeChallengeMethod.S256).build().toURI();
    HttpResponse<String> form = get(request, null);
    assertEquals(200, form.statusCode(), form.body());
    Map<String, String> fields = hidden(form.body());
    fields.put("login", login);
    fields.put("password", password);
    HttpResponse<String> signedIn = postForm(authorize, fields, "ht_sso_csrf=" + cookie(form, "ht_sso_csrf"));
    assertEquals(303, signedIn.statusCode(), signedIn.body());
    var code = AuthorizationResponse.parse(URI.create(signedIn.headers().firstValue("Location").orElseThrow()))
        .toSuccessResponse().getAuthorizationCode();
    TokenResponse tokens = OIDCTokenResponseParser.parse(new TokenRequest(hub.uri("/sso/token"),
        new ClientSecretBasic(client, secret), new AuthorizationCodeGrant(code, CALLBACK, verifier))
        .toHTTPRequest().send());
    assertTrue(tokens.indicatesSuccess(), tokens::toString);
    return new SignedIn((OIDCTokenResponse) tokens.toSuccessResponse(), cookie(signedIn, "ht_sso_session"));
  }

  static HttpResponse<String> get(URI uri, String cookie) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return HubProcess.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> postForm(URI uri, Map<String, String> fields, String cookie) throws Exception {
    StringBuilder body = new StringBuilder();
    fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
        .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return HubProcess.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The hidden fields of a form page, unescaped. */
  static Map<String, String> hidden(String html) {
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher m = HIDDEN.matcher(html);
    while (m.find()) {
      fields.put(m.group(1), m.group(2).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
          .replace("&#39;", "'").replace("&amp;", "&"));
    }
    return fields;
  }

  static String cookie(HttpResponse<String> answer, String name) {
    return answer.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
        .map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'))).findFirst()
        .orElseThrow(() -> new AssertionError("no cookie " + name));
  }

  /**
   * Asks {@code hub} for a password-reset code for {@code phone} and returns it once its SMS reached the simulator:
   * the hub answers before the code goes out.
   */
  static String resetCode(HubProcess hub, int simulatorPort, String phone) throws Exception {
    String path = "/_sim/sms?phone=" + phone;
    int sent = new JsonObject(simulatorGet(simulatorPort, path)).getJsonArray("messages").size();
    assertEquals(202, hub.post("/api/v1/identity/password-reset/sms-code", new JsonObject().put("login", phone))
        .statusCode());
    Eventually.holds("the reset code's SMS", Duration.ofSeconds(30),
        () -> new JsonObject(simulatorGet(simulatorPort, path)).getJsonArray("messages").size() > sent);
    return new JsonObject(simulatorGet(simulatorPort, path)).getString("lastCode");
  }

  static String simulatorGet(int simulatorPort, String path) throws Exception {
    HttpResponse<String> answer = HubProcess.HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + simulatorPort + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), path + ": " + answer.body());
    return answer.body();
  }

}
