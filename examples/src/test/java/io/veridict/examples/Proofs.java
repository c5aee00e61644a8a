package io.veridict.examples;

import io.veridict.core.field.FieldExtension;
import io.veridict.core.hash.HashFunction;
import io.veridict.core.proof.ProofOptions;
import io.veridict.core.proof.StarkProof;
import io.veridict.core.proof.TreeOpening;
import io.veridict.prover.Prover;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/** Test fixtures: small statements, fast options, and record surgery for tampering tests. */
final class Proofs {
  private Proofs() {}

  /** Small, fast, deliberately insecure options (tests only). */
  static ProofOptions fast(boolean zk) {
    return ProofOptions.insecureForTests(
        HashFunction.BLAKE3_256, FieldExtension.QUADRATIC, 3, 12, 6, 4, 2, zk);
  }

  static ProofOptions fast(HashFunction h, FieldExtension e, int arity, boolean zk) {
    return ProofOptions.insecureForTests(h, e, 3, 12, 6, arity, 2, zk);
  }

  record Statement(io.veridict.core.air.Air air, long[] publicInputs, io.veridict.prover.Witness witness) {}

  static Statement fibonacci(int log) {
    return new Statement(new FibonacciAir(log), new long[] {FibonacciAir.result(log)}, FibonacciAir.witness(log));
  }

  static Statement rpo(int log) {
    RpoChainAir air = new RpoChainAir(log);
    long[] init = RpoChainAir.exampleInitialState();
    return new Statement(air, air.publicInputs(init), air.witness(init));
  }

  static Statement range(int log, int count, long seed) {
    RangeCheckAir air = new RangeCheckAir(log);
    return new Statement(air, new long[0], air.witness(RangeCheckAir.exampleValues(count, seed)));
  }

  static StarkProof prove(Prover prover, Statement s) {
    return prover.proveToObject(s.air(), s.publicInputs(), s.witness());
  }

  /** A copy of {@code p} with record component {@code name} replaced by {@code value}. */
  static StarkProof with(StarkProof p, String name, Object value) {
    try {
      RecordComponent[] comps = StarkProof.class.getRecordComponents();
      Object[] args = new Object[comps.length];
      Class<?>[] types = new Class<?>[comps.length];
      boolean found = false;
      for (int i = 0; i < comps.length; i++) {
        types[i] = comps[i].getType();
        args[i] = comps[i].getAccessor().invoke(p);
        if (comps[i].getName().equals(name)) {
          args[i] = value;
          found = true;
        }
      }
      if (!found) {
        throw new IllegalArgumentException("no component " + name);
      }
      Constructor<StarkProof> c = StarkProof.class.getDeclaredConstructor(types);
      return c.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A copy of a long[] component with element {@code i} changed by {@code +1} (mod 2^64). */
  static long[] bumped(long[] a, int i) {
    long[] c = a.clone();
    c[i] = c[i] + 1;
    return c;
  }

  /** A copy of a field-element array with element {@code i} incremented in the field. */
  static long[] bumpedField(long[] a, int i) {
    long[] c = a.clone();
    c[i] = io.veridict.core.field.Goldilocks.add(c[i], 1);
    return c;
  }

  static TreeOpening bumpValue(TreeOpening t, int i) {
    return new TreeOpening(t.leafCount(), t.leafWidth(), t.saltLongs(), bumpedField(t.values(), i), t.salts(), t.nodes());
  }

  static TreeOpening bumpSalt(TreeOpening t, int i) {
    return new TreeOpening(t.leafCount(), t.leafWidth(), t.saltLongs(), t.values(), bumped(t.salts(), i), t.nodes());
  }

  static TreeOpening bumpNode(TreeOpening t, int i) {
    return new TreeOpening(t.leafCount(), t.leafWidth(), t.saltLongs(), t.values(), t.salts(), bumped(t.nodes(), i));
  }

  static <T> List<T> replaced(List<T> list, int i, T value) {
    List<T> c = new ArrayList<>(list);
    c.set(i, value);
    return c;
  }
}
