package io.veridict.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.veridict.model.FloatModel.Link;
import io.veridict.model.TreeEnsemble;
import io.veridict.model.format.ModelImportException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads XGBoost's JSON model format (the schema XGBoost documents as {@code
 * doc/model.schema}, written by {@code Booster.save_model("m.json")}, XGBoost 1.0 and later).
 *
 * <p>Semantics reproduced exactly:
 *
 * <ul>
 *   <li>{@code margin = base_margin + sum of leaf values}; a leaf's value is its {@code
 *       split_conditions} entry (XGBoost stores leaf values there, already scaled by the learning
 *       rate); {@code base_weights} are not used for prediction.
 *   <li>For {@code binary:logistic}/{@code reg:logistic} the stored {@code base_score} is a
 *       probability and the base margin is its logit; for identity-link objectives it is the margin.
 *   <li>XGBoost casts features to float32 and goes left iff {@code (float) x < split}, with {@code
 *       split} a float32. The importer turns each split into the double threshold {@code t'} with
 *       {@code x < t'} iff {@code (float) x < split} for every double {@code x} (round-to-nearest-even
 *       boundary, see {@link #float32Boundary}), so the double model routes every input exactly as
 *       XGBoost does.
 *   <li>Missing values ({@code NaN}) follow {@code default_left}.
 * </ul>
 *
 * Refused with {@link Reason#UNSUPPORTED}: categorical splits, multi-class / multi-target models,
 * {@code gblinear}, {@code dart} (per-tree weights), vector leaves, and objectives whose link is
 * not the identity or the logistic function (e.g. {@code count:poisson}, {@code rank:*}).
 */
final class XgboostJsonReader {
  /**
   * Caps what a hostile file can make us allocate beyond its own size: the circuit's own limit, so
   * no tree array is allocated for a model the circuit would refuse anyway.
   */
  static final int MAX_TREES = io.veridict.model.ModelArchitecture.MAX_TREES;

  static final int MAX_NODES_PER_TREE = 1 << 16;
  static final int MAX_FEATURES = 1 << 14;

  private XgboostJsonReader() {}

  record Result(TreeEnsemble model, boolean namesFromFile) {}

  static Result read(JsonNode root) throws ModelImportException {
    JsonNode learner = object(root, "learner", "$");
    JsonNode params = object(learner, "learner_model_param", "learner");
    String objective = text(object(learner, "objective", "learner"), "name", "learner.objective");
    Link link = switch (objective) {
      case "binary:logistic", "reg:logistic" -> Link.LOGISTIC;
      case "reg:squarederror", "reg:linear", "reg:pseudohubererror", "reg:absoluteerror",
          "reg:squaredlogerror", "binary:logitraw" -> Link.IDENTITY;
      default -> throw new ModelImportException(Reason.UNSUPPORTED,
          "XGBoost objective '" + objective + "' is not supported; supported: binary:logistic, "
              + "binary:logitraw, reg:logistic, reg:squarederror (reg:linear), reg:pseudohubererror, "
              + "reg:absoluteerror, reg:squaredlogerror (link identity or logistic)");
    };
    if (objective.equals("reg:squaredlogerror")) {
      // Identity prediction link, but a different training target; prediction = margin holds.
      link = Link.IDENTITY;
    }
    int numClass = intText(params, "num_class", "learner.learner_model_param", 0);
    if (numClass > 1) {
      throw new ModelImportException(Reason.UNSUPPORTED,
          "multi-class XGBoost models (num_class=" + numClass + ") are not supported; "
              + "only binary classification and regression");
    }
    int numTarget = intText(params, "num_target", "learner.learner_model_param", 1);
    if (numTarget != 1) {
      throw new ModelImportException(Reason.UNSUPPORTED,
          "multi-target XGBoost models (num_target=" + numTarget + ") are not supported");
    }
    int numFeature = intText(params, "num_feature", "learner.learner_model_param", -1);
    if (numFeature < 1 || numFeature > MAX_FEATURES) {
      throw new ModelImportException(Reason.INVALID,
          "learner_model_param.num_feature must be in [1, " + MAX_FEATURES + "], got " + numFeature);
    }
    double baseScore = baseScore(params);
    double baseMargin;
    if (link == Link.LOGISTIC) {
      if (!(baseScore > 0 && baseScore < 1)) {
        throw new ModelImportException(Reason.INVALID,
            "base_score " + baseScore + " must be a probability in (0, 1) for " + objective);
      }
      baseMargin = Math.log(baseScore / (1 - baseScore));
    } else {
      baseMargin = baseScore;
    }

    JsonNode booster = object(learner, "gradient_booster", "learner");
    String boosterName = text(booster, "name", "learner.gradient_booster");
    if (!boosterName.equals("gbtree")) {
      throw new ModelImportException(Reason.UNSUPPORTED,
          "XGBoost booster '" + boosterName + "' is not supported; only gbtree (dart applies per-tree "
              + "weights at prediction time and gblinear is not a tree model: re-train with gbtree)");
    }
    JsonNode model = object(booster, "model", "learner.gradient_booster");
    JsonNode trees = array(model, "trees", "learner.gradient_booster.model");
    if (trees.isEmpty()) {
      throw new ModelImportException(Reason.INVALID, "the model has no trees");
    }
    if (trees.size() > MAX_TREES) {
      throw new ModelImportException(Reason.UNSUPPORTED,
          "the model has " + trees.size() + " trees; the decision circuit takes at most " + MAX_TREES);
    }
    JsonNode treeInfo = model.get("tree_info");
    if (treeInfo != null && treeInfo.isArray()) {
      for (JsonNode g : treeInfo) {
        if (!g.isIntegralNumber() || g.asInt() != 0) {
          throw new ModelImportException(Reason.UNSUPPORTED,
              "tree_info assigns a tree to output group " + g + "; only single-output models are supported");
        }
      }
    }

    List<String> names = new ArrayList<>();
    boolean namesFromFile = false;
    JsonNode fn = learner.get("feature_names");
    if (fn != null && fn.isArray() && !fn.isEmpty()) {
      if (fn.size() != numFeature) {
        throw new ModelImportException(Reason.INVALID,
            "learner.feature_names has " + fn.size() + " names but num_feature is " + numFeature);
      }
      for (JsonNode n : fn) {
        if (!n.isTextual() || n.asText().isEmpty()) {
          throw new ModelImportException(Reason.MALFORMED, "learner.feature_names must be non-empty strings");
        }
        names.add(n.asText());
      }
      if (names.stream().distinct().count() != names.size()) {
        throw new ModelImportException(Reason.INVALID, "learner.feature_names has duplicates");
      }
      namesFromFile = true;
    } else {
      // XGBoost's own names for unnamed features.
      for (int i = 0; i < numFeature; i++) {
        names.add("f" + i);
      }
    }

    List<TreeEnsemble.Tree> parsed = new ArrayList<>(trees.size());
    for (int t = 0; t < trees.size(); t++) {
      parsed.add(tree(trees.get(t), t, numFeature));
    }
    try {
      return new Result(new TreeEnsemble(names, parsed, baseMargin, link), namesFromFile);
    } catch (IllegalArgumentException e) {
      throw new ModelImportException(Reason.INVALID, "inconsistent XGBoost model: " + e.getMessage(), e);
    }
  }

  private static TreeEnsemble.Tree tree(JsonNode tree, int t, int numFeature) throws ModelImportException {
    String at = "learner.gradient_booster.model.trees[" + t + "]";
    if (!tree.isObject()) {
      throw new ModelImportException(Reason.MALFORMED, at + " must be an object");
    }
    JsonNode tp = tree.get("tree_param");
    if (tp != null && tp.has("size_leaf_vector")) {
      int slv = parseInt(tp.get("size_leaf_vector"), at + ".tree_param.size_leaf_vector");
      if (slv > 1) {
        throw new ModelImportException(Reason.UNSUPPORTED, at + " has vector leaves (size_leaf_vector="
            + slv + "); only scalar leaves are supported");
      }
    }
    JsonNode left = array(tree, "left_children", at);
    int n = left.size();
    if (n == 0 || n > MAX_NODES_PER_TREE) {
      throw new ModelImportException(Reason.INVALID, at + " has " + n + " nodes; need 1.." + MAX_NODES_PER_TREE);
    }
    JsonNode right = sized(tree, "right_children", at, n);
    JsonNode feat = sized(tree, "split_indices", at, n);
    JsonNode cond = sized(tree, "split_conditions", at, n);
    JsonNode defLeft = sized(tree, "default_left", at, n);
    JsonNode splitType = tree.get("split_type");
    if (splitType != null && !splitType.isArray()) {
      throw new ModelImportException(Reason.MALFORMED, at + ".split_type must be an array");
    }
    JsonNode cats = tree.get("categories");
    if (cats != null && cats.isArray() && !cats.isEmpty()) {
      throw new ModelImportException(Reason.UNSUPPORTED,
          at + " has categorical splits; only numerical splits (x < threshold) are supported");
    }
    int[] l = new int[n];
    int[] r = new int[n];
    int[] f = new int[n];
    double[] thr = new double[n];
    boolean[] dl = new boolean[n];
    double[] val = new double[n];
    for (int i = 0; i < n; i++) {
      String node = at + " node " + i;
      l[i] = integer(left.get(i), node + " left_children");
      r[i] = integer(right.get(i), node + " right_children");
      // XGBoost stores splits and leaf values as float32, written as the shortest decimal that
      // reads back to that float; read them as float32 directly (no double rounding on the way).
      float c = float32(cond.get(i), node + " split_conditions");
      if (l[i] == -1) {
        if (r[i] != -1) {
          throw new ModelImportException(Reason.INVALID, node + " has no left child but right child " + r[i]);
        }
        l[i] = -1;
        r[i] = -1;
        val[i] = c;
        continue;
      }
      if (splitType != null && splitType.size() > i && integer(splitType.get(i), node + " split_type") != 0) {
        throw new ModelImportException(Reason.UNSUPPORTED,
            node + " is a categorical split; only numerical splits (x < threshold) are supported");
      }
      f[i] = integer(feat.get(i), node + " split_indices");
      if (f[i] < 0 || f[i] >= numFeature) {
        throw new ModelImportException(Reason.INVALID,
            node + " splits on feature " + f[i] + " but num_feature is " + numFeature);
      }
      thr[i] = float32Boundary(c);
      int d = integer(defLeft.get(i), node + " default_left");
      if (d != 0 && d != 1) {
        throw new ModelImportException(Reason.MALFORMED, node + " default_left must be 0 or 1, got " + d);
      }
      dl[i] = d == 1;
    }
    try {
      return new TreeEnsemble.Tree(l, r, f, thr, dl, val);
    } catch (IllegalArgumentException e) {
      throw new ModelImportException(Reason.INVALID, at + ": " + e.getMessage(), e);
    }
  }

  /**
   * The double {@code b} such that, for every double {@code x}, {@code x < b} iff {@code (float) x
   * < split} under IEEE round-to-nearest-even. {@code (float) x < split} iff {@code x} rounds to a
   * float below {@code split}, i.e. iff {@code x} lies below the midpoint {@code m} between {@code
   * split} and the next float down, or exactly on it when the tie goes down (the lower neighbour's
   * significand is even). {@code m} is exact in double (24-bit significands). Tested against
   * {@code (float)} casts at and around every boundary.
   */
  static double float32Boundary(float split) {
    float below = Math.nextDown(split);
    if (Float.isInfinite(below)) {
      return Double.NEGATIVE_INFINITY;
    }
    double m = ((double) below + (double) split) / 2;
    // At the tie x == m the cast goes to the neighbour with an even significand.
    boolean tieGoesDown = (Float.floatToRawIntBits(below) & 1) == 0;
    if (split == 0.0f) {
      // Neighbours -MIN_VALUE and ±0: (float) of a tiny negative x is -0.0f or -MIN_VALUE;
      // -0.0f < 0.0f is false. The even neighbour at the tie is -0.0, so the tie goes up.
      tieGoesDown = false;
    }
    return tieGoesDown ? Math.nextUp(m) : m;
  }

  private static double baseScore(JsonNode params) throws ModelImportException {
    JsonNode b = params.get("base_score");
    if (b == null) {
      throw new ModelImportException(Reason.MALFORMED, "learner.learner_model_param.base_score is missing");
    }
    String s = b.asText().trim();
    // XGBoost 2.x writes a vector "[5E-1]"; 1.x a scalar "5E-1".
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1).trim();
      if (s.contains(",")) {
        throw new ModelImportException(Reason.UNSUPPORTED, "a vector base_score " + b + " (multi-target) is not supported");
      }
    }
    try {
      double v = Double.parseDouble(s);
      if (!Double.isFinite(v) || s.toLowerCase(Locale.ROOT).contains("x")) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new ModelImportException(Reason.MALFORMED, "base_score '" + b.asText() + "' is not a finite number");
    }
  }

  private static JsonNode object(JsonNode parent, String key, String at) throws ModelImportException {
    JsonNode n = parent.get(key);
    if (n == null || !n.isObject()) {
      throw new ModelImportException(Reason.MALFORMED, at + "." + key + " must be an object (is this an XGBoost JSON model?)");
    }
    return n;
  }

  private static JsonNode array(JsonNode parent, String key, String at) throws ModelImportException {
    JsonNode n = parent.get(key);
    if (n == null || !n.isArray()) {
      throw new ModelImportException(Reason.MALFORMED, at + "." + key + " must be an array");
    }
    return n;
  }

  private static JsonNode sized(JsonNode parent, String key, String at, int n) throws ModelImportException {
    JsonNode a = array(parent, key, at);
    if (a.size() != n) {
      throw new ModelImportException(Reason.MALFORMED,
          at + "." + key + " has " + a.size() + " entries; left_children has " + n);
    }
    return a;
  }

  private static String text(JsonNode parent, String key, String at) throws ModelImportException {
    JsonNode n = parent.get(key);
    if (n == null || !n.isTextual()) {
      throw new ModelImportException(Reason.MALFORMED, at + "." + key + " must be a string");
    }
    return n.asText();
  }

  private static int intText(JsonNode parent, String key, String at, int absent) throws ModelImportException {
    JsonNode n = parent.get(key);
    if (n == null) {
      if (absent < 0) {
        throw new ModelImportException(Reason.MALFORMED, at + "." + key + " is missing");
      }
      return absent;
    }
    return parseInt(n, at + "." + key);
  }

  private static int parseInt(JsonNode n, String at) throws ModelImportException {
    try {
      return n.isIntegralNumber() && n.canConvertToInt() ? n.asInt() : Integer.parseInt(n.asText().trim());
    } catch (NumberFormatException e) {
      throw new ModelImportException(Reason.MALFORMED, at + " must be an integer, got " + n);
    }
  }

  private static int integer(JsonNode n, String at) throws ModelImportException {
    if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
      throw new ModelImportException(Reason.MALFORMED, at + " must be an integer, got " + n);
    }
    return n.asInt();
  }

  /** A float32 from a JSON number read as BigDecimal (exact text), correctly rounded once. */
  private static float float32(JsonNode n, String at) throws ModelImportException {
    if (n == null || !n.isNumber()) {
      throw new ModelImportException(Reason.MALFORMED, at + " must be a number, got " + n);
    }
    float v = Float.parseFloat(n.decimalValue().toString());
    if (!Float.isFinite(v)) {
      throw new ModelImportException(Reason.MALFORMED, at + " must be a finite float32, got " + n);
    }
    return v;
  }
}
