package io.veridict.model.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.model.FloatModel;
import io.veridict.model.FloatModel.Link;
import io.veridict.model.LinearModel;
import io.veridict.model.NeuralNetwork;
import io.veridict.model.Scorecard;
import io.veridict.model.TreeEnsemble;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The imported models compute what the real libraries computed (XGBoost 1.7.4, PyTorch 1.13 ONNX
 * export, ONNX-ML, the scorecard script; see fixtures/README.md): margin and prediction agree with
 * the library's output to 1e-6 on every row of the real datasets.
 */
class ImportFidelityTest {
  static final double TOL = 1e-6;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // model file,                        format,       dataset,                       label,      positive,  predictions
    "german_xgb.json,                      xgboost-json, german_credit.csv,             Class,      Good,      german_xgb_predictions.csv",
    "bc_xgb_reg.json,                      xgboost-json, fixture:bc_missing.csv,        diagnosis,  malignant, bc_xgb_reg_predictions.csv",
    "german_logreg.onnx,                   onnx,         german_credit.csv,             Class,      Good,      german_logreg_predictions.csv",
    "german_logreg_linearclassifier.onnx,  onnx,         german_credit.csv,             Class,      Good,      german_logreg_linearclassifier_predictions.csv",
    "bc_mlp.onnx,                          onnx,         breast_cancer_wisconsin.csv,   diagnosis,  malignant, bc_mlp_predictions.csv",
    "german_scorecard.json,                scorecard-json, german_credit.csv,           Class,      Good,      german_scorecard_predictions.csv",
  })
  void marginsAndPredictionsMatchTheLibrary(String file, String format, String dataset, String label,
      String positive, String predictions) throws Exception {
    ImportedModel im = ModelImporter.importFile(Fixtures.fixture(file), ModelFormat.fromCliName(format));
    Path data = dataset.startsWith("fixture:") ? Fixtures.fixture(dataset.substring(8)) : Fixtures.dataset(dataset);
    FloatModel model = im.model();
    CsvDataset d;
    if (im.featureNamesFromFile()) {
      d = CsvDataset.read(data, label, positive, model.featureNames());
    } else {
      d = CsvDataset.read(data, label, positive, null);
      model = ModelImporter.withFeatureNames(model, d.featureNames());
    }
    List<Fixtures.Prediction> expected = Fixtures.predictions(predictions);
    assertEquals(d.rows(), expected.size(), "one library prediction per dataset row");
    double maxMargin = 0;
    double maxRelMargin = 0;
    double maxPred = 0;
    double maxF32 = 0;
    for (Fixtures.Prediction p : expected) {
      double[] x = d.features()[p.row()];
      assertEquals(p.label(), d.labels()[p.row()], "label of row " + p.row());
      double m = model.margin(x);
      double y = model.predict(x);
      maxMargin = Math.max(maxMargin, Math.abs(m - p.margin()));
      maxRelMargin = Math.max(maxRelMargin, Math.abs(m - p.margin()) / Math.max(1, Math.abs(p.margin())));
      maxPred = Math.max(maxPred, Math.abs(y - p.prediction()));
      if (model instanceof TreeEnsemble te) {
        // XGBoost accumulates the margin in float32, tree by tree; the same sum in float32 over
        // our leaves must give XGBoost's number (this checks routing and leaf values exactly).
        float acc = (float) te.baseMargin();
        for (TreeEnsemble.Tree t : te.trees()) {
          acc += (float) t.leafValue(x);
        }
        maxF32 = Math.max(maxF32, Math.abs(acc - p.margin()));
      }
    }
    System.out.printf("%s: %d rows, max |margin - library| = %.3g (relative %.3g), max |prediction - library| = %.3g,"
        + " trees in float32: %.3g%n", file, expected.size(), maxMargin, maxRelMargin, maxPred, maxF32);
    // Double vs the library's float32 sum: within 1e-6 relative to the margin's magnitude.
    assertTrue(maxRelMargin <= TOL, file + ": max margin error " + maxMargin);
    assertTrue(maxPred <= TOL, file + ": max prediction error " + maxPred);
    assertTrue(maxF32 <= TOL, file + ": float32 tree sum differs from XGBoost by " + maxF32);
  }

  @Test
  void modelShapesAreWhatTheFilesSay() throws Exception {
    TreeEnsemble xgb = assertInstanceOf(TreeEnsemble.class,
        ModelImporter.importFile(Fixtures.fixture("german_xgb.json"), ModelFormat.XGBOOST_JSON).model());
    assertEquals(100, xgb.trees().size());
    assertEquals(4, xgb.maxDepth());
    assertEquals(61, xgb.numFeatures());
    assertEquals(Link.LOGISTIC, xgb.link());
    assertEquals(0.0, xgb.baseMargin(), 0.0, "base_score 0.5 is logit 0");

    TreeEnsemble reg = assertInstanceOf(TreeEnsemble.class,
        ModelImporter.importFile(Fixtures.fixture("bc_xgb_reg.json"), ModelFormat.XGBOOST_JSON).model());
    assertEquals(Link.IDENTITY, reg.link());
    assertEquals(0.5, reg.baseMargin(), 0.0);
    long goRight = reg.trees().stream().flatMapToInt(t -> java.util.stream.IntStream.range(0, t.numNodes())
        .filter(i -> !t.isLeaf(i) && !t.missingGoesLeft(i))).count();
    assertTrue(goRight > 0, "the regressor learned default-right directions for missing values");

    ImportedModel lr = ModelImporter.importFile(Fixtures.fixture("german_logreg.onnx"), ModelFormat.ONNX);
    assertInstanceOf(LinearModel.class, lr.model());
    assertEquals(Link.LOGISTIC, lr.model().link());
    assertFalse(lr.featureNamesFromFile());
    assertEquals("x0", lr.model().featureNames().get(0));

    NeuralNetwork mlp = assertInstanceOf(NeuralNetwork.class,
        ModelImporter.importFile(Fixtures.fixture("bc_mlp.onnx"), ModelFormat.ONNX).model());
    assertEquals(List.of(16, 8, 1), mlp.layers().stream().map(NeuralNetwork.DenseLayer::outputs).toList());
    assertEquals(NeuralNetwork.Activation.RELU, mlp.layers().get(0).activation());

    ImportedModel sc = ModelImporter.importFile(Fixtures.fixture("german_scorecard.json"), ModelFormat.SCORECARD_JSON);
    assertInstanceOf(Scorecard.class, sc.model());
    assertEquals(487.12, sc.suggestedCutoff().getAsDouble(), 0.0);
    assertEquals("german-credit-demo", sc.name());
    assertEquals(8, sc.model().numFeatures());
    assertTrue(sc.featureNamesFromFile());
    assertEquals(64, sc.sourceSha256().length());
  }

  @Test
  void formatDetection() throws Exception {
    for (String[] c : new String[][] {
        {"german_xgb.json", "xgboost-json"}, {"bc_mlp.onnx", "onnx"}, {"german_scorecard.json", "scorecard-json"}}) {
      Path p = Fixtures.fixture(c[0]);
      byte[] head = java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(p), 4096);
      assertEquals(ModelFormat.fromCliName(c[1]), ModelFormat.detect(p, head));
      // Without the extension, from the bytes alone.
      assertEquals(ModelFormat.fromCliName(c[1]), ModelFormat.detect(Path.of("model.bin"), head));
    }
  }
}
