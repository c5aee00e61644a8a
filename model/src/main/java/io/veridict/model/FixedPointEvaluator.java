package io.veridict.model;

/**
 * The reference fixed-point evaluator: plain integer arithmetic, no cryptography. It defines what a
 * quantized model computes, and it is the oracle the decision circuit is tested against (the
 * circuit's score and decision must equal this evaluator's on every input).
 *
 * <p>Semantics (all exact 64-bit integer arithmetic, every bound checked):
 *
 * <ul>
 *   <li>Dense layer: {@code acc_j = b_j + sum_i w_{j,i} h_i}; hidden layers then {@code y_j =
 *       floor(acc_j / 2^24)} and, with ReLU, {@code h'_j = max(y_j, 0)}; the last layer's {@code
 *       acc} is the margin.
 *   <li>Trees: from the root of the complete tree, {@code node = 2 node + 1 + [x_f >= t]} for
 *       {@code D} levels; the margin is the base plus the reached leaves.
 * </ul>
 */
public final class FixedPointEvaluator {
  private FixedPointEvaluator() {}

  /** The fixed-point margin of {@code model} at quantized input {@code x}. */
  public static long margin(QuantizedModel model, long[] x) {
    ModelArchitecture a = model.architecture();
    if (x.length != a.numFeatures()) {
      throw new IllegalArgumentException("expected " + a.numFeatures() + " inputs, got " + x.length);
    }
    for (int i = 0; i < x.length; i++) {
      if (Math.abs(x[i]) >= ModelArchitecture.VALUE_BOUND) {
        throw new IllegalArgumentException("quantized input " + i + " out of range: " + x[i]);
      }
    }
    return a.family().isDense() ? dense(model, x) : trees(model, x);
  }

  /** {@code margin >= threshold}. */
  public static boolean decision(QuantizedModel model, long[] x, long marginThresholdQ) {
    return margin(model, x) >= marginThresholdQ;
  }

  private static long dense(QuantizedModel m, long[] x) {
    ModelArchitecture a = m.architecture();
    long[] h = x;
    int p = 0;
    int layers = a.numLayerSizes() - 1;
    for (int k = 0; k < layers; k++) {
      int in = a.layerSize(k);
      int out = a.layerSize(k + 1);
      boolean last = k == layers - 1;
      long[] next = new long[out];
      for (int j = 0; j < out; j++) {
        long acc = 0;
        for (int i = 0; i < in; i++) {
          acc = Math.addExact(acc, Math.multiplyExact(m.parameter(p++), h[i]));
        }
        acc = Math.addExact(acc, m.parameter(p++));
        if (last) {
          checkBound(acc, ModelArchitecture.MARGIN_BOUND, "margin");
          next[j] = acc;
        } else {
          checkBound(acc, ModelArchitecture.HIDDEN_BOUND, "hidden accumulator (layer " + (k + 1) + ")");
          long y = Math.floorDiv(acc, 1L << ModelArchitecture.RESCALE_BITS);
          next[j] = Math.max(y, 0); // hidden layers are ReLU
        }
      }
      h = next;
    }
    return h[0];
  }

  private static long trees(QuantizedModel m, long[] x) {
    ModelArchitecture a = m.architecture();
    int d = a.treeDepth();
    int internal = (1 << d) - 1;
    int perTree = 2 * internal + (1 << d);
    long acc = 0;
    for (int t = 0; t < a.numTrees(); t++) {
      int base = t * perTree;
      int node = 0;
      for (int level = 0; level < d; level++) {
        int f = (int) m.parameter(base + 2 * node);
        long thr = m.parameter(base + 2 * node + 1);
        int right = x[f] >= thr ? 1 : 0;
        node = 2 * node + 1 + right;
      }
      acc = Math.addExact(acc, m.parameter(base + 2 * internal + (node - internal)));
    }
    acc = Math.addExact(acc, m.parameter(a.numTrees() * perTree));
    checkBound(acc, ModelArchitecture.MARGIN_BOUND, "margin");
    return acc;
  }

  private static void checkBound(long v, long bound, String what) {
    if (Math.abs(v) >= bound) {
      throw new ArithmeticException(what + " " + v + " exceeds the fixed-point bound 2^" + Long.numberOfTrailingZeros(bound));
    }
  }

  /**
   * Checks the parameter bounds that make the integer semantics fit the field: weights below {@code
   * 2^23}, thresholds at most {@code 2^24}; feature indices in range; and the worst case of every accumulator (over all
   * inputs {@code |x| < 2^23}) within its bound, so no input can overflow.
   *
   * @throws IllegalArgumentException naming the first violation
   */
  static void checkParameterBounds(ModelArchitecture a, long[] p) {
    long vb = ModelArchitecture.VALUE_BOUND;
    if (a.family().isDense()) {
      int q = 0;
      int layers = a.numLayerSizes() - 1;
      for (int k = 0; k < layers; k++) {
        int in = a.layerSize(k);
        int out = a.layerSize(k + 1);
        boolean last = k == layers - 1;
        long bound = last ? ModelArchitecture.MARGIN_BOUND : ModelArchitecture.HIDDEN_BOUND;
        for (int j = 0; j < out; j++) {
          long worst = 0;
          for (int i = 0; i < in; i++) {
            long w = p[q++];
            if (Math.abs(w) >= vb) {
              throw new IllegalArgumentException("weight out of range (|w| < 2^23): layer " + (k + 1) + " neuron " + j);
            }
            worst += Math.abs(w) * (vb - 1);
          }
          long b = p[q++];
          if (Math.abs(b) >= bound || worst + Math.abs(b) >= bound) {
            throw new IllegalArgumentException(
                "layer " + (k + 1) + " neuron " + j + " can overflow its accumulator bound");
          }
        }
      }
    } else {
      int d = a.treeDepth();
      int internal = (1 << d) - 1;
      int perTree = 2 * internal + (1 << d);
      long worst = 0;
      for (int t = 0; t < a.numTrees(); t++) {
        int base = t * perTree;
        for (int n = 0; n < internal; n++) {
          long f = p[base + 2 * n];
          long thr = p[base + 2 * n + 1];
          if (f < 0 || f >= a.numFeatures()) {
            throw new IllegalArgumentException("tree " + t + " node " + n + " splits on feature " + f + " of " + a.numFeatures());
          }
          if (Math.abs(thr) > ModelArchitecture.WINDOW_BOUND) {
            throw new IllegalArgumentException("tree " + t + " node " + n + " threshold out of range (|t| <= 2^24)");
          }
        }
        long maxLeaf = 0;
        for (int l = 0; l < (1 << d); l++) {
          long v = p[base + 2 * internal + l];
          if (Math.abs(v) >= ModelArchitecture.MARGIN_BOUND) {
            throw new IllegalArgumentException("tree " + t + " leaf " + l + " out of range");
          }
          maxLeaf = Math.max(maxLeaf, Math.abs(v));
        }
        worst += maxLeaf;
        if (worst >= ModelArchitecture.MARGIN_BOUND) {
          throw new IllegalArgumentException("the leaves can overflow the margin bound");
        }
      }
      long base = p[a.numTrees() * perTree];
      if (worst + Math.abs(base) >= ModelArchitecture.MARGIN_BOUND) {
        throw new IllegalArgumentException("the base margin can overflow the margin bound");
      }
    }
  }
}
