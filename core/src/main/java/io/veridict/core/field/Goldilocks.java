package io.veridict.core.field;

/**
 * Arithmetic in the Goldilocks prime field {@code p = 2^64 - 2^32 + 1}, on canonical unsigned
 * {@code long}s.
 *
 * <p>Contract: every method taking field elements expects canonical inputs, i.e. values in
 * {@code [0, p)} read as <em>unsigned</em> 64-bit integers, and returns a canonical value. Passing a
 * non-canonical value (for example {@code -1L}, which is {@code 2^64 - 1 >= p}) is a caller bug; use
 * {@link #isCanonical(long)} or {@link #fromUnsigned(long)} at trust boundaries (decoders). No
 * method allocates; all are safe for concurrent use.
 *
 * <p>Reduction uses {@code 2^64 = 2^32 - 1 (mod p)} and {@code 2^96 = -1 (mod p)}, the standard
 * Goldilocks identities (see e.g. Plonky3 {@code goldilocks/src/goldilocks.rs}); the code here is
 * written from those identities and tested against a {@link java.math.BigInteger} oracle.
 *
 * <p>Constants pinned by this project: multiplicative generator {@code 7}; two-adicity 32; the
 * primitive {@code 2^32}-th root of unity is {@code 7^((p-1)/2^32) = 0x185629dcda58878c} (Plonky3's
 * choice; Winterfell uses a different root). {@link #rootOfUnity(int)} derives every smaller root
 * from it by squaring.
 */
public final class Goldilocks {

  /** The modulus {@code 2^64 - 2^32 + 1}, as an unsigned long. */
  public static final long P = 0xFFFF_FFFF_0000_0001L;
  /** {@code 2^64 mod p = 2^32 - 1}. */
  static final long EPSILON = 0xFFFF_FFFFL;
  /** Multiplicative generator of the whole group of units. */
  public static final long GENERATOR = 7L;
  /** Largest {@code k} such that {@code 2^k} divides {@code p - 1}. */
  public static final int TWO_ADICITY = 32;
  /** Primitive {@code 2^32}-th root of unity: {@code GENERATOR^((p-1) >> 32)}. */
  public static final long TWO_ADIC_ROOT = 0x185629dcda58878cL;

  public static final long ZERO = 0L;
  public static final long ONE = 1L;

  private static final long[] ROOTS = new long[TWO_ADICITY + 1];

  static {
    ROOTS[TWO_ADICITY] = TWO_ADIC_ROOT;
    for (int k = TWO_ADICITY - 1; k >= 0; k--) {
      ROOTS[k] = mul(ROOTS[k + 1], ROOTS[k + 1]);
    }
  }

  private Goldilocks() {}

  /** True iff {@code x}, read as unsigned, is below {@code p}. */
  public static boolean isCanonical(long x) {
    return Long.compareUnsigned(x, P) < 0;
  }

  /** Reduces an arbitrary unsigned 64-bit value into the field. */
  public static long fromUnsigned(long x) {
    return Long.compareUnsigned(x, P) >= 0 ? x - P : x;
  }

  /** Maps a signed Java long into the field ({@code -1 -> p - 1}). */
  public static long fromSigned(long x) {
    return x >= 0 ? fromUnsigned(x) : neg(fromUnsigned(-x == Long.MIN_VALUE ? x : -x));
  }

  public static long add(long a, long b) {
    long s = a + b;
    // Branch-free carry (an unpredictable branch costs more than the arithmetic): on unsigned
    // overflow s = a + b - 2^64 and 2^64 = EPSILON (mod p); no second overflow since a, b < p.
    long carry = ((a & b) | ((a | b) & ~s)) >>> 63;
    s += EPSILON & -carry;
    // Without a carry, s >= p happens with probability ~2^-32: a predictable branch.
    return Long.compareUnsigned(s, P) >= 0 ? s - P : s;
  }

  public static long sub(long a, long b) {
    long d = a - b;
    // Branch-free borrow: d = a - b + 2^64; we want a - b + p = d - EPSILON (no second wrap).
    long borrow = ((~a & b) | (~(a ^ b) & d)) >>> 63;
    return d - (EPSILON & -borrow);
  }

  public static long neg(long a) {
    return a == 0 ? 0 : P - a;
  }

  public static long mul(long a, long b) {
    return reduce128(a * b, Math.unsignedMultiplyHigh(a, b));
  }

  public static long square(long a) {
    return mul(a, a);
  }

  /**
   * Reduces the 128-bit value {@code hi * 2^64 + lo} (both unsigned) modulo p.
   *
   * <p>With {@code hi = hh * 2^32 + hl}: {@code x = lo - hh + hl * (2^32 - 1) (mod p)}.
   */
  public static long reduce128(long lo, long hi) {
    long hh = hi >>> 32;
    long hl = hi & EPSILON;
    long t0 = lo - hh;
    if (Long.compareUnsigned(lo, hh) < 0) {
      // Rare (hh < 2^32): the borrow added 2^64 = EPSILON (mod p); remove it. No second wrap.
      t0 -= EPSILON;
    }
    long t1 = (hl << 32) - hl; // hl * EPSILON, exact since hl < 2^32
    long t2 = t0 + t1;
    // Branch-free carry: the dropped 2^64 = EPSILON (mod p) is added back; cannot overflow again.
    long carry = ((t0 & t1) | ((t0 | t1) & ~t2)) >>> 63;
    t2 += EPSILON & -carry;
    return Long.compareUnsigned(t2, P) >= 0 ? t2 - P : t2;
  }

  /** {@code base^exponent} with the exponent read as an unsigned 64-bit integer. */
  public static long exp(long base, long exponent) {
    long result = ONE;
    long b = base;
    long e = exponent;
    while (e != 0) {
      if ((e & 1) != 0) {
        result = mul(result, b);
      }
      b = mul(b, b);
      e >>>= 1;
    }
    return result;
  }

  /**
   * Multiplicative inverse by Fermat ({@code a^(p-2)}).
   *
   * @throws ArithmeticException if {@code a == 0}
   */
  public static long inv(long a) {
    if (a == 0) {
      throw new ArithmeticException("inverse of zero in Goldilocks");
    }
    return exp(a, P - 2);
  }

  /**
   * Replaces each element of {@code values[off, off+len)} by its inverse using Montgomery's trick
   * (one inversion and {@code 3(len-1)} multiplications).
   *
   * @throws ArithmeticException if any element is zero (the array is then left unchanged)
   */
  public static void batchInverse(long[] values, int off, int len) {
    if (len == 0) {
      return;
    }
    long[] prefix = new long[len];
    long acc = ONE;
    for (int i = 0; i < len; i++) {
      long v = values[off + i];
      if (v == 0) {
        throw new ArithmeticException("batch inverse: zero at index " + (off + i));
      }
      prefix[i] = acc;
      acc = mul(acc, v);
    }
    long inv = inv(acc);
    for (int i = len - 1; i >= 0; i--) {
      long v = values[off + i];
      values[off + i] = mul(inv, prefix[i]);
      inv = mul(inv, v);
    }
  }

  /** Returns a new array holding the inverses of {@code values}; see {@link #batchInverse}. */
  public static long[] batchInverse(long[] values) {
    long[] out = values.clone();
    batchInverse(out, 0, out.length);
    return out;
  }

  /**
   * A primitive {@code 2^logOrder}-th root of unity, compatible across sizes:
   * {@code rootOfUnity(k)^2 == rootOfUnity(k-1)}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= logOrder <= 32}
   */
  public static long rootOfUnity(int logOrder) {
    if (logOrder < 0 || logOrder > TWO_ADICITY) {
      throw new IllegalArgumentException(
          "logOrder must be in [0, " + TWO_ADICITY + "], got " + logOrder);
    }
    return ROOTS[logOrder];
  }

  /** Little-endian encoding of a canonical element into 8 bytes at {@code off}. */
  public static void toBytesLe(long a, byte[] out, int off) {
    for (int i = 0; i < 8; i++) {
      out[off + i] = (byte) (a >>> (8 * i));
    }
  }

  /** Reads 8 little-endian bytes; the caller checks canonicity. */
  public static long fromBytesLe(byte[] in, int off) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (in[off + i] & 0xFFL);
    }
    return v;
  }

  /** Human-readable unsigned decimal form. */
  public static String toString(long a) {
    return Long.toUnsignedString(a);
  }
}
