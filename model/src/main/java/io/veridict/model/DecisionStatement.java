package io.veridict.model;


/**
 * What a decision proof says, in public: "the model committed to by {@code modelCommitment},
 * applied to the input committed to by {@code inputCommitment}, gives {@code decision} under
 * {@code policy}, for {@code context}", with the circuit identified by {@code airId}.
 *
 * <p>Private (never in a statement): features, weights, the exact score, the salts.
 *
 * @param version statement format version ({@value #VERSION})
 * @param airId hex SHA-256 identity of the decision circuit (from the architecture alone)
 * @param modelCommitment {@link Commitments#toHex hex} RPO-256 digest of parameters and salt
 * @param inputCommitment hex RPO-256 digest of the quantized features and salt
 * @param policy threshold and direction
 * @param circuitThreshold the fixed-point threshold the circuit compares with (recomputed and
 *     checked by the verifier)
 * @param decision approve ({@code true}) or not
 * @param context chain id, subject, policy id, nonce, expiry
 */
public record DecisionStatement(
    int version,
    String airId,
    String modelCommitment,
    String inputCommitment,
    Policy policy,
    long circuitThreshold,
    boolean decision,
    Context context) {
  public static final int VERSION = 1;

  public DecisionStatement {
    if (version != VERSION) {
      throw new IllegalArgumentException("unsupported statement version " + version);
    }
    Commitments.fromHex(modelCommitment);
    Commitments.fromHex(inputCommitment);
    if (airId == null || !airId.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("airId must be 64 lowercase hex digits");
    }
    java.util.Objects.requireNonNull(policy);
    java.util.Objects.requireNonNull(context);
  }

  /** The circuit's comparison bit ({@code margin >= circuitThreshold}) this decision implies. */
  public boolean circuitBit() {
    return policy.direction() == Policy.Direction.AT_LEAST ? decision : !decision;
  }

  /**
   * Four field elements binding everything in the statement that is not a circuit input: SHA-256
   * over a length-prefixed encoding of the version, airId, policy, decision and context, read as
   * four little-endian 64-bit words reduced mod p.
   */
  public long[] contextDigest() {
    return new FieldDigest("veridict/statement/v1")
        .put(Integer.toString(version))
        .put(airId)
        .put(Long.toHexString(Double.doubleToLongBits(policy.threshold())))
        .put(policy.direction().id())
        .put(Long.toString(circuitThreshold))
        .put(decision ? "1" : "0")
        .put(Long.toString(context.chainId()))
        .put(context.subject())
        .put(context.policyId())
        .put(context.nonce())
        .put(Long.toString(context.expiresAt()))
        .fieldElements();
  }

}
