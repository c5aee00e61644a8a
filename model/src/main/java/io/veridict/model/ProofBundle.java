package io.veridict.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.model.internal.StrictJson;
import java.util.Base64;
import java.util.Set;

/**
 * A decision proof as people and tools exchange it ({@code *.bundle.json}): the public statement,
 * the public model description the circuit is rebuilt from, and the STARK proof bytes. Contains no
 * feature, weight, score or salt.
 */
public record ProofBundle(DecisionStatement statement, ModelDescription model, byte[] proof) {
  public static final String FORMAT = "veridict-bundle";
  /** Largest bundle accepted from outside. */
  public static final int MAX_BYTES = 8 << 20;

  public ProofBundle {
    proof = proof.clone();
  }

  @Override
  public byte[] proof() {
    return proof.clone();
  }

  public int proofSizeBytes() {
    return proof.length;
  }

  public byte[] toJsonBytes() {
    ObjectNode o = StrictJson.MAPPER.createObjectNode();
    o.put("format", FORMAT);
    o.put("version", 1);
    o.set("statement", statementJson(statement));
    o.set("model", model.toJson());
    o.put("proof", Base64.getEncoder().encodeToString(proof));
    try {
      return StrictJson.MAPPER.writeValueAsBytes(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ObjectNode statementJson(DecisionStatement s) {
    ObjectNode o = StrictJson.MAPPER.createObjectNode();
    o.put("version", s.version());
    o.put("air_id", s.airId());
    o.put("model_commitment", s.modelCommitment());
    o.put("input_commitment", s.inputCommitment());
    ObjectNode p = o.putObject("policy");
    p.put("threshold", s.policy().threshold());
    p.put("direction", s.policy().direction().id());
    o.put("circuit_threshold", Long.toString(s.circuitThreshold()));
    o.put("guard_band", Long.toString(s.guardBand()));
    o.put("decision", s.decision());
    ObjectNode c = o.putObject("context");
    c.put("chain_id", s.context().chainId());
    c.put("subject", s.context().subject());
    c.put("policy_id", s.context().policyId());
    c.put("nonce", s.context().nonce());
    c.put("expires_at", s.context().expiresAt());
    return o;
  }

  /** @throws IllegalArgumentException naming the first problem */
  public static ProofBundle fromJsonBytes(byte[] bytes) {
    ObjectNode o = StrictJson.parseObject(bytes, MAX_BYTES, "bundle");
    StrictJson.onlyKeys(o, "bundle", Set.of("format", "version", "statement", "model", "proof"));
    StrictJson.expectFormat(o, "bundle", FORMAT, 1);
    DecisionStatement s = statementFromJson(StrictJson.field(o, "bundle", "statement"), "bundle.statement");
    ModelDescription d = ModelDescription.fromJson(StrictJson.field(o, "bundle", "model"), "bundle.model");
    byte[] proof;
    try {
      proof = Base64.getDecoder().decode(StrictJson.text(o, "bundle", "proof"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bundle.proof is not base64");
    }
    return new ProofBundle(s, d, proof);
  }

  static DecisionStatement statementFromJson(JsonNode o, String path) {
    StrictJson.onlyKeys(o, path, Set.of(
        "version", "air_id", "model_commitment", "input_commitment", "policy", "circuit_threshold", "guard_band", "decision", "context"));
    if (o.path("version").isIntegralNumber() && o.path("version").longValue() == 1) {
      throw new IllegalArgumentException(path + " is a version 1 statement (no guard band, and a circuit that did"
          + " not range-check tree features); prove the decision again with this Veridict");
    }
    JsonNode p = StrictJson.field(o, path, "policy");
    StrictJson.onlyKeys(p, path + ".policy", Set.of("threshold", "direction"));
    JsonNode c = StrictJson.field(o, path, "context");
    StrictJson.onlyKeys(c, path + ".context", Set.of("chain_id", "subject", "policy_id", "nonce", "expires_at"));
    long threshold;
    try {
      threshold = Long.parseLong(StrictJson.text(o, path, "circuit_threshold"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(path + ".circuit_threshold must be a decimal integer string");
    }
    long guard;
    try {
      guard = Long.parseLong(StrictJson.text(o, path, "guard_band"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(path + ".guard_band must be a decimal integer string");
    }
    return new DecisionStatement(
        StrictJson.smallInt(o, path, "version"),
        StrictJson.text(o, path, "air_id"),
        StrictJson.text(o, path, "model_commitment"),
        StrictJson.text(o, path, "input_commitment"),
        new Policy(StrictJson.number(p, path + ".policy", "threshold"),
            Policy.Direction.fromId(StrictJson.text(p, path + ".policy", "direction"))),
        threshold,
        guard,
        StrictJson.bool(o, path, "decision"),
        new Context(
            StrictJson.integer(c, path + ".context", "chain_id"),
            StrictJson.text(c, path + ".context", "subject"),
            StrictJson.text(c, path + ".context", "policy_id"),
            StrictJson.text(c, path + ".context", "nonce"),
            StrictJson.integer(c, path + ".context", "expires_at")));
  }
}
