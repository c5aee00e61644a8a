package io.veridict.core.field;

import static io.veridict.core.field.Goldilocks.add;
import static io.veridict.core.field.Goldilocks.mul;
import static io.veridict.core.field.Goldilocks.sub;

/**
 * The quadratic extension {@code F_p[u]/(u^2 - 7)}: element {@code a0 + a1*u} is stored as two
 * consecutive canonical longs {@code (a0, a1)}.
 *
 * <p>All methods read their operands before writing, so {@code out} may alias an input.
 */
public final class Ext2 {
  /** Non-residue {@code W} with {@code u^2 = W}. */
  public static final long W = 7L;

  private Ext2() {}

  public static void add2(long[] a, int ai, long[] b, int bi, long[] out, int oi) {
    long r0 = add(a[ai], b[bi]);
    long r1 = add(a[ai + 1], b[bi + 1]);
    out[oi] = r0;
    out[oi + 1] = r1;
  }

  public static void sub2(long[] a, int ai, long[] b, int bi, long[] out, int oi) {
    long r0 = sub(a[ai], b[bi]);
    long r1 = sub(a[ai + 1], b[bi + 1]);
    out[oi] = r0;
    out[oi + 1] = r1;
  }

  /** {@code (a0 + a1 u)(b0 + b1 u) = a0 b0 + W a1 b1 + (a0 b1 + a1 b0) u}. */
  public static void mul2(long[] a, int ai, long[] b, int bi, long[] out, int oi) {
    long a0 = a[ai];
    long a1 = a[ai + 1];
    long b0 = b[bi];
    long b1 = b[bi + 1];
    long r0 = add(mul(a0, b0), mul(W, mul(a1, b1)));
    long r1 = add(mul(a0, b1), mul(a1, b0));
    out[oi] = r0;
    out[oi + 1] = r1;
  }

  /** Multiplies an extension element by a base-field scalar. */
  public static void mulBase2(long[] a, int ai, long s, long[] out, int oi) {
    long r0 = mul(a[ai], s);
    long r1 = mul(a[ai + 1], s);
    out[oi] = r0;
    out[oi + 1] = r1;
  }

  /**
   * Inverse: {@code (a0 - a1 u) / (a0^2 - W a1^2)}.
   *
   * @throws ArithmeticException for zero
   */
  public static void inv2(long[] a, int ai, long[] out, int oi) {
    long a0 = a[ai];
    long a1 = a[ai + 1];
    long norm = sub(mul(a0, a0), mul(W, mul(a1, a1)));
    if (norm == 0) {
      throw new ArithmeticException("inverse of zero in the quadratic extension");
    }
    long ni = Goldilocks.inv(norm);
    out[oi] = mul(a0, ni);
    out[oi + 1] = mul(Goldilocks.neg(a1), ni);
  }
}
