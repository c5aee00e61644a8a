package io.veridict.core.field;

import java.math.BigInteger;
import java.util.Random;

/**
 * A deliberately slow, obviously-correct {@link BigInteger} model of Goldilocks and its two
 * extensions, used as the oracle by the property tests (REFERENCES pitfall 12). Nothing here calls
 * the code under test: extension elements are polynomials in {@code u} multiplied out in full and
 * reduced by long division by the monic modulus, independently of the hand-unrolled formulas in
 * {@link Ext2} and {@link Ext3}.
 */
public final class BigIntegerOracle {
  private BigIntegerOracle() {}

  /** {@code p = 2^64 - 2^32 + 1}, written independently of {@link Goldilocks#P}. */
  public static final BigInteger P =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE.shiftLeft(32)).add(BigInteger.ONE);

  /** {@link #P} as an unsigned long. */
  public static final long P_LONG = P.longValue();

  /** Unsigned reading of a long. */
  public static BigInteger big(long v) {
    BigInteger b = BigInteger.valueOf(v & Long.MAX_VALUE);
    return v < 0 ? b.setBit(63) : b;
  }

  /** The low 64 bits of {@code b} (which must already be reduced) as a long. */
  public static long lng(BigInteger b) {
    if (b.signum() < 0 || b.compareTo(P) >= 0) {
      throw new IllegalArgumentException("not reduced: " + b);
    }
    return b.longValue();
  }

  public static long add(long a, long b) {
    return lng(big(a).add(big(b)).mod(P));
  }

  public static long sub(long a, long b) {
    return lng(big(a).subtract(big(b)).mod(P));
  }

  public static long mul(long a, long b) {
    return lng(big(a).multiply(big(b)).mod(P));
  }

  /** {@code a^e} with {@code e} read as unsigned. */
  public static long pow(long a, long e) {
    return lng(big(a).modPow(big(e), P));
  }

  /** Primitive {@code n}-th root of unity {@code 7^((p-1)/n)}, {@code n} a power of two. */
  public static long root(long n) {
    return lng(
        BigInteger.valueOf(7).modPow(P.subtract(BigInteger.ONE).divide(BigInteger.valueOf(n)), P));
  }

  /** Uniformly random canonical element. */
  public static long uniform(Random r) {
    while (true) {
      long v = r.nextLong();
      if (Long.compareUnsigned(v, P_LONG) < 0) {
        return v;
      }
    }
  }

  /**
   * A canonical element drawn from a mix of shapes that stress carries and reductions: uniform,
   * near 0, near p, near multiples of 2^32, sparse bit patterns and full 32-bit halves.
   */
  public static long structured(Random r) {
    long p = P_LONG;
    long v =
        switch (r.nextInt(8)) {
          case 0, 1, 2 -> r.nextLong();
          case 3 -> r.nextInt(1 << 16);
          case 4 -> p - 1 - r.nextInt(1 << 16);
          case 5 -> ((long) r.nextInt() << 32) + r.nextInt(5) - 2;
          case 6 -> r.nextLong() & r.nextLong() & r.nextLong();
          default ->
              r.nextBoolean()
                  ? (r.nextLong() | 0xFFFF_FFFFL)
                  : (r.nextLong() | 0xFFFF_FFFF_0000_0000L);
        };
    return Long.compareUnsigned(v, p) < 0 ? v : v - p;
  }

  // ---------------------------------------------------------------------------------------------
  // Extension fields as F_p[u] / (monic modulus).

  /** Coefficients (low first) of the modulus of {@code ext}: u^2 - 7 or u^3 - u - 1. */
  public static BigInteger[] modulus(FieldExtension ext) {
    return switch (ext) {
      case QUADRATIC -> new BigInteger[] {BigInteger.valueOf(-7), BigInteger.ZERO, BigInteger.ONE};
      case CUBIC ->
          new BigInteger[] {
            BigInteger.ONE.negate(), BigInteger.ONE.negate(), BigInteger.ZERO, BigInteger.ONE
          };
    };
  }

  /** Schoolbook product of two polynomials over the integers. */
  static BigInteger[] polyMul(BigInteger[] a, BigInteger[] b) {
    BigInteger[] c = new BigInteger[a.length + b.length - 1];
    java.util.Arrays.fill(c, BigInteger.ZERO);
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        c[i + j] = c[i + j].add(a[i].multiply(b[j]));
      }
    }
    return c;
  }

  /** Remainder of {@code c} by the monic {@code m}, coefficients reduced into [0, p). */
  static BigInteger[] polyMod(BigInteger[] c, BigInteger[] m) {
    int d = m.length - 1;
    BigInteger[] r = c.clone();
    for (int k = r.length - 1; k >= d; k--) {
      BigInteger lead = r[k];
      if (lead.signum() == 0) {
        continue;
      }
      for (int i = 0; i <= d; i++) {
        r[k - d + i] = r[k - d + i].subtract(lead.multiply(m[i]));
      }
    }
    BigInteger[] out = new BigInteger[d];
    for (int i = 0; i < d; i++) {
      out[i] = i < r.length ? r[i].mod(P) : BigInteger.ZERO;
    }
    return out;
  }

  static BigInteger[] toBig(long[] a) {
    BigInteger[] r = new BigInteger[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = big(a[i]);
    }
    return r;
  }

  static long[] toLongs(BigInteger[] a) {
    long[] r = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = lng(a[i].mod(P));
    }
    return r;
  }

  public static long[] extAdd(FieldExtension ext, long[] a, long[] b) {
    long[] r = new long[ext.degree()];
    for (int i = 0; i < r.length; i++) {
      r[i] = add(a[i], b[i]);
    }
    return r;
  }

  public static long[] extSub(FieldExtension ext, long[] a, long[] b) {
    long[] r = new long[ext.degree()];
    for (int i = 0; i < r.length; i++) {
      r[i] = sub(a[i], b[i]);
    }
    return r;
  }

  public static long[] extMul(FieldExtension ext, long[] a, long[] b) {
    return toLongs(polyMod(polyMul(toBig(a), toBig(b)), modulus(ext)));
  }

  /** {@code a^e} for a non-negative BigInteger exponent, by square-and-multiply in the oracle. */
  public static long[] extPow(FieldExtension ext, long[] a, BigInteger e) {
    long[] result = new long[ext.degree()];
    result[0] = 1;
    long[] base = a.clone();
    for (int i = 0; i < e.bitLength(); i++) {
      if (e.testBit(i)) {
        result = extMul(ext, result, base);
      }
      base = extMul(ext, base, base);
    }
    return result;
  }

  /** Inverse by Lagrange: {@code a^(p^d - 2)} in the multiplicative group of order p^d - 1. */
  public static long[] extInv(FieldExtension ext, long[] a) {
    return extPow(ext, a, P.pow(ext.degree()).subtract(BigInteger.TWO));
  }

  /** Evaluates base-field coefficients at an extension point: {@code sum c_i z^i}. */
  public static long[] extEvalBaseCoeffs(FieldExtension ext, long[] c, int len, long[] z) {
    long[] acc = new long[ext.degree()];
    long[] zi = new long[ext.degree()];
    zi[0] = 1;
    for (int i = 0; i < len; i++) {
      long[] term = new long[ext.degree()];
      for (int k = 0; k < term.length; k++) {
        term[k] = mul(zi[k], c[i]);
      }
      acc = extAdd(ext, acc, term);
      zi = extMul(ext, zi, z);
    }
    return acc;
  }

  public static long[] randomExt(FieldExtension ext, Random r) {
    long[] a = new long[ext.degree()];
    for (int i = 0; i < a.length; i++) {
      a[i] = structured(r);
    }
    return a;
  }

  public static long[] randomNonZeroExt(FieldExtension ext, Random r) {
    while (true) {
      long[] a = randomExt(ext, r);
      for (long v : a) {
        if (v != 0) {
          return a;
        }
      }
    }
  }

  public static String hex(long[] a) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < a.length; i++) {
      sb.append(i == 0 ? "" : ", ").append("0x").append(Long.toHexString(a[i]));
    }
    return sb.append(']').toString();
  }
}
