package io.veridict.core.field;

/**
 * Degree-generic operations on extension elements stored in interleaved {@code long[]} vectors.
 *
 * <p>Used by code that runs once per proof or per query (verifier, transcript, FRI checks). Hot
 * loops in the prover switch on the degree once and call {@link Ext2}/{@link Ext3} directly.
 */
public final class ExtField {
  private final FieldExtension ext;
  private final int d;

  private ExtField(FieldExtension ext) {
    this.ext = ext;
    this.d = ext.degree();
  }

  private static final ExtField QUADRATIC = new ExtField(FieldExtension.QUADRATIC);
  private static final ExtField CUBIC = new ExtField(FieldExtension.CUBIC);

  public static ExtField of(FieldExtension ext) {
    return ext == FieldExtension.QUADRATIC ? QUADRATIC : CUBIC;
  }

  public FieldExtension extension() {
    return ext;
  }

  /** Number of longs per element. */
  public int degree() {
    return d;
  }

  public long[] zero() {
    return new long[d];
  }

  public long[] one() {
    long[] r = new long[d];
    r[0] = 1;
    return r;
  }

  /** Embeds a base-field element. */
  public long[] fromBase(long b) {
    long[] r = new long[d];
    r[0] = b;
    return r;
  }

  public void add(long[] a, int ai, long[] b, int bi, long[] out, int oi) {
    if (d == 2) {
      Ext2.add2(a, ai, b, bi, out, oi);
    } else {
      Ext3.add3(a, ai, b, bi, out, oi);
    }
  }

  public void sub(long[] a, int ai, long[] b, int bi, long[] out, int oi) {
    if (d == 2) {
      Ext2.sub2(a, ai, b, bi, out, oi);
    } else {
      Ext3.sub3(a, ai, b, bi, out, oi);
    }
  }

  public void mul(long[] a, int ai, long[] b, int bi, long[] out, int oi) {
    if (d == 2) {
      Ext2.mul2(a, ai, b, bi, out, oi);
    } else {
      Ext3.mul3(a, ai, b, bi, out, oi);
    }
  }

  public void mulBase(long[] a, int ai, long s, long[] out, int oi) {
    if (d == 2) {
      Ext2.mulBase2(a, ai, s, out, oi);
    } else {
      Ext3.mulBase3(a, ai, s, out, oi);
    }
  }

  /** @throws ArithmeticException for zero */
  public void inv(long[] a, int ai, long[] out, int oi) {
    if (d == 2) {
      Ext2.inv2(a, ai, out, oi);
    } else {
      Ext3.inv3(a, ai, out, oi);
    }
  }

  // Convenience forms on whole single-element arrays (allocate; not for hot loops).

  public long[] add(long[] a, long[] b) {
    long[] r = new long[d];
    add(a, 0, b, 0, r, 0);
    return r;
  }

  public long[] sub(long[] a, long[] b) {
    long[] r = new long[d];
    sub(a, 0, b, 0, r, 0);
    return r;
  }

  public long[] mul(long[] a, long[] b) {
    long[] r = new long[d];
    mul(a, 0, b, 0, r, 0);
    return r;
  }

  public long[] mulBase(long[] a, long s) {
    long[] r = new long[d];
    mulBase(a, 0, s, r, 0);
    return r;
  }

  public long[] inv(long[] a) {
    long[] r = new long[d];
    inv(a, 0, r, 0);
    return r;
  }

  public long[] neg(long[] a) {
    long[] r = new long[d];
    for (int i = 0; i < d; i++) {
      r[i] = Goldilocks.neg(a[i]);
    }
    return r;
  }

  /** {@code a^e} for an unsigned 64-bit exponent. */
  public long[] exp(long[] a, long e) {
    long[] result = one();
    long[] base = a.clone();
    long x = e;
    while (x != 0) {
      if ((x & 1) != 0) {
        mul(result, 0, base, 0, result, 0);
      }
      mul(base, 0, base, 0, base, 0);
      x >>>= 1;
    }
    return result;
  }

  public boolean isZero(long[] a, int ai) {
    for (int i = 0; i < d; i++) {
      if (a[ai + i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** True iff the element lies in the base field (all higher coefficients zero). */
  public boolean isBase(long[] a, int ai) {
    for (int i = 1; i < d; i++) {
      if (a[ai + i] != 0) {
        return false;
      }
    }
    return true;
  }

  public boolean equals(long[] a, int ai, long[] b, int bi) {
    for (int i = 0; i < d; i++) {
      if (a[ai + i] != b[bi + i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * In-place batch inversion of {@code count} interleaved elements starting at element {@code
   * first}. @throws ArithmeticException if any is zero
   */
  public void batchInverse(long[] v, int first, int count) {
    if (count == 0) {
      return;
    }
    long[] prefix = new long[count * d];
    long[] acc = one();
    for (int i = 0; i < count; i++) {
      int o = (first + i) * d;
      if (isZero(v, o)) {
        throw new ArithmeticException("batch inverse: zero at element " + (first + i));
      }
      System.arraycopy(acc, 0, prefix, i * d, d);
      mul(acc, 0, v, o, acc, 0);
    }
    long[] inv = inv(acc);
    long[] tmp = new long[d];
    for (int i = count - 1; i >= 0; i--) {
      int o = (first + i) * d;
      System.arraycopy(v, o, tmp, 0, d);
      mul(inv, 0, prefix, i * d, v, o);
      mul(inv, 0, tmp, 0, inv, 0);
    }
  }
}
