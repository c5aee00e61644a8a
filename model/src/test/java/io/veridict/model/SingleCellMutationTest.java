package io.veridict.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.air.Air;
import io.veridict.core.air.BoundaryConstraint;
import io.veridict.core.air.Degrees;
import io.veridict.core.air.Expr;
import io.veridict.core.field.ExtField;
import io.veridict.core.field.FieldExtension;
import io.veridict.core.field.Goldilocks;
import io.veridict.core.hash.HashFunction;
import io.veridict.core.proof.ProofOptions;
import io.veridict.core.proof.StarkLayout;
import io.veridict.examples.FibonacciAir;
import io.veridict.examples.RangeCheckAir;
import io.veridict.examples.RpoChainAir;
import io.veridict.model.internal.DecisionAir;
import io.veridict.model.internal.DecisionProgram;
import io.veridict.prover.Prover;
import io.veridict.prover.Witness;
import io.veridict.prover.internal.ConstraintProgram;
import io.veridict.verifier.AcceptablePolicy;
import io.veridict.verifier.VerificationException;
import io.veridict.verifier.Verifier;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's row-coverage guard, over every AIR of the project (the examples and each decision
 * family; here because this module sees them all): change one cell of a valid trace — every column,
 * on sampled rows that always include the first rows, padding rows and the last two rows — and,
 * where the cell feeds a LogUp sum, close the sum again through an auxiliary column the prover
 * chooses; prove with the witness check skipped; the verifier must reject.
 *
 * <p>Whether a changed trace is still valid is decided by an oracle with its own row rule, not the
 * AIR's: a constraint that reads the next row must hold on rows {@code 0 .. n-2}, one that reads the
 * current row only on every row {@code 0 .. n-1} — whichever list the AIR declared it in — and a
 * boundary constraint at its row. So an AIR that left a current-row constraint off the last row
 * (issue 20) fails here: the oracle calls the rebalanced trace invalid and the verifier accepts it.
 * A change the oracle calls valid (a cell no constraint reads, e.g. {@code y} off a FIN row) proves
 * a true statement and is only counted; each AIR's set of such free cells is pinned.
 */
class SingleCellMutationTest {
  private static final AcceptablePolicy ANY = AcceptablePolicy.insecureAcceptAnythingForTests();
  private static final int D = 2;

  /** A valid trace of an AIR, how to rebuild its auxiliary columns, and the rows to mutate. */
  record Subject(
      String name, Air air, long[] publicInputs, long[][] main, AuxBuilder aux, LogUpSum logUp, int[] rows,
      int[] auxRows, FreeCells free) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The main cells no constraint reads (any value proves the same statement). */
  interface FreeCells {
    boolean isFree(int column, int row);

    FreeCells NONE = (column, row) -> false;
  }

  /** The honest auxiliary columns (interleaved extension elements), given the main trace. */
  interface AuxBuilder {
    long[][] build(long[][] main, long[] challenges, int d);
  }

  /** How a cheating prover closes an AIR's LogUp sum through the auxiliary columns it chooses. */
  interface LogUpSum {
    /** By how much the sum fails to close (zero for an honest trace). */
    long[] imbalance(long[][] main, long[][] aux, long[] challenges, int d);

    /**
     * Adds {@code amount} to the sum through auxiliary column {@code column} at {@code row},
     * carrying it along the running sum so that no running-sum step notices: only the cell's own
     * equation at {@code row} (a helper's, or the running sum's step into {@code row}) breaks.
     */
    void absorb(long[][] aux, int column, int row, long[] amount, int d);
  }

  static Stream<Arguments> subjects() {
    // Decision rows: every family gets row 0, a padding row and the last two rows, and the first row
    // of each operation it has; the sponge (the same in every family) gets its block-end and
    // input-start rows once. Rows are what cost: each is about 35 proofs.
    return Stream.of(fibonacci(), rpoChain(), rangeCheck(),
            decision("logistic regression", CircuitFixtures.linear(6, 11),
                p -> new int[] {1, p.decideRow(), p.decideRow() + 1}),
            decision("neural network", CircuitFixtures.mlp(new int[] {3, 2, 1}, 12),
                p -> new int[] {firstRow(p, DecisionProgram.Op.FIN), firstRow(p, DecisionProgram.Op.ACT)}),
            decision("tree ensemble", CircuitFixtures.trees(4, 2, 2, 13),
                p -> new int[] {firstRow(p, DecisionProgram.Op.LEAF), p.decideRow() + 1}),
            decision("scorecard", CircuitFixtures.scorecard(3, 14),
                p -> new int[] {7, p.inputStart()}))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void everySingleCellChange_evenRebalanced_isRejected(Subject s) throws Exception {
    Air air = s.air();
    int n = air.traceLength();
    ProofOptions options = options(air);
    Prover cheat = Prover.insecureDeterministicForTests(options, 1).insecureSkippingWitnessCheckForTests();
    SplittableRandom rnd = new SplittableRandom(s.name().hashCode());
    long[] oracleChallenges = randomExt(rnd, air.numAuxChallenges());
    Oracle oracle = new Oracle(air, s.publicInputs(), oracleChallenges);
    assertTrue(oracle.satisfied(s.main(), s.aux() == null ? null : s.aux().build(s.main(), oracleChallenges, D)),
        "the unmutated trace must be valid");

    List<String> free = new ArrayList<>();
    List<String> expectedFree = new ArrayList<>();
    List<Mutation> invalid = new ArrayList<>();
    int rebalanced = 0;
    int k = 0;
    // 1. Main cells: every column at every sampled row.
    for (int row : s.rows()) {
      for (int col = 0; col < air.mainWidth(); col++) {
        long[][] main = copy(s.main());
        long value = Goldilocks.add(main[col][row], nonZero(rnd));
        main[col][row] = value;
        Cheat c = honestAux(s);
        if (s.logUp() != null) {
          long[][] aux = s.aux().build(main, oracleChallenges, D);
          if (!isZero(s.logUp().imbalance(main, aux, oracleChallenges, D))) {
            // The cell feeds the LogUp sum: close it through a rotating (column, row), the last row
            // (where issue 20's helpers were free) every other time.
            int[] absorbRows = {n - 1, row, n - 1, n - 2, n - 1, 0};
            c = rebalanced(s, k % air.auxWidth(), absorbRows[k % absorbRows.length]);
            k++;
            rebalanced++;
          }
        }
        String cell = "main[" + col + "][" + row + "]";
        if (s.free().isFree(col, row)) {
          expectedFree.add(cell);
        }
        if (oracle.satisfied(main, c.aux(main, oracleChallenges, D))) {
          free.add(cell);
        } else {
          invalid.add(new Mutation(cell, col, row, value, c));
        }
      }
    }
    // 2. Auxiliary cells: a bare change, and the change closed again through the next column at the
    //    last row (before issue 20's fix two last-row helpers could trade any amount).
    for (int row : s.auxRows()) {
      for (int col = 0; col < air.auxWidth(); col++) {
        long[] delta = randomExt(rnd, 1);
        int fcol = col;
        int frow = row;
        Cheat bare = (m, ch, d) -> {
          long[][] aux = s.aux().build(m, ch, d);
          for (int c = 0; c < d; c++) {
            aux[fcol][frow * d + c] = Goldilocks.add(aux[fcol][frow * d + c], delta[c]);
          }
          return aux;
        };
        int partner = (col + 1) % air.auxWidth();
        Cheat traded = (m, ch, d) -> {
          long[][] aux = s.aux().build(m, ch, d);
          s.logUp().absorb(aux, fcol, frow, delta, d);
          s.logUp().absorb(aux, partner, n - 1, neg(delta), d);
          return aux;
        };
        for (Cheat c : partner == col && row == n - 1 ? List.of(bare) : List.of(bare, traded)) {
          String cell = "aux[" + col + "][" + row + "]" + (c == bare ? "" : " traded with aux[" + partner + "][" + (n - 1) + "]");
          if (oracle.satisfied(s.main(), c.aux(s.main(), oracleChallenges, D))) {
            free.add(cell);
          } else {
            invalid.add(new Mutation(cell, 0, 0, s.main()[0][0], c));
          }
        }
      }
    }
    // 3. Prove every invalid one with the witness check skipped; the verifier must reject each.
    //    Proofs are independent, and on traces this small the prover alone leaves a core idle.
    invalid.parallelStream().forEach(mu -> {
      long[][] main = copy(s.main());
      main[mu.column()][mu.row()] = mu.value();
      assertRejected(s, cheat, main, mu.cheat(), mu.cell());
    });
    System.out.printf("%s: %d rows x %d columns, %d aux rows; %d proofs rejected (%d rebalanced); %d free cells%n",
        s.name(), s.rows().length, air.mainWidth(), s.auxRows().length, invalid.size(), rebalanced, free.size());
    // Exactly the cells the AIR leaves free by design: a cell that became free would be a
    // constraint lost, even though the oracle would call its change harmless.
    assertEquals(expectedFree, free, s.name() + ": free cells");
  }

  private static void assertRejected(Subject s, Prover cheat, long[][] main, Cheat c, String cell) {
    Witness w = new Witness() {
      @Override
      public long[][] mainTrace() {
        return main;
      }

      @Override
      public long[][] auxTrace(long[][] m, long[] challenges, int d) {
        return c.aux(m, challenges, d);
      }
    };
    byte[] proof = cheat.prove(s.air(), s.publicInputs(), w);
    VerificationException e = assertThrows(VerificationException.class,
        () -> Verifier.verify(s.air(), s.publicInputs(), proof, ANY), s.name() + ": changed " + cell + " was accepted");
    assertEquals(VerificationException.Reason.OOD_MISMATCH, e.reason(), cell);
  }

  /** A changed trace: main cell ({@code column}, {@code row}) set to {@code value}, aux by {@code cheat}. */
  record Mutation(String cell, int column, int row, long value, Cheat cheat) {}

  /** The auxiliary columns a cheating prover commits to, given the challenges. */
  interface Cheat {
    long[][] aux(long[][] main, long[] challenges, int d);
  }

  private static Cheat honestAux(Subject s) {
    return (m, ch, d) -> s.aux() == null ? new long[0][] : s.aux().build(m, ch, d);
  }

  private static Cheat rebalanced(Subject s, int column, int row) {
    return (m, ch, d) -> {
      long[][] aux = s.aux().build(m, ch, d);
      s.logUp().absorb(aux, column, row, neg(s.logUp().imbalance(m, aux, ch, d)), d);
      return aux;
    };
  }

  // --- the oracle --------------------------------------------------------------------------------

  /** Every constraint on the rows it must hold on, by the oracle's own rule (see class doc). */
  private static final class Oracle {
    final Air air;
    final int n;
    final ConstraintProgram program;
    final int[] fixedRow; // -1: every row; -2: rows 0..n-2; else the one row
    final long[][] periodic;

    Oracle(Air air, long[] pub, long[] challenges) {
      this.air = air;
      this.n = air.traceLength();
      List<Expr> exprs = new ArrayList<>();
      List<Integer> rows = new ArrayList<>();
      for (Expr e : concat(air.transitionConstraints(), air.everyRowConstraints())) {
        exprs.add(e);
        rows.add(Degrees.usesNextRow(e) ? -2 : -1);
      }
      for (BoundaryConstraint b : air.boundaryConstraints()) {
        exprs.add(b.expr());
        rows.add(b.resolveRow(n));
      }
      program = new ConstraintProgram(exprs, D, pub, challenges);
      fixedRow = rows.stream().mapToInt(Integer::intValue).toArray();
      periodic = air.periodicColumns().toArray(new long[0][]);
    }

    boolean satisfied(long[][] main, long[][] auxInterleaved) {
      long[][] aux = new long[air.auxWidth() * D][n];
      for (int a = 0; a < air.auxWidth(); a++) {
        for (int i = 0; i < n; i++) {
          for (int c = 0; c < D; c++) {
            aux[a * D + c][i] = auxInterleaved[a][i * D + c];
          }
        }
      }
      ConstraintProgram.Workspace ws = program.newWorkspace();
      for (int from = 0; from < n; from += ConstraintProgram.BLOCK) {
        int count = Math.min(ConstraintProgram.BLOCK, n - from);
        program.evaluate(ws, main, aux, periodic, n, from, 1, 1, from, count);
        for (int ci = 0; ci < fixedRow.length; ci++) {
          long[] vals = ws.output(ci);
          int words = program.isExtOutput(ci) ? D : 1;
          for (int k = 0; k < count; k++) {
            int row = from + k;
            boolean applies = fixedRow[ci] == -1 || (fixedRow[ci] == -2 ? row < n - 1 : row == fixedRow[ci]);
            for (int c = 0; applies && c < words; c++) {
              if (vals[k * words + c] != 0) {
                return false;
              }
            }
          }
        }
      }
      return true;
    }
  }

  // --- subjects ----------------------------------------------------------------------------------

  private static Subject fibonacci() {
    int log = 5;
    FibonacciAir air = new FibonacciAir(log);
    long[][] main = FibonacciAir.witness(log).mainTrace();
    return new Subject("fibonacci", air, new long[] {FibonacciAir.result(log)}, main, null, null,
        range(0, 1 << log), new int[0], FreeCells.NONE);
  }

  private static Subject rpoChain() {
    int log = 5;
    RpoChainAir air = new RpoChainAir(log);
    long[] init = RpoChainAir.exampleInitialState();
    long[][] main = air.witness(init).mainTrace();
    return new Subject("rpo-chain", air, air.publicInputs(init), main, null, null,
        new int[] {0, 1, 6, 7, 8, 15, 16, 30, 31}, new int[0], FreeCells.NONE);
  }

  private static Subject rangeCheck() {
    RangeCheckAir air = new RangeCheckAir(RangeCheckAir.LOG_RANGE);
    int n = air.traceLength();
    int values = 100;
    Witness w = air.witness(RangeCheckAir.exampleValues(values, 3));
    LogUpSum sum = new LogUpSum() {
      @Override
      public long[] imbalance(long[][] main, long[][] aux, long[] ch, int d) {
        // S_last + 1/(alpha - v_last) - m_last/(alpha - t_last)
        ExtField f = ext(d);
        long[] alpha = Arrays.copyOf(ch, d);
        int last = n - 1;
        long[] s = Arrays.copyOfRange(aux[0], last * d, last * d + d);
        long[] av = f.sub(alpha, f.fromBase(main[0][last]));
        long[] at = f.sub(alpha, f.fromBase(main[1][last]));
        return f.sub(f.add(s, f.inv(av)), f.mul(f.fromBase(main[2][last]), f.inv(at)));
      }

      @Override
      public void absorb(long[][] aux, int column, int row, long[] amount, int d) {
        addFrom(aux[0], row, amount, d);
      }
    };
    // 2^16 rows (the table's size), about 0.6 s a proof: first rows, the first value-padding row
    // (v = 0), the last two.
    return new Subject("range-check", air, new long[0], w.mainTrace(), w::auxTrace, sum,
        new int[] {0, 1, values, n - 2, n - 1}, new int[] {0, n - 1}, FreeCells.NONE);
  }

  private static Subject decision(String name, FloatModel m, java.util.function.Function<DecisionProgram, int[]> extraRows) {
    double[] bounds = new double[m.numFeatures()];
    Arrays.fill(bounds, 64);
    SecureRandom rnd = seeded(name.hashCode());
    ModelPackage pkg = ModelPackage.create(Quantizer.quantize(m, bounds), name, "test", "00", OptionalDouble.empty(), rnd);
    QuantizedModel q = pkg.model();
    ModelArchitecture a = q.architecture();
    double[] x = CircuitFixtures.input(m.numFeatures(), new SplittableRandom(3));
    long[] xq = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      xq[i] = a.quantizeInput(i, x[i]);
    }
    Policy policy = new Policy(m.link().apply(0.0), Policy.Direction.AT_LEAST);
    long t = policy.circuitThreshold(a);
    boolean decision = FixedPointEvaluator.margin(q, xq) >= t;
    DecisionCircuit circuit = DecisionCircuit.of(a);
    DecisionAir air = (DecisionAir) circuit.air();
    long[] inputSalt = QuantizedModel.newSalt(rnd);
    DecisionStatement st = new DecisionStatement(DecisionStatement.VERSION, circuit.airId(),
        pkg.description().modelCommitment(), Commitments.toHex(QuantizedModel.inputCommitment(xq, inputSalt)),
        policy, t, decision, new Context(1, "0x1111111111111111111111111111111111111111", "p", "n", 0));
    long[][] main = circuit.witness(q, pkg.salt(), xq, inputSalt, t).main();
    int n = circuit.traceLength();
    LogUpSum sum = new LogUpSum() {
      @Override
      public long[] imbalance(long[][] mm, long[][] aux, long[] ch, int d) {
        // The running sum's value after the last row: S(n-1) + sum_h h(n-1).
        long[] total = Arrays.copyOfRange(aux[DecisionAir.SUM], (n - 1) * d, n * d);
        for (int h = 0; h < DecisionAir.NUM_H; h++) {
          for (int c = 0; c < d; c++) {
            total[c] = Goldilocks.add(total[c], aux[DecisionAir.H + h][(n - 1) * d + c]);
          }
        }
        return total;
      }

      @Override
      public void absorb(long[][] aux, int column, int row, long[] amount, int d) {
        if (column == DecisionAir.SUM) {
          addFrom(aux[DecisionAir.SUM], row, amount, d); // a jump into `row`
        } else {
          for (int c = 0; c < d; c++) {
            aux[column][row * d + c] = Goldilocks.add(aux[column][row * d + c], amount[c]);
          }
          addFrom(aux[DecisionAir.SUM], row + 1, amount, d);
        }
      }
    };
    DecisionProgram p = air.program();
    int pad = (Math.max(p.spongeRows(), p.decideRow() + 2) + n) / 2; // no sponge, no computation
    TreeSet<Integer> rows = new TreeSet<>(List.of(0, pad, n - 2, n - 1));
    for (int r : extraRows.apply(p)) {
      rows.add(r);
    }
    return new Subject(name, air, circuit.publicInputs(st, pkg.description()), main, circuit::auxColumns, sum,
        rows.stream().mapToInt(Integer::intValue).toArray(), new int[] {0, n - 2, n - 1},
        (col, row) -> decisionCellIsFree(p, col, row));
  }

  private static int firstRow(DecisionProgram p, DecisionProgram.Op op) {
    for (int i = 0; i < p.rows().size(); i++) {
      if (p.rows().get(i).op() == op) {
        return i;
      }
    }
    throw new IllegalArgumentException("no " + op + " row");
  }

  /**
   * The decision AIR's don't-care cells (docs/decision-circuit.md): a value only the selectors of
   * other operations read, or a LogUp key whose multiplicity on this row is 0.
   */
  private static boolean decisionCellIsFree(DecisionProgram p, int col, int row) {
    java.util.function.IntFunction<DecisionProgram.Op> opAt =
        r -> r >= 0 && r < p.rows().size() ? p.rows().get(r).op() : DecisionProgram.Op.NONE;
    DecisionProgram.Op op = opAt.apply(row);
    DecisionProgram.Op prev = opAt.apply(row - 1); // none before row 0: transitions do not wrap
    var a = p.architecture();
    boolean isData = row < a.numParameters() || (row >= p.inputStart() && row < p.inputStart() + a.numFeatures());
    boolean first = row < p.rows().size() && p.rows().get(row).first();
    var accWriters = java.util.EnumSet.of(DecisionProgram.Op.MAC, DecisionProgram.Op.NODE, DecisionProgram.Op.LEAF, DecisionProgram.Op.DECIDE);
    return switch (col) {
      case DecisionAir.MTAPE -> !isData; // multiplicity of a cell no one may read
      case DecisionAir.V1 -> !java.util.EnumSet.of(DecisionProgram.Op.MAC, DecisionProgram.Op.FIN, DecisionProgram.Op.NODE,
          DecisionProgram.Op.LEAF, DecisionProgram.Op.DECIDE).contains(op);
      case DecisionAir.V2 -> op != DecisionProgram.Op.MAC && op != DecisionProgram.Op.NODE;
      case DecisionAir.V3, DecisionAir.A3 -> op != DecisionProgram.Op.NODE;
      // acc before the row: free unless the previous row wrote it, this row reads it (a first MAC
      // or NODE row restarts from 0), or it is the margin the decision boundary reads.
      case DecisionAir.ACC -> row != p.decideRow() + 1 && !accWriters.contains(prev)
          && (!(accWriters.contains(op) || op == DecisionProgram.Op.FIN)
              || (first && (op == DecisionProgram.Op.MAC || op == DecisionProgram.Op.NODE)));
      case DecisionAir.Y -> op != DecisionProgram.Op.FIN;
      case DecisionAir.NODE -> prev != DecisionProgram.Op.NODE && op != DecisionProgram.Op.NODE && op != DecisionProgram.Op.LEAF;
      case DecisionAir.OUT, DecisionAir.MOUT -> op != DecisionProgram.Op.ACT;
      default -> false;
    };
  }

  // --- helpers -----------------------------------------------------------------------------------

  /** Fast, insecure options at the smallest blowup the AIR's degree admits. */
  private static ProofOptions options(Air air) {
    for (int logBlowup = 1; ; logBlowup++) {
      ProofOptions o = ProofOptions.insecureForTests(HashFunction.BLAKE3_256, FieldExtension.QUADRATIC, logBlowup, 2, 0, 8, 2, false);
      try {
        StarkLayout.of(air, o);
        return o;
      } catch (IllegalArgumentException tooLow) {
        // raise the blowup
      }
    }
  }

  private static void addFrom(long[] col, int row, long[] amount, int d) {
    for (int i = row * d; i < col.length; i += d) {
      for (int c = 0; c < d; c++) {
        col[i + c] = Goldilocks.add(col[i + c], amount[c]);
      }
    }
  }

  private static ExtField ext(int d) {
    return ExtField.of(d == 2 ? FieldExtension.QUADRATIC : FieldExtension.CUBIC);
  }

  private static long[] neg(long[] v) {
    long[] r = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = Goldilocks.neg(v[i]);
    }
    return r;
  }

  private static boolean isZero(long[] v) {
    return Arrays.stream(v).allMatch(x -> x == 0);
  }

  private static long[] randomExt(SplittableRandom r, int count) {
    long[] v = new long[count * D];
    for (int i = 0; i < v.length; i++) {
      v[i] = nonZero(r);
    }
    return v;
  }

  /** A uniform nonzero canonical field element (p > 2^63: compare unsigned). */
  private static long nonZero(SplittableRandom r) {
    while (true) {
      long v = r.nextLong();
      if (v != 0 && Long.compareUnsigned(v, Goldilocks.P) < 0) {
        return v;
      }
    }
  }

  private static long[][] copy(long[][] a) {
    long[][] c = new long[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  private static int[] range(int from, int to) {
    return java.util.stream.IntStream.range(from, to).toArray();
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> r = new ArrayList<>(a);
    r.addAll(b);
    return r;
  }

  private static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
