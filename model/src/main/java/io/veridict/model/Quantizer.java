package io.veridict.model;

import io.veridict.model.ModelArchitecture.Family;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link FloatModel} into a {@link QuantizedModel}: fixed-point inputs with a per-feature
 * exponent, integer parameters, and the largest scales that keep every accumulator inside the
 * field-safe bounds for <em>every</em> input in range (worst case, not only the data seen).
 *
 * <p>Input ranges: {@code featureBounds[i]} is the largest {@code |x_i|} the model must accept
 * (e.g. twice the largest value in a reference dataset). Each feature gets the exponent {@code e_i
 * = floor(log2((2^23 - 1) / bound_i))}, so {@code |x_q| < 2^23}. Without bounds: split thresholds
 * (times 2) for features trees use, {@value #DEFAULT_BOUND} otherwise.
 */
public final class Quantizer {
  /** The default input bound when nothing better is known. */
  public static final double DEFAULT_BOUND = 32768;

  private static final long VB = ModelArchitecture.VALUE_BOUND - 1;

  private Quantizer() {}

  /** Quantizes {@code model}; {@code featureBounds} may be null (defaults as in the class doc). */
  public static QuantizedModel quantize(FloatModel model, double[] featureBounds) {
    int f = model.numFeatures();
    double[] bounds = new double[f];
    for (int i = 0; i < f; i++) {
      bounds[i] = featureBounds != null ? featureBounds[i] : defaultBound(model, i);
      if (!(bounds[i] > 0) || !Double.isFinite(bounds[i])) {
        bounds[i] = 1;
      }
    }
    int[] e = new int[f];
    for (int i = 0; i < f; i++) {
      e[i] = Math.max(-40, Math.min(60, (int) Math.floor(log2(VB / bounds[i]))));
    }
    return switch (model) {
      case LinearModel m -> dense(model, Family.LINEAR, e,
          List.of(new NeuralNetwork.DenseLayer(new double[][] {m.weights()}, new double[] {m.bias()},
              NeuralNetwork.Activation.NONE)));
      case NeuralNetwork m -> dense(model, m.layers().size() == 1 ? Family.LINEAR : Family.NEURAL_NETWORK, e, foldLinearLayers(m.layers()));
      case TreeEnsemble m -> trees(m, Family.TREE_ENSEMBLE, e, m.trees(), m.baseMargin());
      case Scorecard m -> scorecard(m, e);
    };
  }

  /** Bounds from a dataset: twice the largest {@code |x|} per column (missing values ignored). */
  public static double[] boundsFromData(double[][] rows, int numFeatures) {
    double[] b = new double[numFeatures];
    for (double[] r : rows) {
      for (int i = 0; i < numFeatures; i++) {
        if (!Double.isNaN(r[i])) {
          b[i] = Math.max(b[i], Math.abs(r[i]));
        }
      }
    }
    for (int i = 0; i < numFeatures; i++) {
      b[i] = Math.max(1, 2 * b[i]);
    }
    return b;
  }

  private static double defaultBound(FloatModel model, int i) {
    double best = 0;
    boolean used = false;
    if (model instanceof TreeEnsemble t) {
      for (TreeEnsemble.Tree tree : t.trees()) {
        for (int n = 0; n < tree.numNodes(); n++) {
          if (!tree.isLeaf(n) && tree.splitFeature(n) == i) {
            best = Math.max(best, Math.abs(tree.splitThreshold(n)));
            used = true;
          }
        }
      }
      return used ? Math.max(1, 2 * best) : DEFAULT_BOUND;
    }
    if (model instanceof Scorecard s) {
      for (double edge : s.characteristics().get(i).edges()) {
        best = Math.max(best, Math.abs(edge));
      }
      return Math.max(1, 2 * best);
    }
    return DEFAULT_BOUND;
  }

  private static double log2(double v) {
    return Math.log(v) / Math.log(2);
  }

  /** Multiplies out hidden layers without an activation (they are linear maps). */
  private static List<NeuralNetwork.DenseLayer> foldLinearLayers(List<NeuralNetwork.DenseLayer> layers) {
    List<NeuralNetwork.DenseLayer> out = new ArrayList<>();
    NeuralNetwork.DenseLayer pending = null;
    for (NeuralNetwork.DenseLayer l : layers) {
      NeuralNetwork.DenseLayer cur = pending == null ? l : compose(pending, l);
      pending = null;
      if (cur.activation() == NeuralNetwork.Activation.NONE && out.size() + 1 < layers.size() && cur != layers.get(layers.size() - 1)) {
        pending = cur;
      } else {
        out.add(cur);
      }
    }
    if (pending != null) {
      out.add(pending);
    }
    return out;
  }

  /** {@code b(a(x))} for a linear {@code a}: weights {@code W_b W_a}, bias {@code W_b b_a + b_b}. */
  private static NeuralNetwork.DenseLayer compose(NeuralNetwork.DenseLayer a, NeuralNetwork.DenseLayer b) {
    double[][] w = new double[b.outputs()][a.inputs()];
    double[] bias = new double[b.outputs()];
    for (int j = 0; j < b.outputs(); j++) {
      double s = b.biasAt(j);
      for (int k = 0; k < a.outputs(); k++) {
        s += b.weight(j, k) * a.biasAt(k);
        for (int i = 0; i < a.inputs(); i++) {
          w[j][i] += b.weight(j, k) * a.weight(k, i);
        }
      }
      bias[j] = s;
    }
    return new NeuralNetwork.DenseLayer(w, bias, b.activation());
  }

  private static QuantizedModel dense(
      FloatModel model, Family family, int[] e, List<NeuralNetwork.DenseLayer> layers) {
    int f = model.numFeatures();
    int[] sizes = new int[layers.size() + 1];
    sizes[0] = f;
    for (int k = 0; k < layers.size(); k++) {
      NeuralNetwork.DenseLayer l = layers.get(k);
      if (k + 1 < layers.size() && l.activation() != NeuralNetwork.Activation.RELU) {
        throw new IllegalArgumentException("hidden layer " + (k + 1) + " must be ReLU, got " + l.activation());
      }
      sizes[k + 1] = l.outputs();
    }
    List<Long> params = new ArrayList<>();
    int[] inExp = e.clone(); // exponent of each input of the current layer
    int s = 0;
    int[] scales = new int[layers.size()];
    for (int k = 0; k < layers.size(); k++) {
      NeuralNetwork.DenseLayer l = layers.get(k);
      boolean last = k == layers.size() - 1;
      // Leave one bit of headroom below the bound for rounding.
      long bound = (last ? ModelArchitecture.MARGIN_BOUND : ModelArchitecture.HIDDEN_BOUND) / 2;
      s = largestScale(l, inExp, bound);
      scales[k] = s;
      for (int j = 0; j < l.outputs(); j++) {
        for (int i = 0; i < l.inputs(); i++) {
          params.add(Math.round(Math.scalb(l.weight(j, i), s - inExp[i])));
        }
        params.add(Math.round(Math.scalb(l.biasAt(j), s)));
      }
      int next = s - ModelArchitecture.RESCALE_BITS;
      inExp = new int[l.outputs()];
      java.util.Arrays.fill(inExp, next);
    }
    ModelArchitecture arch =
        new ModelArchitecture(family, model.featureNames(), e, s, model.link(), sizes, 0, 0);
    long[] p = params.stream().mapToLong(Long::longValue).toArray();
    return new QuantizedModel(arch, p, QuantizationError.dense(layers, e, scales, p));
  }

  /** The largest {@code s} with every neuron's worst-case accumulator below {@code bound}. */
  private static int largestScale(NeuralNetwork.DenseLayer l, int[] inExp, long bound) {
    for (int s = 100; s >= -100; s--) {
      boolean ok = true;
      for (int j = 0; j < l.outputs() && ok; j++) {
        double worst = Math.abs(Math.scalb(l.biasAt(j), s)) + 0.5;
        for (int i = 0; i < l.inputs(); i++) {
          double w = Math.abs(Math.scalb(l.weight(j, i), s - inExp[i])) + 0.5;
          if (w >= VB) {
            ok = false;
            break;
          }
          worst += w * VB;
        }
        ok &= worst < bound;
      }
      if (ok) {
        return s;
      }
    }
    throw new IllegalArgumentException("no fixed-point scale fits this layer (weights too large)");
  }

  private static QuantizedModel scorecard(Scorecard m, int[] e) {
    List<TreeEnsemble.Tree> stumps = new ArrayList<>();
    double base = m.baseScore();
    for (int i = 0; i < m.numFeatures(); i++) {
      Scorecard.Characteristic c = m.characteristics().get(i);
      double[] edges = c.edges();
      double[] points = c.points();
      base += points[0];
      for (int j = 0; j < edges.length; j++) {
        stumps.add(new TreeEnsemble.Tree(
            new int[] {1, -1, -1}, new int[] {2, -1, -1}, new int[] {i, 0, 0},
            new double[] {edges[j], 0, 0}, new boolean[] {true, false, false},
            new double[] {0, 0, points[j + 1] - points[j]}));
      }
    }
    if (stumps.isEmpty()) {
      throw new IllegalArgumentException("a scorecard with no bin edges has nothing to prove");
    }
    return trees(m, Family.SCORECARD, e, stumps, base);
  }

  private static QuantizedModel trees(
      FloatModel model, Family family, int[] e, List<TreeEnsemble.Tree> trees, double baseMargin) {
    int depth = 1;
    for (TreeEnsemble.Tree t : trees) {
      depth = Math.max(depth, t.depth());
    }
    if (depth > ModelArchitecture.MAX_TREE_DEPTH) {
      throw new IllegalArgumentException("tree depth " + depth + " exceeds " + ModelArchitecture.MAX_TREE_DEPTH);
    }
    // Leaf scale: the largest s (<= 32) keeping sum of per-tree max |leaf| + |base| below 2^54.
    double worst = Math.abs(baseMargin);
    for (TreeEnsemble.Tree t : trees) {
      double mx = 0;
      for (int n = 0; n < t.numNodes(); n++) {
        if (t.isLeaf(n)) {
          mx = Math.max(mx, Math.abs(t.leafValueAt(n)));
        }
      }
      worst += mx;
    }
    int s = 32;
    while (s > -60 && Math.scalb(worst, s) + trees.size() >= (ModelArchitecture.MARGIN_BOUND / 2)) {
      s--;
    }
    int internal = (1 << depth) - 1;
    int perTree = 2 * internal + (1 << depth);
    long[] p = new long[trees.size() * perTree + 1];
    for (int k = 0; k < trees.size(); k++) {
      fill(trees.get(k), 0, 0, 0, depth, e, s, p, k * perTree, internal, true);
    }
    p[trees.size() * perTree] = Math.round(Math.scalb(baseMargin, s));
    ModelArchitecture arch = new ModelArchitecture(
        family, model.featureNames(), e, s, model.link(), new int[0], trees.size(), depth);
    return new QuantizedModel(arch, p, QuantizationError.trees(trees, e, s));
  }

  /**
   * Writes the subtree of {@code src} at heap position {@code pos} (level {@code level}) into the
   * complete tree. A leaf above the last level becomes a chain of always-left nodes ({@code feature
   * 0, threshold 2^24}: every value the circuit admits is below it), its value on the leftmost
   * descendant; the other descendants are unreachable and hold 0.
   */
  private static void fill(
      TreeEnsemble.Tree t, int src, int pos, int level, int depth, int[] e, int s, long[] p, int base,
      int internal, boolean reachable) {
    if (level == depth) {
      p[base + 2 * internal + (pos - internal)] =
          reachable && src >= 0 ? Math.round(Math.scalb(t.leafValueAt(src), s)) : 0;
      return;
    }
    boolean leafHere = !reachable || src < 0 || t.isLeaf(src);
    if (leafHere) {
      p[base + 2 * pos] = 0;
      p[base + 2 * pos + 1] = ModelArchitecture.WINDOW_BOUND; // always left
      fill(t, reachable ? src : -1, 2 * pos + 1, level + 1, depth, e, s, p, base, internal, reachable);
      fill(t, -1, 2 * pos + 2, level + 1, depth, e, s, p, base, internal, false);
      return;
    }
    int feature = t.splitFeature(src);
    p[base + 2 * pos] = feature;
    // Left iff x < thr. Tree inputs are quantized with floor (ModelArchitecture.quantizeInput):
    // x_q < ceil(thr 2^e) iff x 2^e < ceil(thr 2^e), exactly x < thr when thr 2^e is an integer
    // (QuantizationError.trees bounds the other case).
    double q = Math.ceil(Math.scalb(t.splitThreshold(src), e[feature]));
    // A split outside the encodable range sends every input in range one way; at ±2^24 it sends
    // every value the circuit's window admits the same way.
    long wb = ModelArchitecture.WINDOW_BOUND;
    p[base + 2 * pos + 1] = q >= ModelArchitecture.VALUE_BOUND ? wb : q <= -ModelArchitecture.VALUE_BOUND ? -wb : (long) q;
    fill(t, t.leftChild(src), 2 * pos + 1, level + 1, depth, e, s, p, base, internal, true);
    fill(t, t.rightChild(src), 2 * pos + 2, level + 1, depth, e, s, p, base, internal, true);
  }
}
