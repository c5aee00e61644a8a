package io.veridict.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.verifier.AcceptablePolicy;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An out-of-range feature (issue 15, defect 4). A dense model's features are committed and read by
 * MAC rows; nothing bounded them, so a lender could commit {@code x_k = 2^30} (no real applicant
 * encodes to it: quantized inputs are below 2^23) and make the margin whatever it needed —
 * APPROVED from a model that declines every applicant in range, or the reverse. The trace is the
 * honest generator's own for that input (every other constraint holds, lookups balance); the
 * prover's witness check is skipped; the verifier must reject it because the MAC rows now
 * range-check the value they read ({@code v2 + 2^24} in {@code [0, 2^25)}). Checked by hand:
 * without that constraint both bundles verify with {@code --expect-model}.
 */
class OutOfRangeInputForgeryTest {
  private static final DecisionVerifier VERIFIER =
      DecisionVerifier.withPolicy(AcceptablePolicy.insecureAcceptAnythingForTests());
  private static final Context CTX =
      new Context(31337, "0x1111111111111111111111111111111111111111", "policy-7", "n-1", 0);
  private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

  @ParameterizedTest(name = "forged {0} (true = APPROVED for a declined applicant)")
  @ValueSource(booleans = {true, false})
  void aHugeCommittedFeature_isRejectedByTheVerifier(boolean forgeApproval) throws Exception {
    FloatModel m = CircuitFixtures.linear(12, 11);
    double[] bounds = new double[m.numFeatures()];
    java.util.Arrays.fill(bounds, 64);
    SecureRandom rnd = SecureRandom.getInstance("SHA1PRNG");
    rnd.setSeed(forgeApproval ? 4 : 5);
    ModelPackage pkg = ModelPackage.create(Quantizer.quantize(m, bounds), "lin", "test", "00", OptionalDouble.empty(), rnd);
    QuantizedModel q = pkg.model();
    ModelArchitecture a = q.architecture();
    double[] x = CircuitFixtures.input(m.numFeatures(), new SplittableRandom(5));
    long[] xq = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      xq[i] = a.quantizeInput(i, x[i]);
    }
    long margin = FixedPointEvaluator.margin(q, xq);
    // The threshold puts the real applicant on the other side of the forged decision.
    Policy policy = new Policy(m.link().apply(a.marginValue(margin) + (forgeApproval ? 0.5 : -0.5)), Policy.Direction.AT_LEAST);
    long t = policy.circuitThreshold(a);
    assertEquals(!forgeApproval, margin >= t);

    // A feature whose weight has the forged direction's sign (the tape starts w_0 .. w_{F-1}, b),
    // pushed far above the input range so that the margin crosses the threshold the forged way.
    long[] params = q.parameters();
    int k = -1;
    for (int i = 0; i < a.numFeatures() && k < 0; i++) {
      if (forgeApproval ? params[i] > 0 : params[i] < 0) {
        k = i;
      }
    }
    assertTrue(k >= 0, "some weight has the needed sign");
    long[] forged = xq.clone();
    forged[k] = 1L << 30;
    assertTrue(Math.abs(forged[k]) >= ModelArchitecture.VALUE_BOUND, "out of every model's input range");

    DecisionCircuit circuit = DecisionCircuit.of(a);
    long[] inputSalt = QuantizedModel.newSalt(rnd);
    DecisionCircuit.Columns cols = circuit.witness(q, pkg.salt(), forged, inputSalt, t);
    assertEquals(forgeApproval, cols.marginQ() >= t, "the forged input gives the forged decision");
    assertForgeryRejected(circuit, pkg, cols, forged, inputSalt, policy, t, forgeApproval);
  }

  /**
   * The tree version (issue 15, defect 4). A leaf above the last level is padded into a chain of
   * always-left nodes that compare feature 0 with a sentinel threshold; until December 2026 nothing
   * bounded a tree model's features in the circuit, so a lender who committed {@code x_0 = 2^24}
   * walked every padded node right, into an unreachable (0-valued) leaf, and removed that tree's
   * vote: here a single tree whose honest leaf decides. Now every feature of a tree model is read
   * once by a MAC row that range-checks it like a dense model's ({@code x + 2^24} in {@code [0,
   * 2^25)}), and the sentinel is {@code 2^24}, above every value that check admits. Checked by hand:
   * before the fix both bundles verify with {@code --expect-model}.
   */
  @ParameterizedTest(name = "forged {0} (true = APPROVED for a declined applicant)")
  @ValueSource(booleans = {true, false})
  void aHugeCommittedFeature_cannotSkipAPaddedTreeNode(boolean forgeApproval) throws Exception {
    // Root: x_1 < 0 goes to a leaf at depth 1 (padded to depth 2); otherwise a split at x_1 < 5.
    double decisive = forgeApproval ? -3 : 3;
    TreeEnsemble.Tree tree = new TreeEnsemble.Tree(
        new int[] {1, -1, 3, -1, -1}, new int[] {2, -1, 4, -1, -1}, new int[] {1, 0, 1, 0, 0},
        new double[] {0, 0, 5, 0, 0}, new boolean[5], new double[] {0, decisive, 0, 0.5, -0.5});
    TreeEnsemble m = new TreeEnsemble(CircuitFixtures.names(2), java.util.List.of(tree), 0, FloatModel.Link.LOGISTIC);
    SecureRandom rnd = SecureRandom.getInstance("SHA1PRNG");
    rnd.setSeed(forgeApproval ? 6 : 7);
    ModelPackage pkg = ModelPackage.create(Quantizer.quantize(m, new double[] {16, 16}), "tree", "test", "00",
        OptionalDouble.empty(), rnd);
    QuantizedModel q = pkg.model();
    ModelArchitecture a = q.architecture();
    long[] xq = {a.quantizeInput(0, 1), a.quantizeInput(1, -2)};
    long margin = FixedPointEvaluator.margin(q, xq);
    assertEquals(a.marginValue(margin), decisive, 1e-6, "the applicant reaches the padded leaf");
    // The threshold puts the real applicant on the other side of the forged decision; the forged
    // walk ends in a 0-valued leaf.
    Policy policy = new Policy(m.link().apply(forgeApproval ? -1 : 1), Policy.Direction.AT_LEAST);
    long t = policy.circuitThreshold(a);
    assertEquals(!forgeApproval, margin >= t);

    long[] forged = xq.clone();
    forged[0] = 1L << 24;
    assertTrue(Math.abs(forged[0]) >= ModelArchitecture.VALUE_BOUND, "out of every model's input range");
    DecisionCircuit circuit = DecisionCircuit.of(a);
    long[] inputSalt = QuantizedModel.newSalt(rnd);
    DecisionCircuit.Columns cols = circuit.witness(q, pkg.salt(), forged, inputSalt, t);
    assertEquals(forgeApproval, cols.marginQ() >= t, "the forged input gives the forged decision");
    assertForgeryRejected(circuit, pkg, cols, forged, inputSalt, policy, t, forgeApproval);
  }

  private static void assertForgeryRejected(
      DecisionCircuit circuit, ModelPackage pkg, DecisionCircuit.Columns cols, long[] forged, long[] inputSalt,
      Policy policy, long t, boolean decision) throws Exception {
    DecisionStatement s = new DecisionStatement(DecisionStatement.VERSION, circuit.airId(),
        pkg.description().modelCommitment(), Commitments.toHex(QuantizedModel.inputCommitment(forged, inputSalt)),
        policy, t, decision, CTX);
    byte[] proof = CircuitFixtures.cheatingProof(circuit, s, pkg.description(), cols.main());
    ProofBundle b = new ProofBundle(s, pkg.description(), proof);
    DecisionVerificationException e = assertThrows(DecisionVerificationException.class,
        () -> VERIFIER.verify(b, Optional.of(pkg.description().modelCommitment()), NOW));
    assertEquals(DecisionVerificationException.Reason.PROOF_REJECTED, e.reason(), e.getMessage());
  }
}
