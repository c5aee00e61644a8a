package io.veridict.core.fri;

import io.veridict.core.field.ExtField;
import io.veridict.core.field.Goldilocks;

/**
 * One FRI folding step, shared by prover and verifier so both compute the same function.
 *
 * <p>Write {@code f(X) = sum_{k<a} X^k f_k(X^a)}. The folded function is {@code f'(y) = sum_k
 * beta^k f_k(y)}. Given the {@code a} values of {@code f} on the coset {@code {x w_a^j}} (the fibre
 * over {@code y = x^a}), the polynomial {@code P(Z) = sum_k f_k(y) Z^k} interpolates them, and
 * {@code f'(y) = P(beta)}. With {@code w_k = sum_j v_j w_a^(-jk)} (an inverse DFT of size {@code
 * a}), {@code f_k(y) = x^(-k) w_k / a}, hence {@code f'(y) = (1/a) sum_k w_k (beta/x)^k}.
 */
public final class FriFolding {
  private FriFolding() {}

  /**
   * Folds one fibre.
   *
   * @param values the {@code arity} extension values {@code f(x w_a^j)}, interleaved, at {@code
   *     valuesOff}
   * @param xInv {@code 1/x} for the fibre's first point {@code x}
   * @param beta the folding challenge
   * @param out receives the folded value at {@code outOff}
   */
  public static void fold(
      ExtField f,
      long[] values,
      int valuesOff,
      int arity,
      long xInv,
      long[] beta,
      long[] out,
      int outOff) {
    int d = f.degree();
    int logA = Integer.numberOfTrailingZeros(arity);
    long[] table = INV_DFT[logA];
    long[] w = new long[arity * d];
    for (int k = 0; k < arity; k++) {
      for (int j = 0; j < arity; j++) {
        long tw = table[k * arity + j];
        for (int c = 0; c < d; c++) {
          w[k * d + c] =
              Goldilocks.add(w[k * d + c], Goldilocks.mul(values[valuesOff + j * d + c], tw));
        }
      }
    }
    long[] y = f.mulBase(beta, xInv);
    long[] acc = new long[d];
    for (int k = arity - 1; k >= 0; k--) {
      f.mul(acc, 0, y, 0, acc, 0);
      f.add(acc, 0, w, k * d, acc, 0);
    }
    f.mulBase(acc, 0, INV_ARITY[logA], out, outOff);
  }

  /** {@code INV_DFT[log a][k*a + j] = w_a^(-jk)} for a = 1, 2, 4, 8. */
  private static final long[][] INV_DFT = new long[4][];
  private static final long[] INV_ARITY = new long[4];

  static {
    for (int logA = 0; logA < 4; logA++) {
      int a = 1 << logA;
      long wInv = Goldilocks.inv(Goldilocks.rootOfUnity(logA));
      long[] t = new long[a * a];
      for (int k = 0; k < a; k++) {
        for (int j = 0; j < a; j++) {
          t[k * a + j] = Goldilocks.exp(wInv, (long) j * k);
        }
      }
      INV_DFT[logA] = t;
      INV_ARITY[logA] = Goldilocks.inv(a);
    }
  }
}
