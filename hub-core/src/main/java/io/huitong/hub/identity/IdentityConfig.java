package io.huitong.hub.identity;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigType;
import io.huitong.config.Validator;
import java.time.Duration;

/**
 * Real-name accounts (统一身份认证).
 *
 * @param kdfMemoryKib     Argon2id memory per hash, KiB
 * @param kdfIterations    Argon2id passes
 * @param kdfMaxInFlight   password hashes computed at once on this member
 * @param kdfQueue         most hashes waiting for a slot; past it a login is answered 503 at once
 * @param kdfMaxWait       longest a login may expect to wait for its hash to finish; past it 503 at once
 * @param lockoutThreshold failed logins in a row that lock an account
 * @param lockoutBase      the first lock's length; each further lock doubles it
 * @param loginSms         whether a login also needs an SMS one-time code
 * @param codeTtl          how long an SMS one-time code is valid
 * @param codeResend       how long after a code another may be sent to the same phone for the same purpose
 * @param verificationUrl  base URL of the population, SMS gateway and face services; empty: registration is refused
 * @param verificationTimeout deadline of one call to a verification service
 * @param faceThreshold    lowest face comparison score (0 to 100) that passes
 * @param verificationMaxInFlight calls to the verification services in progress at once on this member
 * @param verificationQueue       calls that may wait for a slot; past it the request is answered 503 at once
 */
public record IdentityConfig(int kdfMemoryKib, int kdfIterations, int kdfMaxInFlight, int kdfQueue, Duration kdfMaxWait,
                             int lockoutThreshold,
                             Duration lockoutBase, boolean loginSms, Duration codeTtl, Duration codeResend, String verificationUrl,
                             Duration verificationTimeout, int faceThreshold, int verificationMaxInFlight,
                             int verificationQueue) {
  public static final String KDF_MEMORY = "identity.kdf.memory-kib";
  public static final String KDF_ITERATIONS = "identity.kdf.iterations";
  public static final String KDF_MAX_IN_FLIGHT = "identity.kdf.max-in-flight";
  public static final String KDF_QUEUE = "identity.kdf.queue";
  public static final String KDF_MAX_WAIT = "identity.kdf.max-wait";
  public static final String LOCKOUT_THRESHOLD = "identity.lockout.threshold";
  public static final String LOCKOUT_BASE = "identity.lockout.base";
  public static final String LOGIN_SMS = "identity.login-sms";
  public static final String CODE_TTL = "identity.sms-code-ttl";
  public static final String CODE_RESEND = "identity.sms-code-resend-interval";
  public static final String VERIFICATION_URL = "identity.verification.base-url";
  public static final String VERIFICATION_TIMEOUT = "identity.verification.timeout";
  public static final String FACE_THRESHOLD = "identity.verification.face-threshold";
  public static final String VERIFICATION_MAX_IN_FLIGHT = "identity.verification.max-in-flight";
  public static final String VERIFICATION_QUEUE = "identity.verification.queue";

  public static void declare(ConfigDef def) {
    def.section("identity", "Real-name accounts: registration, login, lockout, reset, disable and unlock (see docs/identity.md).")
        .define(KDF_MEMORY, ConfigType.INT, 19456, Validator.between(1024, 1 << 21),
            "Argon2id memory per password hash, KiB; with kdf.iterations the cost docs/identity.md measured. Raising"
                + " it rehashes each password at its next login.")
        .define(KDF_ITERATIONS, ConfigType.INT, 2, Validator.between(1, 100),
            "Argon2id passes over the memory per password hash.")
        .define(KDF_MAX_IN_FLIGHT, ConfigType.INT, 0, Validator.between(0, 1024),
            "Password hashes computed at once on this member (hashing threads); 0: the number of cores.")
        .define(KDF_QUEUE, ConfigType.INT, 128, Validator.between(0, 100_000),
            "Most password hashes that may wait for a slot, whatever kdf.max-wait allows; past it a login is answered"
                + " 503 HT-IDENTITY-BUSY with Retry-After at once, rather than queued without bound.")
        .define(KDF_MAX_WAIT, ConfigType.DURATION, "600ms", Validator.between(Duration.ofMillis(10), Duration.ofMinutes(1)),
            "Longest a login may expect to wait for its password hash to finish, at the pace hashes have recently"
                + " finished on this member; a login that would wait longer is answered 503 HT-IDENTITY-BUSY with"
                + " Retry-After at once, so admitted logins answer within a second on a slow machine as on a fast one"
                + " (docs/identity.md, \"Bursts\").")
        .define(LOCKOUT_THRESHOLD, ConfigType.INT, 5, Validator.between(1, 100),
            "Failed logins in a row that lock an account.")
        .define(LOCKOUT_BASE, ConfigType.DURATION, "1m", Validator.between(Duration.ofSeconds(1), Duration.ofDays(1)),
            "How long the first lock lasts; each further lock before a successful login doubles it.")
        .define(LOGIN_SMS, ConfigType.BOOLEAN, false, Validator.any(),
            "Whether a login also needs an SMS one-time code sent to the account's phone (second factor).")
        .define(CODE_TTL, ConfigType.DURATION, "5m", Validator.between(Duration.ofSeconds(10), Duration.ofHours(1)),
            "How long an SMS one-time code is valid.")
        .define(CODE_RESEND, ConfigType.DURATION, "60s", Validator.between(Duration.ZERO, Duration.ofHours(1)),
            "How long after a one-time code another may be sent to the same phone for the same purpose; a"
                + " registration code asked sooner is answered 429 HT-RATE-LIMITED with Retry-After.")
        .define(VERIFICATION_URL, ConfigType.STRING, "",
            Validator.matching("(https?://[^\\s?#]+)?", "empty, or an http:// or https:// URL without query"),
            "Base URL (http or https) of the population database, SMS gateway and face comparison services, reached"
                + " through http connectors; empty: registration and SMS are refused with 503.")
        .define(VERIFICATION_TIMEOUT, ConfigType.DURATION, "5s",
            Validator.between(Duration.ofMillis(100), Duration.ofMinutes(1)),
            "Deadline of one call to a verification service.")
        .define(FACE_THRESHOLD, ConfigType.INT, 80, Validator.between(1, 100),
            "Lowest face comparison score (0 to 100) that passes registration.")
        .define(VERIFICATION_MAX_IN_FLIGHT, ConfigType.INT, 32, Validator.between(1, 10_000),
            "Calls to the population, SMS and face services in progress at once on this member.")
        .define(VERIFICATION_QUEUE, ConfigType.INT, 64, Validator.between(0, 100_000),
            "Verification calls that may wait for a slot; past it the request is answered 503"
                + " HT-VERIFICATION-BUSY with Retry-After at once, rather than queued without bound.");
  }

  public static IdentityConfig from(Config c) {
    return new IdentityConfig(c.getInt(KDF_MEMORY), c.getInt(KDF_ITERATIONS), c.getInt(KDF_MAX_IN_FLIGHT) > 0 ? c.getInt(KDF_MAX_IN_FLIGHT)
        : Math.max(1, Runtime.getRuntime().availableProcessors()),
        c.getInt(KDF_QUEUE), c.getDuration(KDF_MAX_WAIT), c.getInt(LOCKOUT_THRESHOLD), c.getDuration(LOCKOUT_BASE), c.getBoolean(LOGIN_SMS),
        c.getDuration(CODE_TTL), c.getDuration(CODE_RESEND), c.getString(VERIFICATION_URL), c.getDuration(VERIFICATION_TIMEOUT),
        c.getInt(FACE_THRESHOLD), c.getInt(VERIFICATION_MAX_IN_FLIGHT), c.getInt(VERIFICATION_QUEUE));
  }
}
