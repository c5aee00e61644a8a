package io.veridict.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.air.BoundaryConstraint;
import io.veridict.core.air.Expr;
import io.veridict.model.ExprIntervals.Interval;
import io.veridict.model.ExprIntervals.Outcome;
import io.veridict.model.ExprIntervals.Poly;
import io.veridict.model.ModelArchitecture.Family;
import io.veridict.model.format.CsvDataset;
import io.veridict.model.format.ImportedModel;
import io.veridict.model.format.ModelFormat;
import io.veridict.model.format.ModelImporter;
import io.veridict.model.internal.DecisionAir;
import io.veridict.model.internal.DecisionProgram;
import io.veridict.model.internal.DecisionProgram.Op;
import io.veridict.model.internal.DecisionProgram.Row;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interval analysis of the decision circuit: no arithmetic constraint of {@link DecisionAir} can
 * wrap modulo p, for any trace a cheating prover could build that passes the lookups.
 *
 * <p>For every arithmetic constraint on every row the analysis bounds the constraint's integer
 * value (cells read as signed representatives, see {@link ExprIntervals}) and requires it below
 * {@code p/2}: then {@code E ≡ 0 (mod p)} means {@code E = 0} over the integers, so the accumulator,
 * the rescale, the comparisons and the decision mean what the fixed-point semantics say. Bounds are
 * derived from the constraints themselves, row by row along the public program, starting from the
 * axioms below and nothing else; a feature or an activation is bounded only by the constraint that
 * range-checks it.
 *
 * <p><b>Axioms</b> (what other parts of the protocol guarantee):
 *
 * <ol>
 *   <li>every limb on every row is a byte, {@code [0, 255]}: each limb is a LogUp lookup into the
 *       byte table (the helper equations hold on every row), and the table runs 0..255 ({@code
 *       tab_0 = 0}, steps of 0 or 1, {@code tab_(n-1) = 255});
 *   <li>a read returns a written value: on the rows whose operation reads (the LogUp fractions'
 *       selectors: {@code (a1, v1)} on MAC, FIN, NODE, LEAF, DECIDE; {@code (a2, v2)} on MAC, NODE;
 *       {@code (a3, v3)} on NODE) the pair balances only against the one write at {@code a}, a tape
 *       cell (written on data rows) or an activation (written by an ACT row at its public {@code
 *       WA}): write addresses are public and distinct. The analysis derives the addresses a read
 *       can have from the address constraints and takes the hull of those cells;
 *   <li>parameter cells hold the registered model: a concrete model's values, or the limits {@link
 *       FixedPointEvaluator#checkParameterBounds} admits (see {@link #worstCaseModels});
 *   <li>the public threshold: the verifier computes {@code T} itself ({@link
 *       Policy#circuitThreshold}, {@code |T| < 2^55}); a planned guard band {@code |G| < 2^54} will
 *       pass {@code T ± G}, so {@code |T| <= 2^55 + 2^54}.
 * </ol>
 *
 * <p>Not an integer-range matter, so not analysed (counted in the report): the RPO-256 sponge
 * (field arithmetic by design; {@code cnt} is the tape's address counter, fixed as field elements
 * by {@code cnt_0 = 0, cnt' = cnt + 1} and only ever a LogUp key); the LogUp helpers and running sum
 * (extension-field fractions); the byte table's step and endpoints (they define the table).
 *
 * <p><b>How</b>: rows are typed by the public program; each constraint is taken on each row with
 * its periodic columns replaced by their values there (so a selector that is 0 removes its terms;
 * substituted constraints are cached per periodic signature, and a run of rows that read, write and
 * bound nothing and repeat the previous row's signature and state is analysed once). A row and the
 * next are solved together to a fixpoint (every-row constraints of both, the transition between
 * them, boundary constraints there, reads) with the rules of {@link ExprIntervals}: so {@code acc}
 * follows the accumulator transitions row by row, {@code v2} on a MAC row comes out of {@code u =
 * v2 + 2^24}, {@code y} on a FIN row out of the next row's ReLU equation, {@code node} out of the
 * walk. Memory cells (features, activations) carry what one row proves about a cell to every other
 * read of it; passes repeat until no read could have seen a narrower cell. Each constraint's
 * magnitude is the best bound proving it an integer equation (the whole expression, or for a cell
 * with coefficient ±1 the other side); the report prints the largest per constraint and operation,
 * as log2, and the test fails if one reaches {@code p/2}.
 */
class ConstraintRangeAnalysisTest {
  private static final BigInteger TWO = BigInteger.TWO;
  /** Axiom 4: {@code |T| <= 2^55 + 2^54}. */
  static final Interval THRESHOLD_AXIOM = new Interval(
      TWO.pow(55).add(TWO.pow(54)).negate(), TWO.pow(55).add(TWO.pow(54)));
  /** Axiom 1. */
  static final Interval BYTE = Interval.of(0, 255);

  // --- the models ---------------------------------------------------------------------------------

  /** A model to analyse: its architecture and, per parameter cell, bounds on the committed value. */
  record Subject(String name, ModelArchitecture arch, long[] lo, long[] hi) {
    static Subject of(String name, QuantizedModel q) {
      long[] p = q.parameters();
      return new Subject(name, q.architecture(), p, p);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** The shipped fixtures, imported and quantized as {@code RealModelTest} does (bounds from the data). */
  static Stream<Subject> shippedModels() throws Exception {
    String[][] cases = {
      {"german_logreg.onnx", "onnx", "german_credit.csv", "Class", "Good"},
      {"german_logreg_linearclassifier.onnx", "onnx", "german_credit.csv", "Class", "Good"},
      {"german_xgb.json", "xgboost-json", "german_credit.csv", "Class", "Good"},
      {"german_scorecard.json", "scorecard-json", "german_credit.csv", "Class", "Good"},
      {"bc_mlp.onnx", "onnx", "breast_cancer_wisconsin.csv", "diagnosis", "malignant"},
      {"bc_xgb_reg.json", "xgboost-json", "breast_cancer_wisconsin.csv", "diagnosis", "malignant"},
    };
    List<Subject> out = new ArrayList<>();
    for (String[] c : cases) {
      ImportedModel im = ModelImporter.importFile(
          io.veridict.model.format.Fixtures.fixture(c[0]), ModelFormat.fromCliName(c[1]));
      FloatModel model = im.model();
      CsvDataset d;
      if (im.featureNamesFromFile()) {
        d = CsvDataset.read(dataset(c[2]), c[3], c[4], model.featureNames());
      } else {
        d = CsvDataset.read(dataset(c[2]), c[3], c[4], null);
        model = ModelImporter.withFeatureNames(model, d.featureNames());
      }
      out.add(Subject.of(c[0], Quantizer.quantize(model, Quantizer.boundsFromData(d.features(), model.numFeatures()))));
    }
    return out.stream();
  }

  private static Path dataset(String name) {
    return io.veridict.model.format.Fixtures.dataset(name);
  }


  /** Random models of every family ({@link CircuitFixtures}). */
  static Stream<Subject> randomModels() {
    return Stream.of(
        Subject.of("random linear 12", Quantizer.quantize(CircuitFixtures.linear(12, 1), bounds(12, 64))),
        Subject.of("random linear 40", Quantizer.quantize(CircuitFixtures.linear(40, 2), bounds(40, 1000))),
        Subject.of("random mlp 8-6-4-1",
            Quantizer.quantize(CircuitFixtures.mlp(new int[] {8, 6, 4, 1}, 3), bounds(8, 64))),
        Subject.of("random mlp 10-16-1", Quantizer.quantize(CircuitFixtures.mlp(new int[] {10, 16, 1}, 4), null)),
        Subject.of("random trees 5x6 depth 4", Quantizer.quantize(CircuitFixtures.trees(5, 6, 4, 5), null)),
        Subject.of("random trees 8x20 depth 6", Quantizer.quantize(CircuitFixtures.trees(8, 20, 6, 6), null)),
        Subject.of("random scorecard 6", Quantizer.quantize(CircuitFixtures.scorecard(6, 7), null)));
  }

  private static double[] bounds(int f, double b) {
    double[] out = new double[f];
    Arrays.fill(out, b);
    return out;
  }

  /**
   * A worst-case model of each family at the limits {@code checkParameterBounds} admits. Those
   * limits bound each neuron's worst case {@code sum |w| (2^23 - 1) + |b|} below {@code 2^47}
   * (hidden) or {@code 2^55} (margin), not only each weight: "every weight {@code 2^23 - 1}" is
   * admitted for a fan-in of at most 511 at the margin (and 2 in a hidden layer), so each neuron
   * gets the largest equal weight its fan-in admits (capped at {@code 2^23 - 1}) and the rest of
   * its budget as bias. Shapes: the largest linear model (1024 features), {@code [511, 1]} (every
   * weight at {@code 2^23 - 1}), the largest fan-in ({@code [1, 65536, 1]}: {@code 2^17} weights,
   * the most a dense model may have), two hidden layers; depth-10 trees filling the {@code 2^20}-row
   * trace and the most stumps a scorecard may have, over 1024 features. Tree thresholds are {@code
   * ±2^24}: today's import admits {@code |t| <= 2^23}, a planned change makes padded nodes'
   * sentinel {@code 2^24} (so the analysis is run on the future limit; the rest of each tree model is
   * checked against today's import with its thresholds clamped to {@code 2^23}).
   */
  static Stream<Subject> worstCaseModels() {
    return Stream.of(
        denseAtLimits("worst linear [1024, 1]", Family.LINEAR, 1024, 1),
        denseAtLimits("worst linear [511, 1] (every |w| = 2^23 - 1)", Family.LINEAR, 511, 1),
        denseAtLimits("worst mlp [1, 65536, 1] (fan-in 2^16)", Family.NEURAL_NETWORK, 1, 65536, 1),
        denseAtLimits("worst mlp [64, 512, 128, 1]", Family.NEURAL_NETWORK, 64, 512, 128, 1),
        treesAtLimits("worst trees 341 x depth 10", Family.TREE_ENSEMBLE, 1024, 341, 10),
        treesAtLimits("worst scorecard 4096 stumps", Family.SCORECARD, 1024, ModelArchitecture.MAX_TREES, 1));
  }

  static Subject denseAtLimits(String name, Family family, int... sizes) {
    long vb = ModelArchitecture.VALUE_BOUND - 1;
    List<Long> p = new ArrayList<>();
    for (int k = 0; k + 1 < sizes.length; k++) {
      boolean last = k + 2 == sizes.length;
      long bound = last ? ModelArchitecture.MARGIN_BOUND : ModelArchitecture.HIDDEN_BOUND;
      int fanIn = sizes[k];
      long w = Math.min(vb, (bound - 1) / (fanIn * vb));
      long b = bound - 1 - fanIn * w * vb; // worst + |b| = bound - 1: at the limit
      for (int j = 0; j < sizes[k + 1]; j++) {
        for (int i = 0; i < fanIn; i++) {
          p.add((i + j) % 2 == 0 ? w : -w);
        }
        p.add(j % 2 == 0 ? b : -b);
      }
    }
    ModelArchitecture a = new ModelArchitecture(family, CircuitFixtures.names(sizes[0]), new int[sizes[0]], 0,
        FloatModel.Link.LOGISTIC, sizes, 0, 0);
    return Subject.of(name, new QuantizedModel(a, p.stream().mapToLong(Long::longValue).toArray()));
  }

  static Subject treesAtLimits(String name, Family family, int features, int numTrees, int depth) {
    ModelArchitecture a = new ModelArchitecture(family, CircuitFixtures.names(features), new int[features], 0,
        FloatModel.Link.LOGISTIC, new int[0], numTrees, depth);
    int internal = (1 << depth) - 1;
    int perTree = 2 * internal + (1 << depth);
    long[] p = new long[a.numParameters()];
    long leaf = (ModelArchitecture.MARGIN_BOUND - 1) / (numTrees + 1);
    long threshold = 1L << 24; // the planned sentinel; see the method doc
    int f = 0;
    for (int t = 0; t < numTrees; t++) {
      int base = t * perTree;
      for (int n = 0; n < internal; n++) {
        p[base + 2 * n] = f++ % features;
        p[base + 2 * n + 1] = n % 2 == 0 ? threshold : -threshold;
      }
      for (int l = 0; l < 1 << depth; l++) {
        p[base + 2 * internal + l] = l % 2 == 0 ? leaf : -leaf;
      }
    }
    p[numTrees * perTree] = ModelArchitecture.MARGIN_BOUND - 1 - numTrees * leaf; // leaves + base at the limit
    long[] today = p.clone();
    for (int t = 0; t < numTrees; t++) {
      for (int n = 0; n < internal; n++) {
        int at = t * perTree + 2 * n + 1;
        today[at] = Math.max(-ModelArchitecture.VALUE_BOUND, Math.min(ModelArchitecture.VALUE_BOUND, today[at]));
      }
    }
    new QuantizedModel(a, today); // the import admits everything else
    return new Subject(name, a, p, p);
  }

  /**
   * Every model the import admits for architecture {@code a} at once, as bounds per parameter cell
   * (a superset of what {@code checkParameterBounds} admits: its sums are not used): weights {@code
   * |w| < 2^23}, biases below their accumulator bound; split features in range, thresholds within
   * {@code 2^24} (the planned limit), leaves and base below {@code 2^55}.
   */
  static Subject everyAdmittedCell(String name, ModelArchitecture a) {
    long[] lo = new long[a.numParameters()];
    long[] hi = new long[a.numParameters()];
    if (a.family().isDense()) {
      int q = 0;
      for (int k = 0; k + 1 < a.numLayerSizes(); k++) {
        boolean last = k + 2 == a.numLayerSizes();
        long bound = last ? ModelArchitecture.MARGIN_BOUND : ModelArchitecture.HIDDEN_BOUND;
        for (int j = 0; j < a.layerSize(k + 1); j++) {
          for (int i = 0; i < a.layerSize(k); i++, q++) {
            lo[q] = -(ModelArchitecture.VALUE_BOUND - 1);
            hi[q] = ModelArchitecture.VALUE_BOUND - 1;
          }
          lo[q] = -(bound - 1);
          hi[q++] = bound - 1;
        }
      }
    } else {
      int internal = (1 << a.treeDepth()) - 1;
      int perTree = 2 * internal + (1 << a.treeDepth());
      Arrays.fill(lo, -(ModelArchitecture.MARGIN_BOUND - 1)); // leaves and the base
      Arrays.fill(hi, ModelArchitecture.MARGIN_BOUND - 1);
      for (int t = 0; t < a.numTrees(); t++) {
        for (int n = 0; n < internal; n++) {
          int at = t * perTree + 2 * n;
          lo[at] = 0;
          hi[at] = a.numFeatures() - 1;
          lo[at + 1] = -(1L << 24);
          hi[at + 1] = 1L << 24;
        }
      }
    }
    return new Subject(name, a, lo, hi);
  }

  // --- the tests ----------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource({"shippedModels", "randomModels", "worstCaseModels"})
  void noArithmeticConstraintCanWrap(Subject s, TestReporter reporter) {
    Report r = new Analysis(s, e -> true).run();
    reporter.publishEntry(s.name(), r.toString());
    System.out.println(r);
    assertEquals(List.of(), r.contradictions(), s + ": the analysis found a row no trace satisfies");
    assertEquals(0, r.unresolvedReads(), s + ": a read whose address the analysis could not derive");
    assertTrue(r.findings().size() >= 8, s + ": the analysis looked at the circuit's arithmetic constraints");
    Op reads = s.arch().family().isDense() ? Op.MAC : Op.NODE;
    assertTrue(r.findings().stream().anyMatch(f -> f.op() == reads), s + ": no " + reads + " row analysed");
    List<Finding> wraps = r.findings().stream().filter(Finding::wraps).toList();
    assertEquals(List.of(), wraps, s + ": constraints whose integer value can reach p/2");
  }

  /**
   * Negative control: the same analysis of a copy of the circuit whose MAC range check lacks "limbs
   * 4..6 are zero" (so {@code v2 + 2^24} may be any 56-bit value, as before issue 15) finds the
   * accumulator can wrap.
   */
  @Test
  void withoutTheMacLimbChecks_theAccumulatorCanWrap() {
    Subject s = Subject.of("random linear 12", Quantizer.quantize(CircuitFixtures.linear(12, 1), bounds(12, 64)));
    int isMac = selectorOf(Op.MAC);
    Report r = new Analysis(s, e -> !limbForcedToZero(e, isMac, 4)).run();
    System.out.println("negative control (MAC limbs 4..6 free):\n" + r);
    assertTrue(r.skipped().get("weakened away (arithmetic)") == 3, r.skipped().toString());
    List<Finding> wraps = r.findings().stream().filter(Finding::wraps).toList();
    assertFalse(wraps.isEmpty(), "the weakened circuit must be reported");
    assertTrue(wraps.stream().anyMatch(f -> f.op() == Op.MAC && f.label().startsWith("accumulator")), wraps.toString());
  }

  /**
   * Negative control: without "ACT limbs 3..6 are zero" (7-limb ReLU, REFERENCES pitfall 24) {@code
   * y} is only below {@code 2^56} and the FIN equation {@code acc + b = y 2^24 + u} can wrap.
   */
  @Test
  void withoutTheActLimbChecks_theRescaleCanWrap() {
    Subject s = Subject.of("random mlp 8-6-4-1",
        Quantizer.quantize(CircuitFixtures.mlp(new int[] {8, 6, 4, 1}, 3), bounds(8, 64)));
    int isAct = selectorOf(Op.ACT);
    Report r = new Analysis(s, e -> !limbForcedToZero(e, isAct, 3)).run();
    System.out.println("negative control (ACT limbs 3..6 free):\n" + r);
    List<Finding> wraps = r.findings().stream().filter(Finding::wraps).toList();
    assertTrue(wraps.stream().anyMatch(f -> f.op() == Op.FIN && f.label().startsWith("rescale")), wraps.toString());
  }

  /**
   * Every model the import admits for the largest fan-in ({@code [1, 65536, 1]}), at once, each
   * parameter cell bounded only by its own limit. This is the argument of {@code
   * docs/decision-circuit.md} (weights below {@code 2^23}, a fan-in of at most {@code 2^16}, read
   * values in {@code [-2^24, 2^24)}: partial sums below {@code 2^16 (2^23 - 1) 2^24 = 2^63 - 2^40},
   * which is below {@code p/2 = 2^63 - 2^31} with only {@code 2^40 - 2^31} to spare). The analysis
   * derives {@code 2^16 (2^23 - 1)(2^24 - 1)}: an activation is {@code floor((w x + b) / 2^24)} with
   * {@code |w x + b| < 2^48}, so {@code |y| <= 2^24 - 1}. The margin after the bias ({@code |b| <
   * 2^55}, reaching {@code 2^63 + 2^55}) is still an integer equation: the decision limbs bound it.
   */
  @Test
  void everyAdmittedModelOfTheLargestFanIn_staysBelowHalfP() {
    ModelArchitecture a = denseAtLimits("shape", Family.NEURAL_NETWORK, 1, 65536, 1).arch();
    Report r = new Analysis(everyAdmittedCell("every admitted [1, 65536, 1]", a), e -> true).run();
    System.out.println(r);
    assertEquals(List.of(), r.contradictions());
    assertEquals(List.of(), r.findings().stream().filter(Finding::wraps).toList());
    Finding mac = r.findings().stream().filter(f -> f.op() == Op.MAC && f.label().startsWith("accumulator"))
        .findFirst().orElseThrow();
    BigInteger w = BigInteger.valueOf(ModelArchitecture.VALUE_BOUND - 1);
    BigInteger docs = TWO.pow(16).multiply(w).shiftLeft(24);
    assertEquals(TWO.pow(40).subtract(TWO.pow(31)), ExprIntervals.HALF.subtract(docs), "the docs' headroom below p/2");
    BigInteger derived = TWO.pow(16).multiply(w).multiply(TWO.pow(24).subtract(BigInteger.ONE));
    assertEquals(derived, mac.magnitude(), mac.toString());
    System.out.printf("largest fan-in: partial sums below p/2 - 2^%.3f%n",
        ExprIntervals.log2(ExprIntervals.HALF.subtract(derived)));
  }

  /**
   * Tree leaves bounded only one by one ({@code |leaf| < 2^55}) would let the accumulated margin
   * pass {@code p/2} after 256 trees: the import's check that the leaves' worst-case sum stays below
   * {@code 2^55} is what keeps the tree accumulator an integer (the worst-case tree models above are
   * at that limit and stay below {@code 2^55}).
   */
  @Test
  void treeLeavesBoundedOnlyOneByOne_couldWrap_soTheLeafSumCheckMatters() {
    ModelArchitecture a = new ModelArchitecture(Family.TREE_ENSEMBLE, CircuitFixtures.names(4), new int[4], 0,
        FloatModel.Link.LOGISTIC, new int[0], 300, 1);
    Report r = new Analysis(everyAdmittedCell("300 stumps, leaves bounded one by one", a), e -> true).run();
    System.out.println(r);
    List<Finding> wraps = r.findings().stream().filter(Finding::wraps).toList();
    assertTrue(wraps.stream().anyMatch(f -> f.op() == Op.LEAF && f.label().startsWith("accumulator")), r.toString());
  }

  /**
   * The ranges {@code docs/decision-circuit.md} states come out of the constraints, not the axioms:
   * a dense model's features and activations are in {@code [-2^24, 2^24)} (the MAC and ACT limbs);
   * a tree model's features only within {@code 2^56} of a threshold (the 7-limb comparison is the
   * integer comparison for any such {@code x}), or like dense ones once tree programs range-check
   * their features on MAC rows (the planned change).
   */
  @Test
  void derivedBounds_areTheDocumentedRanges() {
    Interval range = Interval.of(-(1L << 24), (1L << 24) - 1);
    Subject mlp = Subject.of("random mlp 8-6-4-1",
        Quantizer.quantize(CircuitFixtures.mlp(new int[] {8, 6, 4, 1}, 3), bounds(8, 64)));
    Analysis dense = new Analysis(mlp, e -> true);
    dense.run();
    for (int i = 0; i < mlp.arch().numFeatures(); i++) {
      assertEquals(range, dense.feature(i), "feature " + i);
    }
    assertEquals(10, dense.activations().size());
    for (Interval act : dense.activations()) {
      assertTrue(act.within(range), act.toString());
    }
    Subject trees = Subject.of("random trees 5x6 depth 4", Quantizer.quantize(CircuitFixtures.trees(5, 6, 4, 5), null));
    Analysis tree = new Analysis(trees, e -> true);
    tree.run();
    if (Circuit.of(trees.arch()).rows().stream().anyMatch(r -> r.op() == Op.MAC)) {
      for (int i = 0; i < trees.arch().numFeatures(); i++) { // the planned feature rows have landed
        assertEquals(range, tree.feature(i), "tree feature " + i);
      }
      return;
    }
    // A cell is bounded where a row reads it alone (a root's feature); elsewhere each read is.
    BigInteger comparisonReach = TWO.pow(56).add(TWO.pow(24));
    int bounded = 0;
    for (int i = 0; i < trees.arch().numFeatures(); i++) {
      BigInteger m = tree.feature(i).magnitude();
      assertTrue(m.compareTo(TWO.pow(55)) > 0, "tree feature " + i + ": " + tree.feature(i));
      bounded += m.compareTo(comparisonReach) <= 0 ? 1 : 0;
    }
    assertTrue(bounded > 0);
  }

  /**
   * The planned change (tree programs start with one MAC row per feature), simulated: the same
   * analysis, unchanged, then bounds tree features like dense ones and the comparison's {@code u}
   * below {@code 2^26}; nothing wraps.
   */
  @Test
  void plannedFeatureRowsForTrees_rangeCheckTreeFeaturesLikeDenseOnes() {
    Subject s = Subject.of("random trees 5x6 depth 4", Quantizer.quantize(CircuitFixtures.trees(5, 6, 4, 5), null));
    Analysis planned = new Analysis(s, Circuit.withFeatureRangeRows(s.arch()), e -> true);
    Report r = planned.run();
    System.out.println("planned tree program (feature MAC rows first):\n" + r);
    assertEquals(List.of(), r.contradictions());
    assertEquals(0, r.unresolvedReads());
    assertEquals(List.of(), r.findings().stream().filter(Finding::wraps).toList());
    for (int i = 0; i < s.arch().numFeatures(); i++) {
      assertEquals(Interval.of(-(1L << 24), (1L << 24) - 1), planned.feature(i), "feature " + i);
    }
    Finding comparison =
        r.findings().stream().filter(f -> f.label().startsWith("comparison")).findFirst().orElseThrow();
    assertTrue(ExprIntervals.log2(comparison.magnitude()) < 26, comparison.toString());
    Finding mac = r.findings().stream().filter(f -> f.op() == Op.MAC && f.label().startsWith("accumulator")).findFirst()
        .orElseThrow();
    assertTrue(ExprIntervals.log2(mac.magnitude()) <= 48, mac.toString()); // x * x, reset by the first NODE row
  }

  /** {@code selector * limb_j} with {@code j >= from}: "limb j is zero on these rows". */
  private static boolean limbForcedToZero(Expr e, int selector, int from) {
    return e instanceof Expr.Mul(Expr.Periodic(int k), Expr.Main(int col, boolean next))
        && k == selector && !next && col >= DecisionAir.LIMB + from && col < DecisionAir.LIMB + DecisionAir.NUM_LIMBS;
  }

  /** The periodic column that is 1 exactly on the program's {@code op} rows (found, not named). */
  private static int selectorOf(Op op) {
    return programColumns().stream().filter(c -> c.field().equals(op.name())).findFirst().orElseThrow().index();
  }

  // --- the report ---------------------------------------------------------------------------------

  /**
   * One constraint over the rows of one operation: the largest bound proving it an integer
   * equation ({@code magnitude}: the whole expression, or the other side of a cell with coefficient
   * ±1; at most {@code (p-1)/2} or it may wrap), the largest term it relates, and where.
   */
  record Finding(String label, Op op, BigInteger magnitude, BigInteger largestTerm, int row) {
    boolean wraps() {
      return magnitude.compareTo(ExprIntervals.HALF) > 0;
    }

    @Override
    public String toString() {
      return String.format("%-6s %-72s terms %-9s exact by %-9s %s (row %d)", op, label, log2(largestTerm),
          log2(magnitude), wraps() ? ">= p/2: WRAP POSSIBLE" : "< p/2", row);
    }

    private static String log2(BigInteger m) {
      return m.signum() == 0 ? "0" : String.format("2^%.3f", ExprIntervals.log2(m));
    }
  }

  record Report(String model, List<Finding> findings, Map<String, Integer> skipped, List<String> contradictions,
      int unresolvedReads, int passes, long millis) {
    @Override
    public String toString() {
      Finding top = findings.stream().max(Comparator.comparing(Finding::magnitude)).orElse(null);
      StringBuilder b = new StringBuilder(String.format(
          "%s: largest proof bound %s, p/2 = 2^63 - 2^31; %d ms, %d pass(es); not analysed: %s%n", model,
          top == null ? "nothing" : String.format("2^%.3f (%s, %s rows)", ExprIntervals.log2(top.magnitude()),
              top.label(), top.op()), millis, passes, skipped));
      int zero = 0;
      for (Finding f : findings) {
        if (f.magnitude().signum() == 0) {
          zero++;
        } else {
          b.append("  ").append(f).append('\n');
        }
      }
      b.append("  ... and ").append(zero).append(" (constraint, operation) pairs exactly 0 on every row\n");
      for (String c : contradictions) {
        b.append("  CONTRADICTION: ").append(c).append('\n');
      }
      return b.toString();
    }
  }

  // --- the analysis -------------------------------------------------------------------------------

  /** What the analysis reads from a circuit: the public program and the constraint lists. */
  record Circuit(int inputStart, int traceLength, List<Row> rows, long[][] periodic, List<Expr> transitions,
      List<Expr> everyRow, List<BoundaryConstraint> boundaries) {
    static Circuit of(ModelArchitecture a) {
      DecisionAir air = new DecisionAir(new DecisionProgram(a));
      return new Circuit(air.program().inputStart(), air.traceLength(), air.program().rows(),
          air.periodicColumns().toArray(new long[0][]), air.transitionConstraints(), air.everyRowConstraints(),
          air.boundaryConstraints());
    }

    /**
     * A simulation of a planned change (not in the main code yet): a tree program starting with one
     * MAC row per feature ({@code pa1 = pa2 =} the feature's input-tape address, {@code first}), so
     * tree features are range-checked like dense ones. The constraints are the circuit's own; the
     * program columns are rebuilt from the new rows (found by matching, see {@link #programColumns})
     * and the decision's boundary constraints move to the new margin row.
     */
    static Circuit withFeatureRangeRows(ModelArchitecture a) {
      Circuit c = of(a);
      List<Row> rows = new ArrayList<>();
      for (int f = 0; f < a.numFeatures(); f++) {
        rows.add(new Row(Op.MAC, c.inputStart + f, c.inputStart + f, 0, 0, true, false));
      }
      rows.addAll(c.rows);
      if (rows.size() + 1 > c.traceLength) {
        throw new IllegalArgumentException("the simulated program does not fit the trace");
      }
      long[][] periodic = c.periodic.clone();
      for (ProgramColumn pc : programColumns()) {
        long[] col = new long[c.traceLength];
        for (int i = 0; i < rows.size(); i++) {
          col[i] = pc.value().applyAsLong(rows.get(i));
        }
        periodic[pc.index()] = col;
      }
      int oldMargin = c.rows.size();
      List<BoundaryConstraint> bc = new ArrayList<>();
      for (BoundaryConstraint b : c.boundaries) {
        bc.add(b.resolveRow(c.traceLength) == oldMargin ? new BoundaryConstraint(rows.size(), b.expr()) : b);
      }
      return new Circuit(c.inputStart, c.traceLength, List.copyOf(rows), periodic, c.transitions, c.everyRow, bc);
    }
  }

  /**
   * The periodic columns that are a field of the program's rows (operation selectors, {@code
   * first}, {@code treeStart}, the public addresses), each found as the one column equal to that
   * field on every row of a dense and of a tree circuit: the analysis does not depend on the AIR's
   * (package-private) column numbering.
   */
  static List<ProgramColumn> programColumns() {
    Map<String, ToLongFunction<Row>> fields = new LinkedHashMap<>();
    for (Op op : Op.values()) {
      if (op != Op.NONE) {
        fields.put(op.name(), r -> r.op() == op ? 1 : 0);
      }
    }
    fields.put("first", r -> r.first() ? 1 : 0);
    fields.put("treeStart", r -> r.treeStart() ? 1 : 0);
    fields.put("pa1", Row::pa1);
    fields.put("pa2", Row::pa2);
    fields.put("pa3", Row::pa3);
    fields.put("wa", Row::wa);
    List<Circuit> samples = List.of(
        Circuit.of(Quantizer.quantize(CircuitFixtures.mlp(new int[] {3, 2, 1}, 1), bounds(3, 8)).architecture()),
        Circuit.of(Quantizer.quantize(CircuitFixtures.trees(3, 2, 2, 1), null).architecture()));
    List<ProgramColumn> out = new ArrayList<>();
    for (Map.Entry<String, ToLongFunction<Row>> f : fields.entrySet()) {
      Set<Integer> match = null;
      for (Circuit c : samples) {
        Set<Integer> m = new HashSet<>();
        for (int k = 0; k < c.periodic.length; k++) {
          long[] col = c.periodic[k];
          if (col.length == c.traceLength && IntStream.range(0, c.traceLength).allMatch(i ->
              col[i] == (i < c.rows.size() ? f.getValue().applyAsLong(c.rows.get(i)) : 0))) {
            m.add(k);
          }
        }
        if (match == null) {
          match = m;
        } else {
          match.retainAll(m);
        }
      }
      assertEquals(1, match.size(), "one periodic column holds the program's " + f.getKey());
      out.add(new ProgramColumn(f.getKey(), match.iterator().next(), f.getValue()));
    }
    return out;
  }

  record ProgramColumn(String field, int index, ToLongFunction<Row> value) {}

  private enum Role {
    ARITHMETIC, SPONGE, LOGUP, BYTE_TABLE
  }

  /** Which constraints are integer-range matters, by the cells they read. */
  private static Role role(Expr e) {
    Set<Integer> cols = new HashSet<>();
    boolean[] ext = new boolean[1];
    walk(e, cols, ext);
    if (ext[0]) {
      return Role.LOGUP; // helpers and running sum: extension-field fractions, sound by Schwartz-Zippel
    }
    if (cols.contains(DecisionAir.TAB) || cols.contains(DecisionAir.MTAB)) {
      return Role.BYTE_TABLE; // the table's steps and ends: they define axiom 1
    }
    for (int c : cols) {
      if (c < DecisionAir.V1) { // s, B, tape, cnt, mTape: the columns before v1 are the sponge group
        return Role.SPONGE; // RPO-256 rounds and absorption: field arithmetic by design; cnt a LogUp key
      }
    }
    return Role.ARITHMETIC;
  }

  private static void walk(Expr e, Set<Integer> cols, boolean[] ext) {
    switch (e) {
      case Expr.Main m -> cols.add(m.column());
      case Expr.Aux a -> ext[0] = true;
      case Expr.Challenge c -> ext[0] = true;
      case Expr.Add a -> {
        walk(a.left(), cols, ext);
        walk(a.right(), cols, ext);
      }
      case Expr.Sub s -> {
        walk(s.left(), cols, ext);
        walk(s.right(), cols, ext);
      }
      case Expr.Mul m -> {
        walk(m.left(), cols, ext);
        walk(m.right(), cols, ext);
      }
      case Expr.Neg n -> walk(n.operand(), cols, ext);
      case Expr.Pow p -> walk(p.base(), cols, ext);
      case Expr.Const c -> { }
      case Expr.Periodic p -> { }
      case Expr.PublicInput p -> { }
    }
  }

  static String columnName(int c) {
    if (c >= DecisionAir.LIMB && c < DecisionAir.LIMB + DecisionAir.NUM_LIMBS) {
      return "limb" + (c - DecisionAir.LIMB);
    }
    return switch (c) {
      case DecisionAir.V1 -> "v1";
      case DecisionAir.A1 -> "a1";
      case DecisionAir.V2 -> "v2";
      case DecisionAir.A2 -> "a2";
      case DecisionAir.V3 -> "v3";
      case DecisionAir.A3 -> "a3";
      case DecisionAir.ACC -> "acc";
      case DecisionAir.Y -> "y";
      case DecisionAir.BIT -> "bit";
      case DecisionAir.NODE -> "node";
      case DecisionAir.OUT -> "out";
      case DecisionAir.MOUT -> "mOut";
      default -> "col" + c;
    };
  }

  /** One analysed constraint; its periodic columns substituted per row (cached per signature). */
  private static final class Constraint {
    final String label;
    /** Every-row and boundary constraints: all their cells are on one row. */
    final boolean oneRow;
    final Poly poly;
    final int[] periodic;
    final Map<Signature, Poly> bySignature = new HashMap<>();
    private long[] lastKey;
    private Poly lastPoly;

    Constraint(String kind, int index, Expr e) {
      this.poly = Poly.of(e);
      this.oneRow = !kind.equals("transition");
      this.periodic = Arrays.stream(poly.vars()).filter(ExprIntervals::isPeriodic).map(ExprIntervals::index).toArray();
      TreeSet<String> cells = new TreeSet<>(Comparator.comparing((String c) -> c.startsWith("limb") ? 1 : 0)
          .thenComparing(Comparator.naturalOrder()));
      for (int v : poly.vars()) {
        if (ExprIntervals.isMain(v)) {
          cells.add(columnName(ExprIntervals.column(v)) + (ExprIntervals.isNext(v) ? "'" : ""));
        } else if (!ExprIntervals.isPeriodic(v)) {
          int pi = ExprIntervals.index(v);
          cells.add(pi == DecisionAir.PI_THRESHOLD ? "T" : pi == DecisionAir.PI_DECISION ? "d" : "pi" + pi);
        }
      }
      String named = String.join(" ", cells).replace("limb0 limb1 limb2 limb3 limb4 limb5 limb6", "u")
          .replace("limb0' limb1' limb2' limb3' limb4' limb5' limb6'", "u'");
      if (named.matches("limb[0-9]")) {
        named += degree(e) >= 2 ? " is a bit" : " = 0"; // selector * limb (limb - 1), or selector * limb
      }
      this.label = DESCRIPTIONS.getOrDefault(named, named) + " [" + kind + " " + index + "]";
    }

    /** Degree in the main columns. */
    private static int degree(Expr e) {
      return switch (e) {
        case Expr.Main m -> 1;
        case Expr.Add a -> Math.max(degree(a.left()), degree(a.right()));
        case Expr.Sub b -> Math.max(degree(b.left()), degree(b.right()));
        case Expr.Mul m -> degree(m.left()) + degree(m.right());
        case Expr.Neg n -> degree(n.operand());
        case Expr.Pow w -> w.exponent() * degree(w.base());
        default -> 0; // constants, periodic columns, public inputs
      };
    }

    /** Display names by the cells a constraint reads (a constraint not listed shows its cells). */
    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
        Map.entry("acc acc' v1 v2", "accumulator acc' = (1 - first) acc + v1 v2"),
        Map.entry("acc acc'", "accumulator acc' = (1 - first) acc"),
        Map.entry("acc acc' v1", "accumulator acc' = acc + v1"),
        Map.entry("bit' y u'", "ReLU sign u' = bit' (2y + 1) - y - 1"),
        Map.entry("bit' out' y", "ReLU out' = bit' y"),
        Map.entry("bit node node'", "walk node' = 2 node + 1 + bit"),
        Map.entry("acc v1 y u", "rescale acc + v1 = y 2^24 + u"),
        Map.entry("v2 u", "range u = v2 + 2^24"),
        Map.entry("bit v2 v3 u", "comparison u = bit (x - t) + (1 - bit)(t - 1 - x)"),
        Map.entry("node", "tree start node = 0"),
        Map.entry("bit", "bit (bit - 1) = 0"),
        Map.entry("a1 node", "address a1 = pa1 + (2 node on NODE, node on LEAF)"),
        Map.entry("a1 a2", "address a2 = pa2 + a1 + 1"),
        Map.entry("a3 v1", "address a3 = pa3 + v1"),
        Map.entry("T acc d u", "decision u = d (acc - T) + (1 - d)(T - 1 - acc)"),
        Map.entry("d", "d (d - 1) = 0"));

    /** This constraint on {@code row}: its periodic columns replaced by their values there. */
    Poly at(long[][] periodicCols, int row) {
      if (periodic.length == 0) {
        return poly;
      }
      long[] key = new long[periodic.length];
      for (int k = 0; k < periodic.length; k++) {
        long[] col = periodicCols[periodic[k]];
        key[k] = col[row % col.length];
      }
      if (Arrays.equals(key, lastKey)) {
        return lastPoly; // consecutive rows of one kind share their selectors
      }
      Signature sig = new Signature(key);
      Poly q = bySignature.get(sig);
      if (q == null) {
        q = poly.substitute(v -> ExprIntervals.isPeriodic(v)
            ? ExprIntervals.signed(key[Arrays.binarySearch(periodic, ExprIntervals.index(v))]) : null);
        if (bySignature.size() < 1024) { // addresses make most signatures unique: keep the selector ones
          bySignature.put(sig, q);
        }
      }
      lastKey = key;
      lastPoly = q;
      return q;
    }
  }

  private record Signature(long[] values) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Signature s && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }
  }

  /** What is known about one row's cells. */
  private static final class Slot {
    final int row;
    final Interval[] cells = new Interval[DecisionAir.WIDTH];
    /** Field identities {@code cell = poly(other cells of this row)} from unit solves: address enumeration. */
    final Poly[] defs = new Poly[DecisionAir.WIDTH];
    final boolean[] readDone = new boolean[3];
    final long[][] readSet = new long[3][];

    Slot(int row) {
      this.row = row;
      Arrays.fill(cells, Interval.ANY);
      for (int j = 0; j < DecisionAir.NUM_LIMBS; j++) {
        cells[DecisionAir.LIMB + j] = BYTE; // axiom 1
      }
    }

    Slot copyAs(int r) {
      Slot s = new Slot(r);
      System.arraycopy(cells, 0, s.cells, 0, cells.length);
      System.arraycopy(defs, 0, s.defs, 0, defs.length);
      System.arraycopy(readDone, 0, s.readDone, 0, 3);
      System.arraycopy(readSet, 0, s.readSet, 0, 3);
      return s;
    }

    boolean sameState(Slot o) {
      return Arrays.equals(cells, o.cells) && Arrays.equals(defs, o.defs) && Arrays.equals(readDone, o.readDone);
    }
  }

  /** One constraint on one row ({@code offset} 0: the window's current row, 1: the next). */
  private static final class Instance {
    final Constraint c;
    final Poly q;
    int offset;
    Interval[] inputs;
    Outcome outcome;

    Instance(Constraint c, Poly q, int offset) {
      this.c = c;
      this.q = q;
      this.offset = offset;
    }
  }

  /**
   * The analysis of one model: rows in program order with a two-row window (a row and the next),
   * each window solved to a fixpoint over its constraint instances and reads; memory cells (features,
   * activations) carry bounds between rows; whole passes repeat until no read could see a narrower
   * cell than it saw (a cell bounded by a later row).
   */
  static final class Analysis {
    private static final int[] A = {DecisionAir.A1, DecisionAir.A2, DecisionAir.A3};
    private static final int[] V = {DecisionAir.V1, DecisionAir.V2, DecisionAir.V3};
    private static final int ENUMERATION_LIMIT = 1 << 12;

    private final Subject subject;
    private final int inputStart;
    private final int n;
    private final List<Row> rows;
    private final long[][] periodic;
    private final List<Constraint> transitions = new ArrayList<>();
    private final List<Constraint> everyRow = new ArrayList<>();
    private final Map<Integer, List<Constraint>> boundaries = new HashMap<>();
    private final Map<String, Integer> skipped = new TreeMap<>();
    /** Per row: an id of (periodic values of rows i and i+1) for rows that read, write and bound nothing; else -1. */
    private final int[] quietClass;

    private final Interval[] features;
    private final Map<Long, Interval> activations = new HashMap<>();
    private final Set<Long> activationAddresses = new HashSet<>();
    private final Interval[] pi = new Interval[DecisionAir.NUM_PUBLIC_INPUTS];

    private final Map<String, Finding> worst = new LinkedHashMap<>();
    private final List<String> contradictions = new ArrayList<>();
    private final List<long[]> readSets = new ArrayList<>();
    private final List<Interval> readValues = new ArrayList<>();
    private int unresolvedReads;

    /** {@code keep}: which arithmetic constraints to analyse (all, or a weakened copy of the circuit). */
    Analysis(Subject subject, Circuit circuit, Predicate<Expr> keep) {
      this.subject = subject;
      this.inputStart = circuit.inputStart();
      this.n = circuit.traceLength();
      this.rows = circuit.rows();
      this.periodic = circuit.periodic();
      List<Expr> tr = circuit.transitions();
      for (int k = 0; k < tr.size(); k++) {
        if (admit(tr.get(k), keep)) {
          transitions.add(new Constraint("transition", k, tr.get(k)));
        }
      }
      List<Expr> er = circuit.everyRow();
      for (int k = 0; k < er.size(); k++) {
        if (admit(er.get(k), keep)) {
          everyRow.add(new Constraint("every-row", k, er.get(k)));
        }
      }
      List<BoundaryConstraint> bc = circuit.boundaries();
      for (int k = 0; k < bc.size(); k++) {
        if (admit(bc.get(k).expr(), keep)) {
          boundaries.computeIfAbsent(bc.get(k).resolveRow(n), r -> new ArrayList<>())
              .add(new Constraint("boundary", k, bc.get(k).expr()));
        }
      }
      for (Row r : rows) {
        if (r.op() == Op.ACT) {
          activationAddresses.add(r.wa());
        }
      }
      this.features = new Interval[subject.arch().numFeatures()];
      this.quietClass = quietClasses();
    }

    Analysis(Subject subject, Predicate<Expr> keep) {
      this(subject, Circuit.of(subject.arch()), keep);
    }

    /** After {@link #run}: the bound derived for feature {@code i}'s cell. */
    Interval feature(int i) {
      return features[i];
    }

    /** After {@link #run}: the bounds derived for the activation cells. */
    Collection<Interval> activations() {
      return activations.values();
    }

    private boolean admit(Expr e, Predicate<Expr> keep) {
      Role r = role(e);
      if (r != Role.ARITHMETIC) {
        skipped.merge(r.name().toLowerCase(Locale.ROOT).replace('_', ' '), 1, Integer::sum);
        return false;
      }
      if (!keep.test(e)) {
        skipped.merge("weakened away (arithmetic)", 1, Integer::sum);
        return false;
      }
      return true;
    }

    private Op op(int row) {
      return row < rows.size() ? rows.get(row).op() : Op.NONE;
    }

    /** Axiom 2: which (address, value) pairs a row's operation reads. */
    private static int[] reads(Op op) {
      return switch (op) {
        case MAC -> new int[] {0, 1};
        case FIN, LEAF, DECIDE -> new int[] {0};
        case NODE -> new int[] {0, 1, 2};
        case ACT, NONE -> new int[0];
      };
    }

    private int[] quietClasses() {
      Set<Integer> used = new TreeSet<>();
      for (Constraint c : transitions) {
        Arrays.stream(c.periodic).forEach(used::add);
      }
      for (Constraint c : everyRow) {
        Arrays.stream(c.periodic).forEach(used::add);
      }
      int[] cols = used.stream().mapToInt(Integer::intValue).toArray();
      int[] out = new int[n];
      Map<Signature, Integer> ids = new HashMap<>();
      for (int i = 0; i < n; i++) {
        boolean quiet = i + 1 <= n - 2 && op(i) == Op.NONE && op(i + 1) == Op.NONE
            && !boundaries.containsKey(i) && !boundaries.containsKey(i + 1);
        if (!quiet) {
          out[i] = -1;
          continue;
        }
        long[] sig = new long[2 * cols.length];
        for (int k = 0; k < cols.length; k++) {
          long[] col = periodic[cols[k]];
          sig[k] = col[i % col.length];
          sig[cols.length + k] = col[(i + 1) % col.length];
        }
        out[i] = ids.computeIfAbsent(new Signature(sig), s -> ids.size());
      }
      return out;
    }

    Report run() {
      long t0 = System.nanoTime();
      Arrays.fill(features, Interval.ANY);
      int passes = 1;
      while (pass()) {
        if (++passes > 6) {
          throw new AssertionError(subject + ": memory bounds still narrowing after 6 passes");
        }
      }
      List<Finding> f = new ArrayList<>(worst.values());
      f.sort(Comparator.comparing(Finding::op).thenComparing(Finding::label));
      return new Report(subject.name(), f, skipped, List.copyOf(contradictions), unresolvedReads, passes,
          (System.nanoTime() - t0) / 1_000_000);
    }

    /** One pass over all rows; true if a read saw a cell wider than the cell's final bound (rerun). */
    private boolean pass() {
      worst.clear();
      contradictions.clear();
      readSets.clear();
      readValues.clear();
      unresolvedReads = 0;
      Arrays.fill(pi, Interval.ANY);
      pi[DecisionAir.PI_THRESHOLD] = THRESHOLD_AXIOM; // axiom 4
      Slot cur = new Slot(0);
      List<Instance> carried = null;
      Slot lastEntry = null;
      for (int i = 0; i < n; i++) {
        // A quiet row whose state and periodic values repeat the previous row's: the same window
        // computation, so the same bounds and magnitudes; the state is a fixpoint for the run.
        if (quietClass[i] >= 0 && i > 0 && quietClass[i] == quietClass[i - 1] && lastEntry != null
            && cur.sameState(lastEntry)) {
          int j = i;
          while (j + 1 < n && quietClass[j + 1] == quietClass[i]) {
            j++;
          }
          cur = cur.copyAs(j + 1);
          carried = null;
          i = j;
          continue;
        }
        lastEntry = quietClass[i] >= 0 ? cur.copyAs(i) : null;
        Slot next = i + 1 < n ? new Slot(i + 1) : null;
        Slot[] w = {cur, next};
        List<Instance> insts = new ArrayList<>();
        if (carried != null) {
          insts.addAll(carried);
        } else {
          addInstances(insts, everyRow, i, 0);
          addInstances(insts, boundaries.getOrDefault(i, List.of()), i, 0);
        }
        if (i <= n - 2) {
          addInstances(insts, transitions, i, 0);
        }
        List<Instance> ahead = new ArrayList<>();
        if (next != null) {
          addInstances(ahead, everyRow, i + 1, 1);
          addInstances(ahead, boundaries.getOrDefault(i + 1, List.of()), i + 1, 1);
        }
        insts.addAll(ahead);
        settle(insts, w);
        for (Instance in : insts) {
          if (in.offset == 0) {
            record(in, i);
          }
        }
        finish(cur);
        for (Instance a : ahead) {
          a.offset = 0;
        }
        carried = ahead;
        cur = next;
      }
      for (int k = 0; k < readSets.size(); k++) {
        Interval h = memoryHull(readSets.get(k));
        if (h != null && !readValues.get(k).within(h)) {
          return true;
        }
      }
      return false;
    }

    private void addInstances(List<Instance> out, List<Constraint> cs, int row, int offset) {
      for (Constraint c : cs) {
        Poly q = c.at(periodic, row);
        if (!q.isZero()) {
          out.add(new Instance(c, q, offset));
        }
      }
    }

    private Interval get(Slot[] w, Instance in, int v) {
      if (ExprIntervals.isMain(v)) {
        return w[in.offset + (ExprIntervals.isNext(v) ? 1 : 0)].cells[ExprIntervals.column(v)];
      }
      return pi[ExprIntervals.index(v)];
    }

    private void set(Slot[] w, Instance in, int v, Interval x) {
      if (ExprIntervals.isMain(v)) {
        w[in.offset + (ExprIntervals.isNext(v) ? 1 : 0)].cells[ExprIntervals.column(v)] = x;
      } else {
        pi[ExprIntervals.index(v)] = x;
      }
    }

    /** Solve steps and reads until nothing narrows. */
    private void settle(List<Instance> insts, Slot[] w) {
      for (int round = 0; round < 64; round++) {
        boolean changed = false;
        for (Instance in : insts) {
          changed |= apply(in, w);
        }
        if (!changed && !read(w)) {
          return;
        }
      }
    }

    private boolean apply(Instance in, Slot[] w) {
      int[] vs = in.q.vars();
      Interval[] inputs = new Interval[vs.length];
      for (int k = 0; k < vs.length; k++) {
        inputs[k] = get(w, in, vs[k]);
      }
      if (sameObjects(inputs, in.inputs)) {
        return false; // cells are replaced only when they narrow: same objects, same bounds
      }
      Outcome o = in.q.analyse(inputs);
      in.inputs = inputs;
      in.outcome = o;
      if (!o.feasible()) {
        contradiction(in.c.label + " at row " + (w[in.offset].row));
        return false;
      }
      boolean changed = false;
      for (Map.Entry<Integer, Interval> e : o.bounds().entrySet()) {
        Interval c = get(w, in, e.getKey());
        Interval x = c.intersect(e.getValue());
        if (x == null) {
          contradiction(in.c.label + " at row " + w[in.offset].row + ": empty bound");
        } else if (!x.equals(c)) {
          set(w, in, e.getKey(), x);
          changed = true;
        }
      }
      if (in.c.oneRow) { // a definition in terms of the same row's cells
        for (Map.Entry<Integer, Poly> e : o.definitions().entrySet()) {
          int v = e.getKey();
          if (ExprIntervals.isMain(v) && w[in.offset].defs[ExprIntervals.column(v)] == null) {
            w[in.offset].defs[ExprIntervals.column(v)] = e.getValue();
          }
        }
      }
      return changed;
    }

    private static boolean sameObjects(Interval[] a, Interval[] b) {
      if (b == null) {
        return false;
      }
      for (int k = 0; k < a.length; k++) {
        if (a[k] != b[k]) {
          return false;
        }
      }
      return true;
    }

    private void contradiction(String what) {
      if (contradictions.size() < 10) {
        contradictions.add(what);
      }
    }

    /** Axiom 2: reads whose address is now bounded take the hull of the cells they may read. */
    private boolean read(Slot[] w) {
      boolean any = false;
      for (Slot s : w) {
        if (s == null) {
          continue;
        }
        for (int k : reads(op(s.row))) {
          if (s.readDone[k] || s.cells[A[k]].equals(Interval.ANY)) {
            continue;
          }
          s.readDone[k] = true;
          any = true;
          long[] addrs = addresses(s, A[k]);
          s.readSet[k] = addrs;
          if (addrs == null) {
            continue; // too many addresses to enumerate: the value keeps what the constraints say
          }
          Interval h = memoryHull(addrs);
          Interval v = h == null ? null : s.cells[V[k]].intersect(h);
          if (v == null) {
            contradiction("row " + s.row + " (" + op(s.row) + ") reads no written cell with a possible value");
          } else {
            s.cells[V[k]] = v;
          }
        }
      }
      return any;
    }

    /** The memory addresses {@code col} may hold on this row (field elements), or null if too many. */
    private long[] addresses(Slot s, int col) {
      List<BigInteger> vals = values(s, col, 0);
      if (vals == null) {
        return null;
      }
      return vals.stream().map(v -> v.mod(ExprIntervals.P)).filter(v -> v.bitLength() < 63)
          .mapToLong(BigInteger::longValue).distinct().sorted().toArray();
    }

    /** The integer values {@code col} may take (from its interval, or its definition), or null. */
    private List<BigInteger> values(Slot s, int col, int depth) {
      Interval iv = s.cells[col];
      if (iv.isPoint()) {
        return List.of(iv.lo());
      }
      Poly d = s.defs[col];
      if (d != null && depth < 4) {
        List<BigInteger> fromDef = enumerate(s, d, iv, depth);
        if (fromDef != null) {
          return fromDef;
        }
      }
      if (iv.width().compareTo(BigInteger.valueOf(ENUMERATION_LIMIT)) > 0) {
        return null;
      }
      List<BigInteger> out = new ArrayList<>();
      for (BigInteger x = iv.lo(); x.compareTo(iv.hi()) <= 0; x = x.add(BigInteger.ONE)) {
        out.add(x);
      }
      return out;
    }

    private List<BigInteger> enumerate(Slot s, Poly d, Interval iv, int depth) {
      int[] vs = d.vars();
      List<List<BigInteger>> sets = new ArrayList<>();
      long count = 1;
      for (int v : vs) {
        if (!ExprIntervals.isMain(v) || ExprIntervals.isNext(v)) {
          return null;
        }
        List<BigInteger> x = values(s, ExprIntervals.column(v), depth + 1);
        if (x == null || (count *= x.size()) > ENUMERATION_LIMIT) {
          return null;
        }
        sets.add(x);
      }
      TreeSet<BigInteger> out = new TreeSet<>();
      int[] at = new int[vs.length];
      for (long c = 0; c < count; c++) {
        long r = c;
        for (int k = 0; k < vs.length; k++) {
          at[k] = (int) (r % sets.get(k).size());
          r /= sets.get(k).size();
        }
        BigInteger val = d.valueAt(v -> sets.get(Arrays.binarySearch(vs, v)).get(at[Arrays.binarySearch(vs, v)]));
        BigInteger m = val.mod(ExprIntervals.P);
        BigInteger rep = m.compareTo(ExprIntervals.HALF) > 0 ? m.subtract(ExprIntervals.P) : m;
        if (rep.compareTo(iv.lo()) >= 0 && rep.compareTo(iv.hi()) <= 0) {
          out.add(rep);
        }
      }
      return new ArrayList<>(out);
    }

    /** Hull of the written cells among {@code addrs} (axioms 2 and 3); null if none is written. */
    private Interval memoryHull(long[] addrs) {
      int numParams = subject.lo().length;
      long in0 = inputStart;
      long plo = Long.MAX_VALUE;
      long phi = Long.MIN_VALUE;
      Interval h = null;
      for (long a : addrs) {
        if (a >= 0 && a < numParams) {
          plo = Math.min(plo, subject.lo()[(int) a]);
          phi = Math.max(phi, subject.hi()[(int) a]);
        } else if (a >= in0 && a < in0 + features.length) {
          h = features[(int) (a - in0)].hull(h);
        } else if (activationAddresses.contains(a)) {
          h = activations.getOrDefault(a, Interval.ANY).hull(h);
        }
        // any other address (salt, padding, unused) is never written: no read there balances
      }
      if (plo <= phi) {
        h = Interval.of(plo, phi).hull(h);
      }
      return h;
    }

    /** Row done: a read of one cell bounds the cell for every other read; an ACT row writes. */
    private void finish(Slot s) {
      int numParams = subject.lo().length;
      for (int k : reads(op(s.row))) {
        if (!s.readDone[k]) {
          unresolvedReads++;
          continue;
        }
        long[] a = s.readSet[k];
        if (a == null) {
          unresolvedReads++; // too many addresses: axiom 2 was not applied to this read
          continue;
        }
        Interval v = s.cells[V[k]];
        if (a.length > 0 && (a[0] < 0 || a[a.length - 1] >= numParams)) { // sorted: a non-parameter cell
          readSets.add(a);
          readValues.add(v);
        }
        if (a.length == 1 && a[0] >= numParams) {
          long in0 = inputStart;
          if (a[0] >= in0 && a[0] < in0 + features.length) {
            features[(int) (a[0] - in0)] = narrow(features[(int) (a[0] - in0)], v, s);
          } else if (activationAddresses.contains(a[0])) {
            activations.put(a[0], narrow(activations.getOrDefault(a[0], Interval.ANY), v, s));
          }
        }
      }
      if (op(s.row) == Op.ACT) {
        long wa = rows.get(s.row).wa();
        activations.put(wa, narrow(activations.getOrDefault(wa, Interval.ANY), s.cells[DecisionAir.OUT], s));
      }
    }

    private Interval narrow(Interval cell, Interval v, Slot s) {
      Interval x = cell.intersect(v);
      if (x == null) {
        contradiction("row " + s.row + ": a memory cell with no possible value");
        return cell;
      }
      return x;
    }

    private void record(Instance in, int row) {
      Op op = op(row);
      String key = in.c.label + "@" + op;
      Finding f = worst.get(key);
      BigInteger m = in.outcome.magnitude();
      BigInteger t = in.outcome.largestTerm();
      if (f == null) {
        worst.put(key, new Finding(in.c.label, op, m, t, row));
      } else if (m.compareTo(f.magnitude()) > 0 || t.compareTo(f.largestTerm()) > 0) {
        worst.put(key, new Finding(in.c.label, op, m.max(f.magnitude()), t.max(f.largestTerm()),
            m.compareTo(f.magnitude()) > 0 ? row : f.row()));
      }
    }
  }
}
