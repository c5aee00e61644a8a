package io.veridict.examples;

import io.veridict.core.air.Air;
import io.veridict.core.air.BoundaryConstraint;
import io.veridict.core.air.Expr;
import io.veridict.core.field.Goldilocks;
import io.veridict.prover.Witness;
import java.util.List;

/**
 * Fibonacci with two columns: row {@code i} holds {@code (F(2i+1), F(2i+2))}, and each transition
 * advances two steps ({@code a' = a + b}, {@code b' = a' + b = a + 2b}), as in Winterfell's
 * two-column Fibonacci example, so {@code 2^k} rows prove {@code F(2^(k+1))}.
 *
 * <p>Public input 0: the claimed {@code F(2n)} (the last row's second column).
 */
public final class FibonacciAir implements Air {
  private final int logRows;

  public FibonacciAir(int logRows) {
    this.logRows = logRows;
  }

  @Override
  public String name() {
    return "fibonacci";
  }

  @Override
  public int logTraceLength() {
    return logRows;
  }

  @Override
  public int mainWidth() {
    return 2;
  }

  @Override
  public int numPublicInputs() {
    return 1;
  }

  @Override
  public List<Expr> transitionConstraints() {
    Expr a = Expr.main(0);
    Expr b = Expr.main(1);
    return List.of(
        Expr.mainNext(0).minus(a.plus(b)), // a' = a + b
        Expr.mainNext(1).minus(a.plus(b.times(2)))); // b' = a + 2b
  }

  @Override
  public List<BoundaryConstraint> boundaryConstraints() {
    return List.of(
        BoundaryConstraint.first(Expr.main(0).minus(1)),
        BoundaryConstraint.first(Expr.main(1).minus(1)),
        BoundaryConstraint.last(Expr.main(1).minus(Expr.publicInput(0))));
  }

  /** The trace and, through {@link #result}, the public input. */
  public static Witness witness(int logRows) {
    long[][] cols = trace(logRows);
    return () -> cols;
  }

  static long[][] trace(int logRows) {
    int n = 1 << logRows;
    long[] a = new long[n];
    long[] b = new long[n];
    a[0] = 1;
    b[0] = 1;
    for (int i = 1; i < n; i++) {
      a[i] = Goldilocks.add(a[i - 1], b[i - 1]);
      b[i] = Goldilocks.add(a[i], b[i - 1]);
    }
    return new long[][] {a, b};
  }

  /** {@code F(2^(logRows+1))} mod p: the public input of an honest statement. */
  public static long result(int logRows) {
    long[][] t = trace(logRows);
    return t[1][t[1].length - 1];
  }
}
