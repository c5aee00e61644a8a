package io.veridict.model;

import io.veridict.core.proof.ProofOptions;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/** Manual probe (not a test): prove times at the target sizes with the standard profile. */
public final class PerfProbe {
  public static void main(String[] args) throws Exception {
    FloatModel[] models = {
      CircuitFixtures.linear(61, 1),
      CircuitFixtures.trees(61, 100, 4, 2),
      CircuitFixtures.mlp(new int[] {30, 16, 8, 1}, 3)
    };
    DecisionProver p = DecisionProver.create(ProofOptions.standard());
    for (FloatModel m : models) {
      double[] b = new double[m.numFeatures()];
      java.util.Arrays.fill(b, 64);
      ModelPackage pkg = ModelPackage.create(Quantizer.quantize(m, b), "probe", "t", "00", OptionalDouble.empty(), new java.security.SecureRandom());
      SplittableRandom r = new SplittableRandom(1);
      for (int k = 0; k < 4; k++) {
        double[] x = CircuitFixtures.input(m.numFeatures(), r);
        DecisionProver.Result res = p.prove(pkg, x, new Policy(0.5, Policy.Direction.AT_LEAST), new Context(1, "s", "p", "n" + k, 0));
        double v = Double.MAX_VALUE;
        for (int it = 0; it < 30; it++) {
          long t0 = System.nanoTime();
          DecisionVerifier.standard().verify(res.bundle().toJsonBytes(), Optional.empty(), java.time.Instant.now());
          v = Math.min(v, (System.nanoTime() - t0) / 1e6);
        }
        System.out.printf("%s rows=%d prove=%.0f ms verify=%.1f ms proof=%d B bundle=%d B%n",
            pkg.model().architecture().family(), DecisionCircuit.of(pkg.model().architecture()).traceLength(),
            res.proveMillis(), v, res.bundle().proofSizeBytes(), res.bundle().toJsonBytes().length);
      }
    }
  }
}
