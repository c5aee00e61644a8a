package io.veridict.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.model.internal.StrictJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The opening of a decision's input commitment ({@code *.opening.json}): the quantized features the
 * proof was made on and the salt, so the applicant (or whoever they show it to: a regulator, a
 * court) can check that the lender proved the decision on their actual data. {@code prove} writes
 * it beside the bundle, never inside it; it holds the applicant's data and is as secret as they
 * want it to be.
 *
 * <p>Checking it ({@link #check}) recomputes {@code RPO-256(quantizedFeatures || salt)} and compares
 * it, the subject, the model commitment and the circuit with the bundle's statement. A lender who
 * proved on edited features cannot produce an opening that matches, except by finding an RPO-256
 * collision.
 *
 * @param inputCommitment the statement's input commitment
 * @param modelCommitment the statement's model commitment
 * @param airId the statement's circuit
 * @param subject who the decision is about (the statement's context subject)
 * @param featureNames the model's feature names, in order
 * @param quantizedFeatures the fixed-point features the circuit read ({@code round(x * 2^e_i)})
 * @param salt the input commitment's 4-element salt
 */
public record InputOpening(
    String inputCommitment,
    String modelCommitment,
    String airId,
    String subject,
    List<String> featureNames,
    long[] quantizedFeatures,
    long[] salt) {
  public static final String FORMAT = "veridict-input-opening";
  public static final int VERSION = 1;
  public static final int MAX_BYTES = 1 << 20;
  private static final Set<String> KEYS = Set.of(
      "format", "version", "input_commitment", "model_commitment", "air_id", "subject", "features", "salt");

  public InputOpening {
    featureNames = List.copyOf(featureNames);
    quantizedFeatures = quantizedFeatures.clone();
    salt = salt.clone();
    Commitments.fromHex(inputCommitment);
    Commitments.fromHex(modelCommitment);
    if (featureNames.size() != quantizedFeatures.length) {
      throw new IllegalArgumentException("one quantized value per feature");
    }
    if (salt.length != QuantizedModel.SALT_ELEMENTS) {
      throw new IllegalArgumentException("the salt has " + QuantizedModel.SALT_ELEMENTS + " elements");
    }
  }

  @Override
  public long[] quantizedFeatures() {
    return quantizedFeatures.clone();
  }

  @Override
  public long[] salt() {
    return salt.clone();
  }

  /** Why an opening does not open a statement (null when it does). */
  public String mismatch(DecisionStatement s, ModelDescription description) {
    ModelArchitecture architecture = description.architecture();
    if (!airId.equals(s.airId()) || !modelCommitment.equals(s.modelCommitment())) {
      return "the opening is for another model or circuit";
    }
    if (!subject.equals(s.context().subject())) {
      return "the opening is for subject " + subject + ", the decision for " + s.context().subject();
    }
    if (!featureNames.equals(architecture.featureNames())) {
      return "the opening's features are not the model's";
    }
    String recomputed;
    try {
      recomputed = Commitments.toHex(QuantizedModel.inputCommitment(quantizedFeatures, salt));
    } catch (IllegalArgumentException e) {
      return "the opening's salt is malformed: " + e.getMessage();
    }
    if (!recomputed.equals(inputCommitment) || !inputCommitment.equals(s.inputCommitment())) {
      return "the features and salt do not hash to the statement's input commitment "
          + s.inputCommitment() + ": the proof was not made on these features";
    }
    // The circuit only bounds a feature to its fixed-point window; the declared range is the
    // model's domain, and the opening is where a value outside it shows. Rounding is monotone, so
    // every value in [min, max] quantizes into [q(min), q(max)].
    List<ModelDescription.InputRange> ranges = description.inputRanges();
    for (int i = 0; i < ranges.size(); i++) {
      ModelDescription.InputRange r = ranges.get(i);
      if (quantizedFeatures[i] < architecture.scaledInput(i, r.min()) || quantizedFeatures[i] > architecture.scaledInput(i, r.max())) {
        return "the proof was made on feature '" + featureNames.get(i) + "' outside the range the model was imported for, ["
            + r.min() + ", " + r.max() + "]: not a decision of the model on an applicant in its domain";
      }
    }
    return null;
  }

  /**
   * Checks that this opening opens {@code b}'s input commitment (after {@code b} itself verified).
   *
   * @throws DecisionVerificationException {@code INPUT_OPENING_MISMATCH} naming what differs
   */
  public void check(ProofBundle b) throws DecisionVerificationException {
    String why = mismatch(b.statement(), b.model());
    if (why != null) {
      throw new DecisionVerificationException(DecisionVerificationException.Reason.INPUT_OPENING_MISMATCH, why);
    }
  }

  /** The features in model units: {@code x_q / 2^e_i} (what the circuit saw, after rounding). */
  public double[] features(ModelArchitecture a) {
    double[] out = new double[quantizedFeatures.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.scalb((double) quantizedFeatures[i], -a.inputExponents()[i]);
    }
    return out;
  }

  public byte[] toJsonBytes() {
    ObjectNode o = StrictJson.MAPPER.createObjectNode();
    o.put("format", FORMAT);
    o.put("version", VERSION);
    o.put("input_commitment", inputCommitment);
    o.put("model_commitment", modelCommitment);
    o.put("air_id", airId);
    o.put("subject", subject);
    ArrayNode f = o.putArray("features");
    for (int i = 0; i < quantizedFeatures.length; i++) {
      ObjectNode e = f.addObject();
      e.put("name", featureNames.get(i));
      e.put("quantized", quantizedFeatures[i]);
    }
    ArrayNode s = o.putArray("salt");
    for (long v : salt) {
      s.add(String.format("%016x", v));
    }
    try {
      return StrictJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @throws IllegalArgumentException naming what is wrong */
  public static InputOpening fromJsonBytes(byte[] bytes) {
    ObjectNode o = StrictJson.parseObject(bytes, MAX_BYTES, "input opening");
    StrictJson.onlyKeys(o, "opening", KEYS);
    StrictJson.expectFormat(o, "opening", FORMAT, VERSION);
    JsonNode fs = StrictJson.array(o, "opening", "features", ModelArchitecture.MAX_FEATURES);
    List<String> names = new ArrayList<>();
    long[] xq = new long[fs.size()];
    for (int i = 0; i < xq.length; i++) {
      JsonNode e = fs.get(i);
      String path = "opening.features[" + i + "]";
      StrictJson.onlyKeys(e, path, Set.of("name", "quantized"));
      names.add(StrictJson.text(e, path, "name"));
      JsonNode q = StrictJson.field(e, path, "quantized");
      if (!q.isIntegralNumber() || !q.canConvertToLong() || Math.abs(q.longValue()) >= ModelArchitecture.VALUE_BOUND) {
        throw new IllegalArgumentException(path + ".quantized must be an integer below 2^23 in magnitude");
      }
      xq[i] = q.longValue();
    }
    JsonNode ss = StrictJson.array(o, "opening", "salt", QuantizedModel.SALT_ELEMENTS);
    if (ss.size() != QuantizedModel.SALT_ELEMENTS) {
      throw new IllegalArgumentException("opening.salt must have 4 elements");
    }
    long[] salt = new long[QuantizedModel.SALT_ELEMENTS];
    for (int i = 0; i < salt.length; i++) {
      JsonNode n = ss.get(i);
      if (!n.isTextual() || !n.textValue().matches("[0-9a-f]{16}")) {
        throw new IllegalArgumentException("opening.salt[" + i + "] must be 16 hex digits");
      }
      salt[i] = Long.parseUnsignedLong(n.textValue(), 16);
    }
    return new InputOpening(StrictJson.text(o, "opening", "input_commitment"),
        StrictJson.text(o, "opening", "model_commitment"), StrictJson.text(o, "opening", "air_id"),
        StrictJson.text(o, "opening", "subject"), names, xq, salt);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputOpening x && x.inputCommitment.equals(inputCommitment)
        && x.modelCommitment.equals(modelCommitment) && x.airId.equals(airId) && x.subject.equals(subject)
        && x.featureNames.equals(featureNames) && Arrays.equals(x.quantizedFeatures, quantizedFeatures)
        && Arrays.equals(x.salt, salt);
  }

  @Override
  public int hashCode() {
    return inputCommitment.hashCode();
  }

  @Override
  public String toString() {
    return "InputOpening[" + inputCommitment + ", " + featureNames.size() + " features (hidden)]";
  }
}
