package io.huitong.hub.sso;

/**
 * Whom a live access token of this provider speaks for, as another capability needs it to serve the person: the
 * account ({@code sub}), the relying party it was issued to and its scope.
 */
public record TokenSubject(String accountId, String clientId, String scope) {
}
