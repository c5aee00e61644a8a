package io.veridict.model;

import java.util.Arrays;
import java.util.List;

/**
 * The public, weight-free description of a quantized model: everything a verifier needs to rebuild
 * the decision circuit, and nothing that reveals a parameter.
 *
 * <p>Public: the family, feature names and order, the fixed-point input encoding of each feature
 * ({@code x_q = round(x * 2^inputExponents[i])}), the margin's fixed-point exponent, the link, and
 * the shape (layer sizes for dense models; number of trees and depth for tree ensembles and
 * scorecards). Secret (in {@link QuantizedModel}): weights, biases, split features, thresholds,
 * leaf values, points.
 *
 * @param family the model family
 * @param featureNames input names in order
 * @param inputExponents per feature: {@code x_q = round(x * 2^e)}
 * @param marginExponent {@code margin_q = round(margin * 2^marginExponent)} (approximately)
 * @param link how the margin becomes the library's prediction
 * @param layerSizes dense families: {@code [F, h_1, ..., 1]} (linear: {@code [F, 1]}); empty
 *     otherwise
 * @param numTrees tree families: number of (complete, padded) trees; 0 otherwise
 * @param treeDepth tree families: depth of every padded tree; 0 otherwise
 */
public record ModelArchitecture(
    Family family,
    List<String> featureNames,
    int[] inputExponents,
    int marginExponent,
    FloatModel.Link link,
    int[] layerSizes,
    int numTrees,
    int treeDepth) {

  /** Bound on every quantized input and weight: {@code |v| < 2^23}. */
  public static final long VALUE_BOUND = 1L << 23;
  /**
   * The window the circuit range-checks every value a MAC row reads (a feature, of every family, or
   * an activation) against: {@code [-2^24, 2^24)}. Tree thresholds lie in {@code [-2^24, 2^24]}:
   * padded (always-left) nodes compare with {@code +2^24}, above every value the window admits, and
   * a split outside the input range is clamped to {@code ±2^24}, where it sends every admissible
   * value the way the float model sends every value in range.
   */
  public static final long WINDOW_BOUND = 1L << 24;
  /** Hidden-layer accumulators are rescaled by {@code 2^RESCALE_BITS} (floor division). */
  public static final int RESCALE_BITS = 24;
  /** Bound on a margin accumulator: {@code |acc| < 2^55}. */
  public static final long MARGIN_BOUND = 1L << 55;
  /** Bound on a hidden accumulator before rescaling: {@code |acc| < 2^47}. */
  public static final long HIDDEN_BOUND = 1L << 47;
  /** Shape limits (keep traces within 2^20 rows). */
  public static final int MAX_FEATURES = 1024;
  public static final int MAX_TREE_DEPTH = 10;
  public static final int MAX_TREES = 4096;
  public static final int MAX_DENSE_WEIGHTS = 1 << 17;

  /** Model families. */
  public enum Family {
    LINEAR("linear"),
    NEURAL_NETWORK("neural-network"),
    TREE_ENSEMBLE("tree-ensemble"),
    SCORECARD("scorecard");

    private final String id;

    Family(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static Family fromId(String id) {
      for (Family f : values()) {
        if (f.id.equals(id)) {
          return f;
        }
      }
      throw new IllegalArgumentException("unknown model family '" + id + "'");
    }

    public boolean isDense() {
      return this == LINEAR || this == NEURAL_NETWORK;
    }
  }

  public ModelArchitecture {
    featureNames = List.copyOf(featureNames);
    inputExponents = inputExponents.clone();
    layerSizes = layerSizes.clone();
    int f = featureNames.size();
    if (f == 0 || f > MAX_FEATURES) {
      throw new IllegalArgumentException("number of features must be in [1, " + MAX_FEATURES + "], got " + f);
    }
    if (inputExponents.length != f) {
      throw new IllegalArgumentException("need one input exponent per feature");
    }
    for (int e : inputExponents) {
      if (e < -40 || e > 60) {
        throw new IllegalArgumentException("input exponent out of range [-40, 60]: " + e);
      }
    }
    if (marginExponent < -60 || marginExponent > 120) {
      throw new IllegalArgumentException("margin exponent out of range: " + marginExponent);
    }
    if (family.isDense()) {
      if (layerSizes.length < 2 || layerSizes[0] != f || layerSizes[layerSizes.length - 1] != 1) {
        throw new IllegalArgumentException(
            "dense layer sizes must run from the feature count to 1, got " + Arrays.toString(layerSizes));
      }
      if (family == Family.LINEAR && layerSizes.length != 2) {
        throw new IllegalArgumentException("a linear model has no hidden layer");
      }
      long weights = 0;
      for (int k = 0; k + 1 < layerSizes.length; k++) {
        if (layerSizes[k + 1] < 1) {
          throw new IllegalArgumentException("empty layer " + (k + 1));
        }
        weights += (long) layerSizes[k] * layerSizes[k + 1];
      }
      if (weights > MAX_DENSE_WEIGHTS) {
        throw new IllegalArgumentException("too many weights: " + weights + " > " + MAX_DENSE_WEIGHTS);
      }
      if (numTrees != 0 || treeDepth != 0) {
        throw new IllegalArgumentException("a dense model has no trees");
      }
    } else {
      if (layerSizes.length != 0) {
        throw new IllegalArgumentException("a tree model has no layers");
      }
      if (numTrees < 1 || numTrees > MAX_TREES || treeDepth < 1 || treeDepth > MAX_TREE_DEPTH) {
        throw new IllegalArgumentException(
            "trees must be in [1, " + MAX_TREES + "] with depth in [1, " + MAX_TREE_DEPTH + "], got "
                + numTrees + " x depth " + treeDepth);
      }
    }
  }

  public int numFeatures() {
    return featureNames.size();
  }

  @Override
  public int[] inputExponents() {
    return inputExponents.clone();
  }

  @Override
  public int[] layerSizes() {
    return layerSizes.clone();
  }

  public int inputExponent(int i) {
    return inputExponents[i];
  }

  public int layerSize(int i) {
    return layerSizes[i];
  }

  public int numLayerSizes() {
    return layerSizes.length;
  }

  /** Number of secret parameters in the canonical encoding (the model tape without its salt). */
  public int numParameters() {
    if (family.isDense()) {
      int n = 0;
      for (int k = 0; k + 1 < layerSizes.length; k++) {
        n += (layerSizes[k] + 1) * layerSizes[k + 1];
      }
      return n;
    }
    int internal = (1 << treeDepth) - 1;
    return numTrees * (2 * internal + (1 << treeDepth)) + 1;
  }

  /**
   * Quantizes one input value ({@code round(x 2^e_i)} for dense models, {@code floor} for trees),
   * refusing one outside the encodable range ({@code |x_q| < 2^23}) for
   * every family: nothing is clamped (until December 2026 tree models clamped silently). Values
   * outside a model's declared input ranges never get here ({@link
   * ModelDescription#checkInputRanges}).
   */
  public long quantizeInput(int i, double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException(
          "feature '" + featureNames.get(i) + "' is " + x + "; proofs need a finite value for every feature");
    }
    double scaled = scaledInput(i, x);
    if (!(Math.abs(scaled) < VALUE_BOUND)) {
      throw new IllegalArgumentException(
          "feature '" + featureNames.get(i) + "' is outside the model's input range (|x| < "
              + Math.scalb((double) VALUE_BOUND, -inputExponents[i]) + ")");
    }
    return (long) scaled;
  }

  /**
   * {@code x 2^e_i} rounded as this family encodes inputs: to nearest for dense models; down for
   * trees, so that {@code x_q >= ceil(t 2^e)} is exactly {@code x >= t} whenever {@code t 2^e} is
   * an integer (a split the encoding represents). Monotone in {@code x}, unchecked.
   */
  double scaledInput(int i, double x) {
    double z = Math.scalb(x, inputExponents[i]);
    return family.isDense() ? Math.rint(z) : Math.floor(z);
  }

  /** The margin threshold as a fixed-point integer: {@code ceil(t * 2^marginExponent)}. */
  public long quantizeMarginThreshold(double marginThreshold) {
    double s = Math.ceil(Math.scalb(marginThreshold, marginExponent));
    if (!(Math.abs(s) < MARGIN_BOUND)) {
      throw new IllegalArgumentException("threshold " + marginThreshold + " is outside the model's margin range");
    }
    return (long) s;
  }

  /** A fixed-point margin back in model units. */
  public double marginValue(long marginQ) {
    return Math.scalb((double) marginQ, -marginExponent);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelArchitecture a
        && family == a.family
        && featureNames.equals(a.featureNames)
        && Arrays.equals(inputExponents, a.inputExponents)
        && marginExponent == a.marginExponent
        && link == a.link
        && Arrays.equals(layerSizes, a.layerSizes)
        && numTrees == a.numTrees
        && treeDepth == a.treeDepth;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        family, featureNames, Arrays.hashCode(inputExponents), marginExponent, link,
        Arrays.hashCode(layerSizes), numTrees, treeDepth);
  }

  @Override
  public String toString() {
    String shape = family.isDense()
        ? "layers " + Arrays.toString(layerSizes)
        : numTrees + " trees of depth " + treeDepth;
    return family.id() + " over " + numFeatures() + " features, " + shape + ", link " + link;
  }
}
