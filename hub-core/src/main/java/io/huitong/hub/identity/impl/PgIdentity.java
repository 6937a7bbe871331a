package io.huitong.hub.identity.impl;

import io.huitong.crypto.Sm3;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.http.Problems;
import io.huitong.hub.identity.Account;
import io.huitong.hub.identity.AccountKind;
import io.huitong.hub.identity.Identity;
import io.huitong.hub.identity.IdentityConfig;
import io.huitong.hub.ops.AuditEvent;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.signing.BlindIndex;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.storage.BatchedStatement;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts in PostgreSQL (schema {@code identity}). Lockout state lives in the account row, so every member sees a
 * lock at once; password hashes run through {@link KdfAdmission}. Personal numbers are sealed to their row and
 * column ({@link MasterKey#seal}) and found through blind indexes; they never reach a log line or the audit log.
 */
public final class PgIdentity implements Identity {
  private static final Logger LOG = LoggerFactory.getLogger(PgIdentity.class);
  private static final String UNIQUE_VIOLATION = "23505";
  private static final int MAX_CODE_ATTEMPTS = 5;
  /**
   * Wrong codes for one purpose and phone within {@link #CODE_FAILURE_WINDOW}, across codes, past which no code is
   * accepted or sent: 20 guesses at a 6-digit code succeed once in 50,000, where the per-code limit alone gave five
   * guesses per resend interval for as long as the guesser kept asking for codes.
   */
  private static final int MAX_CODE_FAILURES = 20;
  private static final Duration CODE_FAILURE_WINDOW = Duration.ofHours(24);
  /** SQL: the phone's count of wrong codes started within the window ($6, in seconds). */
  private static final String IN_WINDOW = "failures_since > now() - make_interval(secs => $6)";
  private static final int MAX_LOGIN_LENGTH = 64;
  private static final int MAX_PASSWORD_INPUT = 1024;
  private static final int MAX_LOCK_DOUBLINGS = 16;
  private static final int MAX_REASON = 500;
  private static final String REGISTER = "register";
  private static final String LOGIN = "login";
  private static final String RESET = "reset";
  private static final String COLUMNS = "id, kind, name, masked_id_number, masked_phone, created_at, status,"
      + " representative_id, password_hash, locked_until, failed_attempts, lock_count, phone_sealed, phone_index";
  /** What {@link #account(Row)} reads. */
  private static final String ACCOUNT_COLUMNS = "id, kind, name, masked_id_number, masked_phone, created_at, status,"
      + " representative_id";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Storage storage;
  private final MasterKey master;
  private final BlindIndex blind;
  private final AuditLog audit;
  private final IdentityConfig config;
  private final List<Function<String, Uni<Void>>> signOnsEnd = new CopyOnWriteArrayList<>();
  /**
   * Accounts by id, batched: every token grant and every call with a bearer token reads its account, so under load
   * many reads share one round trip.
   */
  private final BatchedStatement byId;
  /**
   * Password checks in progress on this member, by account. With the failures already counted they may not reach
   * the lockout threshold: the lock is read before hashing, so guesses sent in parallel would otherwise all be
   * checked before the first failure is written.
   */
  private final ConcurrentHashMap<String, Integer> checking = new ConcurrentHashMap<>();
  private final PasswordHash.Cost cost;
  private final KdfAdmission admission;
  private final Verifications verifications;
  private final byte[] codeKey;
  /**
   * Checked against when a login names no account, so an unknown login costs one hash like a known one. Set once by
   * {@link #start}, before the service is handed out.
   */
  private String decoyHash;

  private PgIdentity(Vertx vertx, Storage storage, MasterKey master, AuditLog audit, IdentityConfig config) {
    this.storage = storage;
    this.byId = new BatchedStatement(storage, "SELECT " + ACCOUNT_COLUMNS + " FROM identity.account WHERE id = $1");
    this.master = master;
    this.blind = BlindIndex.create(master);
    this.audit = audit;
    this.config = config;
    this.cost = new PasswordHash.Cost(config.kdfMemoryKib(), config.kdfIterations(), 1);
    this.admission = new KdfAdmission(config.kdfMaxInFlight(), config.kdfQueue(), config.kdfMaxWait());
    this.verifications = Verifications.create(vertx, config);
    this.codeKey = master.derive("identity/sms-code");
  }

  /**
   * Builds the service on a worker (connector discovery reads the class path); the decoy hash is made on a KDF thread,
   * like every other hash, so only KDF threads keep hashing memory (PasswordHash).
   */
  public static Uni<Identity> start(Vertx vertx, Storage storage, MasterKey master, AuditLog audit, IdentityConfig config) {
    return vertx.executeBlocking(Uni.createFrom().item(() -> new PgIdentity(vertx, storage, master, audit, config)), false)
        .chain(identity -> identity.admission.run(() -> PasswordHash.hash(UUID.randomUUID().toString(), identity.cost))
            .map(decoy -> {
              identity.decoyHash = decoy;
              return (Identity) identity;
            })
            // Nobody else will close what was built: its hashing threads would outlive the failed start.
            .onFailure().call(identity::close));
  }

  // ---- login -------------------------------------------------------------------------------------------------------

  @Override
  public Uni<Account> authenticate(String login, String password) {
    return authenticate(login, password, null, Origin.INTERNAL);
  }

  @Override
  public Uni<Account> authenticate(String login, String password, String smsCode, Origin origin) {
    Trail trail = new Trail("identity.login", origin);
    return trail.around(Uni.createFrom().deferred(() -> {
      if (login == null || password == null || login.length() > MAX_LOGIN_LENGTH || password.length() > MAX_PASSWORD_INPUT) {
        throw HubError.IDENTITY_INPUT_INVALID.exception("Send 'login' (an ID number or phone) and 'password'");
      }
      // In a burst past capacity, refuse before reading the account: a refusal then costs no query.
      if (admission.full()) {
        throw admission.busy();
      }
      return byLogin(login).chain(row -> {
        if (row == null) {
          return admission.run(() -> PasswordHash.verify(password, decoyHash))
              .<Account>map(ignored -> {
                throw loginFailed();
              });
        }
        trail.target = row.getString("id");
        Duration locked = lockRemaining(row);
        if (locked != null) {
          return Uni.createFrom().failure(lockedFor(locked));
        }
        String id = row.getString("id");
        // At least one: an account holding more failures than a lowered threshold allows must still get in.
        if (!startCheck(id, Math.max(1, config.lockoutThreshold() - row.getInteger("failed_attempts")))) {
          return Uni.createFrom().failure(new HubException(HubError.RATE_LIMITED, "Other logins to this account are"
              + " being checked; try again in a moment", Map.of(Problems.RETRY_AFTER_SECONDS, 1L)));
        }
        String stored = row.getString("password_hash");
        return admission.run(() -> stored != null && PasswordHash.verify(password, stored)).chain(ok -> ok
            ? afterPassword(row, password, smsCode, trail)
            : failedAttempt(id)).eventually(() -> endCheck(id));
      });
    }));
  }

  private Uni<Account> afterPassword(Row row, String password, String smsCode, Trail trail) {
    if ("DISABLED".equals(row.getString("status"))) {
      return Uni.createFrom().failure(HubError.ACCOUNT_DISABLED.exception(null));
    }
    String phoneIndex = row.getString("phone_index");
    if (config.loginSms() && phoneIndex != null) {
      if (smsCode == null) {
        return issueCode(LOGIN, phoneIndex, openPhone(row), "登录验证码")
            .<Account>map(wait -> {
              trail.detail.put("secondFactor", wait == 0 ? "code sent"
                  : "no code sent: asked too soon or too many wrong codes");
              throw HubError.SECOND_FACTOR_REQUIRED.exception(null);
            });
      }
      return checkCode(LOGIN, phoneIndex, smsCode).chain(() -> succeeded(row, password));
    }
    return succeeded(row, password);
  }

  /**
   * Clears the failure count and lockout, and rehashes a password hashed at an older cost. Most logins have neither
   * to do and write nothing.
   */
  private Uni<Account> succeeded(Row row, String password) {
    String id = row.getString("id");
    boolean outdated = PasswordHash.outdated(row.getString("password_hash"), cost);
    if (!outdated && row.getInteger("failed_attempts") == 0 && row.getInteger("lock_count") == 0
        && row.getValue("locked_until") == null) {
      return Uni.createFrom().item(account(row));
    }
    Uni<String> rehash = outdated ? admission.run(() -> PasswordHash.hash(password, cost)) : Uni.createFrom().nullItem();
    return rehash.chain(newHash -> storage.pool().chain(pool -> pool.preparedQuery("UPDATE identity.account SET"
            + " failed_attempts = 0, lock_count = 0, locked_until = NULL, password_hash = COALESCE($2, password_hash)"
            + " WHERE id = $1").execute(Tuple.of(id, newHash))))
        .map(ignored -> account(row));
  }

  /** Counts a wrong password; the threshold-th in a row locks the account for the base time, doubled per lock. */
  private Uni<Account> failedAttempt(String id) {
    return storage.pool().chain(pool -> pool.preparedQuery("UPDATE identity.account SET"
            + " failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,"
            + " lock_count = CASE WHEN failed_attempts + 1 >= $2 THEN lock_count + 1 ELSE lock_count END,"
            + " locked_until = CASE WHEN failed_attempts + 1 >= $2"
            + "   THEN now() + make_interval(secs => $3 * power(2, least(lock_count, $4))) ELSE locked_until END"
            + " WHERE id = $1 RETURNING locked_until, locked_until > now() AS locked")
        .execute(Tuple.of(id, config.lockoutThreshold(), (double) config.lockoutBase().toSeconds(), MAX_LOCK_DOUBLINGS)))
        .<Account>map(rows -> {
          Row r = rows.iterator().next();
          if (Boolean.TRUE.equals(r.getBoolean("locked"))) {
            throw lockedFor(Duration.between(Instant.now(), r.getOffsetDateTime("locked_until").toInstant()));
          }
          throw loginFailed();
        });
  }

  /** Counts a password check of the account in, if fewer than {@code room} are in progress; whether it did. */
  private boolean startCheck(String accountId, int room) {
    boolean[] started = {false};
    checking.compute(accountId, (id, running) -> {
      int now = running == null ? 0 : running;
      if (now >= room) {
        return running;
      }
      started[0] = true;
      return now + 1;
    });
    return started[0];
  }

  private void endCheck(String accountId) {
    checking.computeIfPresent(accountId, (id, running) -> running <= 1 ? null : running - 1);
  }

  private static Duration lockRemaining(Row row) {
    OffsetDateTime until = row.getOffsetDateTime("locked_until");
    if (until == null) {
      return null;
    }
    Duration left = Duration.between(Instant.now(), until.toInstant());
    return left.isNegative() || left.isZero() ? null : left;
  }

  private static HubException lockedFor(Duration left) {
    long seconds = Math.max(1, (left.toMillis() + 999) / 1000);
    return new HubException(HubError.ACCOUNT_LOCKED, "The account is locked for " + seconds + " more second(s)",
        Map.of(Problems.RETRY_AFTER_SECONDS, seconds));
  }

  private static HubException loginFailed() {
    return HubError.LOGIN_FAILED.exception(null);
  }

  @Override
  public Uni<Account> find(String accountId) {
    return byId.execute(Tuple.of(accountId)).map(rows -> rows.size() == 0 ? null : account(rows.iterator().next()));
  }

  @Override
  public Uni<PersonalNumbersOf> personalNumbers(String accountId) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT id, id_number_sealed, phone_sealed FROM"
            + " identity.account WHERE id = $1 AND kind = 'NATURAL_PERSON' AND status = 'ACTIVE'")
        .execute(Tuple.of(accountId))).map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          String idNumber = new String(master.open(row.getBuffer("id_number_sealed").getBytes(),
              context(accountId, "id-number")), StandardCharsets.UTF_8);
          return new PersonalNumbersOf(accountId, idNumber, row.getValue("phone_sealed") == null ? null : openPhone(row));
        });
  }

  /** The account row a login names, or null: an ID number or a phone, by blind index. */
  private Uni<Row> byLogin(String login) {
    String column;
    String index;
    try {
      if (IdentityFields.looksLikeIdNumber(login)) {
        column = "id_number_index";
        index = blind.of(IdentityFields.ID_NUMBER_FIELD, IdentityFields.idNumber(login));
      } else {
        column = "phone_index";
        index = blind.of(IdentityFields.PHONE_FIELD, IdentityFields.phone(login));
      }
    } catch (HubException malformed) {
      return Uni.createFrom().nullItem();
    }
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT " + COLUMNS + " FROM identity.account WHERE "
        + column + " = $1 AND kind = 'NATURAL_PERSON'").execute(Tuple.of(index))).map(PgIdentity::first);
  }

  private static Row first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : rows.iterator().next();
  }

  // ---- registration ----------------------------------------------------------------------------------------------

  @Override
  public Uni<Void> sendRegistrationCode(String phone, Origin origin) {
    Trail trail = new Trail("identity.registration-code", origin);
    return trail.around(Uni.createFrom().deferred(() -> {
      String p = IdentityFields.phone(phone);
      return issueCode(REGISTER, blind.of(IdentityFields.PHONE_FIELD, p), p, "注册验证码").invoke(wait -> {
        if (wait > 0) {
          throw new HubException(HubError.RATE_LIMITED, "No new code can be sent to this phone for " + wait
              + " s (a code was sent moments ago, or too many wrong codes were tried)",
              Map.of(Problems.RETRY_AFTER_SECONDS, wait));
        }
      }).replaceWithVoid();
    }));
  }

  @Override
  public Uni<Account> register(Registration r, Origin origin) {
    Trail trail = new Trail("identity.register", origin);
    return trail.around(Uni.createFrom().deferred(() -> {
      Verifications v = requireVerifications();
      String idNumber = IdentityFields.idNumber(r.idNumber());
      String name = IdentityFields.name(r.name());
      String phone = IdentityFields.phone(r.phone());
      if (r.smsCode() == null || r.faceImage() == null || r.faceImage().length == 0) {
        throw HubError.IDENTITY_INPUT_INVALID.exception("Send 'smsCode' and 'faceImage' (base64)");
      }
      String password = IdentityFields.newPassword(r.password());
      String idIndex = blind.of(IdentityFields.ID_NUMBER_FIELD, idNumber);
      String phoneIndex = blind.of(IdentityFields.PHONE_FIELD, phone);
      trail.detail.put("maskedIdNumber", IdentityFields.maskIdNumber(idNumber));
      return refuseExisting(idIndex, phoneIndex)
          .chain(() -> checkCode(REGISTER, phoneIndex, r.smsCode()))
          .chain(() -> v.identityMatches(idNumber, name))
          .invoke(matched -> {
            if (!matched) {
              throw HubError.IDENTITY_MISMATCH.exception(null);
            }
          })
          .chain(() -> v.faceScore(idNumber, r.faceImage()))
          .invoke(score -> {
            trail.detail.put("faceScore", score);
            if (score < config.faceThreshold()) {
              throw HubError.FACE_MISMATCH.exception("The face comparison scored " + score + ", below " + config.faceThreshold());
            }
          })
          .chain(() -> admission.run(() -> PasswordHash.hash(password, cost)))
          .chain(hash -> insertNatural(idNumber, idIndex, name, phone, phoneIndex, hash))
          .invoke(account -> trail.target = account.id());
    }));
  }

  private Uni<Void> refuseExisting(String idIndex, String phoneIndex) {
    return storage.pool().chain(pool -> pool.preparedQuery(
            "SELECT 1 FROM identity.account WHERE id_number_index = $1 OR phone_index = $2")
        .execute(Tuple.of(idIndex, phoneIndex))).invoke(rows -> {
          if (rows.size() > 0) {
            throw HubError.ACCOUNT_EXISTS.exception(null);
          }
        }).replaceWithVoid();
  }

  private Uni<Account> insertNatural(String idNumber, String idIndex, String name, String phone, String phoneIndex,
                                     String hash) {
    String id = UUID.randomUUID().toString();
    Tuple values = Tuple.tuple().addString(id).addString(AccountKind.NATURAL_PERSON.name()).addString(name)
        .addValue(seal(idNumber, id, "id-number")).addString(idIndex).addString(IdentityFields.maskIdNumber(idNumber))
        .addValue(seal(phone, id, "phone")).addString(phoneIndex).addString(IdentityFields.maskPhone(phone))
        .addString(hash).addString(null);
    return insert(values);
  }

  private Uni<Account> insert(Tuple values) {
    return storage.pool().chain(pool -> pool.preparedQuery("INSERT INTO identity.account (id, kind, name,"
            + " id_number_sealed, id_number_index, masked_id_number, phone_sealed, phone_index, masked_phone,"
            + " password_hash, representative_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
            + " RETURNING " + COLUMNS).execute(values))
        .map(rows -> account(rows.iterator().next()))
        .onFailure(e -> e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()))
        .transform(e -> HubError.ACCOUNT_EXISTS.exception(null));
  }

  @Override
  public Uni<Account> createLegalPerson(String creditCode, String name, String representativeId, Origin origin) {
    Trail trail = new Trail("identity.legal-person.create", origin);
    return trail.around(Uni.createFrom().deferred(() -> {
      String code = IdentityFields.creditCode(creditCode);
      String n = IdentityFields.name(name);
      if (representativeId == null) {
        throw HubError.IDENTITY_INPUT_INVALID.exception("Send 'representativeId', the legal representative's account");
      }
      return find(representativeId).chain(rep -> {
        if (rep == null || rep.kind() != AccountKind.NATURAL_PERSON) {
          throw HubError.ACCOUNT_NOT_FOUND.exception("The legal representative must be a natural person's account");
        }
        String id = UUID.randomUUID().toString();
        trail.target = id;
        return insert(Tuple.tuple().addString(id).addString(AccountKind.LEGAL_PERSON.name()).addString(n)
            .addValue(seal(code, id, "credit-code")).addString(blind.of(IdentityFields.CREDIT_CODE_FIELD, code))
            .addString(IdentityFields.maskIdNumber(code)).addValue(null).addString(null).addString(rep.maskedPhone())
            .addString(null).addString(rep.id()));
      });
    }));
  }

  @Override
  public Uni<Delegation> delegate(Delegation d, Origin origin) {
    Trail trail = new Trail("identity.delegation.grant", origin);
    trail.target = d.legalPersonId();
    return trail.around(Uni.createFrom().deferred(() -> {
      List<String> items = IdentityFields.items(d.items());
      if (d.staffId() == null || d.validFrom() == null || d.validUntil() == null || !d.validUntil().isAfter(d.validFrom())) {
        throw HubError.IDENTITY_INPUT_INVALID.exception("Send 'staffId', and 'validFrom' before 'validUntil'");
      }
      trail.detail.put("staffId", d.staffId()).put("items", new io.vertx.core.json.JsonArray(items));
      return storage.pool().chain(pool -> pool.preparedQuery("INSERT INTO identity.delegation"
              + " (legal_person_id, staff_id, items, valid_from, valid_until)"
              + " SELECT l.id, s.id, $3, $4, $5 FROM identity.account l, identity.account s"
              + " WHERE l.id = $1 AND l.kind = 'LEGAL_PERSON' AND s.id = $2 AND s.kind = 'NATURAL_PERSON'"
              + " ON CONFLICT (legal_person_id, staff_id) DO UPDATE SET items = EXCLUDED.items,"
              + " valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until")
          .execute(Tuple.of(d.legalPersonId(), d.staffId(), items.toArray(String[]::new),
              d.validFrom().atOffset(java.time.ZoneOffset.UTC), d.validUntil().atOffset(java.time.ZoneOffset.UTC))))
          .map(rows -> {
            if (rows.rowCount() == 0) {
              throw HubError.ACCOUNT_NOT_FOUND.exception("No legal person with this id, or no natural person with the staff id");
            }
            return new Delegation(d.legalPersonId(), d.staffId(), items, d.validFrom(), d.validUntil());
          });
    }));
  }

  @Override
  public Uni<Boolean> mayActFor(String legalPersonId, String staffId, String item, Instant at) {
    return storage.pool().chain(pool -> pool.preparedQuery("SELECT EXISTS (SELECT 1 FROM identity.account"
            + " WHERE id = $1 AND kind = 'LEGAL_PERSON' AND representative_id = $2) OR EXISTS (SELECT 1"
            + " FROM identity.delegation WHERE legal_person_id = $1 AND staff_id = $2 AND $3 = ANY (items)"
            + " AND valid_from <= $4 AND valid_until > $4) AS allowed")
        .execute(Tuple.of(legalPersonId, staffId, item, at.atOffset(java.time.ZoneOffset.UTC))))
        .map(rows -> rows.iterator().next().getBoolean("allowed"));
  }

  // ---- password reset ------------------------------------------------------------------------------------------

  @Override
  public Uni<Void> sendResetCode(String login, Origin origin) {
    Trail trail = new Trail("identity.reset-code", origin);
    return trail.around(Uni.createFrom().deferred(() -> byLogin(login == null ? "" : login).chain(row -> {
      if (row == null || row.getString("phone_index") == null) {
        return Uni.createFrom().voidItem();
      }
      String account = row.getString("id");
      trail.target = account;
      // The answer does not wait for the code: throttled or not, and however long the SMS gateway takes or whether
      // it fails, it is the answer a login that does not exist gets, at the same speed.
      issueCode(RESET, row.getString("phone_index"), openPhone(row), "重置密码验证码").subscribe().with(wait -> { },
          e -> LOG.warn("Password reset code for account {} not sent: {}", account, e.toString()));
      return Uni.createFrom().voidItem();
    })));
  }

  @Override
  public Uni<Void> resetPassword(String login, String smsCode, String newPassword, Origin origin) {
    Trail trail = new Trail("identity.password-reset", origin);
    return trail.around(Uni.createFrom().deferred(() -> {
      String password = IdentityFields.newPassword(newPassword);
      if (smsCode == null) {
        throw HubError.IDENTITY_INPUT_INVALID.exception("Send 'smsCode'");
      }
      return byLogin(login == null ? "" : login).chain(row -> {
        if (row == null || row.getString("phone_index") == null) {
          throw HubError.SMS_CODE_INVALID.exception(null);
        }
        trail.target = row.getString("id");
        return checkCode(RESET, row.getString("phone_index"), smsCode)
            .chain(() -> admission.run(() -> PasswordHash.hash(password, cost)))
            .chain(hash -> storage.pool().chain(pool -> pool.preparedQuery("UPDATE identity.account SET"
                + " password_hash = $2, failed_attempts = 0, lock_count = 0, locked_until = NULL WHERE id = $1")
                .execute(Tuple.of(row.getString("id"), hash))))
            // The new password stands either way; the holder should not be told the reset failed.
            .chain(() -> endSignOns(row.getString("id")).onFailure().recoverWithUni(e -> {
              LOG.warn("Sign-ons of account {} did not end after its password reset: {}", row.getString("id"),
                  e.toString());
              trail.detail.put("signOns", "not ended: " + e.getMessage());
              return Uni.createFrom().voidItem();
            }));
      });
    }));
  }

  // ---- administration ----------------------------------------------------------------------------------------

  @Override
  public Uni<Account> disable(String accountId, String reason, Origin origin) {
    Trail trail = new Trail("identity.disable", origin);
    trail.target = accountId;
    return trail.around(Uni.createFrom().deferred(() -> {
      String why = reason(reason);
      trail.detail.put("reason", why);
      return storage.pool().chain(pool -> pool.preparedQuery("UPDATE identity.account SET status = 'DISABLED'"
              + " WHERE id = $1 RETURNING " + COLUMNS).execute(Tuple.of(accountId)))
          .map(PgIdentity::first)
          .chain(row -> {
            if (row == null) {
              throw HubError.ACCOUNT_NOT_FOUND.exception(null);
            }
            // A failure here fails the disable, which an operator repeats: it is idempotent.
            return endSignOns(accountId)
                .chain(() -> notify(row, "您的账号已被禁用,如有疑问请到政务服务大厅咨询。", trail))
                .map(ignored -> account(row));
          });
    }));
  }

  @Override
  public void whenSignOnsEnd(Function<String, Uni<Void>> listener) {
    signOnsEnd.add(listener);
  }

  private Uni<Void> endSignOns(String accountId) {
    Uni<Void> all = Uni.createFrom().voidItem();
    for (Function<String, Uni<Void>> listener : signOnsEnd) {
      all = all.chain(() -> listener.apply(accountId));
    }
    return all;
  }

  @Override
  public Uni<UnlockRequest> requestUnlock(String accountId, String reason, Origin origin) {
    Trail trail = new Trail("identity.unlock.request", origin);
    trail.target = accountId;
    return trail.around(Uni.createFrom().deferred(() -> {
      String why = reason(reason);
      String id = UUID.randomUUID().toString();
      trail.detail.put("unlockRequest", id);
      return storage.pool().chain(pool -> pool.preparedQuery("INSERT INTO identity.unlock_request"
              + " (id, account_id, requested_by, reason) SELECT $1, id, $3, $4 FROM identity.account WHERE id = $2")
              .execute(Tuple.of(id, accountId, origin.actor(), why)))
          .map(rows -> {
            if (rows.rowCount() == 0) {
              throw HubError.ACCOUNT_NOT_FOUND.exception(null);
            }
            return new UnlockRequest(id, accountId, origin.actor(), why);
          });
    }));
  }

  @Override
  public Uni<Account> approveUnlock(String requestId, Origin origin) {
    Trail trail = new Trail("identity.unlock.approve", origin);
    trail.detail.put("unlockRequest", requestId);
    return trail.around(storage.pool().chain(pool -> pool.withTransaction(tx -> tx.preparedQuery(
            "SELECT account_id, requested_by FROM identity.unlock_request WHERE id = $1 AND approved_at IS NULL FOR UPDATE")
        .execute(Tuple.of(requestId)).chain(requests -> {
          Row request = first(requests);
          if (request == null) {
            throw HubError.UNLOCK_REQUEST_NOT_FOUND.exception(null);
          }
          trail.target = request.getString("account_id");
          trail.detail.put("requestedBy", request.getString("requested_by"));
          if (request.getString("requested_by").equals(origin.actor())) {
            throw HubError.APPROVER_IS_REQUESTER.exception("Requested by " + origin.actor() + "; another operator must approve");
          }
          return tx.preparedQuery("UPDATE identity.unlock_request SET approved_by = $2, approved_at = now() WHERE id = $1")
              .execute(Tuple.of(requestId, origin.actor()))
              .chain(() -> tx.preparedQuery("UPDATE identity.account SET status = 'ACTIVE', failed_attempts = 0,"
                  + " lock_count = 0, locked_until = NULL WHERE id = $1 RETURNING " + COLUMNS)
                  .execute(Tuple.of(request.getString("account_id"))));
        }))).map(PgIdentity::first)
        .chain(row -> notify(row, "您的账号已解禁,可以正常登录。", trail).map(ignored -> account(row))));
  }

  private static String reason(String reason) {
    if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
      throw HubError.IDENTITY_INPUT_INVALID.exception("Send a 'reason' of 1 to " + MAX_REASON + " characters");
    }
    return reason.trim();
  }

  /** Sends an SMS notice to the account's phone; a gateway failure is recorded, not raised: the action stands. */
  private Uni<Void> notify(Row row, String text, Trail trail) {
    if (verifications == null || row.getString("phone_index") == null) {
      trail.detail.put("smsNotice", "not sent: no SMS gateway or no phone");
      return Uni.createFrom().voidItem();
    }
    return verifications.sendSms(openPhone(row), "【汇通】" + text)
        .invoke(() -> trail.detail.put("smsNotice", "sent"))
        .onFailure().recoverWithItem(e -> {
          trail.detail.put("smsNotice", "failed: " + e.getMessage());
          return null;
        });
  }

  // ---- SMS one-time codes ------------------------------------------------------------------------------------

  /**
   * Stores a fresh code and sends it, emitting 0; emits how many seconds until one may be sent instead, sending
   * nothing, while the last code for this purpose and phone is younger than {@code identity.sms-code-resend-interval}
   * (the earlier code stays valid) or while the phone has used up its wrong codes ({@link #MAX_CODE_FAILURES}).
   */
  private Uni<Long> issueCode(String purpose, String phoneIndex, String phone, String what) {
    Verifications v = requireVerifications();
    String code = String.format("%06d", RANDOM.nextInt(1_000_000));
    double resend = (double) config.codeResend().toMillis() / 1000;
    String mac = codeMac(purpose, phoneIndex, code);
    return storage.pool().chain(pool -> pool.preparedQuery("INSERT INTO identity.sms_code"
            + " (purpose, phone_index, code_mac, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))"
            + " ON CONFLICT (purpose, phone_index) DO UPDATE SET code_mac = EXCLUDED.code_mac,"
            + " expires_at = EXCLUDED.expires_at, attempts = 0, issued_at = now()"
            + " WHERE identity.sms_code.issued_at <= now() - make_interval(secs => $7) AND " + codeFailuresLeft(5, 6))
        .execute(Tuple.from(List.of(purpose, phoneIndex, mac,
            (double) config.codeTtl().toSeconds(), MAX_CODE_FAILURES, failureWindowSeconds(), resend)))
        .chain(rows -> rows.rowCount() == 1
            ? v.sendSms(phone, "【汇通】" + what + " " + code + "," + config.codeTtl().toMinutes()
                + "分钟内有效,请勿告诉他人。").replaceWith(0L)
                // A code that did not go out is dead, and does not hold the next request back for the resend
                // interval; the row stays, with the phone's count of wrong codes.
                .onFailure().call(() -> pool.preparedQuery("UPDATE identity.sms_code SET expires_at = now(),"
                    + " issued_at = '-infinity' WHERE purpose = $1 AND phone_index = $2 AND code_mac = $3")
                    .execute(Tuple.of(purpose, phoneIndex, mac)))
            : pool.preparedQuery("SELECT ceil(GREATEST(1,"
                    + " extract(epoch FROM issued_at + make_interval(secs => $3) - now()),"
                    + " CASE WHEN " + codeFailuresLeft(4, 5) + " THEN 0"
                    + " ELSE extract(epoch FROM failures_since + make_interval(secs => $5) - now()) END))::bigint"
                    + " AS wait FROM identity.sms_code WHERE purpose = $1 AND phone_index = $2")
                .execute(Tuple.of(purpose, phoneIndex, resend, MAX_CODE_FAILURES, failureWindowSeconds()))
                .map(found -> first(found) == null ? 1L : first(found).getLong("wait"))));
  }

  /**
   * Counts the try first, against the code and (when wrong) the phone, in the statement that compares: guesses sent
   * in parallel each take one of the code's {@link #MAX_CODE_ATTEMPTS} tries, however many there are. A right code
   * is then consumed by a delete that only one of two requests with it can make.
   */
  private Uni<Void> checkCode(String purpose, String phoneIndex, String code) {
    String offered = codeMac(purpose, phoneIndex, code == null ? "" : code.trim());
    // Comparing MACs in SQL tells a guesser nothing: without the hub's key a code's MAC cannot be steered.
    return storage.pool().chain(pool -> pool.preparedQuery("UPDATE identity.sms_code SET attempts = attempts + 1,"
            + " failures = CASE WHEN code_mac = $3 THEN failures WHEN " + IN_WINDOW + " THEN failures + 1 ELSE 1 END,"
            + " failures_since = CASE WHEN code_mac = $3 OR " + IN_WINDOW + " THEN failures_since ELSE now() END"
            + " WHERE purpose = $1 AND phone_index = $2 AND expires_at > now() AND attempts < $4 AND "
            + codeFailuresLeft(5, 6) + " RETURNING code_mac = $3 AS right")
        .execute(Tuple.of(purpose, phoneIndex, offered, MAX_CODE_ATTEMPTS, MAX_CODE_FAILURES, failureWindowSeconds()))
        .chain(tried -> first(tried) == null || !first(tried).getBoolean("right")
            ? Uni.createFrom().failure(HubError.SMS_CODE_INVALID.exception(null))
            : pool.preparedQuery("DELETE FROM identity.sms_code WHERE purpose = $1 AND phone_index = $2"
                    + " AND code_mac = $3").execute(Tuple.of(purpose, phoneIndex, offered))
                .chain(consumed -> consumed.rowCount() == 1 ? Uni.createFrom().voidItem()
                    : Uni.createFrom().failure(HubError.SMS_CODE_INVALID.exception(null)))));
  }

  /**
   * SQL: the phone's wrong codes for the purpose (parameters: the limit, the window in seconds) leave room. Qualified,
   * as an upsert's condition must be.
   */
  private static String codeFailuresLeft(int limit, int windowSeconds) {
    return "(sms_code.failures < $" + limit + " OR sms_code.failures_since <= now() - make_interval(secs => $"
        + windowSeconds + "))";
  }

  private static double failureWindowSeconds() {
    return CODE_FAILURE_WINDOW.toSeconds();
  }

  private String codeMac(String purpose, String phoneIndex, String code) {
    return HexFormat.of().formatHex(Sm3.hmac(codeKey,
        (purpose + "\u0000" + phoneIndex + "\u0000" + code).getBytes(StandardCharsets.UTF_8)));
  }

  private Verifications requireVerifications() {
    if (verifications == null) {
      throw HubError.VERIFICATION_UNAVAILABLE.exception("No verification services are configured ("
          + IdentityConfig.VERIFICATION_URL + ")");
    }
    return verifications;
  }

  // ---- rows ----------------------------------------------------------------------------------------------------

  /** Sealed to its account and column: copied to another row or column, it no longer opens. */
  private byte[] seal(String value, String accountId, String column) {
    return master.seal(value.getBytes(StandardCharsets.UTF_8), context(accountId, column));
  }

  private String openPhone(Row row) {
    byte[] sealed = row.getBuffer("phone_sealed").getBytes();
    return new String(master.open(sealed, context(row.getString("id"), "phone")), StandardCharsets.UTF_8);
  }

  static String context(String accountId, String column) {
    return "identity.account/" + accountId + "/" + column;
  }

  private static Account account(Row row) {
    return new Account(row.getString("id"), AccountKind.valueOf(row.getString("kind")), row.getString("name"),
        row.getString("masked_id_number"), row.getString("masked_phone"),
        row.getOffsetDateTime("created_at").toInstant(), row.getString("status"), row.getString("representative_id"));
  }

  @Override
  public Uni<Void> close() {
    Uni<Void> closing = admission.close();
    return verifications == null ? closing : closing.chain(verifications::close);
  }

  /** One audit entry per action, written when it ends, whatever the outcome; never holds a personal number. */
  private final class Trail {
    private final String action;
    private final Origin origin;
    private final JsonObject detail = new JsonObject();
    private String target;

    Trail(String action, Origin origin) {
      this.action = action;
      this.origin = origin;
    }

    <T> Uni<T> around(Uni<T> work) {
      return work.call(item -> record("ok"))
          .onFailure().call(e -> record(e instanceof HubException h ? h.error().code() : HubError.INTERNAL.code()));
    }

    private Uni<Void> record(String outcome) {
      AuditEvent event = new AuditEvent(origin.actor(), action, target, outcome, origin.requestId(),
          origin.remoteAddress(), detail);
      return audit.record(event).onFailure().recoverWithItem(e -> {
        LOG.warn("Audit event {} not recorded: {}", action, e.toString());
        return null;
      });
    }
  }
}
