package io.huitong.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * SM3 (GB/T 32905-2016) over a stream whose digest state can be saved and taken up again elsewhere: {@link #state()}
 * gives bytes that {@link #resume} turns back into the same digest, so a file received in pieces, by different
 * processes and over days, is hashed once as its bytes arrive. Not thread-safe.
 */
public final class Sm3Stream {
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final int[] IV = {
      0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e};
  private static final int[] T = new int[64];
  /** Format of {@link #state()}: this version byte, the 8 chaining words, the byte count, then the buffered bytes. */
  private static final byte STATE_VERSION = 1;
  private static final int STATE_FIXED = 1 + 32 + 8;

  static {
    for (int j = 0; j < 64; j++) {
      T[j] = Integer.rotateLeft(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32);
    }
  }

  private final int[] v;
  private final byte[] block = new byte[64];
  private final int[] w = new int[68];
  private int buffered;
  private long count;

  public Sm3Stream() {
    this.v = IV.clone();
  }

  private Sm3Stream(int[] v, long count, byte[] pending) {
    this.v = v;
    this.count = count;
    this.buffered = pending.length;
    System.arraycopy(pending, 0, block, 0, pending.length);
  }

  /**
   * The digest {@link #state()} saved.
   *
   * @throws CryptoException INPUT_INVALID when {@code state} is not one
   */
  public static Sm3Stream resume(byte[] state) {
    if (state == null || state.length < STATE_FIXED || state.length >= STATE_FIXED + 64 || state[0] != STATE_VERSION) {
      throw new CryptoException(CryptoError.INPUT_INVALID, "not a saved SM3 state");
    }
    int[] v = new int[8];
    for (int i = 0; i < 8; i++) {
      v[i] = (int) INT.get(state, 1 + 4 * i);
    }
    long count = (long) INT.get(state, 33) << 32 | (int) INT.get(state, 37) & 0xffffffffL;
    byte[] pending = Arrays.copyOfRange(state, STATE_FIXED, state.length);
    if (count < 0 || count % 64 != pending.length) {
      throw new CryptoException(CryptoError.INPUT_INVALID, "not a saved SM3 state");
    }
    return new Sm3Stream(v, count, pending);
  }

  /** How many bytes have been hashed. */
  public long count() {
    return count;
  }

  public Sm3Stream update(byte[] data, int offset, int length) {
    count += length;
    int at = offset;
    int end = offset + length;
    if (buffered > 0) {
      int n = Math.min(64 - buffered, length);
      System.arraycopy(data, at, block, buffered, n);
      buffered += n;
      at += n;
      if (buffered < 64) {
        return this;
      }
      compress(block, 0);
      buffered = 0;
    }
    for (; end - at >= 64; at += 64) {
      compress(data, at);
    }
    System.arraycopy(data, at, block, 0, end - at);
    buffered = end - at;
    return this;
  }

  public Sm3Stream update(byte[] data) {
    return update(data, 0, data.length);
  }

  /** The state to {@link #resume} from: the digest of everything so far, and more can be added to it. */
  public byte[] state() {
    byte[] state = new byte[STATE_FIXED + buffered];
    state[0] = STATE_VERSION;
    for (int i = 0; i < 8; i++) {
      INT.set(state, 1 + 4 * i, v[i]);
    }
    INT.set(state, 33, (int) (count >>> 32));
    INT.set(state, 37, (int) count);
    System.arraycopy(block, 0, state, STATE_FIXED, buffered);
    return state;
  }

  /** The 32-byte digest of everything so far; this stream is unchanged and can go on. */
  public byte[] digest() {
    Sm3Stream copy = resume(state());
    byte[] tail = new byte[(copy.buffered < 56 ? 64 : 128) - copy.buffered];
    tail[0] = (byte) 0x80;
    long bits = count << 3;
    INT.set(tail, tail.length - 8, (int) (bits >>> 32));
    INT.set(tail, tail.length - 4, (int) bits);
    copy.update(tail);
    byte[] out = new byte[32];
    for (int i = 0; i < 8; i++) {
      INT.set(out, 4 * i, copy.v[i]);
    }
    return out;
  }

  private void compress(byte[] data, int at) {
    int[] w = this.w;
    for (int j = 0; j < 16; j++) {
      w[j] = (int) INT.get(data, at + 4 * j);
    }
    for (int j = 16; j < 68; j++) {
      int x = w[j - 16] ^ w[j - 9] ^ Integer.rotateLeft(w[j - 3], 15);
      w[j] = x ^ Integer.rotateLeft(x, 15) ^ Integer.rotateLeft(x, 23) ^ Integer.rotateLeft(w[j - 13], 7) ^ w[j - 6];
    }
    int a = v[0];
    int b = v[1];
    int c = v[2];
    int d = v[3];
    int e = v[4];
    int f = v[5];
    int g = v[6];
    int h = v[7];
    for (int j = 0; j < 64; j++) {
      int a12 = Integer.rotateLeft(a, 12);
      int ss1 = Integer.rotateLeft(a12 + e + T[j], 7);
      int ss2 = ss1 ^ a12;
      int tt1;
      int tt2;
      if (j < 16) {
        tt1 = (a ^ b ^ c) + d + ss2 + (w[j] ^ w[j + 4]);
        tt2 = (e ^ f ^ g) + h + ss1 + w[j];
      } else {
        tt1 = ((a & b) | (a & c) | (b & c)) + d + ss2 + (w[j] ^ w[j + 4]);
        tt2 = ((e & f) | (~e & g)) + h + ss1 + w[j];
      }
      d = c;
      c = Integer.rotateLeft(b, 9);
      b = a;
      a = tt1;
      h = g;
      g = Integer.rotateLeft(f, 19);
      f = e;
      e = tt2 ^ Integer.rotateLeft(tt2, 9) ^ Integer.rotateLeft(tt2, 17);
    }
    v[0] ^= a;
    v[1] ^= b;
    v[2] ^= c;
    v[3] ^= d;
    v[4] ^= e;
    v[5] ^= f;
    v[6] ^= g;
    v[7] ^= h;
  }
}
