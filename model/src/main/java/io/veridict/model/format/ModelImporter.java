package io.veridict.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.veridict.model.FloatModel;
import io.veridict.model.LinearModel;
import io.veridict.model.NeuralNetwork;
import io.veridict.model.Scorecard;
import io.veridict.model.TreeEnsemble;
import io.veridict.model.format.ModelImportException.Reason;
import io.veridict.model.internal.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Reads model files into {@link FloatModel}s: XGBoost JSON ({@code binary:logistic} and regression
 * objectives, {@code base_score}, missing-value default directions), ONNX (dense/ReLU/Sigmoid
 * graphs as exported by PyTorch; ONNX-ML {@code LinearClassifier}/{@code LinearRegressor}) and
 * Veridict's scorecard JSON. The formats and the exact semantics are in docs/model-formats.md.
 *
 * <p>Guarantees: the returned model computes what the library computes (tested against the
 * libraries' own predictions on real datasets, to 1e-6); anything the importer cannot represent
 * exactly is a {@link ModelImportException} naming the construct, never an approximation. Hostile
 * files are bounded: at most {@link #MAX_FILE_BYTES} are read, and per-format bounds cap trees,
 * nodes, parameters and features.
 */
public final class ModelImporter {
  /** Largest model file read (64 MiB). */
  public static final int MAX_FILE_BYTES = 64 << 20;

  /** Largest scorecard file read (1 MiB). */
  public static final int MAX_SCORECARD_BYTES = 1 << 20;

  private ModelImporter() {}

  /**
   * Imports {@code file} as {@code format}.
   *
   * @throws IOException when the file cannot be read
   * @throws ModelImportException when its content cannot be imported (typed reason, clear message)
   */
  public static ImportedModel importFile(Path file, ModelFormat format) throws IOException, ModelImportException {
    Objects.requireNonNull(format, "format");
    long size = Files.size(file);
    int limit = format == ModelFormat.SCORECARD_JSON ? MAX_SCORECARD_BYTES : MAX_FILE_BYTES;
    if (size > limit) {
      throw new ModelImportException(Reason.TOO_LARGE, file + " is " + size + " bytes; a " + format.cliName()
          + " model may be at most " + limit + " bytes");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(limit + 1);
    }
    return importBytes(bytes, format);
  }

  /**
   * Imports a model from its bytes.
   *
   * @throws ModelImportException when they cannot be imported
   */
  public static ImportedModel importBytes(byte[] bytes, ModelFormat format) throws ModelImportException {
    Objects.requireNonNull(bytes, "bytes");
    String sha = sha256(bytes);
    switch (format) {
      case XGBOOST_JSON -> {
        XgboostJsonReader.Result r = XgboostJsonReader.read(xgboostJson(bytes));
        return new ImportedModel(r.model(), format, "", OptionalDouble.empty(), r.namesFromFile(), sha);
      }
      case ONNX -> {
        if (bytes.length > MAX_FILE_BYTES) {
          throw new ModelImportException(Reason.TOO_LARGE, "the ONNX model is larger than " + MAX_FILE_BYTES + " bytes");
        }
        OnnxReader.Result r = OnnxReader.read(OnnxReader.parse(bytes));
        return new ImportedModel(r.model(), format, r.name(), OptionalDouble.empty(), r.namesFromFile(), sha);
      }
      case SCORECARD_JSON -> {
        ScorecardJsonReader.Result r = ScorecardJsonReader.read(json(bytes, MAX_SCORECARD_BYTES, "scorecard"));
        return new ImportedModel(r.model(), format, r.name(), r.cutoff(), true, sha);
      }
      default -> throw new AssertionError(format);
    }
  }

  /**
   * The same model with its inputs renamed (for files that do not name their features: take the
   * training data's column names, in order).
   *
   * @throws IllegalArgumentException if {@code names} has the wrong size or repeats a name
   */
  public static FloatModel withFeatureNames(FloatModel model, List<String> names) {
    if (names.size() != model.numFeatures()) {
      throw new IllegalArgumentException(
          "the model has " + model.numFeatures() + " inputs but " + names.size() + " names were given");
    }
    if (names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("feature names must be distinct");
    }
    return switch (model) {
      case LinearModel m -> new LinearModel(names, m.weights(), m.bias(), m.link());
      case NeuralNetwork m -> new NeuralNetwork(names, m.layers(), m.link());
      case TreeEnsemble m -> new TreeEnsemble(names, m.trees(), m.baseMargin(), m.link());
      case Scorecard m -> new Scorecard(names, m.characteristics(), m.baseScore());
    };
  }

  private static JsonNode json(byte[] bytes, int max, String what) throws ModelImportException {
    if (bytes.length > max) {
      throw new ModelImportException(Reason.TOO_LARGE, "the " + what + " is larger than " + max + " bytes");
    }
    try {
      return StrictJson.parseObject(bytes, max, what);
    } catch (IllegalArgumentException e) {
      throw new ModelImportException(Reason.MALFORMED, e.getMessage(), e);
    }
  }

  /** XGBoost files are not ours: unknown keys are fine, but numbers are kept as exact decimals. */
  private static JsonNode xgboostJson(byte[] bytes) throws ModelImportException {
    if (bytes.length > MAX_FILE_BYTES) {
      throw new ModelImportException(Reason.TOO_LARGE, "the XGBoost model is larger than " + MAX_FILE_BYTES + " bytes");
    }
    try (com.fasterxml.jackson.core.JsonParser p = XGBOOST_MAPPER.createParser(bytes)) {
      JsonNode n = XGBOOST_MAPPER.readTree(p);
      if (n == null || !n.isObject() || p.nextToken() != null) {
        throw new ModelImportException(Reason.MALFORMED, "an XGBoost JSON model must be one JSON object");
      }
      return n;
    } catch (IOException e) {
      String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new ModelImportException(Reason.MALFORMED,
          "not valid JSON (binary/UBJSON models: re-save with save_model(\"m.json\")): " + msg, e);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper XGBOOST_MAPPER =
      com.fasterxml.jackson.databind.json.JsonMapper.builder()
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  static {
    XGBOOST_MAPPER.getFactory().setStreamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
        .maxNestingDepth(16).maxStringLength(1 << 20).maxNumberLength(64).build());
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
