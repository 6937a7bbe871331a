package io.huitong.hub.signing;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigException;
import io.huitong.config.ConfigType;
import io.huitong.config.Secret;
import io.huitong.config.Validator;
import java.time.Duration;
import java.util.Base64;

/**
 * Keys and certificates: the master key that seals every private key at rest, and the hub's certificate authority.
 *
 * @param masterKey         the master key, base64 of 16 bytes, or empty to use {@code masterKeyFile}
 * @param masterKeyFile     file holding the master key in base64; empty means {@code <data-dir>/master.key}
 * @param generateMasterKey create the file with a fresh key when it does not exist (development)
 * @param caSubject         X.500 name of the hub's certificate authority, used when it is first created
 * @param caValidity        how long the authority's own certificate is valid
 * @param crlValidity       how long a CRL is valid (its nextUpdate)
 */
public record SigningConfig(Secret masterKey, String masterKeyFile, boolean generateMasterKey, String caSubject,
                            Duration caValidity, Duration crlValidity) {
  public static final String MASTER_KEY = "signing.master-key";
  public static final String MASTER_KEY_FILE = "signing.master-key-file";
  public static final String GENERATE_MASTER_KEY = "signing.generate-master-key";
  public static final String CA_SUBJECT = "signing.ca-subject";
  public static final String CA_VALIDITY = "signing.ca-validity";
  public static final String CRL_VALIDITY = "signing.crl-validity";

  public static void declare(ConfigDef def) {
    def.section("signing", "Keys and certificates: SM2 keys sealed at rest under a master key, and the hub's SM2 CA.")
        .define(MASTER_KEY, ConfigType.SECRET, "", Validator.of("empty, or base64 of 16 bytes",
                v -> ((Secret) v).isEmpty() || decodes(((Secret) v).reveal())),
            "Master key (base64 of 16 random bytes) sealing every private key with SM4-GCM; empty reads signing.master-key-file.")
        .define(MASTER_KEY_FILE, ConfigType.STRING, "", Validator.any(),
            "File holding the master key in base64; empty means <data-dir>/master.key.")
        .define(GENERATE_MASTER_KEY, ConfigType.BOOLEAN, true, Validator.any(),
            "Create the master key file with a fresh key when it does not exist (development); production sets false.")
        .define(CA_SUBJECT, ConfigType.STRING, "CN=Huitong Development CA,O=Huitong,C=CN", Validator.nonEmpty(),
            "X.500 name of the hub's certificate authority, used when it is first created.")
        .define(CA_VALIDITY, ConfigType.DURATION, "3650d", Validator.between(Duration.ofDays(1), Duration.ofDays(36500)),
            "How long the certificate authority's own certificate is valid.")
        .define(CRL_VALIDITY, ConfigType.DURATION, "1d", Validator.between(Duration.ofMinutes(1), Duration.ofDays(30)),
            "How long a CRL the hub publishes is valid (its nextUpdate).");
  }

  public static SigningConfig from(Config c) {
    return new SigningConfig(c.getSecret(MASTER_KEY), c.getString(MASTER_KEY_FILE), c.getBoolean(GENERATE_MASTER_KEY),
        c.getString(CA_SUBJECT), c.getDuration(CA_VALIDITY), c.getDuration(CRL_VALIDITY));
  }

  /** The master key's bytes from its base64 form. */
  static byte[] decode(String key, String base64) {
    try {
      byte[] bytes = Base64.getDecoder().decode(base64.trim());
      if (bytes.length == 16) {
        return bytes;
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw new ConfigException(key, "expected base64 of 16 bytes (head -c 16 /dev/urandom | base64)");
  }

  private static boolean decodes(String base64) {
    try {
      return Base64.getDecoder().decode(base64.trim()).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
