package io.huitong.hub.signing;

import io.huitong.config.ConfigException;
import io.huitong.crypto.CryptoException;
import io.huitong.crypto.Sm4;
import io.huitong.crypto.Sm4Mode;
import io.huitong.hub.StartupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.huitong.hub.SecretFile;
import java.util.Base64;

/**
 * The key that seals every private key the hub keeps (SM4-GCM, 16 bytes). It comes from configuration or a file,
 * never from the database, so a copy of the database alone reveals no key. Immutable.
 */
public final class MasterKey {
  private static final String FILE = "master.key";

  private final byte[] key;

  private MasterKey(byte[] key) {
    this.key = key;
  }

  /** Wraps raw key bytes (16). */
  public static MasterKey of(byte[] key) {
    if (key.length != Sm4.KEY_LENGTH) {
      throw new IllegalArgumentException("a master key is 16 bytes");
    }
    return new MasterKey(key.clone());
  }

  /**
   * The configured key, or the one in its file, or (in development) a fresh one written to that file with mode
   * 0600. Blocking file I/O.
   */
  public static MasterKey load(SigningConfig config, Path dataDir) throws StartupException {
    if (!config.masterKey().isEmpty()) {
      return new MasterKey(SigningConfig.decode(SigningConfig.MASTER_KEY, config.masterKey().reveal()));
    }
    Path file = config.masterKeyFile().isEmpty() ? dataDir.resolve(FILE) : Path.of(config.masterKeyFile());
    if (!Files.exists(file) && !config.generateMasterKey()) {
      throw new StartupException(SigningConfig.MASTER_KEY_FILE + ": " + file + " does not exist and "
          + SigningConfig.GENERATE_MASTER_KEY + " is false; supply the master key (HUB_SIGNING_MASTER_KEY) or its file");
    }
    try {
      String base64 = SecretFile.readOrCreate(file, () -> Base64.getEncoder().encodeToString(Sm4.newKey()));
      return new MasterKey(SigningConfig.decode(SigningConfig.MASTER_KEY_FILE, base64));
    } catch (ConfigException e) {
      throw new StartupException(e.getMessage() + " (in " + file + ")");
    } catch (IOException e) {
      throw new StartupException(SigningConfig.MASTER_KEY_FILE + ": " + file + " cannot be read or written: " + e.getMessage(), e);
    }
  }

  /** Seals {@code plaintext} bound to {@code context} (which must be given again to open it): nonce || ciphertext || tag. */
  public byte[] seal(byte[] plaintext, String context) {
    byte[] nonce = Sm4.newIv(Sm4Mode.GCM);
    byte[] sealed = Sm4.encrypt(Sm4Mode.GCM, key, nonce, context.getBytes(StandardCharsets.UTF_8), plaintext);
    byte[] out = new byte[nonce.length + sealed.length];
    System.arraycopy(nonce, 0, out, 0, nonce.length);
    System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
    return out;
  }

  /**
   * Opens what {@link #seal} made under the same context.
   *
   * @throws CryptoException CIPHERTEXT_INVALID when the blob was altered, moved to another context, or sealed
   *     under another master key
   */
  public byte[] open(byte[] sealed, String context) {
    int n = Sm4Mode.GCM.ivLength();
    if (sealed.length < n) {
      throw new CryptoException(io.huitong.crypto.CryptoError.CIPHERTEXT_INVALID, "the sealed value is too short");
    }
    return Sm4.decrypt(Sm4Mode.GCM, key, java.util.Arrays.copyOf(sealed, n), context.getBytes(StandardCharsets.UTF_8),
        java.util.Arrays.copyOfRange(sealed, n, sealed.length));
  }

  /** A key derived for one purpose (HMAC-SM3 of the purpose under the master key), so purposes never share a key. */
  public byte[] derive(String purpose) {
    return io.huitong.crypto.Sm3.hmac(key, ("huitong/" + purpose).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "MasterKey[hidden]";
  }
}
