package io.veridict.verifier;

/**
 * A proof was rejected. The {@link Reason} says which check failed; the message gives detail for
 * people (never secret data).
 */
public final class VerificationException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a proof was rejected: a closed set, stable across versions (names are API). */
  public enum Reason {
    /** The bytes are not a canonical proof, or its sizes disagree with the AIR and options. */
    MALFORMED,
    /** The proof's options are below or outside the verifier's {@link AcceptablePolicy}. */
    UNACCEPTABLE_OPTIONS,
    /** The proof is for another constraint system (AIR identity or trace length differ). */
    AIR_MISMATCH,
    /** The public inputs are not a valid statement for this AIR (count or encoding). */
    MALFORMED_STATEMENT,
    /** The proof-of-work nonce does not meet the grinding requirement. */
    PROOF_OF_WORK,
    /** The constraints evaluated at the out-of-domain point disagree with the quotient chunks. */
    OOD_MISMATCH,
    /** A Merkle opening does not authenticate against its commitment. */
    MERKLE_PATH,
    /** The DEEP composition at a query disagrees with the first FRI codeword. */
    DEEP_MISMATCH,
    /** A FRI folding step is inconsistent between two layers. */
    FRI_LAYER,
    /** The last folded codeword disagrees with the final polynomial. */
    FINAL_POLYNOMIAL
  }

  private final Reason reason;

  public VerificationException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
