package io.veridict.model.format;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.veridict.model.FloatModel;
import io.veridict.model.FloatModel.Link;
import io.veridict.model.LinearModel;
import io.veridict.model.NeuralNetwork;
import io.veridict.model.NeuralNetwork.Activation;
import io.veridict.model.NeuralNetwork.DenseLayer;
import io.veridict.model.format.ModelImportException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ONNX model (the protobuf schema {@code onnx/onnx-ml.proto}, classes from {@code
 * tribuo-util-onnx}; pure Java, no native runtime) whose graph is one chain from a single float
 * input {@code [batch, n]} (or {@code [n]}) to one score:
 *
 * <ul>
 *   <li>{@code Gemm} (transA = 0, transB 0 or 1, alpha, beta; B and C initializers), {@code
 *       MatMul} (B initializer), {@code Add} (an initializer bias), {@code Relu}, a final {@code
 *       Sigmoid} (becomes the logistic link: decisions are taken on the logit), {@code Identity},
 *       {@code Cast} to float/double, {@code Flatten} of a {@code [batch, n]} tensor — dense networks
 *       as PyTorch and other exporters write them. Consecutive affine ops without an activation
 *       between them are composed exactly.
 *   <li>ONNX-ML {@code LinearRegressor} (one target, post_transform NONE) and binary {@code
 *       LinearClassifier} (one or two coefficient rows; post_transform NONE, LOGISTIC or SOFTMAX),
 *       optionally followed by {@code ZipMap}; the score is class 1's (see docs/model-formats.md).
 * </ul>
 *
 * Anything else is a {@link ModelImportException} naming the node, operator or attribute, and what
 * is supported. Float32 parameters are widened to double exactly.
 */
final class OnnxReader {
  static final int MAX_PARAMETERS = 1 << 22;
  /** Bound on the multiply-adds of composing consecutive affine maps (about a second here). */
  static final long MAX_COMPOSE_WORK = 1L << 30;
  static final int MAX_NODES = 256;
  static final int MAX_FEATURES = 1 << 14;

  private OnnxReader() {}

  record Result(FloatModel model, String name, boolean namesFromFile) {}

  static ModelProto parse(byte[] bytes) throws ModelImportException {
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setRecursionLimit(64);
      ModelProto m = ModelProto.parseFrom(in);
      in.checkLastTagWas(0);
      return m;
    } catch (InvalidProtocolBufferException e) {
      throw new ModelImportException(Reason.MALFORMED, "not a valid ONNX protobuf: " + e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new ModelImportException(Reason.MALFORMED, "not a valid ONNX protobuf: " + e.getMessage(), e);
    }
  }

  static Result read(ModelProto model) throws ModelImportException {
    if (!model.hasGraph()) {
      throw new ModelImportException(Reason.MALFORMED, "the ONNX model has no graph");
    }
    GraphProto g = model.getGraph();
    if (g.getNodeCount() == 0 || g.getNodeCount() > MAX_NODES) {
      throw new ModelImportException(Reason.UNSUPPORTED,
          "the graph has " + g.getNodeCount() + " nodes; supported: 1.." + MAX_NODES);
    }
    Map<String, TensorProto> init = new HashMap<>();
    long params = 0;
    for (TensorProto t : g.getInitializerList()) {
      params += t.getFloatDataCount() + t.getDoubleDataCount() + t.getRawData().size() / 4L;
      if (params > MAX_PARAMETERS) {
        throw new ModelImportException(Reason.UNSUPPORTED, "more than " + MAX_PARAMETERS + " parameters");
      }
      init.put(t.getName(), t);
    }
    List<ValueInfoProto> inputs = new ArrayList<>();
    for (ValueInfoProto v : g.getInputList()) {
      if (!init.containsKey(v.getName())) {
        inputs.add(v); // IR < 4 lists initializers as inputs too.
      }
    }
    if (inputs.size() != 1) {
      throw new ModelImportException(Reason.UNSUPPORTED,
          "the graph has " + inputs.size() + " inputs; supported: one float tensor [batch, features]");
    }
    ValueInfoProto input = inputs.get(0);
    int declared = inputWidth(input);

    Chain c = new Chain(input.getName(), declared, init);
    for (int i = 0; i < g.getNodeCount(); i++) {
      c.apply(g.getNode(i), i);
    }
    Set<String> outputs = new HashSet<>();
    for (ValueInfoProto o : g.getOutputList()) {
      outputs.add(o.getName());
    }
    if (!outputs.contains(c.current)) {
      throw new ModelImportException(Reason.UNSUPPORTED,
          "the score '" + c.current + "' computed by the last supported node is not a graph output");
    }
    int n = c.width();
    if (n < 1 || n > MAX_FEATURES) {
      throw new ModelImportException(Reason.INVALID, "the model has " + n + " inputs; supported 1.." + MAX_FEATURES);
    }
    List<String> names = featureNames(model, input.getName(), n);
    boolean named = names != null;
    if (names == null) {
      names = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        names.add("x" + i);
      }
    }
    FloatModel fm = c.build(names);
    // Exporters name graphs after themselves ("torch_jit", "main_graph"): not a model name.
    return new Result(fm, "", named);
  }

  /** Optional names: model metadata {@code feature_names} = comma-separated, one per input column. */
  private static List<String> featureNames(ModelProto m, String inputName, int n) throws ModelImportException {
    for (var p : m.getMetadataPropsList()) {
      if (p.getKey().equals("feature_names")) {
        List<String> names = new ArrayList<>();
        for (String s : p.getValue().split(",", -1)) {
          names.add(s.trim());
        }
        if (names.size() != n || names.stream().anyMatch(String::isEmpty)
            || names.stream().distinct().count() != n) {
          throw new ModelImportException(Reason.INVALID,
              "metadata feature_names must list " + n + " distinct non-empty names, comma-separated");
        }
        return names;
      }
    }
    return null;
  }

  private static int inputWidth(ValueInfoProto v) throws ModelImportException {
    if (!v.hasType() || !v.getType().hasTensorType()) {
      throw new ModelImportException(Reason.UNSUPPORTED, "graph input '" + v.getName() + "' is not a tensor");
    }
    var tt = v.getType().getTensorType();
    int et = tt.getElemType();
    if (et != TensorProto.DataType.FLOAT_VALUE && et != TensorProto.DataType.DOUBLE_VALUE) {
      throw new ModelImportException(Reason.UNSUPPORTED,
          "graph input '" + v.getName() + "' has element type " + TensorProto.DataType.forNumber(et)
              + "; supported: FLOAT, DOUBLE");
    }
    if (!tt.hasShape()) {
      return -1;
    }
    List<TensorShapeProto.Dimension> dims = tt.getShape().getDimList();
    if (dims.isEmpty() || dims.size() > 2) {
      throw new ModelImportException(Reason.UNSUPPORTED,
          "graph input '" + v.getName() + "' has rank " + dims.size() + "; supported: [batch, features] or [features]");
    }
    TensorShapeProto.Dimension last = dims.get(dims.size() - 1);
    if (dims.size() == 2 && dims.get(0).hasDimValue() && dims.get(0).getDimValue() != 1) {
      // A fixed batch > 1 is fine for evaluation row by row; nothing to do.
    }
    if (!last.hasDimValue()) {
      return -1;
    }
    long w = last.getDimValue();
    if (w < 1 || w > MAX_FEATURES) {
      throw new ModelImportException(Reason.UNSUPPORTED, "graph input width " + w + "; supported 1.." + MAX_FEATURES);
    }
    return (int) w;
  }

  /** Walks the node chain, keeping finished dense layers and one pending affine map. */
  private static final class Chain {
    final Map<String, TensorProto> init;
    final List<DenseLayer> layers = new ArrayList<>();
    String current;
    int width; // width of `current`; -1 while unknown (input of unknown width, nothing applied yet)
    double[][] w; // pending affine map [out][in], or null
    double[] b;
    Link link = Link.IDENTITY;
    boolean terminal; // a Sigmoid / linear-model node was applied; only pass-through may follow
    boolean usedConverterOp; // LinearClassifier / LinearRegressor
    int inputWidth;
    /** Weights materialized so far, counting every use: one initializer can feed many nodes. */
    long materialized;
    /** Multiply-adds spent composing consecutive affine maps. */
    long composeWork;

    Chain(String input, int width, Map<String, TensorProto> init) {
      this.current = input;
      this.width = width;
      this.inputWidth = width;
      this.init = init;
    }

    int width() {
      return inputWidth;
    }

    void apply(NodeProto node, int index) throws ModelImportException {
      String op = node.getOpType();
      String domain = node.getDomain();
      String where = "node " + index + " ('" + node.getName() + "', " + (domain.isEmpty() ? "" : domain + ":") + op + ")";
      boolean ml = domain.equals("ai.onnx.ml");
      if (!domain.isEmpty() && !domain.equals("ai.onnx") && !ml) {
        throw unsupported(where, "operator domain '" + domain + "'");
      }
      if (node.getInputCount() == 0 || !node.getInput(0).equals(current)) {
        throw new ModelImportException(Reason.UNSUPPORTED, where + " does not consume '" + current
            + "': only a single chain from the input to the score is supported (no branches)");
      }
      if (terminal && !(op.equals("Identity") || (ml && op.equals("ZipMap")) || op.equals("Cast"))) {
        throw unsupported(where, "an operator after the final " + (usedConverterOp ? "linear model" : "Sigmoid"));
      }
      switch (ml ? "ml:" + op : op) {
        case "Gemm" -> gemm(node, where);
        case "MatMul" -> {
          onlyAttributes(node, where);
          requireInputs(node, where, 2);
          double[][] bm = used(matrix(initializer(node.getInput(1), where), where), where);
          affine(transpose(bm), new double[bm[0].length], where);
        }
        case "Add" -> {
          onlyAttributes(node, where);
          requireInputs(node, where, 2);
          if (w == null) {
            throw unsupported(where, "Add that does not follow Gemm/MatMul (a bias on raw inputs)");
          }
          double[] add = vector(initializer(node.getInput(1), where), where, w.length);
          for (int j = 0; j < b.length; j++) {
            b[j] += add[j];
          }
        }
        case "Relu" -> {
          onlyAttributes(node, where);
          if (w == null) {
            throw unsupported(where, "Relu that does not follow a Gemm/MatMul");
          }
          finishLayer(Activation.RELU);
        }
        case "Sigmoid" -> {
          onlyAttributes(node, where);
          if (w == null || w.length != 1) {
            throw unsupported(where, "Sigmoid other than on a single final score (hidden sigmoid layers "
                + "are not supported; use Relu)");
          }
          link = Link.LOGISTIC;
          terminal = true;
        }
        case "Identity" -> {
          onlyAttributes(node, where);
        }
        case "Cast" -> {
          long to = intAttr(node, "to", where, -1);
          if (to != TensorProto.DataType.FLOAT_VALUE && to != TensorProto.DataType.DOUBLE_VALUE) {
            throw unsupported(where, "Cast to " + TensorProto.DataType.forNumber((int) to) + " (only FLOAT/DOUBLE)");
          }
        }
        case "Flatten" -> {
          long axis = intAttr(node, "axis", where, 1);
          if (axis != 1 || w != null || !layers.isEmpty()) {
            throw unsupported(where, "Flatten other than axis=1 on the [batch, features] input");
          }
        }
        case "ml:LinearRegressor" -> linearRegressor(node, where);
        case "ml:LinearClassifier" -> linearClassifier(node, where);
        case "ml:ZipMap" -> {
          if (!terminal || !usedConverterOp) {
            throw unsupported(where, "ZipMap other than after a LinearClassifier");
          }
          // A representation change (tensor -> list of maps); the score is unchanged.
        }
        default -> throw unsupported(where, "operator " + (ml ? "ai.onnx.ml:" : "") + op);
      }
      // Side outputs (a classifier's label) are allowed; the chain follows the score.
      if (!(ml && op.equals("LinearClassifier"))) {
        if (node.getOutputCount() != 1) {
          throw unsupported(where, node.getOutputCount() + " outputs");
        }
        current = node.getOutput(0);
      }
    }

    private void gemm(NodeProto node, String where) throws ModelImportException {
      Set<String> allowed = Set.of("alpha", "beta", "transA", "transB");
      for (AttributeProto a : node.getAttributeList()) {
        if (!allowed.contains(a.getName())) {
          throw unsupported(where, "Gemm attribute '" + a.getName() + "'");
        }
      }
      if (node.getInputCount() < 2 || node.getInputCount() > 3) {
        throw new ModelImportException(Reason.MALFORMED, where + " needs inputs A, B and optionally C");
      }
      double alpha = floatAttr(node, "alpha", where, 1.0f);
      double beta = floatAttr(node, "beta", where, 1.0f);
      if (intAttr(node, "transA", where, 0) != 0) {
        throw unsupported(where, "Gemm with transA=1 (the input must be [batch, features])");
      }
      long transB = intAttr(node, "transB", where, 0);
      if (transB != 0 && transB != 1) {
        throw new ModelImportException(Reason.MALFORMED, where + " transB must be 0 or 1");
      }
      double[][] bm = used(matrix(initializer(node.getInput(1), where), where), where);
      double[][] wOutIn = transB == 1 ? bm : transpose(bm);
      for (double[] row : wOutIn) {
        for (int i = 0; i < row.length; i++) {
          row[i] *= alpha;
        }
      }
      double[] bias = new double[wOutIn.length];
      if (node.getInputCount() == 3 && !node.getInput(2).isEmpty()) {
        double[] c = vector(initializer(node.getInput(2), where), where, wOutIn.length);
        for (int j = 0; j < bias.length; j++) {
          bias[j] = beta * c[j];
        }
      }
      affine(wOutIn, bias, where);
    }

    /**
     * Counts a weight matrix against the parameter bound per use: the initializer count alone lets
     * a small file reuse one large matrix in hundreds of nodes (gigabytes of copies).
     */
    private double[][] used(double[][] m, String where) throws ModelImportException {
      materialized += (long) m.length * m[0].length;
      if (materialized > MAX_PARAMETERS) {
        throw new ModelImportException(Reason.UNSUPPORTED, where + ": the graph uses more than " + MAX_PARAMETERS
            + " weights (counting every use of an initializer)");
      }
      return m;
    }

    /** Applies {@code y = W x + bias} after whatever is pending (composition is exact algebra). */
    private void affine(double[][] wOutIn, double[] bias, String where) throws ModelImportException {
      int in = wOutIn[0].length;
      if (width >= 0 && in != width) {
        throw new ModelImportException(Reason.INVALID,
            where + " takes " + in + " inputs but receives " + width);
      }
      if (width < 0) {
        inputWidth = in;
      }
      if (w == null) {
        w = wOutIn;
        b = bias;
      } else {
        // W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2)
        composeWork += (long) wOutIn.length * w.length * w[0].length;
        if (composeWork > MAX_COMPOSE_WORK) {
          throw new ModelImportException(Reason.UNSUPPORTED, where + ": composing the consecutive linear maps "
              + "would take more than " + MAX_COMPOSE_WORK + " multiply-adds (put a Relu between them)");
        }
        double[][] nw = new double[wOutIn.length][w[0].length];
        double[] nb = new double[wOutIn.length];
        for (int j = 0; j < wOutIn.length; j++) {
          double s = bias[j];
          for (int k = 0; k < w.length; k++) {
            s += wOutIn[j][k] * b[k];
            for (int i = 0; i < w[0].length; i++) {
              nw[j][i] += wOutIn[j][k] * w[k][i];
            }
          }
          nb[j] = s;
        }
        w = nw;
        b = nb;
      }
      width = wOutIn.length;
    }

    private void finishLayer(Activation act) {
      layers.add(new DenseLayer(w, b, act));
      w = null;
      b = null;
    }

    private void linearRegressor(NodeProto node, String where) throws ModelImportException {
      allowedAttributes(node, where, Set.of("coefficients", "intercepts", "targets", "post_transform"));
      if (w != null || !layers.isEmpty()) {
        throw unsupported(where, "LinearRegressor after other operators");
      }
      if (intAttr(node, "targets", where, 1) != 1) {
        throw unsupported(where, "LinearRegressor with more than one target");
      }
      String post = stringAttr(node, "post_transform", where, "NONE");
      if (!post.equals("NONE")) {
        throw unsupported(where, "LinearRegressor post_transform " + post + " (only NONE)");
      }
      double[] coef = floatsAttr(node, "coefficients", where);
      double[] icpt = node.getAttributeList().stream().anyMatch(a -> a.getName().equals("intercepts"))
          ? floatsAttr(node, "intercepts", where) : new double[] {0};
      if (icpt.length != 1) {
        throw new ModelImportException(Reason.INVALID, where + " needs one intercept, got " + icpt.length);
      }
      affine(new double[][] {coef}, icpt, where);
      terminal = true;
      usedConverterOp = true;
      current = node.getOutput(0);
    }

    private void linearClassifier(NodeProto node, String where) throws ModelImportException {
      allowedAttributes(node, where, Set.of("coefficients", "intercepts", "classlabels_ints",
          "classlabels_strings", "post_transform", "multi_class"));
      if (w != null || !layers.isEmpty()) {
        throw unsupported(where, "LinearClassifier after other operators");
      }
      if (intAttr(node, "multi_class", where, 0) != 0) {
        throw unsupported(where, "LinearClassifier multi_class=1 (one-vs-rest over more than two classes)");
      }
      int labels = 0;
      for (AttributeProto a : node.getAttributeList()) {
        if (a.getName().equals("classlabels_ints")) {
          labels = a.getIntsCount();
        } else if (a.getName().equals("classlabels_strings")) {
          labels = a.getStringsCount();
        }
      }
      if (labels != 2) {
        throw unsupported(where, "LinearClassifier with " + labels + " class labels (only binary: 2)");
      }
      String post = stringAttr(node, "post_transform", where, "NONE");
      double[] coef = floatsAttr(node, "coefficients", where);
      double[] icpt = node.getAttributeList().stream().anyMatch(a -> a.getName().equals("intercepts"))
          ? floatsAttr(node, "intercepts", where) : null;
      int rows = icpt != null ? icpt.length : (coef.length % 2 == 0 ? 2 : 1);
      if (rows != 1 && rows != 2 || coef.length % rows != 0) {
        throw new ModelImportException(Reason.INVALID,
            where + ": " + coef.length + " coefficients and " + rows + " intercepts do not form 1 or 2 rows");
      }
      int n = coef.length / rows;
      double[] w1 = new double[n];
      double b1;
      if (icpt == null) {
        icpt = new double[rows];
      }
      // Score of class 1 (the second label). Two rows: s_c = row_c . x + b_c.
      switch (post) {
        case "NONE", "LOGISTIC" -> {
          // LOGISTIC: p_1 = sigmoid(s_1); NONE: the class-1 score s_1. One-row binary form: s_1 = row . x + b.
          int r = rows - 1;
          System.arraycopy(coef, r * n, w1, 0, n);
          b1 = icpt[r];
          link = post.equals("LOGISTIC") ? Link.LOGISTIC : Link.IDENTITY;
        }
        case "SOFTMAX" -> {
          if (rows != 2) {
            throw unsupported(where, "SOFTMAX over a one-row binary LinearClassifier");
          }
          // p_1 = e^s1 / (e^s0 + e^s1) = sigmoid(s1 - s0): exact, logistic link on the difference.
          for (int i = 0; i < n; i++) {
            w1[i] = coef[n + i] - coef[i];
          }
          b1 = icpt[1] - icpt[0];
          link = Link.LOGISTIC;
        }
        default -> throw unsupported(where, "LinearClassifier post_transform " + post
            + " (supported: NONE, LOGISTIC, SOFTMAX)");
      }
      affine(new double[][] {w1}, new double[] {b1}, where);
      terminal = true;
      usedConverterOp = true;
      if (node.getOutputCount() != 2) {
        throw new ModelImportException(Reason.MALFORMED, where + " must have outputs (label, scores)");
      }
      current = node.getOutput(1);
    }

    FloatModel build(List<String> names) throws ModelImportException {
      if (w == null) {
        throw unsupported("the graph", "a network that does not end in a Gemm/MatMul (+ optional Sigmoid)");
      }
      if (w.length != 1) {
        throw unsupported("the graph", "a final layer with " + w.length + " outputs (one score is supported)");
      }
      try {
        if (layers.isEmpty()) {
          return new LinearModel(names, w[0], b[0], link);
        }
        List<DenseLayer> all = new ArrayList<>(layers);
        all.add(new DenseLayer(w, b, Activation.NONE));
        return new NeuralNetwork(names, all, link);
      } catch (IllegalArgumentException e) {
        throw new ModelImportException(Reason.INVALID, "inconsistent network: " + e.getMessage(), e);
      }
    }

    private TensorProto initializer(String name, String where) throws ModelImportException {
      TensorProto t = init.get(name);
      if (t == null) {
        throw unsupported(where, "a computed operand '" + name + "' (weights and biases must be initializers)");
      }
      return t;
    }
  }

  private static double[][] transpose(double[][] m) {
    double[][] t = new double[m[0].length][m.length];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[0].length; j++) {
        t[j][i] = m[i][j];
      }
    }
    return t;
  }

  /** A rank-2 initializer as [rows][cols]. */
  private static double[][] matrix(TensorProto t, String where) throws ModelImportException {
    if (t.getDimsCount() != 2) {
      throw unsupported(where, "weight '" + t.getName() + "' of rank " + t.getDimsCount() + " (need 2)");
    }
    long r = t.getDims(0);
    long c = t.getDims(1);
    // Each dimension bounded first: r * c of two unchecked int64 dims can wrap to a small number.
    if (r < 1 || c < 1 || r > MAX_PARAMETERS || c > MAX_PARAMETERS || r * c > MAX_PARAMETERS) {
      throw new ModelImportException(Reason.INVALID, where + " weight '" + t.getName() + "' has dims " + t.getDimsList());
    }
    double[] flat = values(t, where, (int) (r * c));
    double[][] m = new double[(int) r][(int) c];
    for (int i = 0; i < r; i++) {
      System.arraycopy(flat, (int) (i * c), m[i], 0, (int) c);
    }
    return m;
  }

  /** A bias initializer of {@code n} values: shape [n], [1, n], or a scalar broadcast. */
  private static double[] vector(TensorProto t, String where, int n) throws ModelImportException {
    long count = 1;
    for (long d : t.getDimsList()) {
      if (d < 0 || d > MAX_PARAMETERS) { // before multiplying: an unchecked product can wrap
        throw new ModelImportException(Reason.INVALID, where + " bias '" + t.getName() + "' has dims " + t.getDimsList());
      }
      count *= d;
      if (count > MAX_PARAMETERS) {
        throw new ModelImportException(Reason.INVALID, where + " bias '" + t.getName() + "' has dims " + t.getDimsList());
      }
    }
    boolean shapeOk = t.getDimsCount() <= 2 && (count == n || count == 1)
        && (t.getDimsCount() < 2 || t.getDims(0) == 1);
    if (!shapeOk) {
      throw unsupported(where, "bias '" + t.getName() + "' with dims " + t.getDimsList() + " for " + n + " outputs");
    }
    double[] v = values(t, where, (int) count);
    if (count == n) {
      return v;
    }
    double[] out = new double[n];
    java.util.Arrays.fill(out, v[0]);
    return out;
  }

  private static double[] values(TensorProto t, String where, int count) throws ModelImportException {
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
      throw unsupported(where, "external tensor data for '" + t.getName() + "' (save the model with weights inside)");
    }
    int type = t.getDataType();
    double[] out = new double[count];
    if (!t.getRawData().isEmpty()) {
      int size = type == TensorProto.DataType.FLOAT_VALUE ? 4 : type == TensorProto.DataType.DOUBLE_VALUE ? 8 : -1;
      if (size < 0) {
        throw unsupported(where, "tensor '" + t.getName() + "' of type " + TensorProto.DataType.forNumber(type));
      }
      if (t.getRawData().size() != (long) count * size) {
        throw new ModelImportException(Reason.MALFORMED,
            where + " tensor '" + t.getName() + "' has " + t.getRawData().size() + " raw bytes for " + count + " values");
      }
      ByteBuffer bb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < count; i++) {
        out[i] = size == 4 ? bb.getFloat() : bb.getDouble();
      }
    } else if (type == TensorProto.DataType.FLOAT_VALUE) {
      if (t.getFloatDataCount() != count) {
        throw new ModelImportException(Reason.MALFORMED,
            where + " tensor '" + t.getName() + "' has " + t.getFloatDataCount() + " values, dims say " + count);
      }
      for (int i = 0; i < count; i++) {
        out[i] = t.getFloatData(i);
      }
    } else if (type == TensorProto.DataType.DOUBLE_VALUE) {
      if (t.getDoubleDataCount() != count) {
        throw new ModelImportException(Reason.MALFORMED,
            where + " tensor '" + t.getName() + "' has " + t.getDoubleDataCount() + " values, dims say " + count);
      }
      for (int i = 0; i < count; i++) {
        out[i] = t.getDoubleData(i);
      }
    } else {
      throw unsupported(where, "tensor '" + t.getName() + "' of type " + TensorProto.DataType.forNumber(type)
          + " (supported: FLOAT, DOUBLE)");
    }
    for (double v : out) {
      if (!Double.isFinite(v)) {
        throw new ModelImportException(Reason.INVALID, where + " tensor '" + t.getName() + "' has a non-finite value");
      }
    }
    return out;
  }

  private static void onlyAttributes(NodeProto node, String where) throws ModelImportException {
    allowedAttributes(node, where, Set.of());
  }

  private static void requireInputs(NodeProto node, String where, int n) throws ModelImportException {
    if (node.getInputCount() != n) {
      throw new ModelImportException(Reason.MALFORMED, where + " needs " + n + " inputs, has " + node.getInputCount());
    }
  }

  private static void allowedAttributes(NodeProto node, String where, Set<String> allowed) throws ModelImportException {
    for (AttributeProto a : node.getAttributeList()) {
      if (!allowed.contains(a.getName())) {
        throw unsupported(where, "attribute '" + a.getName() + "'");
      }
    }
  }

  private static AttributeProto attr(NodeProto node, String name) {
    for (AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a;
      }
    }
    return null;
  }

  private static long intAttr(NodeProto node, String name, String where, long absent) throws ModelImportException {
    AttributeProto a = attr(node, name);
    if (a == null) {
      if (absent == -1) {
        throw new ModelImportException(Reason.MALFORMED, where + " needs attribute '" + name + "'");
      }
      return absent;
    }
    if (a.getType() != AttributeProto.AttributeType.INT) {
      throw new ModelImportException(Reason.MALFORMED, where + " attribute '" + name + "' must be an INT");
    }
    return a.getI();
  }

  private static double floatAttr(NodeProto node, String name, String where, float absent) throws ModelImportException {
    AttributeProto a = attr(node, name);
    if (a == null) {
      return absent;
    }
    if (a.getType() != AttributeProto.AttributeType.FLOAT || !Float.isFinite(a.getF())) {
      throw new ModelImportException(Reason.MALFORMED, where + " attribute '" + name + "' must be a finite FLOAT");
    }
    return a.getF();
  }

  private static String stringAttr(NodeProto node, String name, String where, String absent) throws ModelImportException {
    AttributeProto a = attr(node, name);
    if (a == null) {
      return absent;
    }
    if (a.getType() != AttributeProto.AttributeType.STRING) {
      throw new ModelImportException(Reason.MALFORMED, where + " attribute '" + name + "' must be a STRING");
    }
    return a.getS().toString(StandardCharsets.UTF_8);
  }

  private static double[] floatsAttr(NodeProto node, String name, String where) throws ModelImportException {
    AttributeProto a = attr(node, name);
    if (a == null || a.getType() != AttributeProto.AttributeType.FLOATS || a.getFloatsCount() == 0) {
      throw new ModelImportException(Reason.MALFORMED, where + " needs a non-empty FLOATS attribute '" + name + "'");
    }
    double[] v = new double[a.getFloatsCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.getFloats(i);
      if (!Double.isFinite(v[i])) {
        throw new ModelImportException(Reason.INVALID, where + " attribute '" + name + "' has a non-finite value");
      }
    }
    return v;
  }

  private static ModelImportException unsupported(String where, String what) {
    return new ModelImportException(Reason.UNSUPPORTED, where + ": " + what + " is not supported. Supported: "
        + "Gemm, MatMul, Add, Relu, a final Sigmoid, Identity, Cast, Flatten; ai.onnx.ml LinearClassifier "
        + "(binary), LinearRegressor, ZipMap. See docs/model-formats.md");
  }
}
