package io.veridict.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.model.DecisionProver.NearThreshold;
import io.veridict.model.DecisionVerificationException.Reason;
import io.veridict.verifier.AcceptablePolicy;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 15, defect 7: a decision within the model's worst-case score error of the threshold. The
 * circuit compares the margin with {@code T + G} (approve) or {@code T - G} (decline), {@code G} the
 * statement's guard band: 0, or the model's stated bound {@code E}. A decision clear of {@code E} is
 * certified the imported float model's too; one within it is proved flagged ({@code G = 0}) or
 * refused, per the prover's policy, and a verifier may require certification. The lender's attacks:
 * claiming {@code G = E} for a near decision (by editing the bundle, or with a forged trace), or a
 * guard band of its own choosing.
 */
class GuardBandTest {
  private static final DecisionVerifier VERIFIER =
      DecisionVerifier.withPolicy(AcceptablePolicy.insecureAcceptAnythingForTests());
  private static final Context CTX =
      new Context(31337, "0x1111111111111111111111111111111111111111", "policy-7", "n-1", 0);
  private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
  private static final ObjectMapper JSON = new ObjectMapper();

  static ModelPackage pkg;
  static long[] xq;
  static double[] x;
  static long margin;
  static long e;

  @BeforeAll
  static void model() throws Exception {
    // An identity link: a policy threshold m / 2^s is circuit threshold m exactly.
    LinearModel lin = CircuitFixtures.linear(8, 21);
    LinearModel m = new LinearModel(lin.featureNames(), lin.weights(), lin.bias(), FloatModel.Link.IDENTITY);
    double[] bounds = new double[m.numFeatures()];
    Arrays.fill(bounds, 64);
    SecureRandom rnd = SecureRandom.getInstance("SHA1PRNG");
    rnd.setSeed(11);
    pkg = ModelPackage.create(Quantizer.quantize(m, bounds), "lin", "test", "00", OptionalDouble.empty(), rnd);
    ModelArchitecture a = pkg.model().architecture();
    x = CircuitFixtures.input(m.numFeatures(), new SplittableRandom(2));
    xq = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      xq[i] = a.quantizeInput(i, x[i]);
    }
    margin = FixedPointEvaluator.margin(pkg.model(), xq);
    e = pkg.description().scoreErrorBound().orElseThrow();
    assertTrue(e > 1, "a real rounding error to guard against: " + e);
  }

  /** The policy whose circuit threshold is {@code t} (identity link, so exact). */
  static Policy at(long t, Policy.Direction d) {
    // at-least: T = ceil(v 2^s) = t; at-most: T = floor(v 2^s) + 1 = t.
    double v = Math.scalb((double) (d == Policy.Direction.AT_LEAST ? t : t - 1), -pkg.model().architecture().marginExponent());
    Policy p = new Policy(v, d);
    assertEquals(t, p.circuitThreshold(pkg.model().architecture()));
    return p;
  }

  static DecisionProver prover() {
    return DecisionProver.insecureDeterministicForTests(CircuitFixtures.fast(), 5);
  }

  @ParameterizedTest
  @EnumSource(Policy.Direction.class)
  void aDecisionClearOfTheErrorBound_isCertified(Policy.Direction d) throws Exception {
    for (long t : new long[] {margin - e, margin + e + 1}) { // margin >= T + E, and margin <= T - 1 - E
      DecisionProver.Result r = prover().prove(pkg, x, at(t, d), CTX, NearThreshold.REFUSE);
      DecisionStatement s = r.bundle().statement();
      assertEquals(e, s.guardBand());
      assertTrue(s.clearOfQuantizationError(pkg.description()));
      assertDoesNotThrow(() -> VERIFIER.requiringClearMargin().verify(r.bundle(), Optional.empty(), NOW));
      assertEquals(d == Policy.Direction.AT_LEAST ? margin >= t : margin < t, s.decision());
    }
  }

  @ParameterizedTest
  @EnumSource(Policy.Direction.class)
  void aDecisionWithinTheErrorBound_isFlaggedOrRefused(Policy.Direction d) throws Exception {
    for (long t : new long[] {margin - e + 1, margin, margin + 1, margin + e}) {
      Policy p = at(t, d);
      DecisionProver.NearThresholdException refused = assertThrows(DecisionProver.NearThresholdException.class,
          () -> prover().prove(pkg, x, p, CTX, NearThreshold.REFUSE));
      assertFalse(refused.getMessage().contains(Long.toString(margin)), "the margin is never told");
      DecisionProver.Result r = prover().prove(pkg, x, p, CTX, NearThreshold.FLAG);
      DecisionStatement s = r.bundle().statement();
      assertEquals(0, s.guardBand());
      assertFalse(s.clearOfQuantizationError(pkg.description()));
      assertEquals(s, VERIFIER.verify(r.bundle(), Optional.empty(), NOW), "valid, flagged");
      DecisionVerificationException x = assertThrows(DecisionVerificationException.class,
          () -> VERIFIER.requiringClearMargin().verify(r.bundle(), Optional.empty(), NOW));
      assertEquals(Reason.WITHIN_QUANTIZATION_ERROR, x.reason(), x.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Policy.Direction.class)
  void editingAFlaggedBundlesGuardBand_toTheBound_isRejected(Policy.Direction d) throws Exception {
    DecisionProver.Result r = prover().prove(pkg, x, at(margin, d), CTX, NearThreshold.FLAG);
    ObjectNode o = (ObjectNode) JSON.readTree(r.bundle().toJsonBytes());
    ((ObjectNode) o.get("statement")).put("guard_band", Long.toString(e));
    DecisionVerificationException x = assertThrows(DecisionVerificationException.class,
        () -> VERIFIER.verify(JSON.writeValueAsBytes(o), Optional.empty(), NOW));
    assertEquals(Reason.PROOF_REJECTED, x.reason(), x.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Policy.Direction.class)
  void aGuardBandOtherThanZeroOrTheBound_isGuardBandMismatch(Policy.Direction d) throws Exception {
    DecisionProver.Result r = prover().prove(pkg, x, at(margin - 3 * e, d), CTX, NearThreshold.REFUSE);
    DecisionStatement s = r.bundle().statement();
    for (long g : new long[] {1, e - 1, e + 1, 2 * e}) {
      DecisionStatement forged = new DecisionStatement(s.version(), s.airId(), s.modelCommitment(), s.inputCommitment(),
          s.policy(), s.circuitThreshold(), g, s.decision(), s.context());
      DecisionVerificationException x = assertThrows(DecisionVerificationException.class,
          () -> VERIFIER.verify(new ProofBundle(forged, r.bundle().model(), r.bundle().proof()), Optional.empty(), NOW));
      assertEquals(Reason.GUARD_BAND_MISMATCH, x.reason(), x.getMessage());
    }
  }

  /**
   * A cheating prover with a near decision (the margin is in {@code [T, T + E)}) claims it clear:
   * statement {@code G = E}, trace built against {@code T + E}. The trace's comparison then says
   * "below" while the statement says "at least": the verifier rejects it, with the prover's own
   * witness check skipped.
   */
  @ParameterizedTest
  @EnumSource(Policy.Direction.class)
  void aForgedCertificationOfANearDecision_isRejectedByTheVerifier(Policy.Direction d) throws Exception {
    long t = margin;
    Policy p = at(t, d);
    DecisionCircuit circuit = DecisionCircuit.of(pkg.model().architecture());
    long[] inputSalt = QuantizedModel.newSalt(new SecureRandom());
    boolean bit = true; // margin >= T: the true comparison, claimed with the guard
    DecisionStatement s = new DecisionStatement(DecisionStatement.VERSION, circuit.airId(),
        pkg.description().modelCommitment(), Commitments.toHex(QuantizedModel.inputCommitment(xq, inputSalt)),
        p, t, e, p.decisionFromBit(bit), CTX);
    assertEquals(t + e, s.comparisonThreshold());
    DecisionCircuit.Columns cols = circuit.witness(pkg.model(), pkg.salt(), xq, inputSalt, s.comparisonThreshold());
    byte[] proof = CircuitFixtures.cheatingProof(circuit, s, pkg.description(), cols.main());
    DecisionVerificationException x = assertThrows(DecisionVerificationException.class,
        () -> VERIFIER.verify(new ProofBundle(s, pkg.description(), proof), Optional.empty(), NOW));
    assertEquals(Reason.PROOF_REJECTED, x.reason(), x.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Policy.Direction.class)
  void aModelWithoutAStatedBound_provesFlagged_andAcceptsNoGuardBand(Policy.Direction d) throws Exception {
    QuantizedModel bare = new QuantizedModel(pkg.model().architecture(), pkg.model().parameters());
    ModelPackage p = ModelPackage.create(bare, "bare", "test", "00", OptionalDouble.empty(), new SecureRandom());
    assertTrue(p.description().scoreErrorBound().isEmpty());
    DecisionProver.Result r = prover().prove(p, x, at(margin - 1000 * e, d), CTX, NearThreshold.FLAG);
    assertEquals(0, r.bundle().statement().guardBand());
    assertFalse(r.bundle().statement().clearOfQuantizationError(p.description()));
    assertThrows(DecisionProver.NearThresholdException.class,
        () -> prover().prove(p, x, at(margin - 1000 * e, d), CTX, NearThreshold.REFUSE));
    DecisionStatement s = r.bundle().statement();
    DecisionStatement forged = new DecisionStatement(s.version(), s.airId(), s.modelCommitment(), s.inputCommitment(),
        s.policy(), s.circuitThreshold(), e, s.decision(), s.context());
    DecisionVerificationException x = assertThrows(DecisionVerificationException.class,
        () -> VERIFIER.verify(new ProofBundle(forged, r.bundle().model(), r.bundle().proof()), Optional.empty(), NOW));
    assertEquals(Reason.GUARD_BAND_MISMATCH, x.reason(), x.getMessage());
  }
}
