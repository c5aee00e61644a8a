package io.veridict.core.poly;

import io.veridict.core.field.ExtField;
import io.veridict.core.field.Goldilocks;

/** Evaluation helpers for polynomials over Goldilocks and its extensions. */
public final class Polynomials {
  private Polynomials() {}

  /** Horner evaluation of base-field coefficients {@code c[0, len)} at a base-field point. */
  public static long evaluate(long[] c, int len, long x) {
    long acc = 0;
    for (int i = len - 1; i >= 0; i--) {
      acc = Goldilocks.add(Goldilocks.mul(acc, x), c[i]);
    }
    return acc;
  }

  /**
   * Horner evaluation of base-field coefficients {@code c[0, len)} at an extension point {@code
   * z}; returns a new extension element.
   */
  public static long[] evaluateAt(ExtField f, long[] c, int len, long[] z) {
    int d = f.degree();
    long[] acc = new long[d];
    for (int i = len - 1; i >= 0; i--) {
      f.mul(acc, 0, z, 0, acc, 0);
      acc[0] = Goldilocks.add(acc[0], c[i]);
    }
    return acc;
  }

  /**
   * Horner evaluation of extension coefficients (interleaved, {@code len} elements) at an
   * extension point.
   */
  public static long[] evaluateExtAt(ExtField f, long[] c, int len, long[] z) {
    int d = f.degree();
    long[] acc = new long[d];
    for (int i = len - 1; i >= 0; i--) {
      f.mul(acc, 0, z, 0, acc, 0);
      f.add(acc, 0, c, i * d, acc, 0);
    }
    return acc;
  }

  /**
   * Barycentric evaluation at an out-of-domain extension point {@code z} of the unique polynomial
   * of degree {@code < n} taking {@code values[i]} at {@code w_n^i} (the subgroup of order {@code
   * n = values.length}):
   *
   * <pre>p(z) = (z^n - 1)/n * sum_i values[i] * w^i / (z - w^i)</pre>
   *
   * @throws ArithmeticException if {@code z} lies in the subgroup (the formula divides by zero)
   */
  public static long[] barycentric(ExtField f, long[] values, long[] z) {
    int n = values.length;
    int logN = Ntt.log2Exact(n);
    int d = f.degree();
    long w = Goldilocks.rootOfUnity(logN);
    long[] denoms = new long[n * d];
    long wi = 1;
    for (int i = 0; i < n; i++) {
      System.arraycopy(z, 0, denoms, i * d, d);
      denoms[i * d] = Goldilocks.sub(denoms[i * d], wi);
      wi = Goldilocks.mul(wi, w);
    }
    f.batchInverse(denoms, 0, n);
    long[] sum = new long[d];
    long[] term = new long[d];
    wi = 1;
    for (int i = 0; i < n; i++) {
      f.mulBase(denoms, i * d, Goldilocks.mul(values[i], wi), term, 0);
      f.add(sum, 0, term, 0, sum, 0);
      wi = Goldilocks.mul(wi, w);
    }
    long[] zn = f.exp(z, n);
    zn[0] = Goldilocks.sub(zn[0], 1);
    long[] r = f.mul(sum, zn);
    return f.mulBase(r, Goldilocks.inv(n));
  }
}
