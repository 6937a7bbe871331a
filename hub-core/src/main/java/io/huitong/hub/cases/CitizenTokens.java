package io.huitong.hub.cases;

import io.huitong.hub.http.HubError;
import io.huitong.hub.identity.Identity;
import io.huitong.hub.sso.OAuthException;
import io.huitong.hub.sso.Sso;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.function.Supplier;

/**
 * Whom the SSO access token a citizen's portal presents speaks for, as the case API needs it: the account's own ID
 * number and phone, taken from the account behind the token and never from the request.
 */
@FunctionalInterface
public interface CitizenTokens {

  /** A citizen as an applicant; a legal person's account has neither number, and so no cases of its own here. */
  record Citizen(String accountId, String idNumber, String phone) {
  }

  /** The scope a token must have been granted to read its person's cases: not every relying system may. */
  String SCOPE = "cases";

  /**
   * The citizen, or null when the token is not a live access token of an active account (bad, expired, revoked);
   * fails with HT-CASE-TOKEN-SCOPE when it was not granted {@link #SCOPE}.
   */
  Uni<Citizen> citizen(String accessToken);

  /** Verifies through the provider (and its cache of verified tokens), then reads the numbers from the account. */
  static CitizenTokens of(Supplier<Sso> sso, Supplier<Identity> identity) {
    return token -> {
      Sso provider = sso.get();
      Identity accounts = identity.get();
      if (provider == null || accounts == null) {
        return Uni.createFrom().failure(HubError.NOT_READY.exception("Citizens' tokens are checked once SSO is up"));
      }
      return provider.verifyAccessToken(token)
          .onFailure(OAuthException.class).recoverWithNull()
          .chain(subject -> {
            if (subject == null) {
              return Uni.createFrom().nullItem();
            }
            if (!List.of(subject.scope().split(" ")).contains(SCOPE)) {
              throw HubError.CASE_TOKEN_SCOPE.exception("Ask for the person's token with scope " + SCOPE
                  + "; the client must be registered for it");
            }
            return accounts.personalNumbers(subject.accountId()).map(numbers -> numbers == null
                ? new Citizen(subject.accountId(), null, null)
                : new Citizen(subject.accountId(), numbers.idNumber(), numbers.phone()));
          });
    };
  }
}
