package io.veridict.model;

import static org.junit.jupiter.api.Assertions.*;

import io.veridict.core.field.Goldilocks;
import io.veridict.verifier.AcceptablePolicy;
import io.veridict.verifier.VerificationException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** End to end per family: true statements verify; every kind of lie is rejected with its reason. */
class DecisionProverTest {
  private static final DecisionVerifier VERIFIER =
      DecisionVerifier.withPolicy(AcceptablePolicy.insecureAcceptAnythingForTests());
  private static final Context CTX = new Context(31337, "0x1111111111111111111111111111111111111111", "policy-7", "n-1", 0);
  private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

  static Stream<Arguments> families() {
    return Stream.of(
        Arguments.of("linear", CircuitFixtures.linear(12, 11)),
        Arguments.of("mlp", CircuitFixtures.mlp(new int[] {6, 5, 3, 1}, 12)),
        Arguments.of("trees", CircuitFixtures.trees(7, 6, 3, 13)));
  }

  private static ModelPackage pkg(FloatModel m, long seed) {
    double[] bounds = new double[m.numFeatures()];
    java.util.Arrays.fill(bounds, 64);
    QuantizedModel q = Quantizer.quantize(m, bounds);
    SecureRandom r = new SecureRandom();
    return ModelPackage.create(q, "test-" + seed, "test", "00", OptionalDouble.empty(), r);
  }

  private static DecisionProver prover() {
    return DecisionProver.insecureDeterministicForTests(CircuitFixtures.fast(), 5);
  }

  private static DecisionVerificationException rejected(ProofBundle b) {
    return assertThrows(DecisionVerificationException.class, () -> VERIFIER.verify(b, Optional.empty(), NOW));
  }

  private static ProofBundle withStatement(ProofBundle b, DecisionStatement s) {
    return new ProofBundle(s, b.model(), b.proof());
  }

  private static DecisionStatement with(DecisionStatement s, String model, String input, Policy p, long t, boolean d, Context c) {
    return new DecisionStatement(s.version(), s.airId(), model, input, p, t, s.guardBand(), d, c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  void trueStatementsVerify_andDecisionsMatchTheReferenceEvaluator(String family, FloatModel m) throws Exception {
    ModelPackage pkg = pkg(m, 1);
    SplittableRandom r = new SplittableRandom(99);
    int approvals = 0;
    for (int k = 0; k < 6; k++) {
      double[] x = CircuitFixtures.input(m.numFeatures(), r);
      long[] xq = new long[x.length];
      for (int i = 0; i < x.length; i++) {
        xq[i] = pkg.model().architecture().quantizeInput(i, x[i]);
      }
      // Threshold near this applicant's own score, alternating sides.
      double margin = pkg.model().architecture().marginValue(FixedPointEvaluator.margin(pkg.model(), xq));
      double t = m.link().apply(margin + (k % 2 == 0 ? -0.01 : 0.01));
      Policy policy = new Policy(t, k % 3 == 2 ? Policy.Direction.AT_MOST : Policy.Direction.AT_LEAST);
      DecisionProver.Result res = prover().prove(pkg, x, policy, CTX);
      long tq = policy.circuitThreshold(pkg.model().architecture());
      boolean expected = policy.decisionFromBit(FixedPointEvaluator.margin(pkg.model(), xq) >= tq);
      assertEquals(expected, res.decision(), "decision must equal the reference evaluator's");
      DecisionStatement s = VERIFIER.verify(res.bundle().toJsonBytes(), Optional.of(pkg.description().modelCommitment()), NOW);
      assertEquals(expected, s.decision());
      approvals += s.decision() ? 1 : 0;
    }
    assertTrue(approvals > 0 && approvals < 6, "both outcomes exercised: " + approvals);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  void liesAreRejected(String family, FloatModel m) throws Exception {
    ModelPackage pkg = pkg(m, 2);
    ModelPackage other = pkg(m, 3); // same model, another salt: another commitment
    SplittableRandom r = new SplittableRandom(7);
    double[] x = CircuitFixtures.input(m.numFeatures(), r);
    double[] y = CircuitFixtures.input(m.numFeatures(), r);
    Policy policy = new Policy(m.link().apply(0.0), Policy.Direction.AT_LEAST);
    ProofBundle b = prover().prove(pkg, x, policy, CTX).bundle();
    ProofBundle b2 = prover().prove(pkg, y, policy, CTX).bundle();
    DecisionStatement s = b.statement();
    VERIFIER.verify(b, Optional.empty(), NOW);

    // A flipped decision.
    assertEquals(DecisionVerificationException.Reason.PROOF_REJECTED,
        rejected(withStatement(b, with(s, s.modelCommitment(), s.inputCommitment(), s.policy(), s.circuitThreshold(), !s.decision(), s.context()))).reason());
    // A changed threshold: inconsistent with the policy, then consistently changed.
    assertEquals(DecisionVerificationException.Reason.THRESHOLD_MISMATCH,
        rejected(withStatement(b, with(s, s.modelCommitment(), s.inputCommitment(), s.policy(), s.circuitThreshold() + 1, s.decision(), s.context()))).reason());
    Policy moved = new Policy(m.link().apply(0.37), Policy.Direction.AT_LEAST);
    long movedT = moved.circuitThreshold(pkg.model().architecture());
    assertEquals(DecisionVerificationException.Reason.PROOF_REJECTED,
        rejected(withStatement(b, with(s, s.modelCommitment(), s.inputCommitment(), moved, movedT, s.decision(), s.context()))).reason());
    // Another model's commitment (with its matching description).
    DecisionStatement otherModel = with(s, other.description().modelCommitment(), s.inputCommitment(), s.policy(), s.circuitThreshold(), s.decision(), s.context());
    assertEquals(DecisionVerificationException.Reason.PROOF_REJECTED,
        rejected(new ProofBundle(otherModel, other.description(), b.proof())).reason());
    // The expected (registered) model is not this one.
    assertEquals(DecisionVerificationException.Reason.MODEL_MISMATCH,
        assertThrows(DecisionVerificationException.class,
            () -> VERIFIER.verify(b, Optional.of(other.description().modelCommitment()), NOW)).reason());
    // Another applicant's input commitment.
    assertEquals(DecisionVerificationException.Reason.PROOF_REJECTED,
        rejected(withStatement(b, with(s, s.modelCommitment(), b2.statement().inputCommitment(), s.policy(), s.circuitThreshold(), s.decision(), s.context()))).reason());
    // Moved to another subject, chain, policy id or nonce.
    for (Context c : new Context[] {
        new Context(CTX.chainId(), "0x2222222222222222222222222222222222222222", CTX.policyId(), CTX.nonce(), 0),
        new Context(1, CTX.subject(), CTX.policyId(), CTX.nonce(), 0),
        new Context(CTX.chainId(), CTX.subject(), "policy-8", CTX.nonce(), 0),
        new Context(CTX.chainId(), CTX.subject(), CTX.policyId(), "n-2", 0)}) {
      DecisionVerificationException e = rejected(withStatement(b, with(s, s.modelCommitment(), s.inputCommitment(), s.policy(), s.circuitThreshold(), s.decision(), c)));
      assertEquals(DecisionVerificationException.Reason.PROOF_REJECTED, e.reason());
    }
    // A proof whose airId is not the bundled architecture's.
    DecisionStatement badAir = new DecisionStatement(DecisionStatement.VERSION, "00".repeat(32), s.modelCommitment(), s.inputCommitment(), s.policy(), s.circuitThreshold(), s.decision(), s.context());
    assertEquals(DecisionVerificationException.Reason.AIR_ID_MISMATCH, rejected(withStatement(b, badAir)).reason());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  void cheatingProversAreRejected(String family, FloatModel m) throws Exception {
    ModelPackage pkg = pkg(m, 4);
    ModelPackage other = pkg(m, 5);
    SplittableRandom r = new SplittableRandom(8);
    double[] x = CircuitFixtures.input(m.numFeatures(), r);
    long[] xq = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      xq[i] = pkg.model().architecture().quantizeInput(i, x[i]);
    }
    Policy policy = new Policy(m.link().apply(0.0), Policy.Direction.AT_LEAST);
    DecisionProver cheat = prover().insecureSkippingWitnessCheckForTests();
    boolean truth = prover().prove(pkg, x, policy, CTX).decision();
    // The prover claims the opposite decision.
    ProofBundle flipped = cheat.proveQuantized(pkg, xq, policy, CTX, new DecisionProver.Lie(!truth, null, null)).bundle();
    assertEquals(DecisionVerificationException.Reason.PROOF_REJECTED, rejected(flipped).reason());
    // The prover's weights do not open the claimed (registered) commitment.
    ProofBundle wrongWeights = cheat.proveQuantized(pkg, xq, policy, CTX,
        new DecisionProver.Lie(null, other.description().modelCommitment(), null)).bundle();
    DecisionVerificationException e = rejected(new ProofBundle(wrongWeights.statement(), other.description(), wrongWeights.proof()));
    assertEquals(DecisionVerificationException.Reason.PROOF_REJECTED, e.reason());
    assertTrue(e.proofReason().isPresent());
    // A fake input commitment.
    ProofBundle fakeInput = cheat.proveQuantized(pkg, xq, policy, CTX,
        new DecisionProver.Lie(null, null, pkg.description().modelCommitment())).bundle();
    assertEquals(DecisionVerificationException.Reason.PROOF_REJECTED, rejected(fakeInput).reason());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  void nothingSecretLeaksIntoTheBundle(String family, FloatModel m) throws Exception {
    ModelPackage pkg = pkg(m, 6);
    SplittableRandom r = new SplittableRandom(9);
    double[] x = CircuitFixtures.input(m.numFeatures(), r);
    for (int i = 0; i < x.length; i++) {
      x[i] = x[i] + 0.123456789 * (i + 1); // distinctive values
    }
    ProofBundle b = DecisionProver.create(CircuitFixtures.fast()).prove(pkg, x, new Policy(m.link().apply(0.0), Policy.Direction.AT_LEAST), CTX).bundle();
    String json = new String(b.toJsonBytes(), StandardCharsets.UTF_8);
    byte[] proof = b.proof();
    ModelArchitecture a = pkg.model().architecture();
    long[] xq = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      xq[i] = a.quantizeInput(i, x[i]);
      assertFalse(json.contains(Double.toString(x[i])), "raw feature value in bundle");
    }
    long margin = FixedPointEvaluator.margin(pkg.model(), xq);
    assertFalse(json.contains(Long.toString(margin)), "exact score in bundle");
    assertFalse(json.contains(Double.toString(a.marginValue(margin))), "exact score in bundle");
    int checked = 0;
    for (long v : concat(pkg.model().parameters(), xq, new long[] {margin}, pkg.salt())) {
      if (Math.abs(v) < 1 << 20) {
        continue; // short values occur by chance in any byte string
      }
      checked++;
      assertFalse(json.contains(Long.toString(v)), "secret integer in bundle JSON: " + v);
      assertFalse(containsLe(proof, Goldilocks.fromSigned(v)), "secret field element in proof bytes: " + v);
    }
    assertTrue(checked > 3, "the scan must look at some secrets");
    assertFalse(json.contains(Base64.getEncoder().encodeToString(pkg.toJsonBytes()).substring(0, 40)));
  }

  private static long[] concat(long[]... parts) {
    return Stream.of(parts).flatMapToLong(java.util.Arrays::stream).toArray();
  }

  private static boolean containsLe(byte[] hay, long v) {
    outer:
    for (int i = 0; i + 8 <= hay.length; i++) {
      for (int b = 0; b < 8; b++) {
        if (hay[i + b] != (byte) (v >>> (8 * b))) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
