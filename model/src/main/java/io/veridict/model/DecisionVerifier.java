package io.veridict.model;

import io.veridict.verifier.AcceptablePolicy;
import io.veridict.verifier.VerificationException;
import io.veridict.verifier.Verifier;
import java.time.Instant;
import java.util.Optional;

/**
 * Verifies decision bundles. The circuit is rebuilt from the bundle's public architecture (never
 * taken from the proof); its identity must equal the statement's {@code airId}; the model
 * commitment must be that of the bundled description ({@link ModelDescription#commitmentMatches()}:
 * it covers the parameter commitment the circuit recomputes and every description field); the
 * circuit threshold is recomputed from the policy; the STARK proof is checked against the
 * statement's public inputs under an {@link AcceptablePolicy} (default: {@code standard}, ZK
 * required).
 */
public final class DecisionVerifier {
  private final AcceptablePolicy policy;
  private final Optional<CircuitCache> circuits;
  private final boolean requireClearMargin;

  private DecisionVerifier(AcceptablePolicy policy, Optional<CircuitCache> circuits, boolean requireClearMargin) {
    this.policy = policy;
    this.circuits = circuits;
    this.requireClearMargin = requireClearMargin;
  }

  private DecisionVerifier(AcceptablePolicy policy, Optional<CircuitCache> circuits) {
    this(policy, circuits, false);
  }

  /**
   * This verifier, refusing ({@link DecisionVerificationException.Reason#WITHIN_QUANTIZATION_ERROR})
   * a valid decision that is not certified clear of the model's quantization error ({@link
   * DecisionStatement#clearOfQuantizationError}). By default such a decision verifies and callers
   * report the flag.
   */
  public DecisionVerifier requiringClearMargin() {
    return new DecisionVerifier(policy, circuits, true);
  }

  /** At least 100 conjectured bits, zero knowledge required. */
  public static DecisionVerifier standard() {
    return new DecisionVerifier(AcceptablePolicy.standard().requiringZeroKnowledge(), Optional.empty());
  }

  public static DecisionVerifier withPolicy(AcceptablePolicy policy) {
    return new DecisionVerifier(policy, Optional.empty());
  }

  /**
   * This verifier, taking circuits from {@code cache}: built once per architecture, and never built
   * for an architecture the cache does not admit (then {@link
   * DecisionVerificationException.Reason#CIRCUIT_NOT_ADMITTED}, before anything trace-sized is
   * allocated). For services that verify bundles from untrusted callers.
   */
  public DecisionVerifier withCircuits(CircuitCache cache) {
    return new DecisionVerifier(policy, Optional.of(cache), requireClearMargin);
  }

  /** Parses and verifies bundle bytes. */
  public DecisionStatement verify(byte[] bundleJson, Optional<String> expectedModelCommitment, Instant now)
      throws DecisionVerificationException {
    return verify(parse(bundleJson), expectedModelCommitment, now);
  }

  /**
   * Parses bundle bytes, for callers that verify the bundle and then read it.
   *
   * @throws DecisionVerificationException {@code MALFORMED_BUNDLE} naming what is wrong
   */
  public static ProofBundle parse(byte[] bundleJson) throws DecisionVerificationException {
    try {
      return ProofBundle.fromJsonBytes(bundleJson);
    } catch (IllegalArgumentException e) {
      throw new DecisionVerificationException(DecisionVerificationException.Reason.MALFORMED_BUNDLE, e.getMessage());
    }
  }

  /**
   * Verifies {@code b}; returns its statement when valid.
   *
   * @param expectedModelCommitment if present, the registered model commitment the bundle must use
   * @param now the time expiry is checked against
   */
  public DecisionStatement verify(ProofBundle b, Optional<String> expectedModelCommitment, Instant now)
      throws DecisionVerificationException {
    DecisionStatement s = b.statement();
    DecisionCircuit circuit;
    try {
      if (circuits.isPresent()) {
        ModelArchitecture a = b.model().architecture();
        circuit = circuits.get().circuit(a).orElseThrow(() -> new DecisionVerificationException(
            DecisionVerificationException.Reason.CIRCUIT_NOT_ADMITTED,
            "the bundled architecture's circuit has " + DecisionCircuit.traceRows(a) + " rows; this verifier builds "
                + "at most " + circuits.get().maxUnpinnedTraceRows() + " rows for a model it does not hold"));
      } else {
        circuit = DecisionCircuit.of(b.model().architecture());
      }
    } catch (IllegalArgumentException e) {
      throw new DecisionVerificationException(DecisionVerificationException.Reason.MALFORMED_BUNDLE,
          "the bundled architecture does not compile: " + e.getMessage());
    }
    if (!circuit.airId().equals(s.airId()) || !circuit.airId().equals(b.model().airId())) {
      throw new DecisionVerificationException(DecisionVerificationException.Reason.AIR_ID_MISMATCH,
          "statement air_id " + s.airId() + " is not the bundled architecture's circuit " + circuit.airId());
    }
    if (!s.modelCommitment().equals(b.model().modelCommitment())) {
      throw new DecisionVerificationException(DecisionVerificationException.Reason.MODEL_MISMATCH,
          "the statement's model commitment differs from the bundled model description's");
    }
    if (!b.model().commitmentMatches()) {
      // The commitment covers the parameter commitment and every field of the description: an
      // edited exponent, link, feature, name or shape lands here.
      throw new DecisionVerificationException(DecisionVerificationException.Reason.MODEL_DESCRIPTION_MISMATCH,
          "the bundled model description does not hash to its model commitment " + s.modelCommitment()
              + ": a field of the description was changed after the model was committed");
    }
    if (expectedModelCommitment.isPresent() && !expectedModelCommitment.get().equals(s.modelCommitment())) {
      throw new DecisionVerificationException(DecisionVerificationException.Reason.MODEL_MISMATCH,
          "the proof is for model " + s.modelCommitment() + ", expected " + expectedModelCommitment.get());
    }
    long t;
    try {
      t = s.policy().circuitThreshold(circuit.architecture());
    } catch (IllegalArgumentException e) {
      throw new DecisionVerificationException(DecisionVerificationException.Reason.THRESHOLD_MISMATCH, e.getMessage());
    }
    if (t != s.circuitThreshold()) {
      throw new DecisionVerificationException(DecisionVerificationException.Reason.THRESHOLD_MISMATCH,
          "policy threshold " + s.policy().threshold() + " is circuit threshold " + t + ", statement says " + s.circuitThreshold());
    }
    if (s.guardBand() != 0) {
      // A guard band claims "clear of the quantization error": only the model's own bound says that.
      long e = b.model().scoreErrorBound().orElse(-1);
      if (s.guardBand() != e) {
        throw new DecisionVerificationException(DecisionVerificationException.Reason.GUARD_BAND_MISMATCH,
            "guard band " + s.guardBand() + " is not the model's worst-case score error ("
                + (e < 0 ? "the description states none" : Long.toString(e)) + ")");
      }
      if (Math.abs(s.comparisonThreshold()) >= ModelArchitecture.MARGIN_BOUND) {
        throw new DecisionVerificationException(DecisionVerificationException.Reason.GUARD_BAND_MISMATCH,
            "the guarded threshold " + s.comparisonThreshold() + " leaves the margin range (|T +- G| < 2^55)");
      }
    }
    if (s.context().expiresAt() != 0 && now.getEpochSecond() >= s.context().expiresAt()) {
      throw new DecisionVerificationException(DecisionVerificationException.Reason.EXPIRED,
          "the decision expired at " + Instant.ofEpochSecond(s.context().expiresAt()));
    }
    try {
      Verifier.verify(circuit.air(), circuit.publicInputs(s, b.model()), b.proof(), policy);
    } catch (VerificationException e) {
      throw new DecisionVerificationException(
          DecisionVerificationException.Reason.PROOF_REJECTED, e.reason(), e.getMessage());
    }
    if (requireClearMargin && !s.clearOfQuantizationError(b.model())) {
      throw new DecisionVerificationException(DecisionVerificationException.Reason.WITHIN_QUANTIZATION_ERROR,
          "the decision is valid but not certified clear of the model's quantization error "
              + b.model().scoreErrorBound().stream().mapToObj(x -> "(" + x + " margin units)").findFirst()
                  .orElse("(the description states no bound)")
              + ": its margin may be that close to the threshold");
    }
    return s;
  }
}
