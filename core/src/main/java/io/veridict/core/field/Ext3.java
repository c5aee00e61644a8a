package io.veridict.core.field;

import static io.veridict.core.field.Goldilocks.add;
import static io.veridict.core.field.Goldilocks.mul;
import static io.veridict.core.field.Goldilocks.sub;

/**
 * The cubic extension {@code F_p[u]/(u^3 - u - 1)}: element {@code a0 + a1 u + a2 u^2} is stored
 * as three consecutive canonical longs.
 *
 * <p>Reduction rules: {@code u^3 = u + 1}, {@code u^4 = u^2 + u}. All methods read their operands
 * before writing, so {@code out} may alias an input.
 */
public final class Ext3 {
  private Ext3() {}

  public static void add3(long[] a, int ai, long[] b, int bi, long[] out, int oi) {
    long r0 = add(a[ai], b[bi]);
    long r1 = add(a[ai + 1], b[bi + 1]);
    long r2 = add(a[ai + 2], b[bi + 2]);
    out[oi] = r0;
    out[oi + 1] = r1;
    out[oi + 2] = r2;
  }

  public static void sub3(long[] a, int ai, long[] b, int bi, long[] out, int oi) {
    long r0 = sub(a[ai], b[bi]);
    long r1 = sub(a[ai + 1], b[bi + 1]);
    long r2 = sub(a[ai + 2], b[bi + 2]);
    out[oi] = r0;
    out[oi + 1] = r1;
    out[oi + 2] = r2;
  }

  public static void mul3(long[] a, int ai, long[] b, int bi, long[] out, int oi) {
    long a0 = a[ai];
    long a1 = a[ai + 1];
    long a2 = a[ai + 2];
    long b0 = b[bi];
    long b1 = b[bi + 1];
    long b2 = b[bi + 2];
    long c0 = mul(a0, b0);
    long c1 = add(mul(a0, b1), mul(a1, b0));
    long c2 = add(add(mul(a0, b2), mul(a1, b1)), mul(a2, b0));
    long c3 = add(mul(a1, b2), mul(a2, b1));
    long c4 = mul(a2, b2);
    out[oi] = add(c0, c3);
    out[oi + 1] = add(add(c1, c3), c4);
    out[oi + 2] = add(c2, c4);
  }

  public static void mulBase3(long[] a, int ai, long s, long[] out, int oi) {
    long r0 = mul(a[ai], s);
    long r1 = mul(a[ai + 1], s);
    long r2 = mul(a[ai + 2], s);
    out[oi] = r0;
    out[oi + 1] = r1;
    out[oi + 2] = r2;
  }

  /**
   * Inverse by Cramer's rule on the multiplication-by-{@code a} matrix (columns {@code a},
   * {@code a*u}, {@code a*u^2}): solves {@code M x = e0}.
   *
   * @throws ArithmeticException for zero
   */
  public static void inv3(long[] a, int ai, long[] out, int oi) {
    long a0 = a[ai];
    long a1 = a[ai + 1];
    long a2 = a[ai + 2];
    // a*u = a2 + (a0 + a2) u + a1 u^2 ; a*u^2 = a1 + (a1 + a2) u + (a0 + a2) u^2
    long m00 = a0, m01 = a2, m02 = a1;
    long m10 = a1, m11 = add(a0, a2), m12 = add(a1, a2);
    long m20 = a2, m21 = a1, m22 = add(a0, a2);
    long cof00 = sub(mul(m11, m22), mul(m12, m21));
    long cof01 = sub(mul(m12, m20), mul(m10, m22));
    long cof02 = sub(mul(m10, m21), mul(m11, m20));
    long det = add(add(mul(m00, cof00), mul(m01, cof01)), mul(m02, cof02));
    if (det == 0) {
      throw new ArithmeticException("inverse of zero in the cubic extension");
    }
    long di = Goldilocks.inv(det);
    // x = adj(M) e0 / det: first column of the adjugate = cofactors of the first row.
    long x0 = mul(cof00, di);
    long x1 = mul(cof01, di);
    long x2 = mul(cof02, di);
    out[oi] = x0;
    out[oi + 1] = x1;
    out[oi + 2] = x2;
  }
}
