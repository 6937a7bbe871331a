package io.huitong.hub.it;

import static io.huitong.hub.it.SsoSignIn.CALLBACK;
import static io.huitong.hub.it.SsoSignIn.PASSWORD;
import static io.huitong.hub.it.SsoSignIn.cookie;
import static io.huitong.hub.it.SsoSignIn.get;
import static io.huitong.hub.it.SsoSignIn.hidden;
import static io.huitong.hub.it.SsoSignIn.postForm;
import static io.huitong.hub.it.SsoSignIn.register;
import static io.huitong.hub.it.SsoSignIn.simulatorGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.huitong.connectors.simulator.DepartmentSimulator;
import io.huitong.connectors.simulator.SimulatorOptions;
import io.huitong.hub.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single sign-on end to end: a relying party built on Nimbus's OAuth 2.0 / OpenID Connect SDK completes the code flow
 * with PKCE against a hub, whose accounts are registered through the department simulator; a second member of the
 * same cluster continues sessions and honours revocations the first began.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SsoIT {
  private static final Duration START_LIMIT = Duration.ofMinutes(3);
  private static final URI SIGNED_OUT = URI.create("https://portal.example.gov.cn/signed-out");

  private final Vertx vertx = Vertx.vertx();
  private DepartmentSimulator simulator;
  private int simulatorPort;
  private HubProcess hub;
  private HubProcess other;
  private JsonObject person;
  /** A second citizen, whose account the last test resets and disables. */
  private JsonObject another;
  private String accountId;
  private OIDCProviderMetadata provider;
  private ClientID es256Client;
  private Secret es256Secret;
  private ClientID sm2Client;
  private Secret sm2Secret;
  /** The browser's session cookie after the first login, on the first member. */
  private String sessionCookie;
  private OIDCTokenResponse firstTokens;
  private Nonce firstNonce;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    simulator = DepartmentSimulator.create(vertx, SimulatorOptions.forTests());
    simulatorPort = simulator.start().await().atMost(Duration.ofSeconds(30));
    JsonArray people = new JsonObject(simulatorGet(simulatorPort, "/_sim/people?limit=2")).getJsonArray("people");
    person = people.getJsonObject(0);
    another = people.getJsonObject(1);
    hub = HubProcess.embedded(dir.resolve("hub"), "sso-it");
    hub.env.put("HUB_IDENTITY_VERIFICATION_BASE_URL", "http://127.0.0.1:" + simulatorPort);
    hub.env.put("HUB_IDENTITY_KDF_MEMORY_KIB", "1024");
    hub.env.put("HUB_IDENTITY_KDF_ITERATIONS", "1");
    // Both members answer as one provider, as behind a load balancer.
    hub.env.put("HUB_SSO_PUBLIC_BASE_URL", "http://127.0.0.1:" + hub.httpPort());
    hub.start().awaitReady(START_LIMIT);
    other = HubProcess.joining(hub, dir.resolve("other"), "sso-it-2");
    other.env.put("HUB_SSO_PUBLIC_BASE_URL", "http://127.0.0.1:" + hub.httpPort());
    other.env.put("HUB_IDENTITY_KDF_MEMORY_KIB", "1024");
    other.env.put("HUB_IDENTITY_KDF_ITERATIONS", "1");
    // Logins through the second member also need an SMS code.
    other.env.put("HUB_IDENTITY_LOGIN_SMS", "true");
    other.env.put("HUB_IDENTITY_VERIFICATION_BASE_URL", "http://127.0.0.1:" + simulatorPort);
    other.env.put("HUB_IDENTITY_SMS_CODE_RESEND_INTERVAL", "0s");
    other.start().awaitReady(START_LIMIT);

    accountId = register(hub, simulatorPort, person, "13900001000");
    JsonObject es256 = hub.adminJson("POST", "/sso/clients", new JsonObject().put("name", "政务服务网 portal")
        .put("redirectUris", new io.vertx.core.json.JsonArray().add(CALLBACK.toString()))
        .put("postLogoutRedirectUris", new io.vertx.core.json.JsonArray().add(SIGNED_OUT.toString()))
        .put("scopes", new io.vertx.core.json.JsonArray().add("openid").add("profile")).put("signingAlg", "ES256"));
    es256Client = new ClientID(es256.getString("clientId"));
    es256Secret = new Secret(es256.getString("clientSecret"));
    JsonObject sm2 = hub.adminJson("POST", "/sso/clients", new JsonObject().put("name", "不动产登记 department")
        .put("redirectUris", new io.vertx.core.json.JsonArray().add(CALLBACK.toString())).put("signingAlg", "SM2SM3"));
    sm2Client = new ClientID(sm2.getString("clientId"));
    sm2Secret = new Secret(sm2.getString("clientSecret"));
  }

  @AfterAll
  void stop() throws Exception {
    for (HubProcess member : new HubProcess[] {other, hub}) {
      if (member != null) {
        member.close();
      }
    }
    if (simulator != null) {
      simulator.close().await().atMost(Duration.ofSeconds(30));
    }
    vertx.closeAndAwait();
  }

  @Test
  @Order(1)
  void aNimbusRelyingPartyCompletesTheCodeFlowWithPkce() throws Exception {
    provider = OIDCProviderMetadata.resolve(new Issuer("http://127.0.0.1:" + hub.httpPort() + "/sso"));
    assertTrue(provider.getCodeChallengeMethods().contains(CodeChallengeMethod.S256));
    assertFalse(provider.supportsRequestURIParam(), "no request objects, so no request_uri either");

    CodeVerifier verifier = new CodeVerifier();
    State state = new State();
    firstNonce = new Nonce();
    AuthenticationRequest request = new AuthenticationRequest.Builder(new ResponseType("code"),
        new Scope("openid", "profile"), es256Client, CALLBACK).endpointURI(provider.getAuthorizationEndpointURI())
        .state(state).nonce(firstNonce).codeChallenge(verifier, CodeChallengeMethod.S256).build();

    HttpResponse<String> form = get(request.toURI(), null);
    assertEquals(200, form.statusCode(), form.body());
    assertTrue(form.body().contains("name=\"password\""), form.body());
    String csrfCookie = cookie(form, "ht_sso_csrf");
    Map<String, String> fields = hidden(form.body());
    fields.put("login", person.getString("idNumber"));
    fields.put("password", PASSWORD + "x");
    HttpResponse<String> wrong = postForm(provider.getAuthorizationEndpointURI(), fields, "ht_sso_csrf=" + csrfCookie);
    assertEquals(401, wrong.statusCode(), wrong.body());
    assertTrue(wrong.body().contains("name=\"password\""), "the form again");
    fields.put("password", PASSWORD);
    // Without the browser's CSRF cookie the form is refused, the password not even checked.
    assertEquals(403, postForm(provider.getAuthorizationEndpointURI(), fields, "ht_sso_csrf=another").statusCode());
    HttpResponse<String> signedIn = postForm(provider.getAuthorizationEndpointURI(), fields, "ht_sso_csrf=" + csrfCookie);
    assertEquals(303, signedIn.statusCode(), signedIn.body());
    String setCookie = signedIn.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("ht_sso_session="))
        .findFirst().orElseThrow();
    assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"), setCookie);
    sessionCookie = cookie(signedIn, "ht_sso_session");

    AuthorizationResponse answer = AuthorizationResponse.parse(URI.create(signedIn.headers().firstValue("Location").orElseThrow()));
    assertTrue(answer.indicatesSuccess(), answer.toString());
    assertEquals(state, answer.getState());
    AuthorizationCode code = answer.toSuccessResponse().getAuthorizationCode();

    TokenResponse tokens = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(),
        new ClientSecretBasic(es256Client, es256Secret), new AuthorizationCodeGrant(code, CALLBACK, verifier))
        .toHTTPRequest().send());
    assertTrue(tokens.indicatesSuccess(), () -> ((TokenErrorResponse) tokens).getErrorObject().toString());
    firstTokens = (OIDCTokenResponse) tokens.toSuccessResponse();

    IDTokenValidator validator = new IDTokenValidator(provider.getIssuer(), es256Client, JWSAlgorithm.ES256,
        provider.getJWKSetURI().toURL());
    IDTokenClaimsSet id = validator.validate(firstTokens.getOIDCTokens().getIDToken(), firstNonce);
    assertEquals(accountId, id.getSubject().getValue());
    assertEquals(person.getString("name"), id.getStringClaim("name"));

    UserInfoResponse info = UserInfoResponse.parse(new UserInfoRequest(provider.getUserInfoEndpointURI(),
        (BearerAccessToken) firstTokens.getOIDCTokens().getAccessToken()).toHTTPRequest().send());
    assertTrue(info.indicatesSuccess(), info.toString());
    assertEquals(accountId, info.toSuccessResponse().getUserInfo().getSubject().getValue());
    assertEquals(person.getString("name"), info.toSuccessResponse().getUserInfo().getName());

    // A code is good once.
    TokenResponse again = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(),
        new ClientSecretBasic(es256Client, es256Secret), new AuthorizationCodeGrant(code, CALLBACK, verifier))
        .toHTTPRequest().send());
    assertFalse(again.indicatesSuccess());

    // Refresh: a new access token and a new refresh token.
    OIDCTokenResponse refreshed = refresh(firstTokens.getOIDCTokens().getRefreshToken());
    assertNotEquals(firstTokens.getOIDCTokens().getRefreshToken(), refreshed.getOIDCTokens().getRefreshToken());
    assertTrue(introspect(hub, refreshed.getOIDCTokens().getAccessToken().getValue()).isActive());
    firstTokens = refreshed;
  }

  @Test
  @Order(2)
  void aSessionOpenedOnOneMemberIsLiveOnTheOther() throws Exception {
    CodeVerifier verifier = new CodeVerifier();
    URI onOther = new AuthenticationRequest.Builder(new ResponseType("code"), new Scope("openid"), es256Client, CALLBACK)
        .endpointURI(other.uri("/sso/authorize")).state(new State()).nonce(new Nonce()).prompt(com.nimbusds.openid.connect.sdk.Prompt.Type.NONE)
        .codeChallenge(verifier, CodeChallengeMethod.S256).build().toURI();
    HttpResponse<String> answer = get(onOther, "ht_sso_session=" + sessionCookie);
    assertEquals(302, answer.statusCode(), answer.body());
    AuthorizationResponse response = AuthorizationResponse.parse(URI.create(answer.headers().firstValue("Location").orElseThrow()));
    assertTrue(response.indicatesSuccess(), response.toString());
    TokenResponse tokens = OIDCTokenResponseParser.parse(new TokenRequest(other.uri("/sso/token"),
        new ClientSecretBasic(es256Client, es256Secret),
        new AuthorizationCodeGrant(response.toSuccessResponse().getAuthorizationCode(), CALLBACK, verifier))
        .toHTTPRequest().send());
    assertTrue(tokens.indicatesSuccess());
    // A token issued by one member verifies on the other.
    assertTrue(introspect(hub, tokens.toSuccessResponse().getTokens().getAccessToken().getValue()).isActive());

    // Without a session, prompt=none answers login_required rather than a form.
    HttpResponse<String> none = get(onOther, null);
    assertEquals(302, none.statusCode());
    assertTrue(none.headers().firstValue("Location").orElseThrow().contains("error=login_required"));

    // max_age: a session older than it asks for the login again; prompt=none then answers login_required.
    Thread.sleep(1100);
    assertTrue(get(URI.create(onOther + "&max_age=3600"), "ht_sso_session=" + sessionCookie).headers()
        .firstValue("Location").orElseThrow().contains("code="), "a session younger than max_age");
    assertTrue(get(URI.create(onOther + "&max_age=0"), "ht_sso_session=" + sessionCookie).headers()
        .firstValue("Location").orElseThrow().contains("error=login_required"), "a session older than max_age");
    assertTrue(get(URI.create(onOther + "&max_age=soon"), "ht_sso_session=" + sessionCookie).headers()
        .firstValue("Location").orElseThrow().contains("error=invalid_request"));
  }

  @Test
  @Order(3)
  void aRevokedTokenIsInactiveOnEveryMember() throws Exception {
    AccessToken access = firstTokens.getOIDCTokens().getAccessToken();
    assertTrue(introspect(other, access.getValue()).isActive());
    var revocation = new TokenRevocationRequest(provider.getRevocationEndpointURI(),
        new ClientSecretBasic(es256Client, es256Secret), access).toHTTPRequest().send();
    assertEquals(200, revocation.getStatusCode());
    assertFalse(introspect(hub, access.getValue()).isActive());
    for (String endpoint : List.of("/sso/introspect", "/sso/revoke")) {
      HttpResponse<String> noToken = hub.send(HttpRequest.newBuilder(hub.uri(endpoint))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("client_id=" + sm2Client + "&client_secret=" + sm2Secret.getValue())));
      assertEquals(400, noToken.statusCode(), endpoint + " without a token: " + noToken.body());
      assertEquals("invalid_request", new JsonObject(noToken.body()).getString("error"), endpoint);
    }
    Eventually.holds("the other member sees the revocation", Duration.ofSeconds(30),
        () -> !introspect(other, access.getValue()).isActive());
    UserInfoResponse info = UserInfoResponse.parse(new UserInfoRequest(provider.getUserInfoEndpointURI(),
        (BearerAccessToken) access).toHTTPRequest().send());
    assertFalse(info.indicatesSuccess());
    assertEquals(401, info.toErrorResponse().getErrorObject().getHTTPStatusCode());
  }

  @Test
  @Order(4)
  void aTokenSignedByAnUnknownKeyIsRejected() throws Exception {
    firstTokens = refresh(firstTokens.getOIDCTokens().getRefreshToken());
    String genuine = firstTokens.getOIDCTokens().getAccessToken().getValue();
    SignedJWT parsed = SignedJWT.parse(genuine);
    JWTClaimsSet claims = parsed.getJWTClaimsSet();
    ECKey stranger = new ECKeyGenerator(Curve.P_256).generate();
    for (String kid : new String[] {parsed.getHeader().getKeyID(), "unknown-key"}) {
      SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid)
          .type(new JOSEObjectType("at+jwt")).build(), new JWTClaimsSet.Builder(claims).jwtID("forged-" + kid)
          .expirationTime(new Date(System.currentTimeMillis() + 600_000)).build());
      forged.sign(new ECDSASigner(stranger));
      String token = forged.serialize();
      assertFalse(introspect(hub, token).isActive(), kid);
      HttpResponse<String> info = hub.send(HttpRequest.newBuilder(hub.uri("/sso/userinfo"))
          .header("Authorization", "Bearer " + token).GET());
      assertEquals(401, info.statusCode(), info.body());
      assertTrue(info.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
    }
    assertTrue(introspect(hub, genuine).isActive());
  }

  @Test
  @Order(5)
  void reusingARefreshTokenRevokesItsFamily() throws Exception {
    // Made-up tokens naming the family (an earlier generation, an altered tag) are refused and end nothing.
    String live = firstTokens.getOIDCTokens().getRefreshToken().getValue();
    String[] parts = live.split("~");
    assertEquals(4, parts.length, live);
    assertNotEquals("0", parts[1], "the family was refreshed by the tests before");
    String flipped = parts[3].charAt(0) == 'A' ? "B" : "A";
    for (String forged : List.of(parts[0] + "~0~" + parts[2] + "~" + parts[3],
        parts[0] + "~" + parts[1] + "~" + parts[2] + "~" + flipped + parts[3].substring(1))) {
      TokenResponse refused = refreshRaw(new RefreshToken(forged));
      assertEquals("invalid_grant", refused.toErrorResponse().getErrorObject().getCode(), forged);
      assertFalse(introspect(hub, forged).isActive(), forged);
    }
    OIDCTokenResponse start = refresh(firstTokens.getOIDCTokens().getRefreshToken());
    RefreshToken used = start.getOIDCTokens().getRefreshToken();
    OIDCTokenResponse next = refresh(refresh(used).getOIDCTokens().getRefreshToken());
    assertTrue(introspect(hub, next.getOIDCTokens().getRefreshToken().getValue()).isActive());
    assertFalse(introspect(hub, used.getValue()).isActive());
    // Two generations back: any earlier token of the family presented again is a reuse.
    TokenResponse replay = refreshRaw(used);
    assertFalse(replay.indicatesSuccess());
    assertEquals("invalid_grant", replay.toErrorResponse().getErrorObject().getCode());
    // The thief's replay ends the family: the legitimate holder's newer tokens die with it.
    assertFalse(refreshRaw(next.getOIDCTokens().getRefreshToken()).indicatesSuccess());
    assertFalse(introspect(hub, next.getOIDCTokens().getAccessToken().getValue()).isActive());
    assertFalse(introspect(hub, next.getOIDCTokens().getRefreshToken().getValue()).isActive());
  }

  /**
   * Refresh grants arriving together are rotated many to a transaction: each family moves on by itself, and one token
   * presented twice at once is still a reuse, however the two fall into batches.
   */
  @Test
  @Order(6)
  void refreshGrantsMadeTogetherRotateEachFamilyOnceAndCatchATokenSentTwice() throws Exception {
    List<RefreshToken> families = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      families.add(signInFresh().getOIDCTokens().getRefreshToken());
    }
    RefreshToken twice = families.get(0);
    List<RefreshToken> presented = new ArrayList<>(families);
    presented.add(twice);
    List<TokenResponse> answers = refreshedTogether(presented);

    for (int i = 1; i < families.size(); i++) {
      assertTrue(answers.get(i).indicatesSuccess(), "family " + i);
      RefreshToken next = answers.get(i).toSuccessResponse().getTokens().getRefreshToken();
      assertEquals(families.get(i).getValue().split("~")[0], next.getValue().split("~")[0], "the same family");
      assertTrue(introspect(hub, next.getValue()).isActive(), "family " + i + "'s new token");
      assertFalse(introspect(hub, families.get(i).getValue()).isActive(), "family " + i + "'s used token");
    }
    List<TokenResponse> sameToken = List.of(answers.get(0), answers.get(families.size()));
    assertEquals(1, sameToken.stream().filter(TokenResponse::indicatesSuccess).count(), "one of the two is granted");
    TokenResponse granted = sameToken.stream().filter(TokenResponse::indicatesSuccess).findFirst().orElseThrow();
    TokenResponse refused = sameToken.stream().filter(a -> !a.indicatesSuccess()).findFirst().orElseThrow();
    assertEquals("invalid_grant", refused.toErrorResponse().getErrorObject().getCode());
    assertFalse(introspect(hub, granted.toSuccessResponse().getTokens().getRefreshToken().getValue()).isActive(),
        "the reuse ended the family, the granted token with it");
  }

  @Test
  @Order(7)
  void anSm2SignedIdTokenVerifiesWithBouncyCastleAlone() throws Exception {
    CodeVerifier verifier = new CodeVerifier();
    AuthorizationCode code = codeOnSession(sm2Client, verifier);
    HttpResponse<String> tokens = postForm(provider.getTokenEndpointURI(), new LinkedHashMap<>(Map.of(
        "grant_type", "authorization_code", "code", code.getValue(), "redirect_uri", CALLBACK.toString(),
        "code_verifier", verifier.getValue(), "client_id", sm2Client.getValue(), "client_secret", sm2Secret.getValue())), null);
    assertEquals(200, tokens.statusCode(), tokens.body());
    String idToken = new JsonObject(tokens.body()).getString("id_token");

    String[] parts = idToken.split("\\.");
    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    assertEquals("SM2SM3", header.getString("alg"));
    JsonObject jwk = new JsonObject(hub.get("/sso/jwks/sm2").body()).getJsonArray("keys").stream()
        .map(JsonObject.class::cast).filter(k -> k.getString("kid").equals(header.getString("kid"))).findFirst().orElseThrow();
    assertEquals("EC", jwk.getString("kty"));
    assertEquals("SM2", jwk.getString("crv"));
    X9ECParameters curve = GMNamedCurves.getByName("sm2p256v1");
    ECPublicKeyParameters publicKey = new ECPublicKeyParameters(curve.getCurve().createPoint(
        new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("x"))),
        new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("y")))),
        new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH()));
    SM2Signer signer = new SM2Signer(PlainDSAEncoding.INSTANCE);
    signer.init(false, new ParametersWithID(publicKey, "1234567812345678".getBytes(StandardCharsets.US_ASCII)));
    byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    signer.update(input, 0, input.length);
    byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
    assertEquals(64, signature.length);
    assertTrue(signer.verifySignature(signature), "SM2 signature over the JWS signing input");
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    assertEquals(accountId, claims.getString("sub"));
    assertEquals(sm2Client.getValue(), claims.getString("aud"));
  }

  @Test
  @Order(8)
  void aRotatedKeyStaysPublishedAndItsTokensStillVerify() throws Exception {
    OIDCTokenResponse before = signInFresh();
    String oldKid = SignedJWT.parse(before.getOIDCTokens().getAccessToken().getValue()).getHeader().getKeyID();
    hub.adminJson("POST", "/sso/keys/rotate", null);
    OIDCTokenResponse after = signInFresh();
    String newKid = SignedJWT.parse(after.getOIDCTokens().getIDTokenString()).getHeader().getKeyID();
    assertNotEquals(oldKid, newKid);
    String jwks = hub.get("/sso/jwks").body();
    assertTrue(jwks.contains(oldKid) && jwks.contains(newKid), jwks);
    assertTrue(introspect(hub, before.getOIDCTokens().getAccessToken().getValue()).isActive());
    new IDTokenValidator(provider.getIssuer(), es256Client, JWSAlgorithm.ES256, provider.getJWKSetURI().toURL())
        .validate(after.getOIDCTokens().getIDToken(), null);
    // The other member has not loaded the new key yet (it checks every minute); a token naming it makes it load.
    assertTrue(introspect(other, after.getOIDCTokens().getAccessToken().getValue()).isActive(),
        "the other member verifies the new key's token at once");
  }

  @Test
  @Order(9)
  void logoutEndsTheSessionOnEveryMemberAndReturnsToTheRegisteredUri() throws Exception {
    OIDCTokenResponse live = signInFresh();
    String idToken = live.getOIDCTokens().getIDTokenString();
    URI logout = URI.create(provider.getEndSessionEndpointURI() + "?id_token_hint=" + idToken
        + "&post_logout_redirect_uri=" + URLEncoder.encode(SIGNED_OUT.toString(), StandardCharsets.UTF_8) + "&state=bye");
    // Without a hint of this session (a link on any site) the person is asked first, and nothing ends yet.
    HttpResponse<String> asked = get(URI.create(provider.getEndSessionEndpointURI().toString()),
        "ht_sso_session=" + sessionCookie);
    assertEquals(200, asked.statusCode(), asked.body());
    assertTrue(asked.body().contains("name=\"confirm\""), asked.body());
    // A hint without the browser's cookie (a relying party's cross-site POST comes without it) ends nothing; the
    // page asks, and its own POST brings the cookie.
    HttpResponse<String> withoutCookie = get(logout, null);
    assertEquals(200, withoutCookie.statusCode(), withoutCookie.body());
    assertTrue(withoutCookie.body().contains("name=\"confirm\""), withoutCookie.body());
    signInFresh();

    // A code issued before the logout is refused after it.
    CodeVerifier lateVerifier = new CodeVerifier();
    AuthorizationCode late = codeOnSession(es256Client, lateVerifier);
    HttpResponse<String> answer = get(logout, "ht_sso_session=" + sessionCookie);
    assertEquals(303, answer.statusCode(), answer.body());
    assertEquals(SIGNED_OUT + "?state=bye", answer.headers().firstValue("Location").orElseThrow());
    // Not registered for the client: refused, no redirect.
    HttpResponse<String> elsewhere = get(URI.create(provider.getEndSessionEndpointURI() + "?client_id="
        + es256Client + "&post_logout_redirect_uri=" + URLEncoder.encode("https://evil.example/", StandardCharsets.UTF_8)),
        null);
    assertEquals(400, elsewhere.statusCode());

    URI silent = new AuthenticationRequest.Builder(new ResponseType("code"), new Scope("openid"), es256Client, CALLBACK)
        .endpointURI(other.uri("/sso/authorize")).state(new State()).prompt(com.nimbusds.openid.connect.sdk.Prompt.Type.NONE)
        .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build().toURI();
    assertTrue(get(silent, "ht_sso_session=" + sessionCookie).headers().firstValue("Location").orElseThrow()
        .contains("error=login_required"));
    assertFalse(refreshRaw(live.getOIDCTokens().getRefreshToken()).indicatesSuccess());
    TokenResponse lateTokens = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(),
        new ClientSecretBasic(es256Client, es256Secret), new AuthorizationCodeGrant(late, CALLBACK, lateVerifier))
        .toHTTPRequest().send());
    assertEquals("invalid_grant", lateTokens.toErrorResponse().getErrorObject().getCode());
    Eventually.holds("the session's access token is inactive on the other member", Duration.ofSeconds(30),
        () -> !introspect(other, live.getOIDCTokens().getAccessToken().getValue()).isActive());

    // Confirmed in the form the page shows: the browser's session ends; the form must carry its CSRF token.
    SsoSignIn.SignedIn again = SsoSignIn.signIn(hub, es256Client, es256Secret, "13900001000", PASSWORD, new Scope("openid"));
    String session = "ht_sso_session=" + again.sessionCookie();
    HttpResponse<String> confirm = get(URI.create(provider.getEndSessionEndpointURI().toString()), session);
    Map<String, String> fields = hidden(confirm.body());
    fields.put("confirm", "yes");
    String withCsrf = session + "; ht_sso_csrf=" + cookie(confirm, "ht_sso_csrf");
    assertEquals(403, postForm(provider.getEndSessionEndpointURI(), fields, session + "; ht_sso_csrf=another").statusCode());
    assertEquals(200, postForm(provider.getEndSessionEndpointURI(), fields, withCsrf).statusCode());
    assertTrue(get(silent, session).headers().firstValue("Location").orElseThrow().contains("error=login_required"));
  }

  @Test
  @Order(10)
  void withTheSmsSecondFactorTheFormAsksForTheCodeSentToThePhone() throws Exception {
    CodeVerifier verifier = new CodeVerifier();
    URI request = new AuthenticationRequest.Builder(new ResponseType("code"), new Scope("openid"), es256Client, CALLBACK)
        .endpointURI(other.uri("/sso/authorize")).state(new State()).codeChallenge(verifier, CodeChallengeMethod.S256)
        .build().toURI();
    HttpResponse<String> form = get(request, null);
    assertEquals(200, form.statusCode(), form.body());
    assertFalse(form.body().contains("name=\"sms_code\""));
    String csrf = "ht_sso_csrf=" + cookie(form, "ht_sso_csrf");
    Map<String, String> fields = hidden(form.body());
    fields.put("login", "13900001000");
    fields.put("password", PASSWORD);
    HttpResponse<String> asked = postForm(other.uri("/sso/authorize"), fields, csrf);
    assertEquals(401, asked.statusCode(), asked.body());
    assertTrue(asked.body().contains("name=\"sms_code\""), asked.body());

    fields.put("sms_code", new JsonObject(simulatorGet(simulatorPort, "/_sim/sms?phone=13900001000")).getString("lastCode"));
    HttpResponse<String> signedIn = postForm(other.uri("/sso/authorize"), fields, csrf);
    assertEquals(303, signedIn.statusCode(), signedIn.body());
    AuthorizationResponse answer = AuthorizationResponse.parse(URI.create(signedIn.headers().firstValue("Location").orElseThrow()));
    assertTrue(answer.indicatesSuccess(), answer.toString());
    TokenResponse tokens = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(),
        new ClientSecretBasic(es256Client, es256Secret),
        new AuthorizationCodeGrant(answer.toSuccessResponse().getAuthorizationCode(), CALLBACK, verifier))
        .toHTTPRequest().send());
    assertTrue(tokens.indicatesSuccess(), "a code issued by one member is redeemed on the other");
  }

  @Test
  @Order(11)
  void resettingThePasswordOrDisablingTheAccountEndsItsSignOnsOnEveryMember() throws Exception {
    String phone = "13900001001";
    String id = register(hub, simulatorPort, another, phone);
    SsoSignIn.SignedIn before = SsoSignIn.signIn(hub, es256Client, es256Secret, phone, PASSWORD, new Scope("openid"));
    String access = before.tokens().getOIDCTokens().getAccessToken().getValue();
    String refresh = before.tokens().getOIDCTokens().getRefreshToken().getValue();
    assertTrue(introspect(other, access).isActive());
    assertTrue(introspect(other, refresh).isActive());

    String code = SsoSignIn.resetCode(hub, simulatorPort, phone);
    assertEquals(200, hub.post("/api/v1/identity/password-reset", new JsonObject().put("login", phone)
        .put("smsCode", code).put("newPassword", "Reset-pass-2026")).statusCode());
    assertFalse(introspect(hub, access).isActive(), "the access token issued before the reset");
    assertFalse(introspect(hub, refresh).isActive(), "the refresh token issued before the reset");
    Eventually.holds("the other member sees the reset", Duration.ofSeconds(30),
        () -> !introspect(other, access).isActive() && !introspect(other, refresh).isActive());
    assertFalse(refreshRaw(before.tokens().getOIDCTokens().getRefreshToken()).indicatesSuccess());
    URI silent = new AuthenticationRequest.Builder(new ResponseType("code"), new Scope("openid"), es256Client, CALLBACK)
        .endpointURI(other.uri("/sso/authorize")).state(new State()).prompt(com.nimbusds.openid.connect.sdk.Prompt.Type.NONE)
        .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build().toURI();
    assertTrue(get(silent, "ht_sso_session=" + before.sessionCookie()).headers().firstValue("Location").orElseThrow()
        .contains("error=login_required"), "the session opened before the reset is over");

    // Revocations end what was issued up to their second; a sign-in after the reset lives.
    Thread.sleep(1100);
    SsoSignIn.SignedIn after = SsoSignIn.signIn(hub, es256Client, es256Secret, phone, "Reset-pass-2026", new Scope("openid"));
    String newAccess = after.tokens().getOIDCTokens().getAccessToken().getValue();
    assertTrue(introspect(other, newAccess).isActive(), "signed in again after the reset");

    hub.adminJson("POST", "/identity/accounts/" + id + "/disable",
        new JsonObject().put("operator", "alice").put("reason", "reported stolen"));
    assertFalse(introspect(hub, newAccess).isActive(), "the access token of a disabled account");
    assertFalse(introspect(hub, after.tokens().getOIDCTokens().getRefreshToken().getValue()).isActive());
    Eventually.holds("the other member sees the disable", Duration.ofSeconds(30),
        () -> !introspect(other, newAccess).isActive());
  }

  /**
   * An operator widens a client's scopes, narrows them again (a refresh grant then issues only what is left) and
   * gives it a new secret: the old one is refused at once on the member that took the change, and on the other as
   * soon as the change's message reaches it (its cached copy would otherwise last 10 s).
   */
  @Test
  @Order(12)
  void anOperatorChangesAClientsScopesAndRotatesItsSecret() throws Exception {
    JsonObject created = hub.adminJson("POST", "/sso/clients", new JsonObject().put("name", "办件查询 portal")
        .put("redirectUris", new JsonArray().add(CALLBACK.toString())));
    ClientID client = new ClientID(created.getString("clientId"));
    Secret secret = new Secret(created.getString("clientSecret"));
    assertEquals(List.of("openid", "profile"), created.getJsonArray("scopes").getList());

    JsonObject widened = hub.adminJson("PATCH", "/sso/clients/" + client, new JsonObject()
        .put("scopes", new JsonArray().add("openid").add("profile").add("cases")));
    assertEquals(List.of("openid", "profile", "cases"), widened.getJsonArray("scopes").getList());
    assertEquals("办件查询 portal", widened.getString("name"), "a field left out stays");
    assertEquals(created.getString("createdAt"), widened.getString("createdAt"));
    assertTrue(hub.adminJson("GET", "/sso/clients", null).getJsonArray("clients").stream()
        .anyMatch(c -> ((JsonObject) c).getString("clientId").equals(client.getValue())));
    assertEquals(422, hub.admin("PATCH", "/sso/clients/" + client, new JsonObject()
        .put("scopes", new JsonArray().add("profile"))).statusCode(), "openid may not be taken away");
    assertEquals(404, hub.admin("PATCH", "/sso/clients/rp-none", new JsonObject().put("name", "x")).statusCode());

    SsoSignIn.SignedIn signedIn = SsoSignIn.signIn(hub, client, secret, "13900001000", PASSWORD,
        new Scope("openid", "profile", "cases"));
    assertEquals(Set.of("openid", "profile", "cases"),
        Set.copyOf(signedIn.tokens().getOIDCTokens().getAccessToken().getScope().toStringList()));

    String access = signedIn.tokens().getOIDCTokens().getAccessToken().getValue();
    assertEquals(200, introspectionStatus(other, client, secret, access), "the other member has the client cached");
    hub.adminJson("PATCH", "/sso/clients/" + client, new JsonObject()
        .put("scopes", new JsonArray().add("openid").add("profile")));
    // A change through the other member, whose cached copy still has the scope, does not bring it back.
    other.adminJson("PATCH", "/sso/clients/" + client, new JsonObject().put("name", "办件查询 portal 2"));
    JsonObject both = hub.adminJson("GET", "/sso/clients/" + client, null);
    assertEquals(List.of("openid", "profile"), both.getJsonArray("scopes").getList());
    assertEquals("办件查询 portal 2", both.getString("name"));
    assertEquals(422, hub.admin("PATCH", "/sso/clients/" + client, new JsonObject().put("scopes", new JsonArray()))
        .statusCode(), "scopes may not be emptied");
    TokenResponse refreshed = OIDCTokenResponseParser.parse(new TokenRequest(hub.uri("/sso/token"),
        new ClientSecretBasic(client, secret), new RefreshTokenGrant(signedIn.tokens().getOIDCTokens().getRefreshToken()))
        .toHTTPRequest().send());
    assertTrue(refreshed.indicatesSuccess(), refreshed::toString);
    String narrowed = refreshed.toSuccessResponse().getTokens().getAccessToken().getValue();
    assertEquals(Set.of("openid", "profile"), Set.copyOf(introspect(hub, narrowed).getScope().toStringList()),
        "a scope taken from the client ends at the next refresh");

    assertEquals(200, introspectionStatus(other, client, secret, access), "cached again on the other member");
    String rotated = hub.adminJson("POST", "/sso/clients/" + client + "/secret", null).getString("clientSecret");
    assertNotEquals(secret.getValue(), rotated);
    assertEquals(401, introspectionStatus(hub, client, secret, access), "the old secret, where it was rotated");
    assertEquals(200, introspectionStatus(hub, client, new Secret(rotated), access));
    Eventually.holds("the other member refuses the old secret", Duration.ofSeconds(5),
        () -> introspectionStatus(other, client, secret, access) == 401
            && introspectionStatus(other, client, new Secret(rotated), access) == 200);
  }

  /**
   * The provider's own form reader: client_secret_post with percent-encoded fields, a field sent twice (the first
   * counts), a malformed encoding (400), a body past 64 KiB (413). And its admin routes stay behind the operator guard.
   */
  @Test
  @Order(13)
  void formsAreReadAsOAuthSaysAndAdminRoutesNeedTheOperator() throws Exception {
    String access = SsoSignIn.signIn(hub, es256Client, es256Secret, "13900001000", PASSWORD, new Scope("openid"))
        .tokens().getOIDCTokens().getAccessToken().getValue();
    String credentials = "client_id=" + URLEncoder.encode(es256Client.getValue(), StandardCharsets.UTF_8)
        + "&client_secret=" + URLEncoder.encode(es256Secret.getValue(), StandardCharsets.UTF_8);
    HttpResponse<String> posted = sendForm("/sso/introspect", credentials + "&token=" + access + "&token=not-it");
    assertEquals(200, posted.statusCode(), posted.body());
    assertTrue(new JsonObject(posted.body()).getBoolean("active"), "the first token field counts: " + posted.body());

    HttpResponse<String> malformed = sendForm("/sso/introspect", credentials + "&token=%zz");
    assertEquals(400, malformed.statusCode(), malformed.body());
    HttpResponse<String> large = sendForm("/sso/token", credentials + "&grant_type=refresh_token&refresh_token="
        + "x".repeat(70_000));
    assertEquals(413, large.statusCode(), large.body());

    for (String[] call : new String[][] {{"GET", "/sso/clients"}, {"POST", "/sso/clients"}, {"POST", "/sso/keys/rotate"},
        {"DELETE", "/sso/clients/" + es256Client}}) {
      HttpResponse<String> anonymous = hub.send(HttpRequest.newBuilder(hub.uri("/api/v1/admin" + call[1]))
          .header("Content-Type", "application/json")
          .method(call[0], HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"redirectUris\":[\"https://x.example/\"]}")));
      assertEquals(401, anonymous.statusCode(), call[0] + " " + call[1] + " without the operator token");
    }
    assertEquals(200, introspectionStatus(hub, es256Client, es256Secret, access), "the client is still there");
  }

  private HttpResponse<String> sendForm(String path, String form) throws Exception {
    return hub.send(HttpRequest.newBuilder(hub.uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  private static int introspectionStatus(HubProcess member, ClientID client, Secret secret, String token)
      throws Exception {
    return new TokenIntrospectionRequest(member.uri("/sso/introspect"), new ClientSecretBasic(client, secret),
        new BearerAccessToken(token)).toHTTPRequest().send().getStatusCode();
  }

  // ---- helpers ------------------------------------------------------------------------------------------------------

  /** The code flow again on the live session (no form): tokens of a new code. */
  private OIDCTokenResponse signInFresh() throws Exception {
    CodeVerifier verifier = new CodeVerifier();
    AuthorizationCode code = codeOnSession(es256Client, verifier);
    TokenResponse tokens = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(),
        new ClientSecretBasic(es256Client, es256Secret), new AuthorizationCodeGrant(code, CALLBACK, verifier))
        .toHTTPRequest().send());
    assertTrue(tokens.indicatesSuccess());
    return (OIDCTokenResponse) tokens.toSuccessResponse();
  }

  /** A code for {@code client} on the live session: the authorization endpoint redirects at once, no form. */
  private AuthorizationCode codeOnSession(ClientID client, CodeVerifier verifier) throws Exception {
    URI request = new AuthenticationRequest.Builder(new ResponseType("code"), new Scope("openid"), client, CALLBACK)
        .endpointURI(provider.getAuthorizationEndpointURI()).state(new State())
        .codeChallenge(verifier, CodeChallengeMethod.S256).build().toURI();
    HttpResponse<String> answer = get(request, "ht_sso_session=" + sessionCookie);
    assertEquals(302, answer.statusCode(), answer.body());
    return AuthorizationResponse.parse(URI.create(answer.headers().firstValue("Location").orElseThrow()))
        .toSuccessResponse().getAuthorizationCode();
  }

  /** The answers to a refresh grant with each of {@code tokens}, sent on one thread each and released at once. */
  private List<TokenResponse> refreshedTogether(List<RefreshToken> tokens) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(tokens.size());
    try {
      CyclicBarrier start = new CyclicBarrier(tokens.size());
      List<Future<TokenResponse>> answers = new ArrayList<>();
      for (RefreshToken token : tokens) {
        answers.add(threads.submit(() -> {
          start.await(60, TimeUnit.SECONDS);
          return refreshRaw(token);
        }));
      }
      List<TokenResponse> results = new ArrayList<>();
      for (Future<TokenResponse> answer : answers) {
        results.add(answer.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      threads.shutdownNow();
    }
  }

  private OIDCTokenResponse refresh(RefreshToken token) throws Exception {
    TokenResponse answer = refreshRaw(token);
    assertTrue(answer.indicatesSuccess(), () -> answer.toErrorResponse().getErrorObject().toString());
    return (OIDCTokenResponse) answer.toSuccessResponse();
  }

  private TokenResponse refreshRaw(RefreshToken token) throws Exception {
    return OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(),
        new ClientSecretBasic(es256Client, es256Secret), new RefreshTokenGrant(token)).toHTTPRequest().send());
  }

  private TokenIntrospectionSuccessResponse introspect(HubProcess member, String token) throws Exception {
    TokenIntrospectionResponse answer = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
        member.uri("/sso/introspect"), new ClientSecretBasic(sm2Client, sm2Secret),
        token.contains(".") ? new BearerAccessToken(token) : new RefreshToken(token)).toHTTPRequest().send());
    assertTrue(answer.indicatesSuccess(), answer.toString());
    return answer.toSuccessResponse();
  }
}
