package io.veridict.model.format;

import io.veridict.model.FloatModel;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A model read from a file.
 *
 * @param model the float model, exactly as the file specifies it
 * @param format the format it was read from
 * @param name a name from the file (scorecard {@code name}, ONNX graph name), or empty
 * @param suggestedCutoff a decision cut-off the file states (scorecard {@code cutoff}), if any
 * @param featureNamesFromFile whether the file named the features; if not, the names are
 *     placeholders ({@code f0, f1, ...} for XGBoost as XGBoost itself names them, {@code x0, x1,
 *     ...} for ONNX) and callers should take names from the training data, in column order
 * @param sourceSha256 lowercase hex SHA-256 of the file's bytes, for provenance
 */
public record ImportedModel(
    FloatModel model,
    ModelFormat format,
    String name,
    OptionalDouble suggestedCutoff,
    boolean featureNamesFromFile,
    String sourceSha256) {
  public ImportedModel {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(format, "format");
    name = name == null ? "" : name;
    Objects.requireNonNull(suggestedCutoff, "suggestedCutoff");
    Objects.requireNonNull(sourceSha256, "sourceSha256");
  }
}
