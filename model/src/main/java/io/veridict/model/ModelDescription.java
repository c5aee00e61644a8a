package io.veridict.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.model.internal.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The public description of an imported model ({@code model.public.json}): what a regulator or a
 * ledger may see. Architecture (weight-free), circuit identity, model commitment, the SHA-256 of the
 * source file, and a suggested threshold.
 *
 * <p><b>The model commitment covers the whole description.</b> {@code parameterCommitment} is the
 * RPO-256 digest of the parameter tape and its salt, which the circuit recomputes (a public input
 * of the proof); {@code modelCommitment = RPO-256(parameterCommitment || descriptionDigest())},
 * where the description digest is SHA-256 over every other field (name, source format and hash,
 * family, features, input and margin exponents, link, shape, circuit identity, suggested
 * threshold). So the commitment a ledger registers and {@code verify --expect-model} compares pins
 * what the parameters mean, not only the parameters: an edited exponent, link, feature name or
 * shape (the same tape read as another architecture) gives another model commitment (REFERENCES
 * pitfalls 23, 25). {@link #commitmentMatches()} recomputes it; the decision verifier and {@link
 * ModelPackage} refuse a description for which it does not hold.
 *
 * @param name a human label
 * @param sourceFormat the file format imported ({@code xgboost-json}, {@code onnx}, {@code scorecard-json})
 * @param sourceSha256 hex SHA-256 of the imported file
 * @param architecture the public shape and encoding
 * @param airId hex identity of the decision circuit
 * @param parameterCommitment hex RPO-256 commitment to the quantized parameters and a salt (the
 *     circuit's public input)
 * @param modelCommitment hex {@code RPO-256(parameterCommitment || descriptionDigest())}
 * @param suggestedThreshold a default policy threshold, if the model file has one
 * @param inputRanges per feature, the range of values the model was imported for (the import
 *     dataset's minimum and maximum), or empty when it was imported without a dataset; a decision on a
 *     feature outside its range is refused (by the prover: the range is the model owner's
 *     declaration of its domain, bound to the commitment like every other field)
 * @param scoreErrorBound the worst-case score error of the quantized model, in fixed-point margin
 *     units ({@code 2^-marginExponent}): an upper bound on how far the circuit's margin can be from
 *     the imported model's exact margin, for any input the encoding admits ({@link
 *     QuantizationError}); empty when the model was not quantized from a float model here
 */
public record ModelDescription(
    String name,
    String sourceFormat,
    String sourceSha256,
    ModelArchitecture architecture,
    String airId,
    String parameterCommitment,
    String modelCommitment,
    OptionalDouble suggestedThreshold,
    List<InputRange> inputRanges,
    OptionalLong scoreErrorBound) {

  /** A feature's declared range {@code [min, max]} (finite, {@code min <= max}). */
  public record InputRange(double min, double max) {
    public InputRange {
      if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
        throw new IllegalArgumentException("an input range needs finite min <= max, got [" + min + ", " + max + "]");
      }
    }

    public boolean contains(double x) {
      return x >= min && x <= max;
    }
  }

  /** As the canonical constructor, without declared input ranges. */
  public ModelDescription(String name, String sourceFormat, String sourceSha256, ModelArchitecture architecture,
      String airId, String parameterCommitment, String modelCommitment, OptionalDouble suggestedThreshold) {
    this(name, sourceFormat, sourceSha256, architecture, airId, parameterCommitment, modelCommitment,
        suggestedThreshold, List.of(), OptionalLong.empty());
  }
  public static final String FORMAT = "veridict-model-public";
  /**
   * Format version 3: {@code score_error_bound}, and tree circuits that range-check every feature.
   * Version 2 added {@code parameter_commitment} and a model commitment over the description.
   * Older files are refused: re-import the model.
   */
  public static final int VERSION = 3;
  static final Set<String> KEYS = Set.of(
      "format", "version", "name", "source_format", "source_sha256", "architecture", "air_id",
      "parameter_commitment", "model_commitment", "suggested_threshold", "trace_rows", "input_ranges", "score_error_bound");
  static final Set<String> ARCH_KEYS = Set.of(
      "family", "features", "input_exponents", "margin_exponent", "link", "layer_sizes", "num_trees", "tree_depth");

  public ModelDescription {
    Commitments.fromHex(parameterCommitment);
    Commitments.fromHex(modelCommitment);
    if (airId == null || !airId.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("air_id must be 64 lowercase hex digits");
    }
    inputRanges = List.copyOf(inputRanges);
    if (!inputRanges.isEmpty() && inputRanges.size() != architecture.numFeatures()) {
      throw new IllegalArgumentException("input ranges: one per feature or none");
    }
    if (scoreErrorBound.isPresent()
        && (scoreErrorBound.getAsLong() < 0 || scoreErrorBound.getAsLong() > ModelArchitecture.MARGIN_BOUND)) {
      throw new IllegalArgumentException("score_error_bound must be in [0, 2^55]");
    }
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

  /**
   * SHA-256 over a length-prefixed encoding of every field but the two commitments, read as four
   * little-endian 64-bit words reduced mod p (as {@link DecisionStatement#contextDigest()}).
   */
  public long[] descriptionDigest() {
    FieldDigest d = new FieldDigest("veridict/model-description/v3");
    d.put(name).put(sourceFormat).put(sourceSha256).put(architecture.family().id());
    d.put(Integer.toString(architecture.featureNames().size()));
    architecture.featureNames().forEach(d::put);
    d.ints(architecture.inputExponents());
    d.put(Integer.toString(architecture.marginExponent()));
    d.put(architecture.link().name());
    d.ints(architecture.layerSizes());
    d.put(Integer.toString(architecture.numTrees())).put(Integer.toString(architecture.treeDepth()));
    d.put(airId);
    d.put(suggestedThreshold.isPresent()
        ? Long.toHexString(Double.doubleToLongBits(suggestedThreshold.getAsDouble())) : "none");
    d.put(Integer.toString(inputRanges.size()));
    for (InputRange r : inputRanges) {
      d.put(Long.toHexString(Double.doubleToLongBits(r.min()))).put(Long.toHexString(Double.doubleToLongBits(r.max())));
    }
    d.put(scoreErrorBound.isPresent() ? Long.toString(scoreErrorBound.getAsLong()) : "none");
    return d.fieldElements();
  }

  /** {@code RPO-256(parameterCommitment || descriptionDigest)}, hex: what {@code modelCommitment} must be. */
  public String expectedModelCommitment() {
    return combine(parameterCommitment, descriptionDigest());
  }

  /**
   * Checks that {@code modelCommitment} is this description's commitment.
   *
   * @throws IllegalArgumentException naming the expected commitment if a field was edited
   */
  public void checkCommitment() {
    if (!commitmentMatches()) {
      throw new IllegalArgumentException("model_commitment " + modelCommitment + " is not the commitment of this"
          + " description (" + expectedModelCommitment() + "): a field was edited after import");
    }
  }

  /** Whether {@code modelCommitment} is the commitment of this very description. */
  public boolean commitmentMatches() {
    return expectedModelCommitment().equals(modelCommitment);
  }

  static String combine(String parameterCommitment, long[] descriptionDigest) {
    long[] in = new long[8];
    System.arraycopy(Commitments.fromHex(parameterCommitment), 0, in, 0, 4);
    System.arraycopy(descriptionDigest, 0, in, 4, 4);
    return Commitments.toHex(io.veridict.core.hash.Rpo256.hashElements(in));
  }

  public ObjectNode toJson() {
    ObjectNode o = StrictJson.MAPPER.createObjectNode();
    o.put("format", FORMAT);
    o.put("version", VERSION);
    o.put("name", name);
    o.put("source_format", sourceFormat);
    o.put("source_sha256", sourceSha256);
    o.set("architecture", architectureJson(architecture));
    o.put("air_id", airId);
    o.put("parameter_commitment", parameterCommitment);
    o.put("model_commitment", modelCommitment);
    o.put("trace_rows", DecisionCircuit.traceRows(architecture)); // not the circuit: serialising builds none
    suggestedThreshold.ifPresent(t -> o.put("suggested_threshold", t));
    if (!inputRanges.isEmpty()) {
      ArrayNode r = o.putArray("input_ranges");
      for (InputRange x : inputRanges) {
        r.addArray().add(x.min()).add(x.max());
      }
    }
    scoreErrorBound.ifPresent(e -> o.put("score_error_bound", e));
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
    if (o.path("version").isIntegralNumber() && o.path("version").longValue() == 1) {
      throw new IllegalArgumentException(path + " is a version 1 model description, whose commitment"
          + " covers the parameters but not what they mean; re-import the model with this Veridict");
    }
    if (o.path("version").isIntegralNumber() && o.path("version").longValue() == 2) {
      throw new IllegalArgumentException(path + " is a version 2 model description, without a score error"
          + " bound (and, for trees, a circuit that did not range-check features); re-import the model with this Veridict");
    }
    StrictJson.expectFormat(o, path, FORMAT, VERSION);
    OptionalDouble t = o.hasNonNull("suggested_threshold")
        ? OptionalDouble.of(StrictJson.number(o, path, "suggested_threshold"))
        : OptionalDouble.empty();
    ModelDescription d = new ModelDescription(
        StrictJson.text(o, path, "name"),
        StrictJson.text(o, path, "source_format"),
        StrictJson.text(o, path, "source_sha256"),
        architectureFromJson(StrictJson.field(o, path, "architecture"), path + ".architecture"),
        StrictJson.text(o, path, "air_id"),
        StrictJson.text(o, path, "parameter_commitment"),
        StrictJson.text(o, path, "model_commitment"),
        t,
        o.has("input_ranges") ? ranges(StrictJson.array(o, path, "input_ranges", ModelArchitecture.MAX_FEATURES),
            path + ".input_ranges") : List.of(),
        o.has("score_error_bound") ? OptionalLong.of(errorBound(o.get("score_error_bound"), path)) : OptionalLong.empty());
    if (o.has("trace_rows")) {
      // Derived from the architecture; an edited value is refused rather than ignored.
      JsonNode rows = o.get("trace_rows");
      if (!rows.isIntegralNumber() || !rows.canConvertToInt()
          || rows.intValue() != DecisionCircuit.traceRows(d.architecture())) {
        throw new IllegalArgumentException(path + ".trace_rows is not the architecture's circuit size");
      }
    }
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

  private static List<InputRange> ranges(JsonNode arr, String path) {
    List<InputRange> out = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      JsonNode r = arr.get(i);
      if (!r.isArray() || r.size() != 2 || !r.get(0).isNumber() || !r.get(1).isNumber()) {
        throw new IllegalArgumentException(path + "[" + i + "] must be [min, max]");
      }
      out.add(new InputRange(r.get(0).doubleValue(), r.get(1).doubleValue()));
    }
    return out;
  }

  /**
   * Checks an applicant's features against the declared ranges (nothing to check without them).
   *
   * @throws IllegalArgumentException naming the first feature outside its range, and the range
   */
  public void checkInputRanges(double[] features) {
    for (int i = 0; i < inputRanges.size() && i < features.length; i++) {
      if (!inputRanges.get(i).contains(features[i])) {
        InputRange r = inputRanges.get(i);
        // The value itself is not echoed (it is an applicant's data, and messages reach logs).
        throw new IllegalArgumentException("feature '" + architecture.featureNames().get(i)
            + "' is outside the range the model was imported for, [" + r.min() + ", " + r.max() + "]");
      }
    }
  }

  private static long errorBound(JsonNode n, String path) {
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new IllegalArgumentException(path + ".score_error_bound must be an integer");
    }
    return n.longValue();
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
