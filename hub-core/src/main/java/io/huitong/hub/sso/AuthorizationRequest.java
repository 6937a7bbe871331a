package io.huitong.hub.sso;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The parameters of an authorization request (OpenID Connect Core 3.1.2.1), as sent on the query string and carried
 * through the login form. Nothing is checked here: {@link Sso#authorize} does.
 */
public record AuthorizationRequest(String responseType, String clientId, String redirectUri, String scope, String state,
                                   String nonce, String codeChallenge, String codeChallengeMethod, String prompt,
                                   String maxAge) {
  private static final int MAX_PARAMETER = 2048;

  /** Reads the request from parameters by their protocol names; overlong values are dropped, and so refused later. */
  public static AuthorizationRequest from(UnaryOperator<String> parameter) {
    UnaryOperator<String> p = name -> {
      String value = parameter.apply(name);
      return value == null || value.length() > MAX_PARAMETER ? null : value;
    };
    return new AuthorizationRequest(p.apply("response_type"), p.apply("client_id"), p.apply("redirect_uri"),
        p.apply("scope"), p.apply("state"), p.apply("nonce"), p.apply("code_challenge"),
        p.apply("code_challenge_method"), p.apply("prompt"), p.apply("max_age"));
  }

  /** The parameters by protocol name, those that were sent, for the login form's hidden fields. */
  public Map<String, String> parameters() {
    Map<String, String> out = new LinkedHashMap<>();
    put(out, "response_type", responseType);
    put(out, "client_id", clientId);
    put(out, "redirect_uri", redirectUri);
    put(out, "scope", scope);
    put(out, "state", state);
    put(out, "nonce", nonce);
    put(out, "code_challenge", codeChallenge);
    put(out, "code_challenge_method", codeChallengeMethod);
    return out;
  }

  private static void put(Map<String, String> out, String name, String value) {
    if (value != null) {
      out.put(name, value);
    }
  }
}
