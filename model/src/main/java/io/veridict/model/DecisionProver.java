package io.veridict.model;

import io.veridict.core.proof.ProofOptions;
import io.veridict.prover.Prover;
import io.veridict.prover.Witness;
import java.security.SecureRandom;

/**
 * Proves decisions for a lender or hospital holding a {@link ModelPackage}. Needs {@code
 * veridict-prover} on the class path (an optional dependency of this module).
 *
 * <p>Each proof uses a fresh input salt from {@link SecureRandom} and the prover's zero-knowledge
 * masking; the bundle contains the statement, the public model description and the proof — never
 * the features, the weights, the exact score or the salts.
 */
public final class DecisionProver {
  private final Prover prover;
  private final SecureRandom random;
  private final boolean skipWitnessCheck;

  private DecisionProver(Prover prover, SecureRandom random, boolean skipWitnessCheck) {
    this.prover = prover;
    this.random = random;
    this.skipWitnessCheck = skipWitnessCheck;
  }

  /** A prover with {@code options} (use {@link ProofOptions#standard()}). */
  public static DecisionProver create(ProofOptions options) {
    return new DecisionProver(Prover.create(options), new SecureRandom(), false);
  }

  /** INSECURE: deterministic masks and salts, for reproducible tests only. */
  public static DecisionProver insecureDeterministicForTests(ProofOptions options, long seed) {
    SecureRandom r;
    try {
      r = SecureRandom.getInstance("SHA1PRNG");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    r.setSeed(seed);
    return new DecisionProver(Prover.insecureDeterministicForTests(options, seed), r, false);
  }

  /** INSECURE: a prover that skips its own witness check, to show the verifier rejects lies. */
  public DecisionProver insecureSkippingWitnessCheckForTests() {
    return new DecisionProver(prover.insecureSkippingWitnessCheckForTests(), random, true);
  }

  public ProofOptions options() {
    return prover.options();
  }

  /**
   * What to do with a decision whose margin lies within the model's worst-case score error of the
   * threshold (where the quantized model and the imported float model may decide differently). A
   * decision clear of it is always proved with the guard band ({@link
   * DecisionStatement#guardBand()}), certifying that it is the float model's decision too.
   */
  public enum NearThreshold {
    /** Prove it without a guard band: the statement shows it is not certified (the default). */
    FLAG("flag"),
    /** Refuse to prove it ({@link NearThresholdException}). */
    REFUSE("refuse");

    private final String id;

    NearThreshold(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static NearThreshold fromId(String s) {
      for (NearThreshold n : values()) {
        if (n.id.equals(s)) {
          return n;
        }
      }
      throw new IllegalArgumentException("unknown near-threshold policy '" + s + "' (flag or refuse)");
    }
  }

  /** A decision refused under {@link NearThreshold#REFUSE}: the message says why, never the margin. */
  public static final class NearThresholdException extends IllegalArgumentException {
    NearThresholdException(String message) {
      super(message);
    }
  }

  /** A proven decision: the bundle to publish and how long proving took. */
  /**
   * A proved decision: the bundle (public), the decision, and the opening of its input commitment
   * (the applicant's quantized features and salt: hand it to the applicant, never publish it with
   * the bundle).
   */
  public record Result(ProofBundle bundle, boolean decision, double proveMillis, InputOpening opening) {}

  /**
   * Proves the decision {@code policy} takes on {@code features} (model input order) under the
   * packaged model.
   *
   * @throws IllegalArgumentException for a feature outside the model's input range or a bad
   *     threshold
   */
  public Result prove(ModelPackage pkg, double[] features, Policy policy, Context context) {
    return prove(pkg, features, policy, context, NearThreshold.FLAG);
  }

  /**
   * As {@link #prove(ModelPackage, double[], Policy, Context)}, with a policy for decisions within
   * the quantization error of the threshold.
   *
   * @throws NearThresholdException under {@link NearThreshold#REFUSE}, for such a decision
   */
  public Result prove(ModelPackage pkg, double[] features, Policy policy, Context context, NearThreshold near) {
    ModelArchitecture a = pkg.model().architecture();
    if (features.length != a.numFeatures()) {
      throw new IllegalArgumentException("the model takes " + a.numFeatures() + " features, got " + features.length);
    }
    // Outside its declared domain the model's decision means nothing: refuse, never clamp.
    pkg.description().checkInputRanges(features);
    long[] x = new long[features.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = a.quantizeInput(i, features[i]);
    }
    return proveQuantized(pkg, x, policy, context, null, near);
  }

  /**
   * INSECURE test hook: proves with the statement's decision forced to {@code claimedDecision}
   * (with {@link #insecureSkippingWitnessCheckForTests()}), or with another model's commitment.
   */
  Result proveQuantized(ModelPackage pkg, long[] x, Policy policy, Context context, Lie lie) {
    return proveQuantized(pkg, x, policy, context, lie, NearThreshold.FLAG);
  }

  Result proveQuantized(ModelPackage pkg, long[] x, Policy policy, Context context, Lie lie, NearThreshold near) {
    long start = System.nanoTime();
    ModelArchitecture a = pkg.model().architecture();
    DecisionCircuit circuit = DecisionCircuit.of(a);
    long t = policy.circuitThreshold(a);
    long margin = FixedPointEvaluator.margin(pkg.model(), x);
    boolean bit = margin >= t;
    boolean decision = policy.decisionFromBit(bit);
    long guard = guardBand(pkg.description(), margin, t, bit);
    if (guard < 0) {
      if (near == NearThreshold.REFUSE) {
        throw new NearThresholdException("the decision lies within the model's worst-case score error ("
            + pkg.description().scoreErrorBound().stream().mapToObj(Long::toString).findFirst().orElse("not stated")
            + " margin units) of the threshold, where the quantized and the imported model may decide differently;"
            + " refused under the near-threshold policy 'refuse' ('flag' proves it, marked as not certified)");
      }
      guard = 0;
    }
    long[] inputSalt = QuantizedModel.newSalt(random);
    String modelCommitment = pkg.description().modelCommitment();
    String inputCommitment = Commitments.toHex(QuantizedModel.inputCommitment(x, inputSalt));
    if (lie != null) {
      if (!skipWitnessCheck) {
        throw new IllegalStateException("lies need insecureSkippingWitnessCheckForTests()");
      }
      decision = lie.decision == null ? decision : lie.decision;
      modelCommitment = lie.modelCommitment == null ? modelCommitment : lie.modelCommitment;
      inputCommitment = lie.inputCommitment == null ? inputCommitment : lie.inputCommitment;
    }
    DecisionStatement s = new DecisionStatement(
        DecisionStatement.VERSION, circuit.airId(), modelCommitment, inputCommitment, policy, t, guard, decision, context);
    DecisionCircuit.Columns cols = circuit.witness(pkg.model(), pkg.salt(), x, inputSalt, s.comparisonThreshold());
    if (cols.marginQ() != margin) {
      throw new IllegalStateException("circuit trace and reference evaluator disagree");
    }
    long[][] main = cols.main();
    Witness w = new Witness() {
      @Override
      public long[][] mainTrace() {
        return main;
      }

      @Override
      public long[][] auxTrace(long[][] m, long[] challenges, int extDegree) {
        return circuit.auxColumns(m, challenges, extDegree);
      }
    };
    byte[] proof = prover.prove(circuit.air(), circuit.publicInputs(s, pkg.description()), w);
    ProofBundle b = new ProofBundle(s, pkg.description(), proof);
    InputOpening opening = new InputOpening(inputCommitment, modelCommitment, circuit.airId(),
        context.subject(), a.featureNames(), x, inputSalt);
    return new Result(b, decision, (System.nanoTime() - start) / 1e6, opening);
  }

  /**
   * The guard band that certifies this decision ({@code E}, the model's worst-case score error:
   * {@code margin >= T + E} or {@code margin <= T - 1 - E}), or -1 when it cannot be certified (the
   * margin is within {@code E} of the threshold, the model states no bound, or {@code T +- E} would
   * leave the margin range).
   */
  static long guardBand(ModelDescription d, long margin, long t, boolean bit) {
    if (d.scoreErrorBound().isEmpty()) {
      return -1;
    }
    long e = d.scoreErrorBound().getAsLong();
    long guarded = bit ? t + e : t - e;
    if (Math.abs(guarded) >= ModelArchitecture.MARGIN_BOUND) {
      return -1;
    }
    return (bit ? margin >= guarded : margin < guarded) ? e : -1;
  }

  /** What a cheating prover claims instead of the truth (null fields: the truth). */
  record Lie(Boolean decision, String modelCommitment, String inputCommitment) {}
}
