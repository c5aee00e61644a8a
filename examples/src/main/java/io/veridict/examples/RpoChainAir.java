package io.veridict.examples;

import io.veridict.core.air.Air;
import io.veridict.core.air.BoundaryConstraint;
import io.veridict.core.air.Expr;
import io.veridict.core.field.Goldilocks;
import io.veridict.core.hash.Rpo256;
import io.veridict.prover.Witness;
import java.util.ArrayList;
import java.util.List;

/**
 * A chain of RPO-256 permutations (Miden's Rescue-Prime Optimized): {@code s_{k+1} = pi(s_k)} for
 * {@code n/8} permutations. This is the gadget later used to prove model and input commitments.
 *
 * <p>Layout: 12 state columns; each permutation takes 8 rows: row {@code 8k + r} holds the state
 * after {@code r} rounds ({@code r = 0..7}). One RPO round is {@code MDS, +ARK1, x^7, MDS, +ARK2,
 * x^(1/7)}; with {@code s} the current and {@code s'} the next row it is enforced as {@code
 * MDS((MDS s + ARK1)^7) + ARK2 = s'^7} (degree 7, no inverse S-box needed). Rows {@code 8k + 7}
 * (periodic selector 0) instead copy the state into the next permutation's first row.
 *
 * <p>Public inputs: the 12 initial state elements, then the 4 digest elements ({@code s[4..8]}) of
 * the final state.
 *
 * <p>Constraint degree: 7 in the trace times the selector's degree {@code 7n/8}; with the
 * zero-knowledge randomizers ({@code h} extra coefficients per column) the quotient needs {@code
 * 7(n + h) + 7n/8 - n < 8n}, so at blowup 8 the chain needs {@code n >= 2^9} rows under the
 * standard and high profiles (the layout refuses smaller traces with a clear error).
 */
public final class RpoChainAir implements Air {
  public static final int WIDTH = Rpo256.STATE_WIDTH;
  private static final int CYCLE = 8;
  private final int logRows;

  public RpoChainAir(int logRows) {
    if (logRows < 3) {
      throw new IllegalArgumentException("an RPO chain needs at least 8 rows");
    }
    this.logRows = logRows;
  }

  @Override
  public String name() {
    return "rpo-chain";
  }

  @Override
  public int logTraceLength() {
    return logRows;
  }

  @Override
  public int mainWidth() {
    return WIDTH;
  }

  @Override
  public int numPublicInputs() {
    return WIDTH + 4;
  }

  /** Number of permutations proven. */
  public int permutations() {
    return (1 << logRows) / CYCLE;
  }

  @Override
  public List<long[]> periodicColumns() {
    List<long[]> cols = new ArrayList<>();
    long[] isRound = new long[CYCLE];
    for (int r = 0; r < Rpo256.NUM_ROUNDS; r++) {
      isRound[r] = 1;
    }
    cols.add(isRound);
    for (int i = 0; i < WIDTH; i++) {
      long[] c = new long[CYCLE];
      for (int r = 0; r < Rpo256.NUM_ROUNDS; r++) {
        c[r] = Rpo256.ark1(r, i);
      }
      cols.add(c);
    }
    for (int i = 0; i < WIDTH; i++) {
      long[] c = new long[CYCLE];
      for (int r = 0; r < Rpo256.NUM_ROUNDS; r++) {
        c[r] = Rpo256.ark2(r, i);
      }
      cols.add(c);
    }
    return cols;
  }

  @Override
  public List<Expr> transitionConstraints() {
    Expr isRound = Expr.periodic(0);
    Expr[] sboxed = new Expr[WIDTH];
    for (int i = 0; i < WIDTH; i++) {
      Expr t = Expr.periodic(1 + i);
      for (int j = 0; j < WIDTH; j++) {
        t = t.plus(Expr.main(j).times(Rpo256.mds(i, j)));
      }
      sboxed[i] = t.pow(7);
    }
    List<Expr> out = new ArrayList<>();
    for (int k = 0; k < WIDTH; k++) {
      Expr w = Expr.periodic(1 + WIDTH + k);
      for (int i = 0; i < WIDTH; i++) {
        w = w.plus(sboxed[i].times(Rpo256.mds(k, i)));
      }
      Expr round = w.minus(Expr.mainNext(k).pow(7));
      Expr copy = Expr.mainNext(k).minus(Expr.main(k));
      out.add(isRound.times(round).plus(Expr.constant(1).minus(isRound).times(copy)));
    }
    return out;
  }

  @Override
  public List<BoundaryConstraint> boundaryConstraints() {
    List<BoundaryConstraint> out = new ArrayList<>();
    for (int k = 0; k < WIDTH; k++) {
      out.add(BoundaryConstraint.first(Expr.main(k).minus(Expr.publicInput(k))));
    }
    for (int i = 0; i < 4; i++) {
      out.add(BoundaryConstraint.last(Expr.main(4 + i).minus(Expr.publicInput(WIDTH + i))));
    }
    return out;
  }

  /** The public inputs for a chain starting from {@code initial} (12 elements). */
  public long[] publicInputs(long[] initial) {
    long[][] t = trace(logRows, initial);
    long[] pub = new long[WIDTH + 4];
    System.arraycopy(initial, 0, pub, 0, WIDTH);
    int last = (1 << logRows) - 1;
    for (int i = 0; i < 4; i++) {
      pub[WIDTH + i] = t[4 + i][last];
    }
    return pub;
  }

  /** A deterministic example initial state. */
  public static long[] exampleInitialState() {
    long[] s = new long[WIDTH];
    for (int i = 0; i < WIDTH; i++) {
      s[i] = Goldilocks.fromUnsigned(0x9E3779B97F4A7C15L * (i + 1));
    }
    return s;
  }

  public Witness witness(long[] initial) {
    long[][] t = trace(logRows, initial);
    return () -> t;
  }

  static long[][] trace(int logRows, long[] initial) {
    int n = 1 << logRows;
    long[][] cols = new long[WIDTH][n];
    long[] s = initial.clone();
    for (int row = 0; row < n; row++) {
      for (int k = 0; k < WIDTH; k++) {
        cols[k][row] = s[k];
      }
      int r = row % CYCLE;
      if (r < Rpo256.NUM_ROUNDS) {
        Rpo256.applyRound(s, r);
      }
    }
    return cols;
  }
}
