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
 * @param circuitThreshold the fixed-point threshold {@code T} of the policy (recomputed and checked
 *     by the verifier)
 * @param guardBand {@code G}: 0, or the model's worst-case score error {@code E} (its description's
 *     {@code score_error_bound}); the circuit proves {@code margin >= T + G} for an approving bit and
 *     {@code margin <= T - 1 - G} otherwise ({@link #comparisonThreshold()}), so with {@code G = E}
 *     the decision is the imported float model's too, and with {@code G = 0} it may not be (the
 *     margin may lie within the quantization error of the threshold)
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
    long guardBand,
    boolean decision,
    Context context) {
  /** Version 2 added {@code guard_band}; version 1 statements are refused. */
  public static final int VERSION = 2;

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
    if (guardBand < 0 || guardBand > ModelArchitecture.MARGIN_BOUND) {
      throw new IllegalArgumentException("guard band must be in [0, 2^55]");
    }
  }

  /** A statement without a guard band ({@code G = 0}: not certified clear of quantization error). */
  public DecisionStatement(int version, String airId, String modelCommitment, String inputCommitment, Policy policy,
      long circuitThreshold, boolean decision, Context context) {
    this(version, airId, modelCommitment, inputCommitment, policy, circuitThreshold, 0, decision, context);
  }

  /**
   * Whether this decision is certified to be the imported float model's too: its guard band is the
   * model's stated worst-case score error ({@code 0} included, for a model quantized exactly).
   */
  public boolean clearOfQuantizationError(ModelDescription model) {
    return model.scoreErrorBound().isPresent() && guardBand == model.scoreErrorBound().getAsLong();
  }

  /**
   * The value the circuit compares the margin with: {@code T + G} when its bit is 1 ({@code margin >=
   * T + G}), {@code T - G} when it is 0 ({@code margin < T - G}). Exact: both are below {@code 2^56}
   * in magnitude; the verifier requires them below {@code 2^55}.
   */
  public long comparisonThreshold() {
    return circuitBit() ? circuitThreshold + guardBand : circuitThreshold - guardBand;
  }

  /** The circuit's comparison bit ({@code margin >= circuitThreshold}) this decision implies. */
  public boolean circuitBit() {
    return policy.direction() == Policy.Direction.AT_LEAST ? decision : !decision;
  }

  /**
   * Four field elements binding everything in the statement that is not a circuit input: SHA-256
   * over a length-prefixed encoding of the version, airId, policy, threshold, guard band, decision and context, read as
   * four little-endian 64-bit words reduced mod p.
   */
  public long[] contextDigest() {
    return new FieldDigest("veridict/statement/v2")
        .put(Integer.toString(version))
        .put(airId)
        .put(Long.toHexString(Double.doubleToLongBits(policy.threshold())))
        .put(policy.direction().id())
        .put(Long.toString(circuitThreshold))
        .put(Long.toString(guardBand))
        .put(decision ? "1" : "0")
        .put(Long.toString(context.chainId()))
        .put(context.subject())
        .put(context.policyId())
        .put(context.nonce())
        .put(Long.toString(context.expiresAt()))
        .fieldElements();
  }

}
