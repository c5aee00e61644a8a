package io.veridict.model;

import io.veridict.verifier.VerificationException;
import java.util.Optional;

/** Why a decision bundle was rejected: a closed set of reasons (names are API). */
public final class DecisionVerificationException extends Exception {
  public enum Reason {
    /** Not a well-formed bundle (JSON, fields, sizes, encodings). */
    MALFORMED_BUNDLE,
    /** The statement's airId is not the circuit of the bundled architecture. */
    AIR_ID_MISMATCH,
    /** The model commitment is not the expected (registered) one. */
    MODEL_MISMATCH,
    /**
     * The bundled model description does not hash to its model commitment: a field that changes
     * what the decision means (exponents, link, features, shape, name, source) was edited.
     */
    MODEL_DESCRIPTION_MISMATCH,
    /** The statement's circuit threshold is not its policy threshold under this model. */
    THRESHOLD_MISMATCH,
    /**
     * The statement's guard band is neither 0 nor the bundled model's stated worst-case score error
     * (or the guarded comparison would leave the margin range).
     */
    GUARD_BAND_MISMATCH,
    /**
     * Valid, but refused under a verifier that requires decisions clear of the quantization error:
     * the statement has no guard band, so the margin may lie within the model's worst-case score
     * error of the threshold, where the quantized and the imported model may decide differently.
     */
    WITHIN_QUANTIZATION_ERROR,
    /**
     * An input opening does not open the statement's input commitment (other features, salt or
     * subject): the decision was not proved on the data the opening shows.
     */
    INPUT_OPENING_MISMATCH,
    /** The context's expiry has passed. */
    EXPIRED,
    /** The STARK proof does not verify for the statement; see {@link #proofReason()}. */
    PROOF_REJECTED,
    /**
     * Not checked: this verifier's {@link CircuitCache} refuses to build the bundled architecture's
     * circuit (not a pinned model and larger than its bound). Says nothing about the proof; verify it
     * where that circuit may be built (the CLI or the standalone verifier have no bound).
     */
    CIRCUIT_NOT_ADMITTED
  }

  private final Reason reason;
  private final VerificationException.Reason proofReason;

  public DecisionVerificationException(Reason reason, String message) {
    this(reason, null, message);
  }

  public DecisionVerificationException(Reason reason, VerificationException.Reason proofReason, String message) {
    super(reason + (proofReason != null ? "/" + proofReason : "") + ": " + message);
    this.reason = reason;
    this.proofReason = proofReason;
  }

  public Reason reason() {
    return reason;
  }

  /** For {@link Reason#PROOF_REJECTED}: the STARK verifier's reason. */
  public Optional<VerificationException.Reason> proofReason() {
    return Optional.ofNullable(proofReason);
  }
}
