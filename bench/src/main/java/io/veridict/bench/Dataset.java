package io.veridict.bench;

import io.veridict.model.FloatModel;
import io.veridict.model.format.CsvDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A labelled dataset in model input order (read with {@link CsvDataset}); problems exit 2. */
record Dataset(List<String> featureNames, double[][] features, int[] labels) {
  static Dataset read(Path csv, String labelColumn, String positiveValue, List<String> featureNames) {
    Cli.checkReadable(csv, "dataset");
    CsvDataset d;
    try {
      d = CsvDataset.read(csv, labelColumn, positiveValue, featureNames);
    } catch (IOException e) {
      throw Cli.usage("cannot read dataset " + csv + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw Cli.usage("dataset " + csv + ": " + e.getMessage(),
          "It needs a header row naming the label column and every model feature.");
    }
    if (d.features().length == 0) {
      throw Cli.usage("dataset " + csv + " has no rows");
    }
    if (java.util.Arrays.stream(d.labels()).noneMatch(l -> l == 1)) {
      // Every row negative: the accuracy report would be meaningless (AUC undefined), and the
      // usual cause is a --positive value spelled differently from the file's ("1" vs "Good").
      throw Cli.usage("no row of " + csv + " has " + labelColumn + " = '" + positiveValue + "'",
          "--positive must be the label value meaning approve/positive exactly as the file writes it "
              + "(e.g. \"Good\" or \"1\").");
    }
    return new Dataset(d.featureNames(), d.features(), d.labels());
  }

  int rows() {
    return features.length;
  }

  /** The rows the float model can score (drops rows with values it refuses, e.g. missing ones). */
  Dataset scorableBy(FloatModel model) {
    List<double[]> x = new ArrayList<>();
    List<Integer> y = new ArrayList<>();
    for (int r = 0; r < features.length; r++) {
      try {
        if (!Double.isFinite(model.margin(features[r]))) {
          continue;
        }
      } catch (IllegalArgumentException e) {
        continue;
      }
      x.add(features[r]);
      y.add(labels[r]);
    }
    return new Dataset(featureNames, x.toArray(new double[0][]), y.stream().mapToInt(Integer::intValue).toArray());
  }

  Dataset first(int k) {
    int n = Math.min(k, features.length);
    return new Dataset(featureNames, java.util.Arrays.copyOf(features, n), java.util.Arrays.copyOf(labels, n));
  }
}
