package io.veridict.model;

import static org.junit.jupiter.api.Assertions.*;

import io.veridict.model.internal.DecisionAir;
import io.veridict.model.internal.DecisionProgram;
import io.veridict.model.internal.DecisionTrace;
import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The quantized model tracks the float model, the reference evaluator agrees with a BigInteger
 * re-implementation, and the circuit's trace computes exactly the evaluator's margin.
 */
class QuantizationTest {

  static LongStream seeds() {
    return LongStream.range(0, 12);
  }

  private static FloatModel model(long seed) {
    return switch ((int) (seed % 3)) {
      case 0 -> CircuitFixtures.linear(3 + (int) seed, seed);
      case 1 -> CircuitFixtures.mlp(new int[] {4 + (int) (seed % 5), 5, 3, 1}, seed);
      default -> CircuitFixtures.trees(5, 2 + (int) (seed % 4), 1 + (int) (seed % 4), seed);
    };
  }

  private static double[] bounds(int f) {
    double[] b = new double[f];
    java.util.Arrays.fill(b, 32);
    return b;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void quantizedMarginTracksTheFloatMargin(long seed) {
    FloatModel m = model(seed);
    QuantizedModel q = Quantizer.quantize(m, bounds(m.numFeatures()));
    ModelArchitecture a = q.architecture();
    SplittableRandom r = new SplittableRandom(seed);
    for (int k = 0; k < 200; k++) {
      double[] x = CircuitFixtures.input(m.numFeatures(), r);
      long[] xq = new long[x.length];
      for (int i = 0; i < x.length; i++) {
        xq[i] = a.quantizeInput(i, x[i]);
      }
      double err = Math.abs(m.margin(x) - a.marginValue(FixedPointEvaluator.margin(q, xq)));
      // Inputs on the 1/8 grid are exact and weights keep ~2^-17 relative precision, so linear
      // models and trees stay within 1e-4. Hidden activations are 24-bit with worst-case scaling
      // (no input can overflow), so each hidden neuron adds up to its resolution (~1e-4 here).
      double tol = q.architecture().family() == ModelArchitecture.Family.NEURAL_NETWORK ? 5e-3 : 1e-4;
      assertTrue(err < tol, "seed " + seed + " row " + k + " error " + err);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void evaluatorAgreesWithABigIntegerOracle(long seed) {
    FloatModel m = model(seed);
    QuantizedModel q = Quantizer.quantize(m, bounds(m.numFeatures()));
    SplittableRandom r = new SplittableRandom(seed + 100);
    for (int k = 0; k < 50; k++) {
      long[] xq = new long[m.numFeatures()];
      for (int i = 0; i < xq.length; i++) {
        xq[i] = r.nextLong(-(1L << 23) + 1, 1L << 23);
      }
      assertEquals(bigMargin(q, xq), BigInteger.valueOf(FixedPointEvaluator.margin(q, xq)));
    }
  }

  /** The evaluator's semantics re-done in BigInteger (floor division, ReLU, complete-tree walk). */
  private static BigInteger bigMargin(QuantizedModel q, long[] x) {
    ModelArchitecture a = q.architecture();
    long[] p = q.parameters();
    if (a.family().isDense()) {
      BigInteger[] h = new BigInteger[x.length];
      for (int i = 0; i < x.length; i++) {
        h[i] = BigInteger.valueOf(x[i]);
      }
      int pos = 0;
      for (int k = 0; k + 1 < a.numLayerSizes(); k++) {
        BigInteger[] next = new BigInteger[a.layerSize(k + 1)];
        for (int j = 0; j < next.length; j++) {
          BigInteger acc = BigInteger.ZERO;
          for (int i = 0; i < a.layerSize(k); i++) {
            acc = acc.add(BigInteger.valueOf(p[pos++]).multiply(h[i]));
          }
          acc = acc.add(BigInteger.valueOf(p[pos++]));
          if (k + 2 < a.numLayerSizes()) {
            BigInteger[] qr = acc.divideAndRemainder(BigInteger.ONE.shiftLeft(24));
            BigInteger y = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
            acc = y.max(BigInteger.ZERO);
          }
          next[j] = acc;
        }
        h = next;
      }
      return h[0];
    }
    int d = a.treeDepth();
    int internal = (1 << d) - 1;
    int per = 2 * internal + (1 << d);
    BigInteger acc = BigInteger.ZERO;
    for (int t = 0; t < a.numTrees(); t++) {
      int node = 0;
      for (int l = 0; l < d; l++) {
        int f = (int) p[t * per + 2 * node];
        node = 2 * node + (x[f] >= p[t * per + 2 * node + 1] ? 2 : 1);
      }
      acc = acc.add(BigInteger.valueOf(p[t * per + 2 * internal + node - internal]));
    }
    return acc.add(BigInteger.valueOf(p[a.numTrees() * per]));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void circuitTraceComputesTheEvaluatorsMargin(long seed) {
    FloatModel m = model(seed);
    QuantizedModel q = Quantizer.quantize(m, bounds(m.numFeatures()));
    DecisionProgram program = new DecisionProgram(q.architecture());
    SplittableRandom r = new SplittableRandom(seed + 7);
    long[] salt = {1, 2, 3, 4};
    for (int k = 0; k < 20; k++) {
      long[] xq = new long[m.numFeatures()];
      for (int i = 0; i < xq.length; i++) {
        xq[i] = q.architecture().quantizeInput(i, r.nextDouble(-20, 20));
      }
      long margin = FixedPointEvaluator.margin(q, xq);
      DecisionTrace t = new DecisionTrace(program, q, xq, salt, salt, margin);
      assertEquals(margin, t.marginQ());
      // The sponge rows end in the commitments the plain hash computes.
      long[][] main = t.mainTrace();
      long[] mc = q.commitment(salt);
      long[] ic = QuantizedModel.inputCommitment(xq, salt);
      for (int i = 0; i < 4; i++) {
        assertEquals(mc[i], main[4 + i][program.modelDigestRow()]);
        assertEquals(ic[i], main[4 + i][program.inputDigestRow()]);
      }
    }
  }

  @Test
  void incompleteTreesArePaddedWithoutChangingTheirValue() {
    // A stump next to a deeper tree: the stump's leaves must survive padding to depth 3.
    TreeEnsemble t = CircuitFixtures.trees(4, 5, 3, 77);
    QuantizedModel q = Quantizer.quantize(t, bounds(4));
    assertEquals(3, q.architecture().treeDepth());
    SplittableRandom r = new SplittableRandom(3);
    for (int k = 0; k < 500; k++) {
      double[] x = CircuitFixtures.input(4, r);
      long[] xq = new long[4];
      for (int i = 0; i < 4; i++) {
        xq[i] = q.architecture().quantizeInput(i, x[i]);
      }
      assertEquals(t.margin(x), q.architecture().marginValue(FixedPointEvaluator.margin(q, xq)), 1e-6);
    }
  }

  @Test
  void inputsOutsideTheEncodableRangeAreRefused_forEveryFamily_neverClamped() {
    QuantizedModel lin = Quantizer.quantize(CircuitFixtures.linear(2, 1), new double[] {10, 10});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lin.architecture().quantizeInput(0, 1e6));
    assertTrue(e.getMessage().contains("outside the model's input range"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> lin.architecture().quantizeInput(0, Double.NaN));
    QuantizedModel tr = Quantizer.quantize(CircuitFixtures.trees(3, 2, 2, 1), new double[] {10, 10, 10});
    e = assertThrows(IllegalArgumentException.class, () -> tr.architecture().quantizeInput(0, 1e12));
    assertTrue(e.getMessage().contains("outside the model's input range") && !e.getMessage().contains("1e12")
        && !e.getMessage().contains("1.0E12"), e.getMessage());
    assertEquals(-(1L << 23) + 1, tr.architecture().quantizeInput(0, -Math.scalb((double) (1L << 23) - 1, -tr.architecture().inputExponent(0))));
  }

  @Test
  void aucMatchesAHandComputedExample() {
    // Scores 0.1(0) 0.4(1) 0.35(0) 0.8(1): pairs (pos > neg): 0.4>0.1, 0.4>0.35, 0.8>both -> 4/4.
    assertEquals(1.0, AccuracyReport.auc(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 1, 0, 1}), 0);
    // Positives 0.4, 0.6 against negatives 0.1, 0.5: three of four pairs ordered; a tie counts one half.
    assertEquals(0.75, AccuracyReport.auc(new double[] {0.1, 0.4, 0.5, 0.6}, new int[] {0, 1, 0, 1}), 1e-12);
    assertEquals(0.5, AccuracyReport.auc(new double[] {0.3, 0.3}, new int[] {0, 1}), 0);
  }

  @Test
  void parameterBoundsAreEnforced() {
    ModelArchitecture a = Quantizer.quantize(CircuitFixtures.linear(2, 1), null).architecture();
    assertThrows(IllegalArgumentException.class, () -> new QuantizedModel(a, new long[] {1L << 23, 0, 0}));
    assertThrows(IllegalArgumentException.class, () -> new QuantizedModel(a, new long[] {1, 2}));
  }
}
