package io.veridict.model.format;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/** The model file formats Veridict imports. */
public enum ModelFormat {
  /** XGBoost's JSON model format, as written by {@code Booster.save_model("m.json")}. */
  XGBOOST_JSON("xgboost-json"),
  /** An ONNX model (protobuf): dense/ReLU/Sigmoid graphs or an ONNX-ML linear model. */
  ONNX("onnx"),
  /** Veridict's documented points-based scorecard JSON format (docs/model-formats.md). */
  SCORECARD_JSON("scorecard-json");

  private final String cliName;

  ModelFormat(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line and in {@code model.public.json}. */
  public String cliName() {
    return cliName;
  }

  /**
   * The format named {@code name} ({@code xgboost-json}, {@code onnx}, {@code scorecard-json}).
   *
   * @throws IllegalArgumentException for any other name
   */
  public static ModelFormat fromCliName(String name) {
    for (ModelFormat f : values()) {
      if (f.cliName.equals(name.toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown model format '" + name + "'; supported: xgboost-json, onnx, scorecard-json");
  }

  /**
   * Guesses the format from the file name and its first bytes: {@code .onnx} or a protobuf
   * {@code ir_version} tag → ONNX; JSON with a {@code "learner"} member → XGBoost; JSON naming
   * {@code "veridict-scorecard"} → scorecard. Only a guess: the importer still validates the file.
   *
   * @throws IllegalArgumentException when the format cannot be told
   */
  public static ModelFormat detect(Path file, byte[] head) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".onnx")) {
      return ONNX;
    }
    int i = 0;
    while (i < head.length && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'
        || (head[i] & 0xff) == 0xef || (head[i] & 0xff) == 0xbb || (head[i] & 0xff) == 0xbf)) {
      i++;
    }
    if (i < head.length && head[i] == '{') {
      String text = new String(head, StandardCharsets.UTF_8);
      if (text.contains("\"veridict-scorecard\"")) {
        return SCORECARD_JSON;
      }
      if (text.contains("\"learner\"")) {
        return XGBOOST_JSON;
      }
      throw new IllegalArgumentException(
          "a JSON file that is neither an XGBoost model (no \"learner\") nor a Veridict scorecard");
    }
    // ModelProto field 1 (ir_version, varint): tag byte 0x08.
    if (head.length > 1 && head[0] == 0x08) {
      return ONNX;
    }
    throw new IllegalArgumentException("cannot tell the model format of " + file);
  }
}
