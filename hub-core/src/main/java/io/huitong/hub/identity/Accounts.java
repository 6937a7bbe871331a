package io.huitong.hub.identity;

import io.smallrye.mutiny.Uni;

/**
 * The accounts an OpenID Connect provider signs people in with. Methods may be called from any thread; the
 * {@code Uni}s complete on a Vert.x context, and password hashing runs on workers, never on an event loop.
 */
public interface Accounts {
  /**
   * Checks a login (an ID number or a phone number) and password; completes with the account, or fails with a
   * {@link io.huitong.hub.http.HubException}: {@code LOGIN_FAILED} whether the login exists or not,
   * {@code ACCOUNT_LOCKED} (with {@code retryAfterSeconds}), {@code ACCOUNT_DISABLED},
   * {@code SECOND_FACTOR_REQUIRED} (a code was sent), or {@code IDENTITY_BUSY} past the hashing capacity.
   */
  Uni<Account> authenticate(String login, String password);

  /** The account by id, or null. */
  Uni<Account> find(String accountId);
}
