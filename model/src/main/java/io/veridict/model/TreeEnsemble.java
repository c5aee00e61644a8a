package io.veridict.model;

import java.util.List;

/**
 * A gradient-boosted tree ensemble (XGBoost semantics): {@code margin = baseMargin + sum over
 * trees of the reached leaf's value}. At an internal node the walk goes to {@code left} when
 * {@code x[feature] < threshold}, to {@code right} otherwise, and to the default child when the
 * feature is missing ({@code NaN}).
 *
 * @param featureNames input names, in order
 * @param trees at least one
 * @param baseMargin the margin before any tree (for {@code binary:logistic}, {@code
 *     logit(base_score)})
 * @param link {@code LOGISTIC} for {@code binary:logistic}, {@code IDENTITY} for regression
 */
public record TreeEnsemble(List<String> featureNames, List<Tree> trees, double baseMargin, Link link)
    implements FloatModel {
  public TreeEnsemble {
    featureNames = List.copyOf(featureNames);
    trees = List.copyOf(trees);
    if (featureNames.isEmpty() || trees.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs inputs and at least one tree");
    }
    for (int t = 0; t < trees.size(); t++) {
      trees.get(t).checkFeatures(featureNames.size(), t);
    }
    ModelChecks.finite(baseMargin, "base margin");
  }

  @Override
  public double margin(double[] x) {
    FloatModel.checkLength(this, x);
    double s = baseMargin;
    for (Tree t : trees) {
      s += t.leafValue(x);
    }
    return s;
  }

  /** The largest depth (edges from root to deepest leaf) over all trees. */
  public int maxDepth() {
    int d = 0;
    for (Tree t : trees) {
      d = Math.max(d, t.depth());
    }
    return d;
  }

  /**
   * One tree as parallel node arrays (node 0 is the root). A node is a leaf iff {@code left[i] <
   * 0}; then {@code value[i]} is its leaf value and the other fields are ignored.
   */
  public record Tree(
      int[] left, int[] right, int[] feature, double[] threshold, boolean[] defaultLeft, double[] value) {
    public Tree {
      int n = left.length;
      if (n == 0 || right.length != n || feature.length != n || threshold.length != n
          || defaultLeft.length != n || value.length != n) {
        throw new IllegalArgumentException("tree node arrays must be non-empty and of equal length");
      }
      left = left.clone();
      right = right.clone();
      feature = feature.clone();
      threshold = threshold.clone();
      defaultLeft = defaultLeft.clone();
      value = value.clone();
      // Every node reachable exactly once from the root, children after parents: no cycles.
      boolean[] seen = new boolean[n];
      seen[0] = true;
      for (int i = 0; i < n; i++) {
        if (!seen[i]) {
          throw new IllegalArgumentException("tree node " + i + " is not reachable from the root");
        }
        if (left[i] >= 0) {
          for (int c : new int[] {left[i], right[i]}) {
            if (c <= i || c >= n || seen[c]) {
              throw new IllegalArgumentException("tree node " + i + " has an invalid child " + c);
            }
            seen[c] = true;
          }
          ModelChecks.finite(threshold[i], "split threshold");
        } else {
          ModelChecks.finite(value[i], "leaf value");
        }
      }
    }

    void checkFeatures(int numFeatures, int treeIndex) {
      for (int i = 0; i < left.length; i++) {
        if (left[i] >= 0 && (feature[i] < 0 || feature[i] >= numFeatures)) {
          throw new IllegalArgumentException(
              "tree " + treeIndex + " node " + i + " splits on feature " + feature[i]
                  + " but the model has " + numFeatures + " features");
        }
      }
    }

    public int numNodes() {
      return left.length;
    }

    public boolean isLeaf(int node) {
      return left[node] < 0;
    }

    public int leftChild(int node) {
      return left[node];
    }

    public int rightChild(int node) {
      return right[node];
    }

    public int splitFeature(int node) {
      return feature[node];
    }

    public double splitThreshold(int node) {
      return threshold[node];
    }

    public boolean missingGoesLeft(int node) {
      return defaultLeft[node];
    }

    public double leafValueAt(int node) {
      return value[node];
    }

    /** Edges on the longest root-to-leaf path. */
    public int depth() {
      int[] d = new int[left.length];
      int max = 0;
      for (int i = 0; i < left.length; i++) {
        if (left[i] >= 0) {
          d[left[i]] = d[i] + 1;
          d[right[i]] = d[i] + 1;
          max = Math.max(max, d[i] + 1);
        }
      }
      return max;
    }

    /** The value of the leaf {@code x} reaches. */
    public double leafValue(double[] x) {
      int i = 0;
      while (left[i] >= 0) {
        double v = x[feature[i]];
        if (Double.isNaN(v)) {
          i = defaultLeft[i] ? left[i] : right[i];
        } else {
          i = v < threshold[i] ? left[i] : right[i];
        }
      }
      return value[i];
    }
  }
}
