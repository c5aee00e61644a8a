package io.veridict.model.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.model.format.ModelImportException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the importers refuse, and how: unsupported constructs are {@link Reason#UNSUPPORTED} with a
 * message naming the construct; corrupt files are typed errors, never other exceptions.
 */
class ImporterRejectionTest {
  static final ObjectMapper JSON = new ObjectMapper();

  // ---- XGBoost -------------------------------------------------------------------------------

  static byte[] xgbWith(Consumer<ObjectNode> edit) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(Files.readAllBytes(Fixtures.fixture("bc_xgb_reg.json")));
    edit.accept(root);
    return JSON.writeValueAsBytes(root);
  }

  static ObjectNode learner(ObjectNode root) {
    return (ObjectNode) root.get("learner");
  }

  static ObjectNode tree0(ObjectNode root) {
    return (ObjectNode) root.at("/learner/gradient_booster/model/trees/0");
  }

  static ModelImportException xgbFails(Consumer<ObjectNode> edit) throws Exception {
    byte[] b = xgbWith(edit);
    return assertThrows(ModelImportException.class, () -> ModelImporter.importBytes(b, ModelFormat.XGBOOST_JSON));
  }

  @Test
  void xgboostUnsupportedConstructsAreNamed() throws Exception {
    ModelImportException e = xgbFails(r -> ((ObjectNode) learner(r).get("objective")).put("name", "multi:softprob"));
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertTrue(e.getMessage().contains("multi:softprob") && e.getMessage().contains("binary:logistic"), e.getMessage());

    e = xgbFails(r -> ((ObjectNode) learner(r).get("objective")).put("name", "count:poisson"));
    assertTrue(e.getMessage().contains("count:poisson"), e.getMessage());

    e = xgbFails(r -> ((ObjectNode) learner(r).get("learner_model_param")).put("num_class", "3"));
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertTrue(e.getMessage().contains("multi-class"), e.getMessage());

    e = xgbFails(r -> ((ObjectNode) learner(r).get("gradient_booster")).put("name", "dart"));
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertTrue(e.getMessage().contains("dart"), e.getMessage());

    e = xgbFails(r -> ((ArrayNode) tree0(r).get("split_type")).set(0, 1));
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertTrue(e.getMessage().contains("categorical") && e.getMessage().contains("trees[0] node 0"), e.getMessage());
  }

  @Test
  void xgboostInconsistentTreesAreInvalid() throws Exception {
    // A cycle: node 1's left child points back at the root.
    ModelImportException e = xgbFails(r -> ((ArrayNode) tree0(r).get("left_children")).set(1, 0));
    assertEquals(Reason.INVALID, e.reason());
    // A split on a feature the model does not have.
    e = xgbFails(r -> ((ArrayNode) tree0(r).get("split_indices")).set(0, 30));
    assertEquals(Reason.INVALID, e.reason());
    assertTrue(e.getMessage().contains("feature 30"), e.getMessage());
    // Arrays of different lengths.
    e = xgbFails(r -> ((ArrayNode) tree0(r).get("default_left")).remove(0));
    assertEquals(Reason.MALFORMED, e.reason());
    // A logistic model whose base_score is not a probability.
    e = xgbFails(r -> {
      ((ObjectNode) learner(r).get("objective")).put("name", "binary:logistic");
      ((ObjectNode) learner(r).get("learner_model_param")).put("base_score", "1.5E0");
    });
    assertEquals(Reason.INVALID, e.reason());
  }

  @Test
  void xgboost2VectorBaseScoreIsRead() throws Exception {
    byte[] b = xgbWith(r -> ((ObjectNode) learner(r).get("learner_model_param")).put("base_score", "[2.5E-1]"));
    var m = (io.veridict.model.TreeEnsemble) ModelImporter.importBytes(b, ModelFormat.XGBOOST_JSON).model();
    assertEquals(0.25, m.baseMargin(), 0.0);
  }

  /**
   * XGBoost goes left iff {@code (float) x < split}; the imported double threshold must agree for
   * every double, in particular at the rounding boundaries around each split.
   */
  @Test
  void float32SplitSemanticsAreExact() {
    Random rnd = new Random(20261128);
    for (int k = 0; k < 20_000; k++) {
      float split = switch (k % 4) {
        case 0 -> (float) rnd.nextGaussian() * 100;
        case 1 -> Float.intBitsToFloat(rnd.nextInt()) ;
        case 2 -> (float) Math.rint(rnd.nextGaussian() * 50) + 0.5f;
        default -> k % 8 == 3 ? 0.0f : Float.MIN_VALUE * (rnd.nextInt(5) - 2);
      };
      if (!Float.isFinite(split)) {
        continue;
      }
      double b = XgboostJsonReader.float32Boundary(split);
      float below = Math.nextDown(split);
      double mid = ((double) below + split) / 2;
      double[] probes = {split, below, mid, Math.nextUp(mid), Math.nextDown(mid), b, Math.nextDown(b),
          Math.nextUp(b), Math.nextUp((double) split), Math.nextDown((double) below),
          split + rnd.nextGaussian() * Math.ulp(split)};
      for (double x : probes) {
        if (Double.isFinite(x)) {
          assertEquals((float) x < split, x < b, "split " + split + " x " + x);
        }
      }
    }
  }

  // ---- ONNX ----------------------------------------------------------------------------------

  static ModelProto mlp() throws Exception {
    return ModelProto.parseFrom(Files.readAllBytes(Fixtures.fixture("bc_mlp.onnx")));
  }

  static ModelImportException onnxFails(ModelProto m) {
    return assertThrows(ModelImportException.class, () -> ModelImporter.importBytes(m.toByteArray(), ModelFormat.ONNX));
  }

  @Test
  void onnxUnsupportedOperatorIsNamed() throws Exception {
    ModelProto m = mlp();
    ModelProto.Builder b = m.toBuilder();
    NodeProto relu = b.getGraph().getNode(1);
    b.getGraphBuilder().setNode(1, relu.toBuilder().setOpType("Tanh"));
    ModelImportException e = onnxFails(b.build());
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertTrue(e.getMessage().contains("Tanh") && e.getMessage().contains("node 1") && e.getMessage().contains("Relu"),
        e.getMessage());
  }

  @Test
  void onnxUnsupportedAttributeIsNamed() throws Exception {
    ModelProto.Builder b = mlp().toBuilder();
    NodeProto gemm = b.getGraph().getNode(0);
    b.getGraphBuilder().setNode(0, gemm.toBuilder().addAttribute(
        AttributeProto.newBuilder().setName("transA").setType(AttributeProto.AttributeType.INT).setI(1)));
    ModelImportException e = onnxFails(b.build());
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertTrue(e.getMessage().contains("transA"), e.getMessage());
  }

  @Test
  void onnxBranchesAndComputedWeightsAreRefused() throws Exception {
    ModelProto.Builder b = mlp().toBuilder();
    NodeProto n2 = b.getGraph().getNode(2);
    // Node 2 reads the graph input instead of node 1's output: not a chain.
    b.getGraphBuilder().setNode(2, n2.toBuilder().setInput(0, b.getGraph().getInput(0).getName()));
    ModelImportException e = onnxFails(b.build());
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertTrue(e.getMessage().contains("chain"), e.getMessage());

    b = mlp().toBuilder();
    NodeProto n0 = b.getGraph().getNode(0);
    b.getGraphBuilder().setNode(0, n0.toBuilder().setInput(1, "not_an_initializer"));
    e = onnxFails(b.build());
    assertTrue(e.getMessage().contains("initializer"), e.getMessage());
  }

  @Test
  void onnxHiddenSigmoidIsRefused() throws Exception {
    ModelProto.Builder b = mlp().toBuilder();
    NodeProto relu = b.getGraph().getNode(1);
    b.getGraphBuilder().setNode(1, relu.toBuilder().setOpType("Sigmoid"));
    ModelImportException e = onnxFails(b.build());
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertTrue(e.getMessage().contains("Sigmoid"), e.getMessage());
  }

  @Test
  void onnxWrongShapesAreInvalid() throws Exception {
    ModelProto.Builder b = mlp().toBuilder();
    // The second layer's weights [8,16] replaced by a [8,15] tensor.
    var g = b.getGraphBuilder();
    for (int i = 0; i < g.getInitializerCount(); i++) {
      var t = g.getInitializer(i);
      if (t.getDimsCount() == 2 && t.getDims(0) == 8 && t.getDims(1) == 16) {
        var tb = t.toBuilder().setDims(1, 15);
        if (!t.getRawData().isEmpty()) {
          tb.setRawData(t.getRawData().substring(0, 8 * 15 * 4));
        } else {
          tb.clearFloatData();
          for (int k = 0; k < 8 * 15; k++) {
            tb.addFloatData(t.getFloatData(k));
          }
        }
        g.setInitializer(i, tb);
      }
    }
    ModelImportException e = onnxFails(b.build());
    assertEquals(Reason.INVALID, e.reason());
    assertTrue(e.getMessage().contains("15"), e.getMessage());
  }

  @Test
  void onnxDimensionsWhoseProductWrapsAreInvalid_notAnIndexError() throws Exception {
    // 2^32 x 2^32 wraps to 0 in a long product: every dimension is bounded before multiplying.
    for (long[] dims : new long[][] {{1L << 32, 1L << 32}, {1L << 62, 4}, {Long.MAX_VALUE, 2}}) {
      ModelProto.Builder b = mlp().toBuilder();
      var g = b.getGraphBuilder();
      for (int i = 0; i < g.getInitializerCount(); i++) {
        var t = g.getInitializer(i);
        if (t.getDimsCount() == 2 && t.getDims(0) == 8 && t.getDims(1) == 16) {
          g.setInitializer(i, t.toBuilder().setDims(0, dims[0]).setDims(1, dims[1]));
        }
        if (t.getDimsCount() == 1 && t.getDims(0) == 8) {
          g.setInitializer(i, t.toBuilder().clearDims().addDims(dims[0]).addDims(dims[1]));
        }
      }
      ModelImportException e = onnxFails(b.build());
      assertEquals(Reason.INVALID, e.reason(), e.getMessage());
    }
  }

  @Test
  void onnxReusingOneLargeInitializerIsCountedPerUse() throws Exception {
    // One 1100 x 1100 weight (1.2M values, under the bound) fed to four MatMul+Relu layers: 4.8M
    // weights would be materialized. Counted per use, it is refused before the copies are made.
    int n = 1100;
    var w = ai.onnx.proto.OnnxMl.TensorProto.newBuilder().setName("W").addDims(n).addDims(n)
        .setDataType(ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT_VALUE)
        .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[4 * n * n]));
    var shape = ai.onnx.proto.OnnxMl.TensorShapeProto.newBuilder()
        .addDim(ai.onnx.proto.OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
        .addDim(ai.onnx.proto.OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(n));
    var input = ai.onnx.proto.OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(
        ai.onnx.proto.OnnxMl.TypeProto.newBuilder().setTensorType(ai.onnx.proto.OnnxMl.TypeProto.Tensor.newBuilder()
            .setElemType(ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT_VALUE).setShape(shape)));
    var g = ai.onnx.proto.OnnxMl.GraphProto.newBuilder().setName("g").addInput(input).addInitializer(w);
    String cur = "x";
    for (int k = 0; k < 4; k++) {
      g.addNode(NodeProto.newBuilder().setOpType("MatMul").addInput(cur).addInput("W").addOutput("h" + k));
      g.addNode(NodeProto.newBuilder().setOpType("Relu").addInput("h" + k).addOutput("r" + k));
      cur = "r" + k;
    }
    g.addOutput(ai.onnx.proto.OnnxMl.ValueInfoProto.newBuilder().setName(cur));
    ModelImportException e = onnxFails(ModelProto.newBuilder().setIrVersion(8).setGraph(g).build());
    assertEquals(Reason.UNSUPPORTED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("counting every use"), e.getMessage());
  }

  // ---- Scorecard -----------------------------------------------------------------------------

  static ModelImportException scorecardFails(String json) {
    return assertThrows(ModelImportException.class, () -> ModelImporter.importBytes(
        json.getBytes(StandardCharsets.UTF_8), ModelFormat.SCORECARD_JSON));
  }

  @Test
  void scorecardRules() throws Exception {
    String ok = "{\"format\":\"veridict-scorecard\",\"version\":1,\"base_score\":100,"
        + "\"features\":[{\"name\":\"a\",\"bins\":[{\"upper\":1,\"points\":5},{\"upper\":null,\"points\":-5}]}]}";
    var m = ModelImporter.importBytes(ok.getBytes(StandardCharsets.UTF_8), ModelFormat.SCORECARD_JSON).model();
    assertEquals(105, m.margin(new double[] {0.999}));
    assertEquals(95, m.margin(new double[] {1.0}), "x falls in the first bin with x < upper");

    assertEquals(Reason.UNSUPPORTED, scorecardFails(ok.replace("\"version\":1", "\"version\":2")).reason());
    assertEquals(Reason.MALFORMED, scorecardFails(ok.replace("\"base_score\"", "\"bias\"")).reason());
    assertEquals(Reason.MALFORMED, scorecardFails(ok.replace("{\"format\"", "{\"format\":\"x\",\"format\"")).reason());
    assertEquals(Reason.INVALID, scorecardFails(ok.replace("\"upper\":null", "\"upper\":0.5")).reason());
    assertEquals(Reason.INVALID, scorecardFails(ok.replace("\"upper\":1,", "\"upper\":null,")).reason());
    ModelImportException e = scorecardFails(ok.replace("]}]}", "]},{\"name\":\"a\",\"bins\":[{\"upper\":null,\"points\":1}]}]}"));
    assertTrue(e.getMessage().contains("repeated"), e.getMessage());
    assertEquals(Reason.MALFORMED, scorecardFails(ok.replace("\"points\":5", "\"points\":1e999")).reason());
  }

  // ---- Corruption fuzzing --------------------------------------------------------------------

  /** Truncations and byte flips of each real fixture: a result or a typed error, nothing else. */
  @ParameterizedTest
  @ValueSource(strings = {"german_xgb.json", "bc_mlp.onnx", "german_logreg_linearclassifier.onnx", "german_scorecard.json"})
  void corruptFilesGiveTypedErrors(String file) throws Exception {
    byte[] orig = Files.readAllBytes(Fixtures.fixture(file));
    ModelFormat f = ModelFormat.detect(Fixtures.fixture(file), orig);
    Random rnd = new Random(file.hashCode());
    int typed = 0;
    for (int k = 0; k < 300; k++) {
      byte[] b;
      if (k < 60) {
        b = java.util.Arrays.copyOf(orig, rnd.nextInt(orig.length));
      } else {
        b = orig.clone();
        for (int j = 0; j <= k % 4; j++) {
          b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
        }
      }
      try {
        ModelImporter.importBytes(b, f);
      } catch (ModelImportException e) {
        typed++;
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
      }
    }
    assertTrue(typed > 0, "some corruptions must be detected");
  }
}
