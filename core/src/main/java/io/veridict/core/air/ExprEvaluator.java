package io.veridict.core.air;

import io.veridict.core.field.ExtField;

/**
 * Evaluates an expression at a single point in the extension field, e.g. the verifier's
 * out-of-domain frame. Results are memoised per node object, so subexpressions an AIR shares
 * between constraints (e.g. RPO's S-box terms) are evaluated once. Allocates per node; not for hot
 * loops; not thread-safe.
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
  private final java.util.IdentityHashMap<Expr, long[]> memo = new java.util.IdentityHashMap<>();

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

  /** The value of {@code e} at the point (a fresh array the caller may modify). */
  public long[] evaluate(Expr e) {
    return value(e).clone();
  }

  private long[] value(Expr e) {
    long[] known = memo.get(e);
    if (known != null) {
      return known;
    }
    long[] v = compute(e);
    memo.put(e, v);
    return v;
  }

  private long[] compute(Expr e) {
    return switch (e) {
      case Expr.Const c -> f.fromBase(c.value());
      case Expr.PublicInput p -> f.fromBase(publicInputs[p.index()]);
      case Expr.Challenge c -> challenges[c.index()].clone();
      case Expr.Main m -> (m.next() ? mainNext : mainCur)[m.column()].clone();
      case Expr.Aux a -> (a.next() ? auxNext : auxCur)[a.column()].clone();
      case Expr.Periodic p -> periodic[p.index()].clone();
      case Expr.Add a -> f.add(value(a.left()), value(a.right()));
      case Expr.Sub s -> f.sub(value(s.left()), value(s.right()));
      case Expr.Mul m -> f.mul(value(m.left()), value(m.right()));
      case Expr.Neg n -> f.neg(value(n.operand()));
      case Expr.Pow p -> f.exp(value(p.base()), p.exponent());
    };
  }
}
