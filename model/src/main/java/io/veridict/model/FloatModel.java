package io.veridict.model;

import java.util.List;

/**
 * A model as imported from its file, in floating point: what the ML library computes, before
 * quantization. Closed set: the model families Veridict can prove.
 *
 * <p>{@link #margin(double[])} is the raw score the decision is taken on (a logit for logistic
 * models, the boosted margin for tree ensembles, the points total for scorecards); {@link
 * #link()} says how the library turns it into its reported prediction. Inputs are in {@link
 * #featureNames()} order; {@code Double.NaN} means "missing" (only tree ensembles accept it; the
 * others throw {@link IllegalArgumentException}).
 */
public sealed interface FloatModel
    permits LinearModel, TreeEnsemble, NeuralNetwork, Scorecard {

  /** Input feature names in model input order (never empty). */
  List<String> featureNames();

  /** The link from {@link #margin} to the library's reported prediction. */
  Link link();

  /** The raw score the decision is taken on. */
  double margin(double[] features);

  /** What the library reports: {@code link().apply(margin(x))}. */
  default double predict(double[] features) {
    return link().apply(margin(features));
  }

  /** Number of input features. */
  default int numFeatures() {
    return featureNames().size();
  }

  /** How a margin becomes a prediction. */
  enum Link {
    /** Regression, scorecard points: the prediction is the margin. */
    IDENTITY,
    /** Binary classification: the prediction is {@code 1 / (1 + e^-margin)}. */
    LOGISTIC;

    public double apply(double margin) {
      return this == IDENTITY ? margin : 1.0 / (1.0 + Math.exp(-margin));
    }

    /**
     * The margin threshold equivalent to a prediction threshold (the link is strictly monotone,
     * so {@code predict >= t} iff {@code margin >= inverse(t)}); a logistic threshold must be in
     * (0, 1).
     */
    public double inverse(double prediction) {
      if (this == IDENTITY) {
        return prediction;
      }
      if (!(prediction > 0 && prediction < 1)) {
        throw new IllegalArgumentException(
            "a probability threshold must be strictly between 0 and 1, got " + prediction);
      }
      return Math.log(prediction / (1 - prediction));
    }
  }

  static void checkLength(FloatModel m, double[] x) {
    if (x.length != m.numFeatures()) {
      throw new IllegalArgumentException(
          "expected " + m.numFeatures() + " features, got " + x.length);
    }
  }

  static void checkNoMissing(double[] x, String family) {
    for (int i = 0; i < x.length; i++) {
      if (Double.isNaN(x[i])) {
        throw new IllegalArgumentException(
            "feature " + i + " is missing (NaN); " + family + " models need every feature");
      }
    }
  }
}
