package io.veridict.examples;

import io.veridict.core.air.Air;
import io.veridict.core.air.BoundaryConstraint;
import io.veridict.core.air.Expr;
import io.veridict.core.field.ExtField;
import io.veridict.core.field.FieldExtension;
import io.veridict.core.field.Goldilocks;
import io.veridict.prover.Witness;
import java.util.List;

/**
 * A LogUp range check (Haböck, eprint 2022/1530): every value in column {@code v} lies in {@code
 * [0, 2^16)}.
 *
 * <p>Main columns: {@code v} (the private values), {@code t} (the table: 0, 1, ..., 65535, then
 * 65535 repeated; enforced by {@code t_0 = 0}, {@code t' - t in {0, 1}}, {@code t_last = 65535})
 * and {@code m} (how many times each table row's value occurs in {@code v}; 0 on repeated table
 * rows). Auxiliary column {@code S} (extension field) with challenge {@code alpha} accumulates the
 * LogUp sum {@code S' = S + 1/(alpha - v) - m/(alpha - t)}, multiplied out to avoid inverses; {@code
 * S_0 = 0} and the last row's update must bring the sum to zero, which (for random {@code alpha})
 * holds only if the multiset of {@code v} is contained in the table. Needs at least 2^16 rows.
 */
public final class RangeCheckAir implements Air {
  public static final int LOG_RANGE = 16;
  public static final long RANGE = 1L << LOG_RANGE;
  private final int logRows;

  public RangeCheckAir(int logRows) {
    if (logRows < LOG_RANGE) {
      throw new IllegalArgumentException("a 16-bit range check needs at least 2^16 rows, got 2^" + logRows);
    }
    this.logRows = logRows;
  }

  @Override
  public String name() {
    return "range-check-16";
  }

  @Override
  public int logTraceLength() {
    return logRows;
  }

  @Override
  public int mainWidth() {
    return 3;
  }

  @Override
  public int auxWidth() {
    return 1;
  }

  @Override
  public int numAuxChallenges() {
    return 1;
  }

  @Override
  public int numPublicInputs() {
    return 0;
  }

  private static Expr logUpStep(Expr s) {
    Expr alpha = Expr.challenge(0);
    Expr av = alpha.minus(Expr.main(0));
    Expr at = alpha.minus(Expr.main(1));
    // s * (alpha - v)(alpha - t) - (alpha - t) + m (alpha - v)
    return s.times(av).times(at).minus(at).plus(Expr.main(2).times(av));
  }

  @Override
  public List<Expr> transitionConstraints() {
    Expr dt = Expr.mainNext(1).minus(Expr.main(1));
    return List.of(
        dt.times(dt.minus(1)),
        logUpStep(Expr.auxNext(0).minus(Expr.aux(0))));
  }

  @Override
  public List<BoundaryConstraint> boundaryConstraints() {
    Expr alpha = Expr.challenge(0);
    Expr av = alpha.minus(Expr.main(0));
    Expr at = alpha.minus(Expr.main(1));
    return List.of(
        BoundaryConstraint.first(Expr.main(1)),
        BoundaryConstraint.last(Expr.main(1).minus(RANGE - 1)),
        BoundaryConstraint.first(Expr.aux(0)),
        // S_last + 1/(alpha - v) - m/(alpha - t) = 0, multiplied out.
        BoundaryConstraint.last(Expr.aux(0).times(av).times(at).plus(at).minus(Expr.main(2).times(av))));
  }

  /**
   * A witness for {@code values} (each must be in [0, 2^16) for an honest proof; length at most
   * the trace length, padded with zeros).
   */
  public Witness witness(long[] values) {
    int n = 1 << logRows;
    if (values.length > n) {
      throw new IllegalArgumentException("more values than rows");
    }
    long[] v = new long[n];
    System.arraycopy(values, 0, v, 0, values.length);
    long[] t = new long[n];
    long[] m = new long[n];
    for (int i = 0; i < n; i++) {
      t[i] = Math.min(i, RANGE - 1);
    }
    for (long x : v) {
      // Out-of-range values get no table row; the prover's own check then rejects the witness.
      if (Long.compareUnsigned(x, RANGE) < 0) {
        m[(int) x] = Goldilocks.add(m[(int) x], 1);
      }
    }
    long[][] main = {v, t, m};
    return new Witness() {
      @Override
      public long[][] mainTrace() {
        return main;
      }

      @Override
      public long[][] auxTrace(long[][] mainTrace, long[] challenges, int extDegree) {
        ExtField f = ExtField.of(extDegree == 2 ? FieldExtension.QUADRATIC : FieldExtension.CUBIC);
        int d = extDegree;
        long[] alpha = java.util.Arrays.copyOf(challenges, d);
        // Inverses of (alpha - v_i) and (alpha - t_i), batched.
        long[] inv = new long[2 * n * d];
        for (int i = 0; i < n; i++) {
          System.arraycopy(alpha, 0, inv, 2 * i * d, d);
          inv[2 * i * d] = Goldilocks.sub(inv[2 * i * d], mainTrace[0][i]);
          System.arraycopy(alpha, 0, inv, (2 * i + 1) * d, d);
          inv[(2 * i + 1) * d] = Goldilocks.sub(inv[(2 * i + 1) * d], mainTrace[1][i]);
        }
        f.batchInverse(inv, 0, 2 * n);
        long[] s = new long[n * d];
        long[] acc = new long[d];
        long[] term = new long[d];
        for (int i = 0; i < n; i++) {
          System.arraycopy(acc, 0, s, i * d, d);
          f.mulBase(inv, (2 * i + 1) * d, mainTrace[2][i], term, 0);
          f.add(acc, 0, inv, 2 * i * d, acc, 0);
          f.sub(acc, 0, term, 0, acc, 0);
        }
        return new long[][] {s};
      }
    };
  }

  /** Seeded example values in range. */
  public static long[] exampleValues(int count, long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    long[] v = new long[count];
    for (int i = 0; i < count; i++) {
      v[i] = r.nextLong(RANGE);
    }
    return v;
  }
}
