package io.veridict.bench.jmh;

import io.veridict.core.field.Goldilocks;
import io.veridict.core.hash.Blake3;
import io.veridict.core.hash.Hash256;
import io.veridict.core.hash.Keccak256;
import io.veridict.core.poly.Ntt;
import io.veridict.examples.RpoChainAir;
import io.veridict.prover.internal.ConstraintProgram;
import io.veridict.prover.internal.MerkleTree;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH kernels of the prover: field multiplication, NTT, coset LDE, Merkle commitment and
 * block-wise constraint evaluation. Run with
 * {@code java -cp bench/target/veridict-bench.jar org.openjdk.jmh.Main KernelBenchmarks}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-XX:+UseParallelGC"})
public class KernelBenchmarks {

  /** Field multiplication throughput over independent pairs. */
  @State(Scope.Thread)
  public static class MulState {
    long[] a = new long[1 << 16];
    long[] b = new long[1 << 16];

    @Setup
    public void setup() {
      SplittableRandom r = new SplittableRandom(1);
      for (int i = 0; i < a.length; i++) {
        a[i] = Goldilocks.fromUnsigned(r.nextLong());
        b[i] = Goldilocks.fromUnsigned(r.nextLong());
      }
    }
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(1 << 16)
  public long fieldMul(MulState s) {
    long acc = 0;
    for (int i = 0; i < s.a.length; i++) {
      acc ^= Goldilocks.mul(s.a[i], s.b[i]);
    }
    return acc;
  }

  /** Transform inputs, regenerated per invocation (transforms are in place). */
  @State(Scope.Thread)
  public static class NttState {
    @Param({"20"})
    int logN;

    long[] src;
    long[] work;

    @Setup(Level.Trial)
    public void setup() {
      SplittableRandom r = new SplittableRandom(2);
      src = new long[1 << logN];
      for (int i = 0; i < src.length; i++) {
        src[i] = Goldilocks.fromUnsigned(r.nextLong());
      }
      work = new long[src.length];
    }

    @Setup(Level.Invocation)
    public void reset() {
      System.arraycopy(src, 0, work, 0, src.length);
    }
  }

  @Benchmark
  public long[] ntt(NttState s) {
    Ntt.forward(s.work);
    return s.work;
  }

  /** LDE of a 2^17-coefficient polynomial (plus 32 randomizer coefficients) to 2^20 points. */
  @Benchmark
  public long[] cosetLde(NttState s) {
    return Ntt.evaluateOnCoset(s.src, (1 << (s.logN - 3)) + 32, Goldilocks.GENERATOR, s.logN);
  }

  /** Merkle commitment of 2^20 rows of 2 field elements, salted as with zero knowledge. */
  @State(Scope.Thread)
  public static class MerkleState {
    @Param({"blake3", "keccak256"})
    String hash;

    long[][] cols;
    Hash256 h;

    @Setup
    public void setup() {
      SplittableRandom r = new SplittableRandom(3);
      cols = new long[2][1 << 20];
      for (long[] c : cols) {
        for (int i = 0; i < c.length; i++) {
          c[i] = Goldilocks.fromUnsigned(r.nextLong());
        }
      }
      h = "blake3".equals(hash) ? Blake3.INSTANCE : Keccak256.INSTANCE;
    }
  }

  @Benchmark
  public long[] merkleCommit(MerkleState s) {
    MerkleTree.LeafSource src =
        new MerkleTree.LeafSource() {
          @Override
          public int width() {
            return 2;
          }

          @Override
          public void leaf(int i, long[] dst, int off) {
            dst[off] = s.cols[0][i];
            dst[off + 1] = s.cols[1][i];
          }
        };
    return MerkleTree.build(s.h, src, 20, new long[] {1, 2, 3, 4}, 2).root();
  }

  /** RPO-round constraint evaluation (12 degree-7 constraints) over 2^16 points. */
  @State(Scope.Thread)
  public static class ConstraintState {
    ConstraintProgram program;
    ConstraintProgram.Workspace ws;
    long[][] main;
    long[][] periodic;

    @Setup
    public void setup() {
      RpoChainAir air = new RpoChainAir(16);
      program = new ConstraintProgram(air.transitionConstraints(), 2, new long[air.numPublicInputs()], new long[0]);
      ws = program.newWorkspace();
      SplittableRandom r = new SplittableRandom(4);
      main = new long[air.mainWidth()][1 << 16];
      for (long[] c : main) {
        for (int i = 0; i < c.length; i++) {
          c[i] = Goldilocks.fromUnsigned(r.nextLong());
        }
      }
      periodic = air.periodicColumns().toArray(new long[0][]);
    }
  }

  @Benchmark
  @OperationsPerInvocation(1 << 16)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public void rpoConstraintEvaluation(ConstraintState s, Blackhole bh) {
    int n = 1 << 16;
    for (int from = 0; from < n; from += ConstraintProgram.BLOCK) {
      s.program.evaluate(s.ws, s.main, new long[0][], s.periodic, n, from, 1, 1, from, ConstraintProgram.BLOCK);
      bh.consume(s.ws.output(0));
    }
  }
}
