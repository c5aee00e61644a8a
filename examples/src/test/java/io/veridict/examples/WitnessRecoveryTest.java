package io.veridict.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.air.Air;
import io.veridict.core.air.AirIdentity;
import io.veridict.core.air.BoundaryConstraint;
import io.veridict.core.air.Expr;
import io.veridict.core.air.ExprEvaluator;
import io.veridict.core.field.ExtField;
import io.veridict.core.field.Goldilocks;
import io.veridict.core.proof.ProofCodec;
import io.veridict.core.proof.ProofOptions;
import io.veridict.core.proof.StarkLayout;
import io.veridict.core.proof.StarkProof;
import io.veridict.core.proof.StarkTranscript;
import io.veridict.core.transcript.Transcript;
import io.veridict.prover.Prover;
import io.veridict.prover.Witness;
import io.veridict.prover.internal.MaskSource;
import io.veridict.verifier.AcceptablePolicy;
import io.veridict.verifier.Verifier;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Witness recovery by linear algebra, the attack zero knowledge must stop.
 *
 * <p>A tiny AIR holds a secret constant {@code v} in its one main column ({@code v' = v}, no
 * boundary constraint naming it) and {@code a = gamma v} in its one auxiliary column ({@code gamma}
 * an auxiliary challenge; {@code a - gamma v = 0} on every row, {@code a' = a}). The attacker sees
 * the proof bytes and the public statement only. It replays the Fiat–Shamir transcript exactly as
 * the verifier does, then writes every value the proof opens or lets it derive as a linear
 * equation over {@code F_p} in the unknowns: the {@code h} randomizer coefficients of the main
 * column ({@code T = v + Z_H r}, {@code Z_H = X^n - 1}; {@code interp_H} of a constant column is the
 * constant), the {@code h} of each auxiliary coordinate column ({@code A_c = gamma_c v + Z_H r_c}),
 * and {@code v}:
 *
 * <ul>
 *   <li>the openings {@code T(x_k)}, {@code A_c(x_k)} at the {@code q'} distinct query points;
 *   <li>the OOD frame {@code T(z), T(g z), A(z), A(g z)}: {@code d} base-field equations each;
 *   <li>(system A) the quotient at every query point, {@code Q(x_k) = sum_i x_k^(i n) chunk_i'(x_k)}
 *       (the chunk masks telescope), equated with the verifier's composition formula at {@code x_k}
 *       ({@link Verifier}'s {@code checkOod}, at {@code x_k}); the constraints are linear here, so
 *       this is linear in {@code T(x_k), T(g x_k), A(x_k), A(g x_k)}: the next-row values enter;
 *   <li>(system B, zero knowledge on) instead of the sum, every chunk opening and every OOD chunk
 *       value separately, with the chunk masks as further unknowns (here {@code deg Q <= h < n}, so
 *       {@code chunk_0 = Q} and the other chunks are 0 before masking).
 * </ul>
 *
 * The secret is recovered iff the unit vector of {@code v} lies in the row space. Without zero
 * knowledge it does (from the main column alone, and from the auxiliary column alone). With zero
 * knowledge it does not, and the system has full row rank. Each column's randomizer sees exactly
 * {@code |{x_k} u {g x_k}| + 2d = 2q' + 2d} independent evaluations (typically), more than the old
 * {@code h = q + 2d} and at most the new {@code h}; on the same transcript points a prover with the
 * old {@code h} would have leaked {@code v} (simulated below, since the fixed prover cannot make
 * such a proof). A seeded prover's masks let the test check every equation against the true
 * unknowns, so the system is known to be exactly what the proof says.
 */
class WitnessRecoveryTest {

  // --- The AIR -----------------------------------------------------------------------------------

  /** One secret constant main column, one auxiliary column {@code gamma v}. */
  static final class SecretConstantAir implements Air {
    private final int log;

    SecretConstantAir(int log) {
      this.log = log;
    }

    @Override
    public String name() {
      return "witness-recovery/secret-constant";
    }

    @Override
    public int logTraceLength() {
      return log;
    }

    @Override
    public int mainWidth() {
      return 1;
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

    @Override
    public List<Expr> transitionConstraints() {
      return List.of(Expr.mainNext(0).minus(Expr.main(0)), Expr.auxNext(0).minus(Expr.aux(0)));
    }

    @Override
    public List<Expr> everyRowConstraints() {
      return List.of(Expr.aux(0).minus(Expr.challenge(0).times(Expr.main(0))));
    }

    @Override
    public List<BoundaryConstraint> boundaryConstraints() {
      return List.of();
    }

    Witness witness(long v) {
      int n = 1 << log;
      long[] col = new long[n];
      Arrays.fill(col, v);
      return new Witness() {
        @Override
        public long[][] mainTrace() {
          return new long[][] {col};
        }

        @Override
        public long[][] auxTrace(long[][] main, long[] challenges, int d) {
          long[] a = new long[n * d];
          for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
              a[i * d + c] = Goldilocks.mul(challenges[c], main[0][i]);
            }
          }
          return new long[][] {a};
        }
      };
    }
  }

  private static final long[] NO_PUBLIC_INPUTS = new long[0];

  static Stream<Arguments> configs() {
    return Stream.of(Arguments.of(9, 8), Arguments.of(12, 8), Arguments.of(9, 4));
  }

  private static ProofOptions options(int arity, boolean zk) {
    ProofOptions o = ProofOptions.standard().withFoldingArity(arity);
    return zk ? o : o.withoutZeroKnowledgeForBenchmarks();
  }

  /** A uniform canonical field element. */
  static long randomField(SplittableRandom r) {
    while (true) {
      long x = r.nextLong();
      if (Goldilocks.isCanonical(x)) {
        return x;
      }
    }
  }

  private static long secret(long seed) {
    return Goldilocks.fromUnsigned(new SplittableRandom(seed).nextLong());
  }

  /** Proves, verifies (it is a real, accepted proof) and returns the bytes the attacker sees. */
  private static byte[] proveAndVerify(Prover prover, SecretConstantAir air, long v) throws Exception {
    byte[] bytes = prover.prove(air, NO_PUBLIC_INPUTS, air.witness(v));
    Verifier.verify(air, NO_PUBLIC_INPUTS, bytes, AcceptablePolicy.standard());
    return bytes;
  }

  // --- The attack --------------------------------------------------------------------------------

  @ParameterizedTest(name = "ZK off, 2^{0} rows, FRI arity {1}: v recovered from main and from aux")
  @MethodSource("configs")
  void zkOff_secretRecovered_fromTheMainColumn_andFromTheAuxColumn(int log, int arity) throws Exception {
    long t0 = System.nanoTime();
    SecretConstantAir air = new SecretConstantAir(log);
    long v = secret(log * 31L + arity);
    byte[] bytes = proveAndVerify(Prover.create(options(arity, false)), air, v);

    Attack at = new Attack(air, bytes);
    assertEquals(0, at.lay.randomizerCount, "no randomizers without zero knowledge");
    Unknowns u = new Unknowns(0, at.d, 0);
    EquationSystem sys = at.systemA(u, at.observed());
    Rref all = Rref.of(sys.rows, u.count);
    assertTrue(all.consistent, "the proof's own values are consistent");
    assertEquals(Math.min(sys.rank(), u.count), all.rank);
    assertEquals(1, all.rank, "rank = #unknowns = 1");
    assertEquals(Long.valueOf(v), all.solvedValue(u.v()), "v recovered from the whole system");

    Rref mainOnly = Rref.of(sys.rowsTagged("main-open", "main-ood"), u.count);
    Rref auxOnly = Rref.of(sys.rowsTagged("aux-open", "aux-ood"), u.count);
    assertEquals(Long.valueOf(v), mainOnly.solvedValue(u.v()), "v recovered from the main column alone");
    assertEquals(Long.valueOf(v), auxOnly.solvedValue(u.v()), "v recovered from the auxiliary column alone");
    System.out.printf(
        "[witness-recovery] ZK off 2^%d arity %d: h=0, q'=%d, %d equations (main %d, aux %d, comp %d) in %d unknown,"
            + " rank %d: v RECOVERED (main-only and aux-only too) [%.0f ms]%n",
        log, arity, at.qPrime, sys.rows.size(), sys.count("main-open", "main-ood"), sys.count("aux-open", "aux-ood"),
        sys.count("comp"), u.count, all.rank, (System.nanoTime() - t0) / 1e6);
  }

  @ParameterizedTest(name = "ZK on, 2^{0} rows, FRI arity {1}: v outside the row space")
  @MethodSource("configs")
  void zkOn_secretIsNotDetermined_andTheCountIsTwoQPlusTwoD(int log, int arity) throws Exception {
    long t0 = System.nanoTime();
    SecretConstantAir air = new SecretConstantAir(log);
    long v = secret(log * 17L + arity);
    byte[] bytes = proveAndVerify(Prover.create(options(arity, true)), air, v);
    System.out.println(analyseZkOn(new Attack(air, bytes), v, "") + String.format(" [%.0f ms]", (System.nanoTime() - t0) / 1e6));
  }

  /**
   * A seeded proof whose query set happens to contain some {@code g x_k} (seed found by search):
   * the redundancy of {@code Q(x_k)} there is exercised deterministically, not only by chance.
   */
  @Test
  void zkOn_withANextRowPointAmongTheQueries() throws Exception {
    SecretConstantAir air = new SecretConstantAir(9);
    long v = 12345;
    byte[] bytes = proveAndVerify(Prover.insecureDeterministicForTests(options(8, true), 1), air, v);
    Attack at = new Attack(air, bytes);
    assertEquals(1, 2 * at.qPrime - at.distinctPointsWithNextRow(), "this seed's queries contain one g x_k");
    System.out.println(analyseZkOn(at, v, " (seeded, 1 g x_k among the queries)"));
  }

  /** Every ZK-on assertion on one proof; returns the summary line. */
  private static String analyseZkOn(Attack at, long v, String note) {
    int log = at.lay.logTraceLength;
    int arity = at.o.foldingArity();
    int h = at.lay.randomizerCount;
    int d = at.d;
    int q = at.o.numQueries();
    assertTrue(h >= StarkLayout.minimumRandomizers(at.o), "h >= 2q + 2d");
    assertEquals(2, at.lay.numQuotientChunks);

    // Where g x_k is itself a query point x_j, Q(x_k) follows from the openings at x_k and x_j:
    // its d equations are redundant. In system B the OOD chunk values also satisfy the verifier's
    // OOD check, d more redundant equations. Everything else is independent: full rank otherwise.
    int points = at.distinctPointsWithNextRow();
    int collisions = 2 * at.qPrime - points;

    // System A: openings, OOD frame, Q(x_k) = composition formula at x_k.
    Unknowns ua = new Unknowns(h, d, 0);
    EquationSystem a = at.systemA(ua, at.observed());
    Rref ra = Rref.of(a.rows, ua.count);
    assertTrue(ra.consistent);
    assertNull(ra.solvedValue(ua.v()), "ZK on: v must not be determined by system A");
    assertTrue(a.rows.size() < ua.count, "fewer equations than unknowns");
    assertEquals(a.rows.size() - d * collisions, ra.rank, "system A: every non-redundant equation independent");

    // System B: every chunk opening and OOD chunk value, the chunk masks as unknowns.
    Unknowns ub = new Unknowns(h, d, (at.lay.numQuotientChunks - 1) * d);
    EquationSystem b = at.systemB(ub, at.observed());
    Rref rb = Rref.of(b.rows, ub.count);
    assertTrue(rb.consistent);
    assertNull(rb.solvedValue(ub.v()), "ZK on: v must not be determined by system B");
    assertTrue(b.rows.size() < ub.count, "fewer equations than unknowns");
    assertEquals(b.rows.size() - d * collisions - d, rb.rank, "system B: every non-redundant equation independent");
    // Main-only and aux-only subsystems do not determine v either.
    assertNull(Rref.of(a.rowsTagged("main-open", "main-ood"), ua.count).solvedValue(ua.v()));
    assertNull(Rref.of(a.rowsTagged("aux-open", "aux-ood"), ua.count).solvedValue(ua.v()));

    // Per column: the evaluations of its randomizer the proof exposes (openings at x_k, derived
    // next-row values at g x_k, the OOD frame) are |X u gX| + 2d independent functionals.
    int expected = points + 2 * d;
    int mainRank = a.projectedRank(ua.rMainRange());
    assertEquals(expected, mainRank, "independent evaluations of the main column's randomizer");
    for (int c = 0; c < d; c++) {
      assertEquals(expected, a.projectedRank(ua.rAuxRange(c)), "aux coordinate " + c);
    }
    int oldH = q + 2 * d;
    assertTrue(expected > oldH, "the proof exposes " + expected + " evaluations per column, more than the old h = " + oldH);
    assertTrue(expected <= h, expected + " evaluations per column must not exceed h = " + h);
    if (points == 2 * at.qPrime) {
      assertEquals(2 * at.qPrime + 2 * d, mainRank);
    }

    // The old randomizer count, on these same transcript points: a simulated witness with
    // h_old = q + 2d randomizers per column leaks v to the same linear algebra.
    Simulation old = at.simulate(oldH, v, 4242);
    assertEquals(Long.valueOf(v), old.recovered, "with h_old = q + 2d = " + oldH + " the secret would leak");
    // Smallest h for which this system stops determining v (the per-column count is a union
    // bound: it is sufficient, not always necessary).
    int threshold = -1;
    for (int hs = 0; hs <= h; hs++) {
      if (at.simulate(hs, v, 99 + hs).recovered == null) {
        threshold = hs;
        break;
      }
    }
    assertTrue(threshold > 0 && threshold <= h, "some h <= the layout's hides v");
    assertNull(at.simulate(h, v, 7).recovered);

    return String.format(
        "[witness-recovery] ZK on  2^%d arity %d%s: h=%d (min 2q+2d=%d), q=%d, q'=%d, |X u gX|=%d (%d g x_k queried)."
            + " A: %d eqs (main-open %d, main-ood %d, aux-open %d, aux-ood %d, comp %d) / %d unknowns, rank %d;"
            + " B: %d eqs / %d unknowns, rank %d; v NOT determined. Per column: %d independent evaluations"
            + " (old h=%d < %d <= h=%d). Simulated old h=%d: v RECOVERED; least hiding h for this system: %d",
        log, arity, note, h, StarkLayout.minimumRandomizers(at.o), q, at.qPrime, points, collisions,
        a.rows.size(), a.count("main-open"), a.count("main-ood"), a.count("aux-open"), a.count("aux-ood"), a.count("comp"),
        ua.count, ra.rank, b.rows.size(), ub.count, rb.rank, expected, oldH, expected, h, oldH, threshold);
  }

  /**
   * The attacker's equations are the proof's: with a seeded prover the test knows every mask, and
   * each equation of systems A and B holds for the true unknowns (so nothing above is an artefact of
   * a mis-modelled equation, e.g. a sign or an index).
   */
  @ParameterizedTest(name = "faithful: 2^{0} rows, FRI arity {1}")
  @MethodSource("configs")
  void theEquationsHoldForTheTrueUnknowns(int log, int arity) throws Exception {
    SecretConstantAir air = new SecretConstantAir(log);
    long v = secret(log * 5L + arity);
    long seed = 20260 + log;
    ProofOptions o = options(arity, true);
    byte[] bytes = proveAndVerify(Prover.insecureDeterministicForTests(o, seed), air, v);
    Attack at = new Attack(air, bytes);
    int h = at.lay.randomizerCount;
    int d = at.d;
    int m = at.lay.numQuotientChunks;
    Unknowns u = new Unknowns(h, d, (m - 1) * d);
    long[] truth = new long[u.count];
    MaskSource trace = MaskSource.insecureSeeded(seed, "trace-randomizer");
    long[] r = new long[h];
    trace.fill(r, 0, h);
    System.arraycopy(r, 0, truth, u.rMain(0), h);
    MaskSource aux = MaskSource.insecureSeeded(seed, "aux-randomizer");
    for (int c = 0; c < d; c++) {
      aux.fill(r, 0, h);
      System.arraycopy(r, 0, truth, u.rAux(c, 0), h);
    }
    MaskSource qm = MaskSource.insecureSeeded(seed, "quotient-mask");
    for (int k = 0; k < (m - 1) * d; k++) {
      qm.fill(r, 0, h);
      System.arraycopy(r, 0, truth, u.mask(k, 0), h);
    }
    truth[u.v()] = v;
    EquationSystem a = at.systemA(new Unknowns(h, d, 0), at.observed());
    long[] truthA = Arrays.copyOf(truth, u.rAux(d - 1, h));
    truthA = Arrays.copyOf(truthA, truthA.length + 1);
    truthA[truthA.length - 1] = v;
    assertEquals(0, a.violated(truthA), "system A holds for the true unknowns");
    EquationSystem b = at.systemB(u, at.observed());
    assertEquals(0, b.violated(truth), "system B holds for the true unknowns");
    // And a wrong secret (with the same masks) violates it: the equations do involve v.
    long[] wrong = truth.clone();
    wrong[u.v()] = Goldilocks.add(v, 1);
    assertTrue(b.violated(wrong) > 0);
  }

  // --- Gaussian elimination, checked against BigInteger --------------------------------------------

  @Test
  void goldilocksEliminationMatchesABigIntegerOracle() {
    SplittableRandom rnd = new SplittableRandom(1234);
    long[] special = {0, 1, 2, Goldilocks.P - 1, Goldilocks.P - 2, 0xFFFF_FFFFL, 0x1_0000_0000L, Goldilocks.P >>> 1};
    for (int trial = 0; trial < 300; trial++) {
      int rows = 1 + rnd.nextInt(12);
      int cols = 1 + rnd.nextInt(12);
      List<long[]> sys = new ArrayList<>();
      for (int i = 0; i < rows; i++) {
        long[] row = new long[cols + 1];
        int kind = rnd.nextInt(5);
        if (kind == 0 && i >= 2) {
          // A combination of two earlier rows (rank deficiency), rhs included.
          long s = randomField(rnd);
          long t = randomField(rnd);
          for (int j = 0; j <= cols; j++) {
            row[j] = Goldilocks.add(Goldilocks.mul(s, sys.get(0)[j]), Goldilocks.mul(t, sys.get(i - 1)[j]));
          }
        } else {
          for (int j = 0; j <= cols; j++) {
            int e = rnd.nextInt(4);
            row[j] = e == 0 ? 0 : e == 1 ? special[rnd.nextInt(special.length)] : randomField(rnd);
          }
        }
        sys.add(row);
      }
      Rref g = Rref.of(sys, cols);
      BigInteger[][] o = bigRref(sys, cols);
      int oracleRank = 0;
      for (BigInteger[] row : o) {
        boolean nz = false;
        for (int j = 0; j < cols; j++) {
          nz |= row[j].signum() != 0;
        }
        oracleRank += nz ? 1 : 0;
      }
      assertEquals(oracleRank, g.rank, "rank, trial " + trial);
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j <= cols; j++) {
          assertEquals(o[i][j].longValue(), g.m[i][j], "RREF entry (" + i + "," + j + "), trial " + trial);
        }
      }
      // Solutions agree too: a unit vector is in the row space iff the oracle says so.
      for (int j = 0; j < cols; j++) {
        Long s = g.solvedValue(j);
        Long so = bigSolved(o, cols, j);
        assertEquals(so, s, "determined value of unknown " + j + ", trial " + trial);
      }
    }
  }

  private static final BigInteger BP = new BigInteger(Long.toUnsignedString(Goldilocks.P));

  private static BigInteger big(long x) {
    return new BigInteger(Long.toUnsignedString(x));
  }

  /** The same reduced row echelon form (same pivot rule), over BigInteger mod p. */
  private static BigInteger[][] bigRref(List<long[]> sys, int cols) {
    int rows = sys.size();
    BigInteger[][] m = new BigInteger[rows][cols + 1];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j <= cols; j++) {
        m[i][j] = big(sys.get(i)[j]);
      }
    }
    int r = 0;
    for (int c = 0; c < cols && r < rows; c++) {
      int p = -1;
      for (int i = r; i < rows; i++) {
        if (m[i][c].signum() != 0) {
          p = i;
          break;
        }
      }
      if (p < 0) {
        continue;
      }
      BigInteger[] tmp = m[r];
      m[r] = m[p];
      m[p] = tmp;
      BigInteger inv = m[r][c].modInverse(BP);
      for (int j = 0; j <= cols; j++) {
        m[r][j] = m[r][j].multiply(inv).mod(BP);
      }
      for (int i = 0; i < rows; i++) {
        if (i != r && m[i][c].signum() != 0) {
          BigInteger fct = m[i][c];
          for (int j = 0; j <= cols; j++) {
            m[i][j] = m[i][j].subtract(fct.multiply(m[r][j])).mod(BP);
          }
        }
      }
      r++;
    }
    return m;
  }

  private static Long bigSolved(BigInteger[][] m, int cols, int j) {
    for (BigInteger[] row : m) {
      int lead = -1;
      for (int k = 0; k < cols; k++) {
        if (row[k].signum() != 0) {
          lead = k;
          break;
        }
      }
      if (lead == j) {
        for (int k = j + 1; k < cols; k++) {
          if (row[k].signum() != 0) {
            return null;
          }
        }
        return row[cols].longValue();
      }
    }
    return null;
  }

  // --- Linear algebra over Goldilocks --------------------------------------------------------------

  /** Reduced row echelon form of an augmented system (rows of {@code cols} coefficients + rhs). */
  static final class Rref {
    final long[][] m;
    final int cols;
    final int rank;
    final boolean consistent;

    private Rref(long[][] m, int cols, int rank, boolean consistent) {
      this.m = m;
      this.cols = cols;
      this.rank = rank;
      this.consistent = consistent;
    }

    static Rref of(List<long[]> rowsIn, int cols) {
      long[][] m = new long[rowsIn.size()][];
      for (int i = 0; i < m.length; i++) {
        m[i] = rowsIn.get(i).clone();
      }
      int r = 0;
      for (int c = 0; c < cols && r < m.length; c++) {
        int p = -1;
        for (int i = r; i < m.length; i++) {
          if (m[i][c] != 0) {
            p = i;
            break;
          }
        }
        if (p < 0) {
          continue;
        }
        long[] tmp = m[r];
        m[r] = m[p];
        m[p] = tmp;
        long inv = Goldilocks.inv(m[r][c]);
        for (int j = c; j <= cols; j++) {
          m[r][j] = Goldilocks.mul(m[r][j], inv);
        }
        for (int i = 0; i < m.length; i++) {
          if (i != r && m[i][c] != 0) {
            long fct = m[i][c];
            long[] row = m[i];
            long[] piv = m[r];
            for (int j = c; j <= cols; j++) {
              if (piv[j] != 0) {
                row[j] = Goldilocks.sub(row[j], Goldilocks.mul(fct, piv[j]));
              }
            }
          }
        }
        r++;
      }
      boolean ok = true;
      for (int i = r; i < m.length; i++) {
        ok &= m[i][cols] == 0;
      }
      return new Rref(m, cols, r, ok);
    }

    /**
     * The value of unknown {@code j} if the system determines it (its unit vector is in the row
     * space: a row with its pivot at {@code j} and no other non-zero coefficient), else null.
     */
    Long solvedValue(int j) {
      for (int i = 0; i < rank; i++) {
        long[] row = m[i];
        int lead = -1;
        for (int k = 0; k < cols; k++) {
          if (row[k] != 0) {
            lead = k;
            break;
          }
        }
        if (lead == j) {
          for (int k = j + 1; k < cols; k++) {
            if (row[k] != 0) {
              return null;
            }
          }
          return row[cols];
        }
      }
      return null;
    }
  }

  /** Unknown indices: main randomizer, aux coordinate randomizers, chunk masks, then v last. */
  static final class Unknowns {
    final int h;
    final int d;
    final int masks;
    final int count;

    Unknowns(int h, int d, int masks) {
      this.h = h;
      this.d = d;
      this.masks = masks;
      this.count = h + d * h + masks * h + 1;
    }

    int h() {
      return h;
    }

    int masks() {
      return masks;
    }

    int rMain(int j) {
      return j;
    }

    int rAux(int c, int j) {
      return h + c * h + j;
    }

    int mask(int k, int j) {
      return h + d * h + k * h + j;
    }

    int v() {
      return count - 1;
    }

    int[] rMainRange() {
      return range(0, h);
    }

    int[] rAuxRange(int c) {
      return range(rAux(c, 0), rAux(c, 0) + h);
    }

    private static int[] range(int from, int to) {
      int[] r = new int[to - from];
      for (int i = 0; i < r.length; i++) {
        r[i] = from + i;
      }
      return r;
    }
  }

  /** An affine form in the base-field unknowns with extension coefficients. */
  static final class Lin {
    final ExtField f;
    final int d;
    final int nu;
    final long[] a; // (nu + 1) * d; entry nu is the constant

    Lin(ExtField f, int nu) {
      this.f = f;
      this.d = f.degree();
      this.nu = nu;
      this.a = new long[(nu + 1) * d];
    }

    void add(int u, long[] e) {
      f.add(a, u * d, e, 0, a, u * d);
    }

    void addConstant(long[] e) {
      add(nu, e);
    }

    /** {@code this + s * o}. */
    Lin plusScaled(Lin o, long[] s) {
      Lin r = new Lin(f, nu);
      long[] t = new long[d];
      for (int u = 0; u <= nu; u++) {
        f.mul(o.a, u * d, s, 0, t, 0);
        f.add(a, u * d, t, 0, r.a, u * d);
      }
      return r;
    }

    /** The base-field form of coordinate {@code c} (embedded in the extension). */
    Lin coordinate(int c) {
      Lin r = new Lin(f, nu);
      for (int u = 0; u <= nu; u++) {
        r.a[u * d] = a[u * d + c];
      }
      return r;
    }

    boolean isBase() {
      for (int u = 0; u <= nu; u++) {
        for (int c = 1; c < d; c++) {
          if (a[u * d + c] != 0) {
            return false;
          }
        }
      }
      return true;
    }
  }

  /** Base-field equations, tagged by where they come from. */
  static final class EquationSystem {
    final int nu;
    final List<long[]> rows = new ArrayList<>();
    final List<String> tags = new ArrayList<>();

    EquationSystem(int nu) {
      this.nu = nu;
    }

    /** Coordinates {@code coords} of {@code form = value}. */
    void emit(Lin form, long[] value, int coords, String tag) {
      for (int c = 0; c < coords; c++) {
        long[] row = new long[nu + 1];
        for (int u = 0; u < nu; u++) {
          row[u] = form.a[u * form.d + c];
        }
        row[nu] = Goldilocks.sub(value[c], form.a[nu * form.d + c]);
        rows.add(row);
        tags.add(tag);
      }
    }

    List<long[]> rowsTagged(String... wanted) {
      List<String> w = List.of(wanted);
      List<long[]> out = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        if (w.contains(tags.get(i))) {
          out.add(rows.get(i));
        }
      }
      return out;
    }

    int count(String... wanted) {
      return rowsTagged(wanted).size();
    }

    int rank() {
      return Rref.of(rows, nu).rank;
    }

    /** Rank of the system restricted to the unknowns {@code cols}. */
    int projectedRank(int[] cols) {
      List<long[]> proj = new ArrayList<>();
      for (long[] row : rows) {
        long[] p = new long[cols.length + 1];
        for (int i = 0; i < cols.length; i++) {
          p[i] = row[cols[i]];
        }
        proj.add(p);
      }
      return Rref.of(proj, cols.length).rank;
    }

    /** Equations {@code x} does not satisfy. */
    int violated(long[] x) {
      int bad = 0;
      for (long[] row : rows) {
        long s = 0;
        for (int u = 0; u < nu; u++) {
          s = Goldilocks.add(s, Goldilocks.mul(row[u], x[u]));
        }
        bad += s == row[nu] ? 0 : 1;
      }
      return bad;
    }
  }

  /** What the proof shows the attacker (or a simulation of it). */
  record Observed(
      long[] mainAt, // q' base values T(x_k)
      long[][] auxAt, // q' x d coordinates A_c(x_k)
      long[][][] chunksAt, // q' x m x d: chunk_i'(x_k)
      long[] oodMain,
      long[] oodMainNext,
      long[] oodAux,
      long[] oodAuxNext,
      long[][] oodChunks) {}

  record Simulation(Long recovered, int equations, int unknowns, int rank) {}

  /** The attacker: the proof bytes and the public statement, nothing else. */
  static final class Attack {
    final SecretConstantAir air;
    final StarkProof p;
    final ProofOptions o;
    final StarkLayout lay;
    final ExtField f;
    final int d;
    final int n;
    final long g;
    final long[] gamma;
    final long[] alphas;
    final long[] z;
    final long[] gz;
    final int[] positions;
    final long[] xs;
    final int qPrime;
    final long[] u; // the extension generator: A = sum_c u^c A_c

    Attack(SecretConstantAir air, byte[] bytes) throws Exception {
      this.air = air;
      p = ProofCodec.decode(bytes);
      o = p.options();
      lay = StarkLayout.of(air, o);
      f = ExtField.of(o.extension());
      d = f.degree();
      n = lay.traceLength;
      g = Goldilocks.rootOfUnity(lay.logTraceLength);
      // The verifier's transcript, step by step.
      Transcript t =
          StarkTranscript.begin(o, lay.logTraceLength, lay.mainWidth, lay.auxWidth, AirIdentity.of(air), NO_PUBLIC_INPUTS);
      t.absorbLongs("main-root", p.mainRoot());
      gamma = t.challengeExtVector("aux-challenges", o.extension(), air.numAuxChallenges());
      t.absorbLongs("aux-root", p.auxRoot());
      alphas = t.challengeExtVector("composition-coeffs", o.extension(), lay.numConstraints());
      t.absorbLongs("composition-root", p.compositionRoot());
      z = StarkTranscript.drawOodPoint(t, o.extension());
      gz = f.mulBase(z, g);
      t.absorbLongs("ood-main-current", p.oodMainCurrent());
      t.absorbLongs("ood-main-next", p.oodMainNext());
      t.absorbLongs("ood-aux-current", p.oodAuxCurrent());
      t.absorbLongs("ood-aux-next", p.oodAuxNext());
      t.absorbLongs("ood-quotient-chunks", p.oodQuotientChunks());
      int numDeep = 2 * lay.mainWidth + 2 * lay.auxWidth + lay.numQuotientChunks;
      t.challengeExtVector("deep-coeffs", o.extension(), numDeep);
      for (int layer = 0; layer < lay.numFriLayers; layer++) {
        t.absorbLongs("fri-root", p.friRoots().get(layer));
        t.challengeExt("fri-beta", o.extension());
      }
      t.absorbLongs("fri-final", p.finalPolynomial());
      StarkTranscript.powSeed(t);
      t.absorbInt("pow-nonce", p.powNonce());
      positions =
          Arrays.stream(t.challengeIndices("query-positions", o.numQueries(), lay.logLdeSize)).distinct().sorted().toArray();
      qPrime = positions.length;
      assertEquals(qPrime, p.mainOpening().leafCount(), "replayed query positions match the opening");
      long wN = Goldilocks.rootOfUnity(lay.logLdeSize);
      xs = new long[qPrime];
      for (int k = 0; k < qPrime; k++) {
        xs[k] = Goldilocks.mul(Goldilocks.GENERATOR, Goldilocks.exp(wN, positions[k]));
      }
      u = new long[d];
      u[1] = 1;
      // The replay is right: the OOD check holds with these challenges.
      Observed obs = observed();
      long[] q = composition(z, obs.oodMain, obs.oodMainNext, obs.oodAux, obs.oodAuxNext);
      long[] fromChunks = f.zero();
      long[] zn = f.exp(z, n);
      long[] zp = f.one();
      for (int i = 0; i < lay.numQuotientChunks; i++) {
        fromChunks = f.add(fromChunks, f.mul(zp, obs.oodChunks[i]));
        zp = f.mul(zp, zn);
      }
      assertArrayEquals(fromChunks, q, "replayed challenges reproduce the verifier's OOD check");
    }

    Observed observed() {
      int m = lay.numQuotientChunks;
      int cw = lay.compositionWidth;
      long[] mainAt = new long[qPrime];
      long[][] auxAt = new long[qPrime][d];
      long[][][] chunks = new long[qPrime][m][];
      for (int k = 0; k < qPrime; k++) {
        mainAt[k] = p.mainOpening().values()[k * lay.mainWidth];
        auxAt[k] = Arrays.copyOfRange(p.auxOpening().values(), k * lay.auxCoordWidth, k * lay.auxCoordWidth + d);
        for (int i = 0; i < m; i++) {
          chunks[k][i] = Arrays.copyOfRange(p.compositionOpening().values(), k * cw + i * d, k * cw + i * d + d);
        }
      }
      long[][] oodChunks = new long[m][];
      for (int i = 0; i < m; i++) {
        oodChunks[i] = Arrays.copyOfRange(p.oodQuotientChunks(), i * d, i * d + d);
      }
      return new Observed(mainAt, auxAt, chunks, p.oodMainCurrent(), p.oodMainNext(), p.oodAuxCurrent(),
          p.oodAuxNext(), oodChunks);
    }

    /** Query points x_k together with g x_k, counted once each (g x_k may itself be queried). */
    int distinctPointsWithNextRow() {
      TreeSet<Integer> s = new TreeSet<>();
      int step = lay.ldeSize / n; // g = w_N^(N/n)
      for (int pos : positions) {
        s.add(pos);
        s.add((pos + step) % lay.ldeSize);
      }
      return s.size();
    }

    // The verifier's composition formula (as in Verifier.checkOod) at an arbitrary point x.
    long[] composition(long[] x, long[] tc, long[] tn, long[] ac, long[] an) {
      long[][] ch = {Arrays.copyOf(gamma, d)};
      ExprEvaluator ev = new ExprEvaluator(f, new long[][] {tc}, new long[][] {tn}, new long[][] {ac},
          new long[][] {an}, new long[0][], NO_PUBLIC_INPUTS, ch);
      List<Expr> tr = air.transitionConstraints();
      List<Expr> er = air.everyRowConstraints();
      long[] tSum = f.zero();
      for (int i = 0; i < tr.size(); i++) {
        tSum = f.add(tSum, f.mul(el(alphas, i), ev.evaluate(tr.get(i))));
      }
      long[] rSum = f.zero();
      for (int i = 0; i < er.size(); i++) {
        rSum = f.add(rSum, f.mul(el(alphas, tr.size() + i), ev.evaluate(er.get(i))));
      }
      long[] xn1 = f.sub(f.exp(x, n), f.one());
      long[] xLast = f.sub(x, f.fromBase(Goldilocks.exp(g, n - 1)));
      assertTrue(air.boundaryConstraints().isEmpty() && air.periodicColumns().isEmpty());
      return f.mul(f.add(f.mul(tSum, xLast), rSum), f.inv(xn1));
    }

    private long[] el(long[] v, int i) {
      return Arrays.copyOfRange(v, i * d, i * d + d);
    }

    /**
     * The composition formula at {@code x} as an affine form in the unknowns, by probing: it is
     * affine in the base coordinates of its four inputs (checked at a random point).
     */
    Lin compositionForm(long[] x, Lin tc, Lin tn, Lin ac, Lin an) {
      Lin[] in = {tc, tn, ac, an};
      long[][] zero = new long[4][d];
      long[] f0 = composition(x, zero[0], zero[1], zero[2], zero[3]);
      Lin out = new Lin(f, tc.nu);
      out.addConstant(f0);
      long[][] slope = new long[4 * d][];
      for (int k = 0; k < 4; k++) {
        for (int c = 0; c < d; c++) {
          long[][] probe = new long[4][d];
          probe[k][c] = 1;
          slope[k * d + c] = f.sub(composition(x, probe[0], probe[1], probe[2], probe[3]), f0);
          out = out.plusScaled(in[k].coordinate(c), slope[k * d + c]);
        }
      }
      SplittableRandom r = new SplittableRandom(x[0] ^ 0x5eed);
      long[][] y = new long[4][d];
      long[] model = f0.clone();
      for (int k = 0; k < 4; k++) {
        for (int c = 0; c < d; c++) {
          y[k][c] = randomField(r);
          model = f.add(model, f.mulBase(slope[k * d + c], y[k][c]));
        }
      }
      assertArrayEquals(model, composition(x, y[0], y[1], y[2], y[3]), "the composition is affine in the frame");
      return out;
    }

    /** {@code T(x) = v + Z_H(x) r(x)}. */
    Lin traceAt(Unknowns un, long[] x) {
      Lin l = new Lin(f, un.count);
      l.add(un.v(), f.one());
      long[] pw = f.sub(f.exp(x, n), f.one());
      for (int j = 0; j < un.h(); j++) {
        l.add(un.rMain(j), pw);
        pw = f.mul(pw, x);
      }
      return l;
    }

    /** {@code A_c(x) = gamma_c v + Z_H(x) r_c(x)}. */
    Lin auxCoordAt(Unknowns un, int c, long[] x) {
      Lin l = new Lin(f, un.count);
      l.add(un.v(), f.fromBase(gamma[c]));
      long[] pw = f.sub(f.exp(x, n), f.one());
      for (int j = 0; j < un.h(); j++) {
        l.add(un.rAux(c, j), pw);
        pw = f.mul(pw, x);
      }
      return l;
    }

    /** {@code A(x) = sum_c u^c A_c(x)}. */
    Lin auxAt(Unknowns un, long[] x) {
      Lin l = new Lin(f, un.count);
      long[] uc = f.one();
      for (int c = 0; c < d; c++) {
        l = l.plusScaled(auxCoordAt(un, c, x), uc);
        uc = f.mul(uc, u);
      }
      return l;
    }

    /** {@code sum_c u^c (s * X^n r_{k,c}(x))} for chunk mask {@code k}, scaled by {@code s(x)}. */
    Lin maskAt(Unknowns un, int k, long[] x, boolean timesXn, int coord) {
      Lin l = new Lin(f, un.count);
      long[] pw = timesXn ? f.exp(x, n) : f.one();
      for (int j = 0; j < un.h(); j++) {
        l.add(un.mask(k * d + coord, j), pw);
        pw = f.mul(pw, x);
      }
      return l;
    }

    private void openingsAndOod(EquationSystem s, Unknowns un, Observed ob) {
      for (int k = 0; k < qPrime; k++) {
        long[] x = f.fromBase(xs[k]);
        Lin t = traceAt(un, x);
        assertTrue(t.isBase());
        s.emit(t, f.fromBase(ob.mainAt[k]), 1, "main-open");
        for (int c = 0; c < d; c++) {
          Lin a = auxCoordAt(un, c, x);
          assertTrue(a.isBase());
          s.emit(a, f.fromBase(ob.auxAt[k][c]), 1, "aux-open");
        }
      }
      s.emit(traceAt(un, z), ob.oodMain, d, "main-ood");
      s.emit(traceAt(un, gz), ob.oodMainNext, d, "main-ood");
      s.emit(auxAt(un, z), ob.oodAux, d, "aux-ood");
      s.emit(auxAt(un, gz), ob.oodAuxNext, d, "aux-ood");
    }

    private Lin quotientForm(Unknowns un, long[] x) {
      long[] gx = f.mulBase(x, g);
      return compositionForm(x, traceAt(un, x), traceAt(un, gx), auxAt(un, x), auxAt(un, gx));
    }

    /** Openings, OOD frame, and Q(x_k) = sum_i x_k^(i n) chunk_i'(x_k) = formula at x_k. */
    EquationSystem systemA(Unknowns un, Observed ob) {
      assertEquals(0, un.masks());
      EquationSystem s = new EquationSystem(un.count);
      openingsAndOod(s, un, ob);
      for (int k = 0; k < qPrime; k++) {
        long[] x = f.fromBase(xs[k]);
        long xn = Goldilocks.exp(xs[k], n);
        long[] q = f.zero();
        long pw = 1;
        for (int i = 0; i < lay.numQuotientChunks; i++) {
          q = f.add(q, f.mulBase(ob.chunksAt[k][i], pw));
          pw = Goldilocks.mul(pw, xn);
        }
        s.emit(quotientForm(un, x), q, d, "comp");
      }
      return s;
    }

    /**
     * Openings, OOD frame, every chunk opening and OOD chunk value: chunk_i' = [i = 0] Q + X^n r_i -
     * r_{i-1} coordinate by coordinate, the masks r_i unknown.
     */
    EquationSystem systemB(Unknowns un, Observed ob) {
      int m = lay.numQuotientChunks;
      assertEquals((m - 1) * d, un.masks());
      assertTrue(un.h() + 1 < n, "deg Q <= h < n: Q is chunk 0, the others are zero before masking");
      EquationSystem s = new EquationSystem(un.count);
      openingsAndOod(s, un, ob);
      for (int k = 0; k < qPrime; k++) {
        long[] x = f.fromBase(xs[k]);
        Lin q = quotientForm(un, x);
        for (int i = 0; i < m; i++) {
          for (int c = 0; c < d; c++) {
            Lin form = new Lin(f, un.count);
            if (i == 0) {
              form = form.plusScaled(q.coordinate(c), f.one());
            }
            if (i < m - 1) {
              form = form.plusScaled(maskAt(un, i, x, true, c), f.one());
            }
            if (i > 0) {
              form = form.plusScaled(maskAt(un, i - 1, x, false, c), f.neg(f.one()));
            }
            assertTrue(form.isBase());
            s.emit(form, f.fromBase(ob.chunksAt[k][i][c]), 1, "chunk-open");
          }
        }
      }
      Lin qz = quotientForm(un, z);
      for (int i = 0; i < m; i++) {
        Lin form = new Lin(f, un.count);
        if (i == 0) {
          form = form.plusScaled(qz, f.one());
        }
        long[] uc = f.one();
        for (int c = 0; c < d; c++) {
          if (i < m - 1) {
            form = form.plusScaled(maskAt(un, i, z, true, c), uc);
          }
          if (i > 0) {
            form = form.plusScaled(maskAt(un, i - 1, z, false, c), f.neg(uc));
          }
          uc = f.mul(uc, u);
        }
        s.emit(form, ob.oodChunks[i], d, "chunk-ood");
      }
      return s;
    }

    /**
     * A prover with {@code hs} randomizers per column, on this proof's transcript points: random
     * masks, the same secret, every value computed from the polynomials, and the attack run on it.
     */
    Simulation simulate(int hs, long v, long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      long[] rm = new long[hs];
      long[][] ra = new long[d][hs];
      for (int j = 0; j < hs; j++) {
        rm[j] = randomField(r);
        for (int c = 0; c < d; c++) {
          ra[c][j] = randomField(r);
        }
      }
      java.util.function.Function<long[], long[]> tAt = x -> {
        long[] zh = f.sub(f.exp(x, n), f.one());
        return f.add(f.fromBase(v), f.mul(zh, io.veridict.core.poly.Polynomials.evaluateAt(f, rm, hs, x)));
      };
      java.util.function.Function<long[], long[]> aAt = x -> {
        long[] zh = f.sub(f.exp(x, n), f.one());
        long[] acc = f.zero();
        long[] uc = f.one();
        for (int c = 0; c < d; c++) {
          long[] ac = f.add(f.fromBase(Goldilocks.mul(gamma[c], v)),
              f.mul(zh, io.veridict.core.poly.Polynomials.evaluateAt(f, ra[c], hs, x)));
          acc = f.add(acc, f.mul(uc, ac));
          uc = f.mul(uc, u);
        }
        return acc;
      };
      long[] mainAt = new long[qPrime];
      long[][] auxAt = new long[qPrime][];
      long[][][] chunks = new long[qPrime][1][];
      for (int k = 0; k < qPrime; k++) {
        long[] x = f.fromBase(xs[k]);
        long[] gx = f.mulBase(x, g);
        mainAt[k] = tAt.apply(x)[0];
        auxAt[k] = aAt.apply(x);
        chunks[k][0] = composition(x, tAt.apply(x), tAt.apply(gx), aAt.apply(x), aAt.apply(gx));
      }
      Observed ob = new Observed(mainAt, auxAt, chunks, tAt.apply(z), tAt.apply(gz), aAt.apply(z), aAt.apply(gz), null);
      Unknowns un = new Unknowns(hs, d, 0);
      // One "chunk" carrying Q itself: systemA only uses sum_i x^(i n) chunk_i.
      EquationSystem s = new EquationSystem(un.count);
      openingsAndOod(s, un, ob);
      for (int k = 0; k < qPrime; k++) {
        s.emit(quotientForm(un, f.fromBase(xs[k])), chunks[k][0], d, "comp");
      }
      Rref rr = Rref.of(s.rows, un.count);
      assertTrue(rr.consistent, "the simulated values satisfy the simulated system");
      return new Simulation(rr.solvedValue(un.v()), s.rows.size(), un.count, rr.rank);
    }
  }
}
