package io.veridict.core.air;

import io.veridict.core.field.Goldilocks;

/**
 * A symbolic constraint expression over one step of the execution trace.
 *
 * <p>Leaves refer to the current or next row of a main (base-field) or auxiliary (extension-field,
 * challenge-dependent) column, a periodic column, a public input, a verifier challenge or a
 * constant. The prover evaluates expressions over the whole low-degree extension; the verifier
 * evaluates the same tree at the out-of-domain point. Degrees are never declared: {@link
 * Degrees} infers them from the tree, so a declared degree can never disagree with the real one.
 */
public sealed interface Expr
    permits Expr.Const,
        Expr.Main,
        Expr.Aux,
        Expr.Periodic,
        Expr.PublicInput,
        Expr.Challenge,
        Expr.Add,
        Expr.Sub,
        Expr.Mul,
        Expr.Neg,
        Expr.Pow {

  /** A base-field constant (canonical). */
  record Const(long value) implements Expr {
    public Const {
      if (!Goldilocks.isCanonical(value)) {
        throw new IllegalArgumentException("constant is not canonical: " + Long.toUnsignedString(value));
      }
    }
  }

  /** Main-trace column {@code column} at the current ({@code next == false}) or next row. */
  record Main(int column, boolean next) implements Expr {
    public Main {
      if (column < 0) {
        throw new IllegalArgumentException("negative column " + column);
      }
    }
  }

  /** Auxiliary column {@code column} (an extension-field column) at the current or next row. */
  record Aux(int column, boolean next) implements Expr {
    public Aux {
      if (column < 0) {
        throw new IllegalArgumentException("negative column " + column);
      }
    }
  }

  /** Periodic column {@code index} of the AIR, at the current row. */
  record Periodic(int index) implements Expr {}

  /** Public input {@code index} (a base-field element supplied to prover and verifier). */
  record PublicInput(int index) implements Expr {}

  /** Auxiliary-trace challenge {@code index} (an extension element drawn after the main commit). */
  record Challenge(int index) implements Expr {}

  record Add(Expr left, Expr right) implements Expr {}

  record Sub(Expr left, Expr right) implements Expr {}

  record Mul(Expr left, Expr right) implements Expr {}

  record Neg(Expr operand) implements Expr {}

  /** {@code base^exponent} for a small fixed exponent {@code >= 1}. */
  record Pow(Expr base, int exponent) implements Expr {
    public Pow {
      if (exponent < 1 || exponent > 255) {
        throw new IllegalArgumentException("exponent must be in [1, 255], got " + exponent);
      }
    }
  }

  // --- builders ---------------------------------------------------------------------------------

  static Expr constant(long v) {
    return new Const(Goldilocks.fromSigned(v));
  }

  static Expr main(int column) {
    return new Main(column, false);
  }

  static Expr mainNext(int column) {
    return new Main(column, true);
  }

  static Expr aux(int column) {
    return new Aux(column, false);
  }

  static Expr auxNext(int column) {
    return new Aux(column, true);
  }

  static Expr periodic(int index) {
    return new Periodic(index);
  }

  static Expr publicInput(int index) {
    return new PublicInput(index);
  }

  static Expr challenge(int index) {
    return new Challenge(index);
  }

  default Expr plus(Expr other) {
    return new Add(this, other);
  }

  default Expr plus(long c) {
    return new Add(this, constant(c));
  }

  default Expr minus(Expr other) {
    return new Sub(this, other);
  }

  default Expr minus(long c) {
    return new Sub(this, constant(c));
  }

  default Expr times(Expr other) {
    return new Mul(this, other);
  }

  default Expr times(long c) {
    return new Mul(this, constant(c));
  }

  default Expr pow(int exponent) {
    return exponent == 1 ? this : new Pow(this, exponent);
  }

  default Expr negate() {
    return new Neg(this);
  }
}
