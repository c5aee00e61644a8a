package io.veridict.core.air;

import io.veridict.core.poly.Ntt;
import java.util.List;

/**
 * Degree inference for constraint expressions (no AIR ever declares a degree by hand).
 *
 * <p>The degree of an expression, as a polynomial in {@code X} after substituting the trace
 * polynomials, is bounded by structural recursion: a column reference has the trace polynomials'
 * degree, a periodic column the degree of its interpolant in {@code X} (computed from its values),
 * constants, public inputs and challenges degree 0, a product the sum, a sum the maximum, a power
 * the multiple. The bound is what sizes the quotient, so an AIR can never under-declare.
 */
public final class Degrees {
  private Degrees() {}

  /**
   * Degree in {@code X} of each periodic column's interpolant: a column of period {@code P} is
   * {@code q(X^(n/P))} with {@code deg q <= P - 1}; the exact top nonzero coefficient is used.
   */
  public static long[] periodicDegrees(List<long[]> periodic, int traceLength) {
    long[] out = new long[periodic.size()];
    for (int i = 0; i < out.length; i++) {
      long[] vals = periodic.get(i).clone();
      int period = vals.length;
      Ntt.inverse(vals);
      int top = 0;
      for (int k = period - 1; k >= 0; k--) {
        if (vals[k] != 0) {
          top = k;
          break;
        }
      }
      out[i] = (long) top * (traceLength / period);
    }
    return out;
  }

  /**
   * Upper bound on the degree of {@code e} when every trace column is a polynomial of degree
   * {@code traceDegree}.
   */
  public static long degree(Expr e, long traceDegree, long[] periodicDegrees) {
    return switch (e) {
      case Expr.Const c -> 0;
      case Expr.PublicInput p -> 0;
      case Expr.Challenge c -> 0;
      case Expr.Main m -> traceDegree;
      case Expr.Aux a -> traceDegree;
      case Expr.Periodic p -> periodicDegrees[p.index()];
      case Expr.Add a ->
          Math.max(degree(a.left(), traceDegree, periodicDegrees), degree(a.right(), traceDegree, periodicDegrees));
      case Expr.Sub s ->
          Math.max(degree(s.left(), traceDegree, periodicDegrees), degree(s.right(), traceDegree, periodicDegrees));
      case Expr.Mul m ->
          degree(m.left(), traceDegree, periodicDegrees) + degree(m.right(), traceDegree, periodicDegrees);
      case Expr.Neg n -> degree(n.operand(), traceDegree, periodicDegrees);
      case Expr.Pow p -> p.exponent() * degree(p.base(), traceDegree, periodicDegrees);
    };
  }

  /**
   * The multiple of the trace degree an expression reaches, ignoring periodic columns: the
   * "constraint degree" in the usual STARK sense (1 for linear, 2 for quadratic ...).
   */
  public static int traceDegreeMultiple(Expr e) {
    return (int) degree(e, 1, new long[1024]);
  }

  /** True iff the expression involves no auxiliary column and no challenge (base-field valued). */
  public static boolean isBaseField(Expr e) {
    return switch (e) {
      case Expr.Aux a -> false;
      case Expr.Challenge c -> false;
      case Expr.Const c -> true;
      case Expr.PublicInput p -> true;
      case Expr.Main m -> true;
      case Expr.Periodic p -> true;
      case Expr.Add a -> isBaseField(a.left()) && isBaseField(a.right());
      case Expr.Sub s -> isBaseField(s.left()) && isBaseField(s.right());
      case Expr.Mul m -> isBaseField(m.left()) && isBaseField(m.right());
      case Expr.Neg n -> isBaseField(n.operand());
      case Expr.Pow p -> isBaseField(p.base());
    };
  }

  /** True iff the expression refers to the next row anywhere. */
  public static boolean usesNextRow(Expr e) {
    return switch (e) {
      case Expr.Main m -> m.next();
      case Expr.Aux a -> a.next();
      case Expr.Const c -> false;
      case Expr.PublicInput p -> false;
      case Expr.Periodic p -> false;
      case Expr.Challenge c -> false;
      case Expr.Add a -> usesNextRow(a.left()) || usesNextRow(a.right());
      case Expr.Sub s -> usesNextRow(s.left()) || usesNextRow(s.right());
      case Expr.Mul m -> usesNextRow(m.left()) || usesNextRow(m.right());
      case Expr.Neg n -> usesNextRow(n.operand());
      case Expr.Pow p -> usesNextRow(p.base());
    };
  }

  /** True iff the expression refers to a periodic column anywhere. */
  public static boolean usesPeriodic(Expr e) {
    return switch (e) {
      case Expr.Periodic p -> true;
      case Expr.Main m -> false;
      case Expr.Aux a -> false;
      case Expr.Const c -> false;
      case Expr.PublicInput p -> false;
      case Expr.Challenge c -> false;
      case Expr.Add a -> usesPeriodic(a.left()) || usesPeriodic(a.right());
      case Expr.Sub s -> usesPeriodic(s.left()) || usesPeriodic(s.right());
      case Expr.Mul m -> usesPeriodic(m.left()) || usesPeriodic(m.right());
      case Expr.Neg n -> usesPeriodic(n.operand());
      case Expr.Pow p -> usesPeriodic(p.base());
    };
  }
}
