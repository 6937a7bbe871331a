package io.huitong.hub.files.impl;

import io.huitong.crypto.Sm3;
import io.huitong.crypto.Sm4Ctr;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The SM4-CTR key and counter block of each stored upload, derived from one key (itself derived from the hub's master
 * key) and the upload's id, so no per-file key is stored anywhere and a copy of the upload directory alone reveals
 * nothing. Every upload has its own key: no two files share a key stream.
 */
public final class AtRestKeys {
  /** What the files key is derived for from the master key. */
  public static final String PURPOSE = "files/at-rest";

  private final byte[] filesKey;

  /** @param filesKey {@code master.derive(PURPOSE)} in the hub */
  public AtRestKeys(byte[] filesKey) {
    this.filesKey = filesKey.clone();
  }

  /** The cipher for upload {@code id}: HMAC-SM3(files key, id) split into a 16-byte key and a 16-byte counter block. */
  Sm4Ctr cipher(String id) {
    byte[] derived = Sm3.hmac(filesKey, ("upload/" + id).getBytes(StandardCharsets.UTF_8));
    return new Sm4Ctr(Arrays.copyOf(derived, 16), Arrays.copyOfRange(derived, 16, 32));
  }
}
