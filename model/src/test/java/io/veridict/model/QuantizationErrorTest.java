package io.veridict.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stated worst-case score error (issue 15, defect 7) is an upper bound: no admissible input —
 * random, at the corners of the input box, or inside a split's rounding band — exceeds it; and
 * its terms are needed: a tree split off the fixed-point grid really flips for an input in its band.
 */
class QuantizationErrorTest {
  /** {@code |m_q(quantize(x)) - 2^s m(x)|}, with the linear model's margin computed exactly. */
  private static BigDecimal exactLinearError(LinearModel m, QuantizedModel q, double[] x) {
    ModelArchitecture a = q.architecture();
    BigDecimal exact = new BigDecimal(m.bias());
    long[] xq = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      exact = exact.add(new BigDecimal(m.weights()[i]).multiply(new BigDecimal(x[i])));
      xq[i] = a.quantizeInput(i, x[i]);
    }
    BigDecimal mq = new BigDecimal(FixedPointEvaluator.margin(q, xq));
    return mq.subtract(exact.multiply(QuantizationError.pow2(a.marginExponent()))).abs();
  }

  /** Random points, and corners of the box at 0.999 of each feature's encodable bound. */
  private static List<double[]> inputs(ModelArchitecture a, long seed, int random) {
    SplittableRandom r = new SplittableRandom(seed);
    int f = a.numFeatures();
    java.util.ArrayList<double[]> out = new java.util.ArrayList<>();
    for (int k = 0; k < random + 64; k++) {
      double[] x = new double[f];
      for (int i = 0; i < f; i++) {
        double b = 0.999 * Math.scalb((double) ModelArchitecture.VALUE_BOUND, -a.inputExponent(i));
        x[i] = k < random ? r.nextDouble(-b, b) : (r.nextBoolean() ? b : -b);
      }
      out.add(x);
    }
    return out;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void linear_theBoundHoldsExactly_atRandomPointsAndCorners(long seed) {
    LinearModel m = CircuitFixtures.linear(10, seed);
    double[] bounds = new double[10];
    Arrays.fill(bounds, 1 << seed);
    QuantizedModel q = Quantizer.quantize(m, bounds);
    long e = q.scoreErrorBound().orElseThrow();
    BigDecimal worst = BigDecimal.ZERO;
    for (double[] x : inputs(q.architecture(), seed, 500)) {
      worst = worst.max(exactLinearError(m, q, x));
    }
    assertTrue(worst.compareTo(BigDecimal.valueOf(e)) <= 0, "observed " + worst + " > bound " + e);
    // Not vacuous: the corners reach a sizeable fraction of it (the bound adds every term's worst).
    assertTrue(worst.compareTo(BigDecimal.valueOf(e / 50)) >= 0, "observed " + worst + " vs bound " + e);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void mlp_theBoundHolds_atRandomPointsAndCorners(long seed) {
    NeuralNetwork m = CircuitFixtures.mlp(new int[] {6, 5, 4, 1}, seed);
    double[] bounds = new double[6];
    Arrays.fill(bounds, 16);
    QuantizedModel q = Quantizer.quantize(m, bounds);
    ModelArchitecture a = q.architecture();
    long e = q.scoreErrorBound().orElseThrow();
    double worst = 0;
    for (double[] x : inputs(a, seed, 2000)) {
      long[] xq = new long[x.length];
      for (int i = 0; i < x.length; i++) {
        xq[i] = a.quantizeInput(i, x[i]);
      }
      double ref = Math.scalb(m.margin(x), a.marginExponent());
      worst = Math.max(worst, Math.abs(FixedPointEvaluator.margin(q, xq) - ref) - 1e-9 * Math.abs(ref));
    }
    assertTrue(worst <= e, "observed " + worst + " > bound " + e);
  }

  /** One stump on feature 0 at {@code threshold}, leaves -1 / +2. */
  private static TreeEnsemble stump(double threshold) {
    TreeEnsemble.Tree t = new TreeEnsemble.Tree(new int[] {1, -1, -1}, new int[] {2, -1, -1}, new int[] {0, 0, 0},
        new double[] {threshold, 0, 0}, new boolean[3], new double[] {0, -1, 2});
    return new TreeEnsemble(CircuitFixtures.names(1), List.of(t), 0.25, FloatModel.Link.LOGISTIC);
  }

  @Test
  void aSplitOnTheGrid_neverFlips_andOnlyLeafRoundingIsStated() {
    TreeEnsemble m = stump(2.5); // 2.5 * 2^e is an integer for e >= 1
    QuantizedModel q = Quantizer.quantize(m, new double[] {8});
    ModelArchitecture a = q.architecture();
    assertEquals(1, q.scoreErrorBound().orElseThrow(), "0.5 per leaf and 0.5 for the base, rounded up");
    for (double x : new double[] {2.5, Math.nextDown(2.5), Math.nextUp(2.5), 2.5 - Math.scalb(1.0, -a.inputExponent(0) - 1)}) {
      long mq = FixedPointEvaluator.margin(q, new long[] {a.quantizeInput(0, x)});
      assertTrue(Math.abs(mq - Math.scalb(m.margin(new double[] {x}), a.marginExponent())) <= 1, "x = " + x);
    }
  }

  @Test
  void aSplitOffTheGrid_flipsInsideItsBand_andTheBoundCoversTheLeafRange() {
    double thr = 2.5 + Math.scalb(1.0, -40); // below the grid's resolution
    TreeEnsemble m = stump(thr);
    QuantizedModel q = Quantizer.quantize(m, new double[] {8});
    ModelArchitecture a = q.architecture();
    assertTrue(QuantizationError.flippable(thr, a.inputExponent(0)));
    long e = q.scoreErrorBound().orElseThrow();
    long range = (long) Math.scalb(3.0, a.marginExponent()); // leaves -1 and +2
    assertEquals(range + 1, e);
    // x = thr is right of the split for the model; the circuit sees floor(x 2^e) < ceil(thr 2^e).
    long mq = FixedPointEvaluator.margin(q, new long[] {a.quantizeInput(0, thr)});
    double ref = Math.scalb(m.margin(new double[] {thr}), a.marginExponent());
    double err = Math.abs(mq - ref);
    assertTrue(err > range - 2 && err <= e, "the flip is real and covered: " + err + " of " + e);
  }

  @Test
  void scorecardsWithRoundEdges_areExactUpToRounding() {
    Scorecard s = CircuitFixtures.scorecard(5, 9);
    QuantizedModel q = Quantizer.quantize(s, null);
    long stumps = 5 * 3;
    assertTrue(q.scoreErrorBound().orElseThrow() <= (stumps + 2) / 2 + 1, "" + q.scoreErrorBound());
    ModelArchitecture a = q.architecture();
    SplittableRandom r = new SplittableRandom(4);
    for (int k = 0; k < 2000; k++) {
      double[] x = new double[5];
      for (int i = 0; i < 5; i++) {
        x[i] = k % 2 == 0 ? r.nextDouble(-8, 8) : Math.rint(r.nextDouble(-8, 8)) + (r.nextBoolean() ? 0 : -1e-9);
      }
      long[] xq = new long[5];
      for (int i = 0; i < 5; i++) {
        xq[i] = a.quantizeInput(i, x[i]);
      }
      double err = Math.abs(FixedPointEvaluator.margin(q, xq) - Math.scalb(s.margin(x), a.marginExponent()));
      assertTrue(err <= q.scoreErrorBound().orElseThrow(), "x = " + Arrays.toString(x) + ": " + err);
    }
    assertFalse(QuantizationError.flippable(4, a.inputExponent(0)));
  }
}
