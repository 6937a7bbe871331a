package io.huitong.crypto;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.custom.gm.SM2P256V1Field;
import org.bouncycastle.math.ec.custom.sec.SecP256R1Field;
import org.bouncycastle.math.raw.Nat256;

/**
 * {@code k·G} for the base point G of sm2p256v1 or P-256, the multiplication every SM2 and ES256 signature (and SM2
 * key generation) makes, about 1.7 times as fast as BouncyCastle's {@link FixedPointCombMultiplier}, which its
 * signers use by default (perf/RESULTS.md).
 *
 * <p>How: k is recoded into 43 signed 6-bit digits (-31 to 32), and for each digit position i a table holds the affine
 * points {@code j·2^(6i)·G}, j = 1 to 32 (88 KiB a curve, computed once). k·G is then 43 mixed Jacobian-affine
 * additions of a looked-up point, negated for a negative digit, with no doublings; BouncyCastle's comb makes 43
 * doublings and 43 additions from a 64-entry table. The field arithmetic is BouncyCastle's own for each curve.
 *
 * <p>Its own code is free of secret-dependent memory accesses and branches: each lookup reads every entry of its
 * table and keeps one by mask, a zero digit (which still looks up and adds a real point) and the not-yet-started sum
 * are handled by masked selection, and the recoding is arithmetic. The field operations are BouncyCastle's, with the
 * same carry handling they have in its comb. An addition that meets its own operand or its negation (a chance of about 2^-200 for
 * a random k) would give a wrong sum; it leaves Z = 0, which is detected at the end and the product recomputed with
 * BouncyCastle's comb. Any other point than G is handed to the comb too; a k outside [0, n) is taken modulo n.
 * Thread-safe.
 */
public final class FixedBaseMultiplier implements ECMultiplier {
  private static final int WINDOW = 6;
  /** 257 bits: the recoding of a 256-bit k can carry one bit past its top. */
  private static final int WINDOWS = (257 + WINDOW - 1) / WINDOW;
  private static final int ENTRIES = 1 << (WINDOW - 1);
  /** An affine point as 8 ints of x then 8 of y, little-endian 32-bit limbs as in BouncyCastle's Nat256. */
  private static final int POINT_INTS = 16;

  private final ECPoint base;
  private final BigInteger order;
  private final ECCurve curve;
  private final Field field;
  private final int[][] tables = new int[WINDOWS][ENTRIES * POINT_INTS];
  private final FixedPointCombMultiplier comb = new FixedPointCombMultiplier();

  /** The multiplier for sm2p256v1's base point, its tables computed on first use. */
  public static FixedBaseMultiplier sm2() {
    return Sm2Holder.INSTANCE;
  }

  /** The multiplier for P-256's base point (ES256), its tables computed on first use. */
  public static FixedBaseMultiplier p256() {
    return P256Holder.INSTANCE;
  }

  private static final class Sm2Holder {
    static final FixedBaseMultiplier INSTANCE = new FixedBaseMultiplier(Sm2Curve.X9, Field.SM2);
  }

  private static final class P256Holder {
    static final FixedBaseMultiplier INSTANCE = new FixedBaseMultiplier(CustomNamedCurves.getByName("secp256r1"),
        Field.P256);
  }

  private FixedBaseMultiplier(X9ECParameters x9, Field field) {
    this.base = x9.getG().normalize();
    this.order = x9.getN();
    this.curve = base.getCurve();
    this.field = field;
    ECPoint[] multiples = new ECPoint[ENTRIES];
    ECPoint windowBase = base;
    for (int i = 0; i < WINDOWS; i++) {
      multiples[0] = windowBase;
      for (int j = 1; j < ENTRIES; j++) {
        multiples[j] = multiples[j - 1].add(windowBase);
      }
      curve.normalizeAll(multiples);
      for (int j = 0; j < ENTRIES; j++) {
        int[] x = Nat256.fromBigInteger(multiples[j].getAffineXCoord().toBigInteger());
        int[] y = Nat256.fromBigInteger(multiples[j].getAffineYCoord().toBigInteger());
        System.arraycopy(x, 0, tables[i], j * POINT_INTS, 8);
        System.arraycopy(y, 0, tables[i], j * POINT_INTS + 8, 8);
      }
      windowBase = windowBase.timesPow2(WINDOW).normalize();
    }
  }

  @Override
  public ECPoint multiply(ECPoint p, BigInteger k) {
    if (!base.equals(p)) {
      return comb.multiply(p, k);
    }
    BigInteger reduced = k.signum() < 0 || k.compareTo(order) >= 0 ? k.mod(order) : k;
    if (reduced.signum() == 0) {
      return curve.getInfinity();
    }
    ECPoint product = tableSum(reduced);
    return product != null ? product : comb.multiply(p, reduced);
  }

  /**
   * k·G for 0 < k < n from the tables, or null when an addition met its own operand or its negation (Z = 0 at the
   * end), which the caller then recomputes another way.
   */
  ECPoint tableSum(BigInteger k) {
    int[] scalar = Nat256.fromBigInteger(k);
    int[] x = new int[8];
    int[] y = new int[8];
    int[] z = new int[8];
    int[] px = new int[8];
    int[] py = new int[8];
    int[] negY = new int[8];
    Sum sum = new Sum();
    // All ones while the sum is still the point at infinity (no nonzero digit yet).
    int atInfinity = -1;
    int carry = 0;
    for (int i = 0; i < WINDOWS; i++) {
      int digit = bits(scalar, i * WINDOW) + carry;
      carry = (ENTRIES - digit) >>> 31;
      digit -= carry << WINDOW;
      int negative = digit >>> 31;
      int magnitude = (digit ^ -negative) + negative;
      int zero = (magnitude - 1) >> 31;
      // A zero digit looks up the first entry and discards the sum below, so the field operations always meet a
      // real point.
      lookup(tables[i], magnitude | (zero & 1), px, py);
      field.negate().apply(py, negY);
      select(-negative, negY, py, py);
      sum.add(field, x, y, z, px, py);
      // A zero digit keeps the sum as it was; the first nonzero one replaces infinity with its point.
      for (int t = 0; t < 8; t++) {
        int keep = zero;
        int take = ~zero & atInfinity;
        int added = ~zero & ~atInfinity;
        x[t] = (x[t] & keep) | (px[t] & take) | (sum.x[t] & added);
        y[t] = (y[t] & keep) | (py[t] & take) | (sum.y[t] & added);
        z[t] = (z[t] & keep) | ((t == 0 ? 1 : 0) & take) | (sum.z[t] & added);
      }
      atInfinity &= zero;
    }
    if (Nat256.isZero(z)) {
      return null;
    }
    int[] zInv = new int[8];
    int[] zInv2 = new int[8];
    field.invert().apply(z, zInv);
    field.square().apply(zInv, zInv2);
    field.multiply().apply(x, zInv2, x);
    field.multiply().apply(zInv2, zInv, zInv2);
    field.multiply().apply(y, zInv2, y);
    ECPoint product = curve.createPoint(Nat256.toBigInteger(x), Nat256.toBigInteger(y));
    // A fault (a flipped bit while a nonce point is computed) must not reach a signature: the product is checked to
    // lie on the curve, as BouncyCastle's own multipliers check theirs (by the equation itself: ECPoint.isValid would
    // also build a precomputation record on every product).
    ECFieldElement affineX = product.getAffineXCoord();
    ECFieldElement rhs = affineX.square().add(curve.getA()).multiply(affineX).add(curve.getB());
    if (!product.getAffineYCoord().square().equals(rhs)) {
      throw new IllegalStateException("fixed-base multiplication gave a point off the curve");
    }
    return product;
  }

  /** The 6 bits of {@code scalar} from bit {@code from} up (zeros past its top). */
  private static int bits(int[] scalar, int from) {
    int word = from >>> 5;
    long low = word < 8 ? scalar[word] & 0xFFFFFFFFL : 0L;
    long high = word + 1 < 8 ? (scalar[word + 1] & 0xFFFFFFFFL) << 32 : 0L;
    return (int) ((low | high) >>> (from & 31)) & ((1 << WINDOW) - 1);
  }

  /** Entry {@code magnitude - 1} of {@code table} into x and y, reading every entry; zeros for magnitude 0. */
  private static void lookup(int[] table, int magnitude, int[] x, int[] y) {
    for (int t = 0; t < 8; t++) {
      x[t] = 0;
      y[t] = 0;
    }
    for (int j = 0; j < ENTRIES; j++) {
      int match = (((j + 1) ^ magnitude) - 1) >> 31;
      int at = j * POINT_INTS;
      for (int t = 0; t < 8; t++) {
        x[t] |= table[at + t] & match;
        y[t] |= table[at + 8 + t] & match;
      }
    }
  }

  /** out = mask all ones ? a : b, limb by limb. */
  private static void select(int mask, int[] a, int[] b, int[] out) {
    for (int t = 0; t < 8; t++) {
      out[t] = (a[t] & mask) | (b[t] & ~mask);
    }
  }

  /** Scratch space of one multiplication and the mixed addition (X, Y, Z) + (x2, y2) into (x, y, z). */
  private static final class Sum {
    final int[] x = new int[8];
    final int[] y = new int[8];
    final int[] z = new int[8];
    private final int[] z1z1 = new int[8];
    private final int[] u2 = new int[8];
    private final int[] s2 = new int[8];
    private final int[] hh = new int[8];
    private final int[] hhh = new int[8];

    /**
     * Jacobian plus affine, 8 multiplications and 3 squarings (the "madd" of the Explicit-Formulas Database, without
     * its doubling of H); meaningless, but harmless, when either side is the point at infinity, which the caller
     * selects around.
     */
    void add(Field f, int[] x1, int[] y1, int[] z1, int[] x2, int[] y2) {
      f.square().apply(z1, z1z1);
      f.multiply().apply(x2, z1z1, u2);
      f.multiply().apply(z1, z1z1, s2);
      f.multiply().apply(y2, s2, s2);
      f.subtract().apply(u2, x1, u2);          // H = U2 - X1
      f.subtract().apply(s2, y1, s2);          // r = S2 - Y1
      f.multiply().apply(z1, u2, z);           // Z3 = Z1 H
      f.square().apply(u2, hh);                // H^2
      f.multiply().apply(u2, hh, hhh);         // H^3
      f.multiply().apply(x1, hh, hh);          // V = X1 H^2
      f.square().apply(s2, x);
      f.subtract().apply(x, hhh, x);
      f.subtract().apply(x, hh, x);
      f.subtract().apply(x, hh, x);            // X3 = r^2 - H^3 - 2V
      f.subtract().apply(hh, x, hh);
      f.multiply().apply(s2, hh, y);
      f.multiply().apply(y1, hhh, hhh);
      f.subtract().apply(y, hhh, y);           // Y3 = r (V - X3) - Y1 H^3
    }
  }

  /** One curve's field arithmetic on 8-limb values, BouncyCastle's; out may be an input. */
  private record Field(Binary multiply, Unary square, Binary subtract, Unary negate, Unary invert) {
    static final Field P256 = new Field(SecP256R1Field::multiply, SecP256R1Field::square, SecP256R1Field::subtract,
        SecP256R1Field::negate, SecP256R1Field::inv);
    static final Field SM2 = new Field(SM2P256V1Field::multiply, SM2P256V1Field::square, SM2P256V1Field::subtract,
        SM2P256V1Field::negate, SM2P256V1Field::inv);
  }

  private interface Unary {
    void apply(int[] a, int[] out);
  }

  private interface Binary {
    void apply(int[] a, int[] b, int[] out);
  }
}
