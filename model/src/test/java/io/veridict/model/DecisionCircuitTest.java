package io.veridict.model;

import static org.junit.jupiter.api.Assertions.*;

import io.veridict.core.field.Goldilocks;
import io.veridict.model.internal.DecisionAir;
import io.veridict.model.internal.DecisionTrace;
import io.veridict.verifier.AcceptablePolicy;
import io.veridict.verifier.Verifier;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecisionCircuitTest {

  private static long[] salt(long s) {
    return new long[] {s, s + 1, s + 2, s + 3};
  }

  private static long[] publicInputs(QuantizedModel q, long[] x, long t, boolean d) {
    long[] pub = new long[DecisionAir.NUM_PUBLIC_INPUTS];
    System.arraycopy(q.commitment(salt(1)), 0, pub, DecisionAir.PI_MODEL, 4);
    System.arraycopy(QuantizedModel.inputCommitment(x, salt(9)), 0, pub, DecisionAir.PI_INPUT, 4);
    pub[DecisionAir.PI_THRESHOLD] = Goldilocks.fromSigned(t);
    pub[DecisionAir.PI_DECISION] = d ? 1 : 0;
    return pub;
  }

  private static void roundTrip(FloatModel m, long seed) throws Exception {
    double[] bounds = new double[m.numFeatures()];
    java.util.Arrays.fill(bounds, 16); // the inputs below are in [-12, 12]
    QuantizedModel q = Quantizer.quantize(m, bounds);
    DecisionAir air = CircuitFixtures.air(q);
    SplittableRandom r = new SplittableRandom(seed);
    double[] xf = CircuitFixtures.input(m.numFeatures(), r);
    long[] x = new long[xf.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = q.architecture().quantizeInput(i, xf[i]);
    }
    long margin = FixedPointEvaluator.margin(q, x);
    long t = margin - 5;
    DecisionTrace trace = new DecisionTrace(air.program(), q, x, salt(1), salt(9), t);
    assertEquals(margin, trace.marginQ());
    long[] pub = publicInputs(q, x, t, true);
    byte[] proof = CircuitFixtures.prover().prove(air, pub, CircuitFixtures.witness(air, trace));
    Verifier.verify(air, pub, proof, AcceptablePolicy.insecureAcceptAnythingForTests());
    // The flipped decision is rejected.
    long[] flipped = pub.clone();
    flipped[DecisionAir.PI_DECISION] = 0;
    assertThrows(Exception.class, () -> Verifier.verify(air, flipped, proof, AcceptablePolicy.insecureAcceptAnythingForTests()));
  }

  @Test
  void linearProves() throws Exception {
    roundTrip(CircuitFixtures.linear(5, 1), 2);
  }

  @Test
  void mlpProves() throws Exception {
    roundTrip(CircuitFixtures.mlp(new int[] {4, 3, 2, 1}, 3), 4);
  }

  @Test
  void treesProve() throws Exception {
    roundTrip(CircuitFixtures.trees(6, 3, 3, 5), 6);
  }
}
