package io.veridict.core.air;

import io.veridict.core.field.ExtField;

/**
 * Evaluates an expression at a single point in the extension field, e.g. the verifier's
 * out-of-domain frame. Allocates per node; not for hot loops.
 */
public final class ExprEvaluator {
  private final ExtField f;
  private final long[][] mainCur;
  private final long[][] mainNext;
  private final long[][] auxCur;
  private final long[][] auxNext;
  private final long[][] periodic;
  private final long[] publicInputs;
  private final long[][] challenges;

  /**
   * @param mainCur extension values of the main columns at the point (one element per column)
   * @param mainNext the same at the next point ({@code g * z})
   * @param auxCur auxiliary column values at the point
   * @param auxNext auxiliary column values at the next point
   * @param periodic periodic column values at the point
   * @param publicInputs base-field public inputs
   * @param challenges auxiliary challenges
   */
  public ExprEvaluator(
      ExtField f,
      long[][] mainCur,
      long[][] mainNext,
      long[][] auxCur,
      long[][] auxNext,
      long[][] periodic,
      long[] publicInputs,
      long[][] challenges) {
    this.f = f;
    this.mainCur = mainCur;
    this.mainNext = mainNext;
    this.auxCur = auxCur;
    this.auxNext = auxNext;
    this.periodic = periodic;
    this.publicInputs = publicInputs;
    this.challenges = challenges;
  }

  public long[] evaluate(Expr e) {
    return switch (e) {
      case Expr.Const c -> f.fromBase(c.value());
      case Expr.PublicInput p -> f.fromBase(publicInputs[p.index()]);
      case Expr.Challenge c -> challenges[c.index()].clone();
      case Expr.Main m -> (m.next() ? mainNext : mainCur)[m.column()].clone();
      case Expr.Aux a -> (a.next() ? auxNext : auxCur)[a.column()].clone();
      case Expr.Periodic p -> periodic[p.index()].clone();
      case Expr.Add a -> f.add(evaluate(a.left()), evaluate(a.right()));
      case Expr.Sub s -> f.sub(evaluate(s.left()), evaluate(s.right()));
      case Expr.Mul m -> f.mul(evaluate(m.left()), evaluate(m.right()));
      case Expr.Neg n -> f.neg(evaluate(n.operand()));
      case Expr.Pow p -> f.exp(evaluate(p.base()), p.exponent());
    };
  }
}
