package io.veridict.model;

import java.util.List;

/**
 * Linear or logistic regression: {@code margin = bias + sum_i weights[i] * x[i]}.
 *
 * @param featureNames input names, in order
 * @param weights one per feature
 * @param bias the intercept
 * @param link {@code LOGISTIC} for logistic regression
 */
public record LinearModel(List<String> featureNames, double[] weights, double bias, Link link)
    implements FloatModel {
  public LinearModel {
    featureNames = List.copyOf(featureNames);
    weights = weights.clone();
    if (featureNames.isEmpty() || weights.length != featureNames.size()) {
      throw new IllegalArgumentException(
          "need one weight per feature: " + weights.length + " weights, " + featureNames.size() + " features");
    }
    for (double w : weights) {
      ModelChecks.finite(w, "weight");
    }
    ModelChecks.finite(bias, "bias");
  }

  @Override
  public double[] weights() {
    return weights.clone();
  }

  @Override
  public double margin(double[] x) {
    FloatModel.checkLength(this, x);
    FloatModel.checkNoMissing(x, "linear");
    double s = bias;
    for (int i = 0; i < x.length; i++) {
      s += weights[i] * x[i];
    }
    return s;
  }
}
