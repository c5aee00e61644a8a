package io.veridict.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.model.internal.StrictJson;
import java.util.Arrays;
import java.util.Set;

/**
 * The model owner's private package ({@code model.private.json}): the public description plus the
 * quantized parameters and the commitment salt. Whoever holds it can prove decisions and open the
 * commitment; keep it secret. Loading re-checks that the parameters and salt open the described
 * parameter commitment and that the model commitment is that of the whole description (so an
 * edited exponent, link or feature cannot be proved under the registered commitment).
 */
public record ModelPackage(ModelDescription description, QuantizedModel model, long[] salt) {
  public static final String FORMAT = "veridict-model-private";
  public static final int MAX_BYTES = 64 << 20;

  public ModelPackage {
    salt = salt.clone();
    if (!model.architecture().equals(description.architecture())) {
      throw new IllegalArgumentException("the parameters do not match the described architecture");
    }
    String c = Commitments.toHex(model.commitment(salt));
    if (!c.equals(description.parameterCommitment())) {
      throw new IllegalArgumentException("the parameters and salt do not open the parameter commitment");
    }
    if (!description.commitmentMatches()) {
      throw new IllegalArgumentException(
          "the description does not hash to its model commitment: a field was edited after import");
    }
  }

  @Override
  public long[] salt() {
    return salt.clone();
  }

  /** Builds a package for a freshly quantized model with a new salt, without declared input ranges. */
  public static ModelPackage create(
      QuantizedModel model, String name, String sourceFormat, String sourceSha256,
      java.util.OptionalDouble suggestedThreshold, java.security.SecureRandom random) {
    return create(model, name, sourceFormat, sourceSha256, suggestedThreshold, java.util.List.of(), random);
  }

  /**
   * Builds a package for a freshly quantized model with a new salt and the feature ranges the model
   * is declared for ({@link ModelDescription#inputRanges()}: one per feature, or none).
   */
  public static ModelPackage create(
      QuantizedModel model, String name, String sourceFormat, String sourceSha256,
      java.util.OptionalDouble suggestedThreshold, java.util.List<ModelDescription.InputRange> inputRanges,
      java.security.SecureRandom random) {
    long[] salt = QuantizedModel.newSalt(random);
    String airId = DecisionCircuit.of(model.architecture()).airId();
    String parameters = Commitments.toHex(model.commitment(salt));
    // The description digest does not cover the model commitment: compute it on a placeholder.
    ModelDescription draft = new ModelDescription(
        name, sourceFormat, sourceSha256, model.architecture(), airId, parameters, parameters, suggestedThreshold,
        inputRanges, model.scoreErrorBound());
    ModelDescription d = new ModelDescription(
        name, sourceFormat, sourceSha256, model.architecture(), airId, parameters,
        draft.expectedModelCommitment(), suggestedThreshold, inputRanges, model.scoreErrorBound());
    return new ModelPackage(d, model, salt);
  }

  public byte[] toJsonBytes() {
    ObjectNode o = StrictJson.MAPPER.createObjectNode();
    o.put("format", FORMAT);
    o.put("version", ModelDescription.VERSION);
    o.set("description", description.toJson());
    ArrayNode p = o.putArray("parameters");
    for (long v : model.parameters()) {
      p.add(v);
    }
    ArrayNode s = o.putArray("salt");
    for (long v : salt) {
      s.add(String.format("%016x", v));
    }
    try {
      return StrictJson.MAPPER.writeValueAsBytes(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @throws IllegalArgumentException naming what is wrong */
  public static ModelPackage fromJsonBytes(byte[] bytes) {
    ObjectNode o = StrictJson.parseObject(bytes, MAX_BYTES, "model package");
    StrictJson.onlyKeys(o, "package", Set.of("format", "version", "description", "parameters", "salt"));
    if (o.path("version").isIntegralNumber() && o.path("version").longValue() == 1) {
      throw new IllegalArgumentException("this is a version 1 model package, whose commitment covers the"
          + " parameters but not what they mean; re-import the model with this Veridict");
    }
    StrictJson.expectFormat(o, "package", FORMAT, ModelDescription.VERSION);
    ModelDescription d = ModelDescription.fromJson(StrictJson.field(o, "package", "description"), "package.description");
    JsonNode ps = StrictJson.array(o, "package", "parameters", 1 << 22);
    long[] params = new long[ps.size()];
    for (int i = 0; i < params.length; i++) {
      JsonNode n = ps.get(i);
      if (!n.isIntegralNumber() || !n.canConvertToLong()) {
        throw new IllegalArgumentException("package.parameters[" + i + "] must be an integer");
      }
      params[i] = n.longValue();
    }
    JsonNode ss = StrictJson.array(o, "package", "salt", QuantizedModel.SALT_ELEMENTS);
    if (ss.size() != QuantizedModel.SALT_ELEMENTS) {
      throw new IllegalArgumentException("package.salt must have 4 elements");
    }
    long[] salt = new long[4];
    for (int i = 0; i < 4; i++) {
      JsonNode n = ss.get(i);
      if (!n.isTextual() || !n.textValue().matches("[0-9a-f]{16}")) {
        throw new IllegalArgumentException("package.salt[" + i + "] must be 16 hex digits");
      }
      salt[i] = Long.parseUnsignedLong(n.textValue(), 16);
    }
    return new ModelPackage(d, new QuantizedModel(d.architecture(), params), salt);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelPackage p && p.description.equals(description) && Arrays.equals(p.salt, salt);
  }

  @Override
  public int hashCode() {
    return description.hashCode();
  }

  @Override
  public String toString() {
    return "ModelPackage[" + description.name() + ", " + description.modelCommitment() + "] (parameters and salt hidden)";
  }
}
