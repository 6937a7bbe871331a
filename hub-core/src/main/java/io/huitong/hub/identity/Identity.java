package io.huitong.hub.identity;

import io.huitong.hub.identity.impl.PgIdentity;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.util.function.Function;

/**
 * The identity capability: {@link Accounts} and what users and administrators do to accounts. Every action is
 * written to the audit log with the {@link Origin} given.
 */
public interface Identity extends Accounts {

  /** Where a call comes from, for the audit log: the actor (an account id, {@code operator:<name>} or anonymous). */
  record Origin(String actor, String requestId, String remoteAddress) {
    public static final Origin INTERNAL = new Origin("system", null, null);
  }

  /** What a citizen submits to register; every field is required (seed 000: ID card and phone always). */
  record Registration(String idNumber, String name, String phone, String smsCode, byte[] faceImage, String password) {
  }

  /** A pending unlock (解禁) waiting for its approver. */
  record UnlockRequest(String id, String accountId, String requestedBy, String reason) {
  }

  /**
   * Staff a legal person delegates (授权委托): they may act for it on the listed items (matter codes) from
   * {@code validFrom} until, not including, {@code validUntil}.
   */
  record Delegation(String legalPersonId, String staffId, java.util.List<String> items, java.time.Instant validFrom,
                    java.time.Instant validUntil) {
  }

  /**
   * A natural person's own numbers in clear, for a capability matching records that belong to the person (their
   * cases); never for display or logs.
   */
  record PersonalNumbersOf(String accountId, String idNumber, String phone) {
  }

  /** The numbers of the active natural person's account {@code accountId}; null for a legal person, a disabled or no account. */
  Uni<PersonalNumbersOf> personalNumbers(String accountId);

  /** Like {@link #authenticate(String, String)}, with the SMS code of a second factor when one was asked for. */
  Uni<Account> authenticate(String login, String password, String smsCode, Origin origin);

  /** Sends a one-time registration code to {@code phone} through the SMS gateway. */
  Uni<Void> sendRegistrationCode(String phone, Origin origin);

  /**
   * Verifies the SMS code, the ID number and name against the population database and the face against the ID
   * card's holder, in that order, then creates the account; each failure has its own code and creates nothing.
   */
  Uni<Account> register(Registration registration, Origin origin);

  /** Sends a reset code to the phone of the account with this login; completes the same whether it exists or not. */
  Uni<Void> sendResetCode(String login, Origin origin);

  /** Sets a new password once the reset code checks; also lifts a lockout and ends the account's sign-ons. */
  Uni<Void> resetPassword(String login, String smsCode, String newPassword, Origin origin);

  /** Disables the account (账号禁用), ends its sign-ons and sends its holder an SMS notice. */
  Uni<Account> disable(String accountId, String reason, Origin origin);

  /**
   * Has {@code listener} called with the account's id, before the change is answered, whenever the sign-ons an
   * account holds must end: it was disabled or its password reset. The sign-on provider registers here (it depends
   * on this service, not the other way round).
   */
  void whenSignOnsEnd(Function<String, Uni<Void>> listener);

  /** Asks for an account to be unlocked (re-enabled and its lockout lifted); another operator must approve. */
  Uni<UnlockRequest> requestUnlock(String accountId, String reason, Origin origin);

  /** Approves an unlock request: the approver must not be its requester. Sends the holder an SMS notice. */
  Uni<Account> approveUnlock(String requestId, Origin origin);

  /**
   * Creates a legal person's account (法人) for a unified social credit code, bound to its legal representative's
   * natural-person account.
   */
  Uni<Account> createLegalPerson(String creditCode, String name, String representativeId, Origin origin);

  /** Grants or replaces the delegation of a legal person to a natural person's account. */
  Uni<Delegation> delegate(Delegation delegation, Origin origin);

  /**
   * Whether {@code staffId} may act for the legal person on {@code item} at {@code at}: its legal representative
   * always, delegated staff for their items within their period.
   */
  Uni<Boolean> mayActFor(String legalPersonId, String staffId, String item, java.time.Instant at);

  Uni<Void> close();

  static Uni<Identity> start(Vertx vertx, Storage storage, MasterKey master, AuditLog audit, IdentityConfig config) {
    return PgIdentity.start(vertx, storage, master, audit, config);
  }
}
