package io.veridict.model;

import io.veridict.core.field.FieldExtension;
import io.veridict.core.hash.HashFunction;
import io.veridict.core.proof.ProofOptions;
import io.veridict.model.internal.DecisionAir;
import io.veridict.model.internal.DecisionProgram;
import io.veridict.model.internal.DecisionTrace;
import io.veridict.prover.Prover;
import io.veridict.prover.Witness;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small random models and the glue from the model module to the prover (tests only). */
final class CircuitFixtures {
  private CircuitFixtures() {}

  static ProofOptions fast() {
    return ProofOptions.insecureForTests(HashFunction.BLAKE3_256, FieldExtension.QUADRATIC, 3, 12, 4, 8, 2, true);
  }

  static List<String> names(int f) {
    List<String> n = new ArrayList<>();
    for (int i = 0; i < f; i++) {
      n.add("f" + i);
    }
    return n;
  }

  static LinearModel linear(int f, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] w = new double[f];
    for (int i = 0; i < f; i++) {
      w[i] = r.nextDouble(-2, 2);
    }
    return new LinearModel(names(f), w, r.nextDouble(-1, 1), FloatModel.Link.LOGISTIC);
  }

  static NeuralNetwork mlp(int[] sizes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<NeuralNetwork.DenseLayer> layers = new ArrayList<>();
    for (int k = 0; k + 1 < sizes.length; k++) {
      double[][] w = new double[sizes[k + 1]][sizes[k]];
      double[] b = new double[sizes[k + 1]];
      for (int j = 0; j < w.length; j++) {
        for (int i = 0; i < w[j].length; i++) {
          w[j][i] = r.nextDouble(-1, 1);
        }
        b[j] = r.nextDouble(-0.5, 0.5);
      }
      boolean last = k + 2 == sizes.length;
      layers.add(new NeuralNetwork.DenseLayer(w, b,
          last ? NeuralNetwork.Activation.NONE : NeuralNetwork.Activation.RELU));
    }
    return new NeuralNetwork(names(sizes[0]), layers, FloatModel.Link.LOGISTIC);
  }

  /** Random (incomplete) trees: each node is a leaf with probability 1/4 above maxDepth. */
  static TreeEnsemble trees(int f, int numTrees, int maxDepth, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<TreeEnsemble.Tree> trees = new ArrayList<>();
    for (int t = 0; t < numTrees; t++) {
      List<int[]> nodes = new ArrayList<>(); // {depth}
      List<Integer> left = new ArrayList<>();
      List<Integer> right = new ArrayList<>();
      List<Integer> feat = new ArrayList<>();
      List<Double> thr = new ArrayList<>();
      List<Double> val = new ArrayList<>();
      nodes.add(new int[] {0});
      for (int i = 0; i < nodes.size(); i++) {
        int d = nodes.get(i)[0];
        boolean leaf = d == maxDepth || (d > 0 && r.nextInt(4) == 0);
        if (leaf) {
          left.add(-1);
          right.add(-1);
          feat.add(0);
          thr.add(0.0);
          val.add(r.nextDouble(-1, 1));
        } else {
          left.add(nodes.size());
          nodes.add(new int[] {d + 1});
          right.add(nodes.size());
          nodes.add(new int[] {d + 1});
          feat.add(r.nextInt(f));
          thr.add(Math.rint(r.nextDouble(-10, 10) * 4) / 4);
          val.add(0.0);
        }
      }
      int n = nodes.size();
      boolean[] dl = new boolean[n];
      trees.add(new TreeEnsemble.Tree(
          left.stream().mapToInt(Integer::intValue).toArray(),
          right.stream().mapToInt(Integer::intValue).toArray(),
          feat.stream().mapToInt(Integer::intValue).toArray(),
          thr.stream().mapToDouble(Double::doubleValue).toArray(), dl,
          val.stream().mapToDouble(Double::doubleValue).toArray()));
    }
    return new TreeEnsemble(names(f), trees, 0.1, FloatModel.Link.LOGISTIC);
  }

  /** A random scorecard: three bin edges per feature, random points. */
  static Scorecard scorecard(int f, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Scorecard.Characteristic> cs = new ArrayList<>();
    for (int i = 0; i < f; i++) {
      double[] edges = {-4, 0, 4};
      double[] points = new double[edges.length + 1];
      for (int j = 0; j < points.length; j++) {
        points[j] = Math.rint(r.nextDouble(-20, 20));
      }
      cs.add(new Scorecard.Characteristic(edges, points));
    }
    return new Scorecard(names(f), cs, 500);
  }

  static double[] input(int f, SplittableRandom r) {
    double[] x = new double[f];
    for (int i = 0; i < f; i++) {
      x[i] = Math.rint(r.nextDouble(-12, 12) * 8) / 8;
    }
    return x;
  }

  /** A prover witness from the model module's trace builder. */
  static Witness witness(DecisionAir air, DecisionTrace trace) {
    long[][] main = trace.mainTrace();
    return new Witness() {
      @Override
      public long[][] mainTrace() {
        return main;
      }

      @Override
      public long[][] auxTrace(long[][] m, long[] challenges, int extDegree) {
        return DecisionTrace.auxTrace(air, m, challenges, extDegree);
      }
    };
  }

  /**
   * INSECURE: a cheating prover's proof of {@code main} for {@code s}, the witness check skipped,
   * the LogUp columns computed honestly from {@code main}: whatever rejects it is the verifier.
   */
  static byte[] cheatingProof(DecisionCircuit circuit, DecisionStatement s, ModelDescription d, long[][] main) {
    return cheatingProof(circuit.air(), circuit.publicInputs(s, d), main, circuit::auxColumns);
  }

  /** How a (possibly cheating) prover fills the auxiliary columns once the challenges are drawn. */
  interface AuxColumns {
    long[][] aux(long[][] main, long[] challenges, int extDegree);
  }

  /** INSECURE: as above, for any public inputs and any way of filling the LogUp columns. */
  static byte[] cheatingProof(io.veridict.core.air.Air air, long[] pub, long[][] main, AuxColumns aux) {
    Witness w = new Witness() {
      @Override
      public long[][] mainTrace() {
        return main;
      }

      @Override
      public long[][] auxTrace(long[][] mainTrace, long[] challenges, int extDegree) {
        return aux.aux(mainTrace, challenges, extDegree);
      }
    };
    return Prover.insecureDeterministicForTests(fast(), 3).insecureSkippingWitnessCheckForTests().prove(air, pub, w);
  }

  static Prover prover() {
    return Prover.insecureDeterministicForTests(fast(), 7);
  }

  static DecisionAir air(QuantizedModel q) {
    return new DecisionAir(new DecisionProgram(q.architecture()));
  }
}
