package io.veridict.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.model.internal.DecisionAir;
import io.veridict.prover.Prover;
import io.veridict.prover.Witness;
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
    DecisionAir air = (DecisionAir) circuit.air();
    long[] inputSalt = QuantizedModel.newSalt(rnd);
    DecisionCircuit.Columns cols = circuit.witness(q, pkg.salt(), forged, inputSalt, t);
    assertEquals(forgeApproval, cols.marginQ() >= t, "the forged input gives the forged decision");
    DecisionStatement s = new DecisionStatement(DecisionStatement.VERSION, circuit.airId(),
        pkg.description().modelCommitment(), Commitments.toHex(QuantizedModel.inputCommitment(forged, inputSalt)),
        policy, t, forgeApproval, CTX);
    long[][] main = cols.main();
    Witness w = new Witness() {
      @Override
      public long[][] mainTrace() {
        return main;
      }

      @Override
      public long[][] auxTrace(long[][] mainTrace, long[] challenges, int extDegree) {
        return circuit.auxColumns(mainTrace, challenges, extDegree);
      }
    };
    Prover cheat = Prover.insecureDeterministicForTests(CircuitFixtures.fast(), 3).insecureSkippingWitnessCheckForTests();
    byte[] proof = cheat.prove(air, circuit.publicInputs(s, pkg.description()), w);
    ProofBundle b = new ProofBundle(s, pkg.description(), proof);
    DecisionVerificationException e = assertThrows(DecisionVerificationException.class,
        () -> VERIFIER.verify(b, Optional.of(pkg.description().modelCommitment()), NOW));
    assertEquals(DecisionVerificationException.Reason.PROOF_REJECTED, e.reason(), e.getMessage());
  }
}
