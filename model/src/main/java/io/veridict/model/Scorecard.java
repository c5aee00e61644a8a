package io.veridict.model;

import java.util.List;

/**
 * A points-based scorecard: each feature's value falls in one bin and earns that bin's points;
 * {@code margin = baseScore + sum of points}. Bins of a feature with edges {@code e_0 < e_1 < ...
 * < e_{k-1}}: bin 0 is {@code x < e_0}, bin {@code j} is {@code e_{j-1} <= x < e_j}, bin {@code k}
 * is {@code x >= e_{k-1}}.
 *
 * @param featureNames input names, in order (one {@link Characteristic} per feature)
 * @param characteristics the binning and points of each feature, in feature order
 * @param baseScore points every applicant starts with
 */
public record Scorecard(List<String> featureNames, List<Characteristic> characteristics, double baseScore)
    implements FloatModel {
  public Scorecard {
    featureNames = List.copyOf(featureNames);
    characteristics = List.copyOf(characteristics);
    if (featureNames.isEmpty() || characteristics.size() != featureNames.size()) {
      throw new IllegalArgumentException("a scorecard needs one characteristic per feature");
    }
    ModelChecks.finite(baseScore, "base score");
  }

  @Override
  public Link link() {
    return Link.IDENTITY;
  }

  @Override
  public double margin(double[] x) {
    FloatModel.checkLength(this, x);
    FloatModel.checkNoMissing(x, "scorecard");
    double s = baseScore;
    for (int i = 0; i < x.length; i++) {
      s += characteristics.get(i).points(x[i]);
    }
    return s;
  }

  /**
   * One feature's bins.
   *
   * @param edges strictly increasing bin edges (may be empty: one bin)
   * @param points {@code edges.length + 1} points, one per bin
   */
  public record Characteristic(double[] edges, double[] points) {
    public Characteristic {
      edges = edges.clone();
      points = points.clone();
      if (points.length != edges.length + 1) {
        throw new IllegalArgumentException(
            "a characteristic with " + edges.length + " edges needs " + (edges.length + 1) + " points, got " + points.length);
      }
      for (int j = 0; j < edges.length; j++) {
        ModelChecks.finite(edges[j], "bin edge");
        if (j > 0 && !(edges[j] > edges[j - 1])) {
          throw new IllegalArgumentException("bin edges must be strictly increasing at index " + j);
        }
      }
      for (double p : points) {
        ModelChecks.finite(p, "points");
      }
    }

    @Override
    public double[] edges() {
      return edges.clone();
    }

    @Override
    public double[] points() {
      return points.clone();
    }

    /** Points for value {@code x}. */
    public double points(double x) {
      int j = 0;
      while (j < edges.length && x >= edges[j]) {
        j++;
      }
      return points[j];
    }
  }
}
