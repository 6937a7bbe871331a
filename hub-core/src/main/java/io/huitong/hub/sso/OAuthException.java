package io.huitong.hub.sso;

/**
 * An OAuth 2.0 / OpenID Connect error as the protocol spells it ({@code invalid_grant}, {@code invalid_client},
 * {@code invalid_token}, ...): the token, userinfo, introspection and revocation endpoints answer it as JSON (RFC 6749
 * 5.2, RFC 6750 3), the authorization endpoint as an error page when it cannot redirect.
 */
public final class OAuthException extends RuntimeException {
  private final int status;
  private final String error;

  public OAuthException(int status, String error, String description) {
    super(description, null, false, false);
    this.status = status;
    this.error = error;
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public static OAuthException invalidRequest(String description) {
    return new OAuthException(400, "invalid_request", description);
  }

  public static OAuthException invalidClient() {
    return new OAuthException(401, "invalid_client", "Client authentication failed");
  }

  public static OAuthException invalidGrant(String description) {
    return new OAuthException(400, "invalid_grant", description);
  }

  public static OAuthException invalidToken(String description) {
    return new OAuthException(401, "invalid_token", description);
  }
}
