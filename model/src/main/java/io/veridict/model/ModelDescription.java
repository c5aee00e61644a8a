package io.veridict.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.model.internal.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The public description of an imported model ({@code model.public.json}): what a regulator or a
 * ledger may see. Architecture (weight-free), circuit identity, model commitment, the SHA-256 of the
 * source file, and a suggested threshold.
 *
 * @param name a human label
 * @param sourceFormat the file format imported ({@code xgboost-json}, {@code onnx}, {@code scorecard-json})
 * @param sourceSha256 hex SHA-256 of the imported file
 * @param architecture the public shape and encoding
 * @param airId hex identity of the decision circuit
 * @param modelCommitment hex RPO-256 commitment to the quantized parameters and a salt
 * @param suggestedThreshold a default policy threshold, if the model file has one
 */
public record ModelDescription(
    String name,
    String sourceFormat,
    String sourceSha256,
    ModelArchitecture architecture,
    String airId,
    String modelCommitment,
    OptionalDouble suggestedThreshold) {
  public static final String FORMAT = "veridict-model-public";
  static final Set<String> KEYS = Set.of(
      "format", "version", "name", "source_format", "source_sha256", "architecture", "air_id",
      "model_commitment", "suggested_threshold", "trace_rows");
  static final Set<String> ARCH_KEYS = Set.of(
      "family", "features", "input_exponents", "margin_exponent", "link", "layer_sizes", "num_trees", "tree_depth");

  public ModelDescription {
    Commitments.fromHex(modelCommitment);
    if (name == null || name.length() > 256 || sourceFormat == null || sourceSha256 == null) {
      throw new IllegalArgumentException("name, source format and source hash are required");
    }
  }

  /** Checks that {@code airId} is the circuit this architecture compiles to. */
  public void checkAirId() {
    String actual = DecisionCircuit.of(architecture).airId();
    if (!actual.equals(airId)) {
      throw new IllegalArgumentException(
          "the description's air_id " + airId + " is not its architecture's circuit (" + actual + ")");
    }
  }

  public ObjectNode toJson() {
    ObjectNode o = StrictJson.MAPPER.createObjectNode();
    o.put("format", FORMAT);
    o.put("version", 1);
    o.put("name", name);
    o.put("source_format", sourceFormat);
    o.put("source_sha256", sourceSha256);
    o.set("architecture", architectureJson(architecture));
    o.put("air_id", airId);
    o.put("model_commitment", modelCommitment);
    o.put("trace_rows", DecisionCircuit.of(architecture).traceLength());
    suggestedThreshold.ifPresent(t -> o.put("suggested_threshold", t));
    return o;
  }

  static ObjectNode architectureJson(ModelArchitecture a) {
    ObjectNode o = StrictJson.MAPPER.createObjectNode();
    o.put("family", a.family().id());
    ArrayNode f = o.putArray("features");
    a.featureNames().forEach(f::add);
    ArrayNode e = o.putArray("input_exponents");
    for (int x : a.inputExponents()) {
      e.add(x);
    }
    o.put("margin_exponent", a.marginExponent());
    o.put("link", a.link().name().toLowerCase(java.util.Locale.ROOT));
    ArrayNode l = o.putArray("layer_sizes");
    for (int x : a.layerSizes()) {
      l.add(x);
    }
    o.put("num_trees", a.numTrees());
    o.put("tree_depth", a.treeDepth());
    return o;
  }

  public static ModelDescription fromJson(JsonNode o, String path) {
    StrictJson.onlyKeys(o, path, KEYS);
    StrictJson.expectFormat(o, path, FORMAT, 1);
    OptionalDouble t = o.hasNonNull("suggested_threshold")
        ? OptionalDouble.of(StrictJson.number(o, path, "suggested_threshold"))
        : OptionalDouble.empty();
    ModelDescription d = new ModelDescription(
        StrictJson.text(o, path, "name"),
        StrictJson.text(o, path, "source_format"),
        StrictJson.text(o, path, "source_sha256"),
        architectureFromJson(StrictJson.field(o, path, "architecture"), path + ".architecture"),
        StrictJson.text(o, path, "air_id"),
        StrictJson.text(o, path, "model_commitment"),
        t);
    return d;
  }

  static ModelArchitecture architectureFromJson(JsonNode o, String path) {
    StrictJson.onlyKeys(o, path, ARCH_KEYS);
    JsonNode fs = StrictJson.array(o, path, "features", ModelArchitecture.MAX_FEATURES);
    List<String> names = new ArrayList<>();
    for (JsonNode n : fs) {
      if (!n.isTextual() || n.textValue().length() > 256) {
        throw new IllegalArgumentException(path + ".features must be strings (at most 256 characters)");
      }
      names.add(n.textValue());
    }
    int[] exps = ints(StrictJson.array(o, path, "input_exponents", ModelArchitecture.MAX_FEATURES), path + ".input_exponents");
    int[] layers = ints(StrictJson.array(o, path, "layer_sizes", 64), path + ".layer_sizes");
    String link = StrictJson.text(o, path, "link");
    FloatModel.Link l = switch (link) {
      case "identity" -> FloatModel.Link.IDENTITY;
      case "logistic" -> FloatModel.Link.LOGISTIC;
      default -> throw new IllegalArgumentException(path + ".link must be identity or logistic");
    };
    return new ModelArchitecture(
        ModelArchitecture.Family.fromId(StrictJson.text(o, path, "family")), names, exps,
        StrictJson.smallInt(o, path, "margin_exponent"), l, layers,
        StrictJson.smallInt(o, path, "num_trees"), StrictJson.smallInt(o, path, "tree_depth"));
  }

  private static int[] ints(JsonNode arr, String path) {
    int[] out = new int[arr.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode n = arr.get(i);
      if (!n.isIntegralNumber() || !n.canConvertToInt()) {
        throw new IllegalArgumentException(path + "[" + i + "] must be an integer");
      }
      out[i] = n.intValue();
    }
    return out;
  }
}
