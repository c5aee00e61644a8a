package io.veridict.model;

/**
 * How faithful a quantized model is to its float original on a labelled dataset, and how good the
 * float model is: decision agreement at a threshold, score errors, and the model's own AUC and
 * accuracy.
 *
 * <p>Scores are compared in margin units (the logit for logistic models, points for scorecards):
 * {@code |margin_float - margin_q * 2^-s|}. Rows the quantized model cannot take (a missing value,
 * an input outside a dense model's range) are counted in {@code rowsSkipped} and count as
 * disagreements, so they lower the agreement rather than vanish.
 *
 * @param rows dataset rows
 * @param rowsSkipped rows the quantized model could not evaluate
 * @param threshold the policy threshold (prediction units) decisions were taken at
 * @param decisionAgreement fraction of rows where float and quantized decisions agree
 * @param maxAbsScoreError largest margin difference over evaluated rows
 * @param meanAbsScoreError mean margin difference over evaluated rows
 * @param auc the float model's ROC AUC against the labels (ties count one half)
 * @param accuracy the float model's accuracy at {@code threshold}
 */
public record AccuracyReport(
    int rows,
    int rowsSkipped,
    double threshold,
    double decisionAgreement,
    double maxAbsScoreError,
    double meanAbsScoreError,
    double auc,
    double accuracy) {
  /** The default floor for {@link #decisionAgreement}: 99.5%. */
  public static final double DEFAULT_AGREEMENT_FLOOR = 0.995;

  /**
   * Evaluates {@code floatModel} and {@code quantized} on {@code features} (rows in model input
   * order, NaN = missing) with 0/1 {@code labels}, deciding {@code prediction >= threshold}.
   */
  public static AccuracyReport of(
      FloatModel floatModel, QuantizedModel quantized, double[][] features, int[] labels, double threshold) {
    if (features.length != labels.length || features.length == 0) {
      throw new IllegalArgumentException("need as many labels as rows, and at least one row");
    }
    ModelArchitecture a = quantized.architecture();
    Policy policy = new Policy(threshold, Policy.Direction.AT_LEAST);
    long t = policy.circuitThreshold(a);
    int agree = 0;
    int skipped = 0;
    int correct = 0;
    double maxErr = 0;
    double sumErr = 0;
    double[] scores = new double[features.length];
    for (int r = 0; r < features.length; r++) {
      double margin = floatModel.margin(features[r]);
      double pred = floatModel.link().apply(margin);
      scores[r] = margin;
      boolean floatDecision = pred >= threshold;
      correct += (floatDecision ? 1 : 0) == labels[r] ? 1 : 0;
      long[] x = new long[a.numFeatures()];
      long mq;
      try {
        for (int i = 0; i < x.length; i++) {
          x[i] = a.quantizeInput(i, features[r][i]);
        }
        mq = FixedPointEvaluator.margin(quantized, x);
      } catch (IllegalArgumentException | ArithmeticException e) {
        skipped++;
        continue;
      }
      double err = Math.abs(margin - a.marginValue(mq));
      maxErr = Math.max(maxErr, err);
      sumErr += err;
      if ((mq >= t) == floatDecision) {
        agree++;
      }
    }
    int evaluated = features.length - skipped;
    return new AccuracyReport(
        features.length, skipped, threshold, agree / (double) features.length, maxErr,
        evaluated == 0 ? Double.NaN : sumErr / evaluated, auc(scores, labels), correct / (double) features.length);
  }

  /** ROC AUC by the rank statistic (Mann-Whitney U), ties counted one half. */
  static double auc(double[] scores, int[] labels) {
    Integer[] idx = new Integer[scores.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, (x, y) -> Double.compare(scores[x], scores[y]));
    double rankSumPos = 0;
    long pos = 0;
    int i = 0;
    while (i < idx.length) {
      int j = i;
      while (j + 1 < idx.length && scores[idx[j + 1]] == scores[idx[i]]) {
        j++;
      }
      double avgRank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (labels[idx[k]] == 1) {
          rankSumPos += avgRank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = scores.length - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSumPos - pos * (pos + 1) / 2.0) / (pos * (double) neg);
  }

  /** Whether {@link #decisionAgreement} reaches {@code floor}. */
  public boolean meets(double floor) {
    return decisionAgreement >= floor;
  }
}
