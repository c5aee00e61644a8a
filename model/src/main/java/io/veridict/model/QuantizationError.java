package io.veridict.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The worst-case score error of a quantized model: an upper bound {@code E} (in fixed-point margin
 * units, {@code 2^-s}) on {@code |m_q(quantize(x)) - 2^s m(x)|} over every input {@code x} the
 * encoding admits, where {@code m} is the exact real-number margin of the imported parameters and
 * {@code m_q} the circuit's integer margin. A decision whose circuit margin clears the threshold by
 * more than {@code E} is the float model's decision too (see {@code docs/decision-circuit.md},
 * "Quantization error").
 *
 * <p>Exact arithmetic: every double is a dyadic rational, so the sums and products below are exact
 * {@link BigDecimal}s; only the final conversion rounds, upwards.
 *
 * <p>The reference model is the one the quantizer reads: consecutive linear layers folded into one
 * (in double arithmetic), a scorecard as stumps of point differences. Rounding in those double
 * computations (relative {@code 2^-53}) and in a float evaluation of the model is not covered.
 */
final class QuantizationError {
  private QuantizationError() {}

  /** {@code 2^k}, exactly. */
  static BigDecimal pow2(int k) {
    return k >= 0 ? new BigDecimal(java.math.BigInteger.ONE.shiftLeft(k))
        : BigDecimal.ONE.divide(new BigDecimal(java.math.BigInteger.ONE.shiftLeft(-k)));
  }

  /** {@code ceil(v)} as a long, saturating at {@link ModelArchitecture#MARGIN_BOUND}. */
  static long ceilSaturated(BigDecimal v) {
    BigDecimal c = v.setScale(0, RoundingMode.CEILING);
    return c.compareTo(BigDecimal.valueOf(ModelArchitecture.MARGIN_BOUND)) >= 0
        ? ModelArchitecture.MARGIN_BOUND : c.longValueExact();
  }

  /**
   * Dense layers (the last one's output is the margin). Per neuron, with quantized weights {@code
   * w~ = W / 2^(s - e_in)}, bias {@code b~ = B / 2^s}, input errors {@code eps_i} and input bounds
   * {@code H_i}: {@code |a~ - a| <= |b~ - b| + sum_i (|w~_i| eps_i + |w~_i - w_i| H_i)}; a hidden
   * layer's floor rescale adds one unit of its output scale, ReLU is 1-Lipschitz. Inputs: {@code
   * eps_i = 2^(-e_i - 1)} (round to nearest), {@code |x_i| <= 2^(23 - e_i)}; activations' bounds
   * by interval arithmetic over that box.
   *
   * @param scales the exponent {@code s} of each layer's accumulator
   */
  static long dense(List<NeuralNetwork.DenseLayer> layers, int[] inputExponents, int[] scales, long[] params) {
    int f = inputExponents.length;
    BigDecimal[] eps = new BigDecimal[f];
    BigDecimal[] lo = new BigDecimal[f];
    BigDecimal[] hi = new BigDecimal[f];
    int[] inExp = inputExponents.clone();
    for (int i = 0; i < f; i++) {
      eps[i] = pow2(-inputExponents[i] - 1);
      hi[i] = pow2(23 - inputExponents[i]);
      lo[i] = hi[i].negate();
    }
    int p = 0;
    BigDecimal margin = BigDecimal.ZERO;
    for (int k = 0; k < layers.size(); k++) {
      NeuralNetwork.DenseLayer l = layers.get(k);
      int s = scales[k];
      boolean last = k == layers.size() - 1;
      BigDecimal[] eps2 = new BigDecimal[l.outputs()];
      BigDecimal[] lo2 = new BigDecimal[l.outputs()];
      BigDecimal[] hi2 = new BigDecimal[l.outputs()];
      for (int j = 0; j < l.outputs(); j++) {
        BigDecimal err = BigDecimal.ZERO;
        BigDecimal b = new BigDecimal(l.biasAt(j));
        BigDecimal aLo = b;
        BigDecimal aHi = b;
        for (int i = 0; i < l.inputs(); i++) {
          BigDecimal w = new BigDecimal(l.weight(j, i));
          BigDecimal wq = new BigDecimal(params[p++]).multiply(pow2(inExp[i] - s));
          BigDecimal h = lo[i].abs().max(hi[i].abs());
          err = err.add(wq.abs().multiply(eps[i])).add(wq.subtract(w).abs().multiply(h));
          BigDecimal x1 = w.multiply(lo[i]);
          BigDecimal x2 = w.multiply(hi[i]);
          aLo = aLo.add(x1.min(x2));
          aHi = aHi.add(x1.max(x2));
        }
        BigDecimal bq = new BigDecimal(params[p++]).multiply(pow2(-s));
        err = err.add(bq.subtract(b).abs());
        if (last) {
          margin = err.multiply(pow2(s));
        } else {
          eps2[j] = err.add(pow2(ModelArchitecture.RESCALE_BITS - s)); // floor(acc / 2^24)
          lo2[j] = aLo.max(BigDecimal.ZERO);
          hi2[j] = aHi.max(BigDecimal.ZERO);
        }
      }
      eps = eps2;
      lo = lo2;
      hi = hi2;
      inExp = new int[l.outputs()];
      java.util.Arrays.fill(inExp, s - ModelArchitecture.RESCALE_BITS);
    }
    return ceilSaturated(margin);
  }

  /**
   * Tree ensembles (and scorecards as stumps). Inputs are quantized with {@code floor}, thresholds
   * with {@code ceil}: at a node on feature {@code f} with {@code tau = t 2^e_f}, the circuit goes
   * right iff {@code z >= ceil(tau)} for {@code z = x 2^e_f}, the model iff {@code z >= tau}. They
   * agree for every input when {@code tau} is an integer; otherwise they differ exactly on {@code
   * [tau, ceil tau)}. A node where they can differ for an admissible input ({@code -2^23 < floor z
   * < 2^23}) is <em>flippable</em>; below it the two walks end in leaves of its subtree. So one
   * tree's error is at most 0.5 (the leaf's rounding) plus {@code 2^s} times the largest leaf range
   * of a flippable node's subtree (0 when none is); the base margin adds 0.5.
   */
  static long trees(List<TreeEnsemble.Tree> trees, int[] inputExponents, int s) {
    BigDecimal total = new BigDecimal("0.5"); // the base margin's rounding
    BigDecimal scale = pow2(s);
    for (TreeEnsemble.Tree t : trees) {
      int n = t.numNodes();
      double[] min = new double[n];
      double[] max = new double[n];
      double worst = 0;
      boolean anyFlip = false;
      // Children come after their parents: one backward pass gives every subtree's leaf range.
      for (int i = n - 1; i >= 0; i--) {
        if (t.isLeaf(i)) {
          min[i] = max[i] = t.leafValueAt(i);
          continue;
        }
        min[i] = Math.min(min[t.leftChild(i)], min[t.rightChild(i)]);
        max[i] = Math.max(max[t.leftChild(i)], max[t.rightChild(i)]);
        if (flippable(t.splitThreshold(i), inputExponents[t.splitFeature(i)])) {
          anyFlip = true;
          worst = Math.max(worst, max[i] - min[i]);
        }
      }
      total = total.add(new BigDecimal("0.5"));
      if (anyFlip) {
        total = total.add(new BigDecimal(worst).multiply(scale));
      }
    }
    return ceilSaturated(total);
  }

  /** Whether the circuit's comparison and the model's can differ for some admissible input. */
  static boolean flippable(double threshold, int exponent) {
    double tau = Math.scalb(threshold, exponent);
    double q = Math.ceil(tau);
    if (q <= -ModelArchitecture.VALUE_BOUND) {
      return false; // the circuit and the model send every admissible input right
    }
    // [tau, ceil tau) is empty for an integer tau; otherwise it holds admissible z iff it meets
    // [-2^23 + 1, 2^23), i.e. ceil tau > -2^23 + 1 (and tau < 2^23, implied when q <= 2^23).
    return tau != q && q > -ModelArchitecture.VALUE_BOUND + 1 && tau < ModelArchitecture.VALUE_BOUND;
  }
}
