package io.veridict.model;

public final class PerfProbe2 {
  public static void main(String[] a) {
    FloatModel m = CircuitFixtures.trees(61, 100, 4, 2);
    QuantizedModel q = Quantizer.quantize(m, null);
    for (int it = 0; it < 20; it++) {
      long t0 = System.nanoTime();
      DecisionCircuit c = DecisionCircuit.of(q.architecture());
      long t1 = System.nanoTime();
      io.veridict.core.air.AirIdentity.of(c.air());
      long t2 = System.nanoTime();
      c.air().transitionConstraints();
      long t3 = System.nanoTime();
      if (it % 5 == 4) System.out.printf("of=%.1f identity=%.1f transitions=%.1f ms%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
    }
  }
}
