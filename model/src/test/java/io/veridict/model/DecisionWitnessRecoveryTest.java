package io.veridict.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.air.AirIdentity;
import io.veridict.core.field.ExtField;
import io.veridict.core.field.Goldilocks;
import io.veridict.core.poly.Ntt;
import io.veridict.core.poly.Polynomials;
import io.veridict.core.proof.ProofCodec;
import io.veridict.core.proof.ProofOptions;
import io.veridict.core.proof.StarkLayout;
import io.veridict.core.proof.StarkProof;
import io.veridict.core.proof.StarkTranscript;
import io.veridict.core.transcript.Transcript;
import io.veridict.model.format.ImportedModel;
import io.veridict.model.format.ModelFormat;
import io.veridict.model.format.ModelImporter;
import io.veridict.model.internal.DecisionAir;
import io.veridict.model.internal.DecisionProgram;
import io.veridict.prover.Prover;
import io.veridict.prover.Witness;
import io.veridict.verifier.AcceptablePolicy;
import java.math.BigInteger;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recovering an applicant's features from a decision proof by linear algebra, per model family
 * (the real fixture models: ONNX Gemm logistic regression, ONNX MLP, XGBoost trees, scorecard).
 *
 * <p>Attacker (the strongest reasonable one): knows the model and <em>every</em> main-trace cell
 * except the cells that hold a feature value verbatim (the input tape {@code TAPE}, the sponge
 * block columns {@code B_j} over the block's 8 rows, the rate columns {@code S_4..S_11} at the
 * absorbing row, and every {@code V1/V2/V3} cell of a row reading a feature's address); the
 * randomizers are unknown. One unknown per feature (its cells all hold the same value) and, with
 * zero knowledge, {@code h} per column holding features. For each such column {@code j}: {@code
 * T_j(x) = known_j(x) + sum_{feature cells i} x_f L_i(x) + Z_H(x) r_j(x)}, with {@code L_i(x) =
 * (x^n - 1) g^i / (n (x - g^i))} the Lagrange basis of the trace domain; the equations are the
 * openings at the {@code q'} query points and the OOD frame at {@code z} and {@code g z} ({@code
 * q' + 2d} per column). The decision AIR's constraints are not linear (RPO S-boxes, products), so
 * the next-row values the composition openings determine are not extracted here: the direct
 * openings and the OOD frame already recover every feature without zero knowledge. With zero
 * knowledge a second system also grants the attacker every {@code T_j(g x_k)} outright (a
 * superset of what the quotient lets it derive: {@code 2q' + 2d} evaluations per column), and
 * still no feature, nor any non-zero linear combination of features, is determined.
 */
class DecisionWitnessRecoveryTest {
  private static final Context CTX =
      new Context(1, "0x00000000000000000000000000000000000a11ce", "credit-policy-2026", "nonce-42", 0);

  static Stream<Arguments> families() {
    return Stream.of(
        Arguments.of("logistic regression (ONNX Gemm)", "german_logreg.onnx", "onnx"),
        Arguments.of("MLP (ONNX)", "bc_mlp.onnx", "onnx"),
        Arguments.of("tree ensemble (XGBoost JSON)", "bc_xgb_reg.json", "xgboost-json"),
        Arguments.of("scorecard (JSON)", "german_scorecard.json", "scorecard-json"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("families")
  void featuresRecoveredWithoutZk_andNotDeterminedWithZk(String family, String file, String format) throws Exception {
    long t0 = System.nanoTime();
    ImportedModel im = ModelImporter.importFile(
        Paths.get("src/test/resources/fixtures", file).toAbsolutePath(), ModelFormat.fromCliName(format));
    QuantizedModel q = Quantizer.quantize(im.model(), null);
    ModelArchitecture a = q.architecture();
    ModelPackage pkg = ModelPackage.create(q, file, format, im.sourceSha256(), im.suggestedCutoff(), new SecureRandom());
    DecisionCircuit circuit = DecisionCircuit.of(a);
    DecisionAir air = (DecisionAir) circuit.air();
    DecisionProgram program = air.program();
    int n = circuit.traceLength();
    int numF = a.numFeatures();

    // An applicant with pairwise distinct quantized features.
    SplittableRandom rnd = new SplittableRandom(file.hashCode());
    long[] xq;
    do {
      xq = new long[numF];
      for (int i = 0; i < numF; i++) {
        // Inside the encodable range (a tree model imported without a dataset may have a small one).
        double r = Math.min(3, Math.scalb((double) ModelArchitecture.VALUE_BOUND - 2, -a.inputExponent(i)));
        xq[i] = a.quantizeInput(i, Math.rint(rnd.nextDouble(-r, r) * 100) / 100);
      }
    } while (Arrays.stream(xq).distinct().count() != numF);
    Policy policy = new Policy(im.suggestedCutoff().orElse(0.5), Policy.Direction.AT_LEAST);
    long t = policy.circuitThreshold(a);
    long[] inputSalt = QuantizedModel.newSalt(new SecureRandom());
    long[][] main = circuit.witness(q, pkg.salt(), xq, inputSalt, t).main();

    // The feature cells, column by column: (row, feature).
    Map<Integer, List<int[]>> cells = featureCells(program, main, xq);
    checkNoOtherVerbatimCopies(circuit, q, pkg.salt(), xq, inputSalt, t, main, cells);
    int cellCount = cells.values().stream().mapToInt(List::size).sum();
    checkLagrange(n, main[DecisionAir.TAPE]);

    StringBuilder report = new StringBuilder();
    report.append(String.format("[decision-witness-recovery] %s (%s): %d features, 2^%d rows, %d feature cells in %d"
            + " columns %s%n", family, file, numF, Integer.numberOfTrailingZeros(n), cellCount, cells.size(),
        columnNames(cells.keySet())));

    for (boolean zk : new boolean[] {false, true}) {
      ProofOptions o = zk ? ProofOptions.standard() : ProofOptions.standard().withoutZeroKnowledgeForBenchmarks();
      long tp = System.nanoTime();
      byte[] proof = proveAndVerify(pkg, circuit, q, xq, inputSalt, policy, t, main, o, zk);
      double proveMs = (System.nanoTime() - tp) / 1e6;
      Frame fr = Frame.replay(air, circuit.publicInputs(statement(pkg, circuit, q, xq, inputSalt, policy, t), pkg.description()), proof);
      int h = fr.lay.randomizerCount;
      int d = fr.d;

      Attack at = new Attack(fr, main, cells, numF, h);
      List<long[]> rows = at.equations(false);
      Rref rr = Rref.of(rows, at.unknowns);
      assertTrue(rr.consistent, "the proof's values satisfy the attacker's equations");
      int leaked = rr.leadingRowsFrom(at.firstFeature);
      if (!zk) {
        assertEquals(0, h);
        assertEquals(numF, rr.rank, "the features are fully determined");
        for (int f = 0; f < numF; f++) {
          assertEquals(Long.valueOf(Goldilocks.fromSigned(xq[f])), rr.solvedValue(at.firstFeature + f),
              family + ": feature " + f + " recovered");
        }
        // Columns that alone recover all their features (one column's equations only).
        int alone = 0;
        for (int j : cells.keySet()) {
          List<long[]> colRows = at.columnRows(j, false);
          Rref cr = Rref.of(colRows, at.unknowns);
          Set<Integer> feats = new TreeSet<>();
          cells.get(j).forEach(c -> feats.add(c[1]));
          boolean all = true;
          for (int f : feats) {
            all &= Long.valueOf(Goldilocks.fromSigned(xq[f])).equals(cr.solvedValue(at.firstFeature + f));
          }
          alone += all ? 1 : 0;
        }
        report.append(String.format("  ZK off: h=0, q'=%d, %d equations (q'+2d=%d per column x %d columns) in %d"
                + " unknowns, rank %d: ALL %d features RECOVERED (%d of %d columns recover their own features alone)"
                + " [prove+verify %.0f ms]%n",
            fr.qPrime, rows.size(), fr.qPrime + 2 * d, cells.size(), at.unknowns, rr.rank, numF, alone, cells.size(),
            proveMs));
      } else {
        assertTrue(h >= 2 * o.numQueries() + 2 * d);
        assertEquals(0, leaked, family + ": with zero knowledge no linear combination of features is determined");
        for (int f = 0; f < numF; f++) {
          assertNull(rr.solvedValue(at.firstFeature + f), family + ": feature " + f + " must not be determined");
        }
        assertEquals(rows.size(), rr.rank, "full row rank: each column's q' + 2d evaluations are independent");
        // The genie: every next-row value T_j(g x_k) handed to the attacker as well.
        List<long[]> genie = at.equations(true);
        Rref rg = Rref.of(genie, at.unknowns);
        assertEquals(0, rg.leadingRowsFrom(at.firstFeature), "even with T_j(g x_k) for free nothing leaks");
        int points = fr.distinctPointsWithNextRow();
        assertEquals(cells.size() * (points + 2 * d), rg.rank, "2q' + 2d (|X u gX| + 2d) per column, all independent");
        report.append(String.format("  ZK on:  h=%d (min 2q+2d=%d), q'=%d, %d equations (%d per column) in %d unknowns"
                + " (%d features + %d x h), rank %d: no feature and no feature combination determined; with every"
                + " T_j(g x_k) granted: %d equations (%d independent per column, |X u gX|=%d), rank %d, still nothing"
                + " [prove+verify %.0f ms]%n",
            h, StarkLayout.minimumRandomizers(o), fr.qPrime, rows.size(), fr.qPrime + 2 * d, at.unknowns, numF,
            cells.size(), rr.rank, genie.size(), points + 2 * d, points, rg.rank, proveMs));
      }
    }
    report.append(String.format("  total %.0f ms%n", (System.nanoTime() - t0) / 1e6));
    System.out.print(report);
  }

  // --- Where the features sit --------------------------------------------------------------------

  /** Column -> list of {row, feature} for every cell holding a feature verbatim. */
  static Map<Integer, List<int[]>> featureCells(DecisionProgram program, long[][] main, long[] xq) {
    Map<Integer, List<int[]>> out = new LinkedHashMap<>();
    int start = program.inputStart();
    for (int f = 0; f < xq.length; f++) {
      int tapeRow = start + f;
      int block = tapeRow & ~7;
      int j = tapeRow & 7;
      add(out, DecisionAir.TAPE, tapeRow, f);
      for (int r = block; r < block + 8; r++) {
        add(out, DecisionAir.B + j, r, f);
      }
      add(out, DecisionAir.S + 4 + j, block, f);
    }
    int[][] reads = {{DecisionAir.A1, DecisionAir.V1}, {DecisionAir.A2, DecisionAir.V2}, {DecisionAir.A3, DecisionAir.V3}};
    for (int row = 0; row < main[0].length; row++) {
      for (int[] av : reads) {
        long addr = main[av[0]][row];
        if (addr >= start && addr < start + xq.length && readsAt(program, row)) {
          add(out, av[1], row, (int) (addr - start));
        }
      }
    }
    for (Map.Entry<Integer, List<int[]>> e : out.entrySet()) {
      for (int[] c : e.getValue()) {
        assertEquals(Goldilocks.fromSigned(xq[c[1]]), main[e.getKey()][c[0]],
            "column " + e.getKey() + " row " + c[0] + " holds feature " + c[1]);
      }
    }
    return out;
  }

  private static boolean readsAt(DecisionProgram program, int row) {
    return row < program.rows().size() && program.rows().get(row).op() != DecisionProgram.Op.NONE;
  }

  private static void add(Map<Integer, List<int[]>> m, int col, int row, int f) {
    m.computeIfAbsent(col, k -> new ArrayList<>()).add(new int[] {row, f});
  }

  /**
   * Completeness of the list: with every feature shifted by its own {@code delta_f >= 256} (above
   * any byte limb), every cell that held {@code x_f} and now holds {@code x_f + delta_f} is listed.
   */
  private static void checkNoOtherVerbatimCopies(DecisionCircuit circuit, QuantizedModel q, long[] modelSalt,
      long[] xq, long[] inputSalt, long t, long[][] main, Map<Integer, List<int[]>> cells) {
    long[] shifted = new long[xq.length];
    for (int f = 0; f < xq.length; f++) {
      shifted[f] = xq[f] + 300 + 7L * f;
    }
    long[][] other = circuit.witness(q, modelSalt, shifted, inputSalt, t).main();
    Set<Long> listed = new HashSet<>();
    cells.forEach((col, l) -> l.forEach(c -> listed.add(((long) col << 32) | c[0])));
    for (int col = 0; col < main.length; col++) {
      for (int row = 0; row < main[col].length; row++) {
        for (int f = 0; f < xq.length; f++) {
          if (main[col][row] == Goldilocks.fromSigned(xq[f]) && other[col][row] == Goldilocks.fromSigned(shifted[f])) {
            assertTrue(listed.contains(((long) col << 32) | row),
                "column " + col + " row " + row + " copies feature " + f + " but is not listed");
          }
        }
      }
    }
  }

  private static String columnNames(Set<Integer> cols) {
    List<String> s = new ArrayList<>();
    for (int c : cols) {
      s.add(c == DecisionAir.TAPE ? "TAPE" : c >= DecisionAir.B && c < DecisionAir.B + 8 ? "B" + (c - DecisionAir.B)
          : c < 12 ? "S" + c : c == DecisionAir.V1 ? "V1" : c == DecisionAir.V2 ? "V2" : c == DecisionAir.V3 ? "V3" : "#" + c);
    }
    return s.toString();
  }

  /** {@code L_i(x) = (x^n - 1) g^i / (n (x - g^i))} agrees with NTT interpolation. */
  private static void checkLagrange(int n, long[] column) {
    ExtField f = ExtField.of(io.veridict.core.field.FieldExtension.QUADRATIC);
    long[] x = {123456789L, 987654321L};
    long[] coeffs = column.clone();
    Ntt.inverse(coeffs);
    long[] direct = Polynomials.evaluateAt(f, coeffs, n, x);
    long[] sum = f.zero();
    long g = Goldilocks.rootOfUnity(Integer.numberOfTrailingZeros(n));
    long gi = 1;
    for (int i = 0; i < n; i++) {
      sum = f.add(sum, f.mulBase(lagrange(f, n, gi, x), column[i]));
      gi = Goldilocks.mul(gi, g);
    }
    assertArrayEquals(direct, sum, "Lagrange basis formula");
  }

  static long[] lagrange(ExtField f, int n, long gi, long[] x) {
    long[] zh = f.sub(f.exp(x, n), f.one());
    long[] den = f.mulBase(f.sub(x, f.fromBase(gi)), n);
    return f.mulBase(f.mul(zh, f.inv(den)), gi);
  }

  // --- Proving (as DecisionProver does, with a salt the test knows) -------------------------------

  private static DecisionStatement statement(ModelPackage pkg, DecisionCircuit circuit, QuantizedModel q, long[] xq,
      long[] inputSalt, Policy policy, long t) {
    long margin = FixedPointEvaluator.margin(q, xq);
    return new DecisionStatement(DecisionStatement.VERSION, circuit.airId(), pkg.description().modelCommitment(),
        Commitments.toHex(QuantizedModel.inputCommitment(xq, inputSalt)), policy, t, policy.decisionFromBit(margin >= t),
        CTX);
  }

  /**
   * DecisionProver's steps with the secure {@link Prover#create} (fresh SecureRandom masks), but an
   * input salt the test knows (the attacker model grants every non-feature cell); the bundle is
   * verified by the decision verifier.
   */
  private static byte[] proveAndVerify(ModelPackage pkg, DecisionCircuit circuit, QuantizedModel q, long[] xq,
      long[] inputSalt, Policy policy, long t, long[][] main, ProofOptions o, boolean zk) throws Exception {
    DecisionStatement s = statement(pkg, circuit, q, xq, inputSalt, policy, t);
    Witness w = new Witness() {
      @Override
      public long[][] mainTrace() {
        return main;
      }

      @Override
      public long[][] auxTrace(long[][] m, long[] challenges, int extDegree) {
        return circuit.auxColumns(m, challenges, extDegree);
      }
    };
    byte[] proof = Prover.create(o).prove(circuit.air(), circuit.publicInputs(s, pkg.description()), w);
    DecisionVerifier v = zk ? DecisionVerifier.standard() : DecisionVerifier.withPolicy(AcceptablePolicy.standard());
    DecisionStatement back = v.verify(new ProofBundle(s, pkg.description(), proof),
        Optional.of(pkg.description().modelCommitment()), Instant.now());
    assertEquals(s.decision(), back.decision());
    return proof;
  }

  // --- The attacker's view of the proof -----------------------------------------------------------

  /** The transcript replayed from the proof bytes, as the verifier does. */
  static final class Frame {
    StarkProof p;
    StarkLayout lay;
    ExtField f;
    int d;
    long[] z;
    long[] gz;
    int[] positions;
    long[] xs;
    int qPrime;

    static Frame replay(DecisionAir air, long[] pub, byte[] bytes) throws Exception {
      Frame fr = new Frame();
      StarkProof p = ProofCodec.decode(bytes);
      ProofOptions o = p.options();
      StarkLayout lay = StarkLayout.of(air, o);
      fr.p = p;
      fr.lay = lay;
      fr.f = ExtField.of(o.extension());
      fr.d = fr.f.degree();
      Transcript t = StarkTranscript.begin(o, lay.logTraceLength, lay.mainWidth, lay.auxWidth, AirIdentity.of(air), pub);
      t.absorbLongs("main-root", p.mainRoot());
      t.challengeExtVector("aux-challenges", o.extension(), air.numAuxChallenges());
      t.absorbLongs("aux-root", p.auxRoot());
      t.challengeExtVector("composition-coeffs", o.extension(), lay.numConstraints());
      t.absorbLongs("composition-root", p.compositionRoot());
      fr.z = StarkTranscript.drawOodPoint(t, o.extension());
      fr.gz = fr.f.mulBase(fr.z, Goldilocks.rootOfUnity(lay.logTraceLength));
      t.absorbLongs("ood-main-current", p.oodMainCurrent());
      t.absorbLongs("ood-main-next", p.oodMainNext());
      t.absorbLongs("ood-aux-current", p.oodAuxCurrent());
      t.absorbLongs("ood-aux-next", p.oodAuxNext());
      t.absorbLongs("ood-quotient-chunks", p.oodQuotientChunks());
      t.challengeExtVector("deep-coeffs", o.extension(), 2 * lay.mainWidth + 2 * lay.auxWidth + lay.numQuotientChunks);
      for (int layer = 0; layer < lay.numFriLayers; layer++) {
        t.absorbLongs("fri-root", p.friRoots().get(layer));
        t.challengeExt("fri-beta", o.extension());
      }
      t.absorbLongs("fri-final", p.finalPolynomial());
      StarkTranscript.powSeed(t);
      t.absorbInt("pow-nonce", p.powNonce());
      fr.positions = Arrays.stream(t.challengeIndices("query-positions", o.numQueries(), lay.logLdeSize))
          .distinct().sorted().toArray();
      fr.qPrime = fr.positions.length;
      assertEquals(fr.qPrime, p.mainOpening().leafCount(), "replayed query positions match the opening");
      long wN = Goldilocks.rootOfUnity(lay.logLdeSize);
      fr.xs = new long[fr.qPrime];
      for (int k = 0; k < fr.qPrime; k++) {
        fr.xs[k] = Goldilocks.mul(Goldilocks.GENERATOR, Goldilocks.exp(wN, fr.positions[k]));
      }
      return fr;
    }

    int distinctPointsWithNextRow() {
      TreeSet<Integer> s = new TreeSet<>();
      int step = lay.ldeSize / lay.traceLength;
      for (int pos : positions) {
        s.add(pos);
        s.add((pos + step) % lay.ldeSize);
      }
      return s.size();
    }
  }

  /**
   * The linear system: unknowns {@code [r_j (h each, per feature column) | x_0 .. x_{F-1}]}.
   * Equations per feature column: {@code T_j(x_k)} (1 each), {@code T_j(z)}, {@code T_j(g z)} ({@code
   * d} each); with the genie also {@code T_j(g x_k)} (coefficients only: the row-space question does
   * not depend on the right-hand side).
   */
  static final class Attack {
    final Frame fr;
    final long[][] main;
    final Map<Integer, List<int[]>> cells;
    final int numF;
    final int h;
    final int unknowns;
    final int firstFeature;
    final Map<Integer, Integer> block = new LinkedHashMap<>();
    final Map<Integer, long[]> knownCoeffs = new LinkedHashMap<>();

    Attack(Frame fr, long[][] main, Map<Integer, List<int[]>> cells, int numF, int h) {
      this.fr = fr;
      this.main = main;
      this.cells = cells;
      this.numF = numF;
      this.h = h;
      int b = 0;
      for (int j : cells.keySet()) {
        block.put(j, b++);
        // What the attacker knows of column j: every cell but the feature cells, interpolated.
        long[] known = main[j].clone();
        for (int[] c : cells.get(j)) {
          known[c[0]] = 0;
        }
        Ntt.inverse(known);
        knownCoeffs.put(j, known);
      }
      this.firstFeature = b * h;
      this.unknowns = firstFeature + numF;
    }

    List<long[]> equations(boolean genie) {
      List<long[]> rows = new ArrayList<>();
      for (int j : cells.keySet()) {
        rows.addAll(columnRows(j, genie));
      }
      return rows;
    }

    List<long[]> columnRows(int j, boolean genie) {
      ExtField f = fr.f;
      int d = fr.d;
      int w = fr.lay.mainWidth;
      List<long[]> rows = new ArrayList<>();
      for (int k = 0; k < fr.qPrime; k++) {
        long[] x = f.fromBase(fr.xs[k]);
        rows.addAll(rowsAt(j, x, f.fromBase(fr.p.mainOpening().values()[k * w + j]), 1));
      }
      rows.addAll(rowsAt(j, fr.z, Arrays.copyOfRange(fr.p.oodMainCurrent(), j * d, j * d + d), d));
      rows.addAll(rowsAt(j, fr.gz, Arrays.copyOfRange(fr.p.oodMainNext(), j * d, j * d + d), d));
      if (genie) {
        long g = Goldilocks.rootOfUnity(fr.lay.logTraceLength);
        for (int k = 0; k < fr.qPrime; k++) {
          List<long[]> r = rowsAt(j, f.fromBase(Goldilocks.mul(g, fr.xs[k])), f.zero(), 1);
          for (long[] row : r) {
            row[unknowns] = 0; // coefficients only
          }
          rows.addAll(r);
        }
      }
      return rows;
    }

    /** Coordinates {@code [0, coords)} of {@code T_j(x) = value}. */
    private List<long[]> rowsAt(int j, long[] x, long[] value, int coords) {
      ExtField f = fr.f;
      int d = fr.d;
      int n = fr.lay.traceLength;
      long g = Goldilocks.rootOfUnity(fr.lay.logTraceLength);
      long[][] coef = new long[unknowns][];
      for (int u = 0; u < unknowns; u++) {
        coef[u] = f.zero();
      }
      for (int[] c : cells.get(j)) {
        long[] l = lagrange(f, n, Goldilocks.exp(g, c[0]), x);
        coef[firstFeature + c[1]] = f.add(coef[firstFeature + c[1]], l);
      }
      if (h > 0) {
        long[] pw = f.sub(f.exp(x, n), f.one());
        int base = block.get(j) * h;
        for (int i = 0; i < h; i++) {
          coef[base + i] = pw;
          pw = f.mul(pw, x);
        }
      }
      long[] known = Polynomials.evaluateAt(f, knownCoeffs.get(j), n, x);
      long[] rhs = f.sub(value, known);
      List<long[]> out = new ArrayList<>();
      for (int c = 0; c < coords; c++) {
        long[] row = new long[unknowns + 1];
        for (int u = 0; u < unknowns; u++) {
          row[u] = coef[u][c];
        }
        row[unknowns] = rhs[c];
        out.add(row);
      }
      if (coords == 1) {
        for (int u = 0; u < unknowns; u++) {
          for (int c = 1; c < d; c++) {
            assertEquals(0, coef[u][c], "a base-field point gives a base-field equation");
          }
        }
      }
      return out;
    }
  }

  // --- Linear algebra over Goldilocks (as in the examples module's WitnessRecoveryTest) ------------

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
        long[] piv = m[r];
        for (int i = 0; i < m.length; i++) {
          if (i != r && m[i][c] != 0) {
            long fct = m[i][c];
            long[] row = m[i];
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

    int lead(int i) {
      for (int k = 0; k < cols; k++) {
        if (m[i][k] != 0) {
          return k;
        }
      }
      return -1;
    }

    /**
     * The dimension of the row space's intersection with the span of the unknowns {@code >= from}
     * (those pivoted last): the linear functionals of them the system determines.
     */
    int leadingRowsFrom(int from) {
      int c = 0;
      for (int i = 0; i < rank; i++) {
        c += lead(i) >= from ? 1 : 0;
      }
      return c;
    }

    Long solvedValue(int j) {
      for (int i = 0; i < rank; i++) {
        if (lead(i) == j) {
          for (int k = j + 1; k < cols; k++) {
            if (m[i][k] != 0) {
              return null;
            }
          }
          return m[i][cols];
        }
      }
      return null;
    }
  }

  @Test
  void eliminationMatchesABigIntegerOracle() {
    BigInteger bp = new BigInteger(Long.toUnsignedString(Goldilocks.P));
    SplittableRandom rnd = new SplittableRandom(77);
    for (int trial = 0; trial < 100; trial++) {
      int rows = 1 + rnd.nextInt(10);
      int cols = 1 + rnd.nextInt(10);
      List<long[]> sys = new ArrayList<>();
      for (int i = 0; i < rows; i++) {
        long[] row = new long[cols + 1];
        for (int j = 0; j <= cols; j++) {
          long v;
          do {
            v = rnd.nextInt(3) == 0 ? 0 : rnd.nextLong();
          } while (!Goldilocks.isCanonical(v));
          row[j] = v;
        }
        if (i > 0 && rnd.nextInt(3) == 0) {
          row = sys.get(rnd.nextInt(i)).clone(); // a repeated row
          for (int j = 0; j <= cols; j++) {
            row[j] = Goldilocks.mul(row[j], 3);
          }
        }
        sys.add(row);
      }
      Rref g = Rref.of(sys, cols);
      // BigInteger rank by the same elimination.
      BigInteger[][] m = new BigInteger[rows][cols + 1];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j <= cols; j++) {
          m[i][j] = new BigInteger(Long.toUnsignedString(sys.get(i)[j]));
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
        BigInteger inv = m[r][c].modInverse(bp);
        for (int j = 0; j <= cols; j++) {
          m[r][j] = m[r][j].multiply(inv).mod(bp);
        }
        for (int i = 0; i < rows; i++) {
          if (i != r && m[i][c].signum() != 0) {
            BigInteger fc = m[i][c];
            for (int j = 0; j <= cols; j++) {
              m[i][j] = m[i][j].subtract(fc.multiply(m[r][j])).mod(bp);
            }
          }
        }
        r++;
      }
      assertEquals(r, g.rank, "rank, trial " + trial);
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j <= cols; j++) {
          assertEquals(m[i][j].longValue(), g.m[i][j], "trial " + trial);
        }
      }
    }
  }
}
