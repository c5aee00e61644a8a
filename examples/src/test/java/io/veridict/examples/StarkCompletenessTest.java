package io.veridict.examples;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.veridict.core.field.FieldExtension;
import io.veridict.core.hash.HashFunction;
import io.veridict.core.proof.ProofOptions;
import io.veridict.prover.Prover;
import io.veridict.verifier.AcceptablePolicy;
import io.veridict.verifier.Verifier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example AIR proves and verifies, at several sizes, under both profiles, ZK on. */
class StarkCompletenessTest {

  static Stream<Arguments> profiles() {
    return Stream.of(
        Arguments.of("standard", ProofOptions.standard(), AcceptablePolicy.standard()),
        Arguments.of("high", ProofOptions.high(), AcceptablePolicy.high()),
        Arguments.of("standard-keccak", ProofOptions.standard().withHash(HashFunction.KECCAK_256), AcceptablePolicy.standard()),
        Arguments.of("standard-arity4", ProofOptions.standard().withFoldingArity(4), AcceptablePolicy.standard()),
        Arguments.of("standard-arity2", ProofOptions.standard().withFoldingArity(2), AcceptablePolicy.standard()));
  }

  @ParameterizedTest(name = "fibonacci 2^{0} {1}")
  @MethodSource("fibonacciCases")
  void fibonacci_provesAndVerifies(int log, String profile, ProofOptions o, AcceptablePolicy policy) {
    check(Proofs.fibonacci(log), o, policy);
  }

  static Stream<Arguments> fibonacciCases() {
    // The standard profile reaches 100 conjectured bits from 2^9 rows (docs/security-parameters.md).
    return Stream.of(10, 12, 14)
        .flatMap(log -> profiles().map(a -> Arguments.of(log, a.get()[0], a.get()[1], a.get()[2])));
  }

  @ParameterizedTest(name = "rpo-chain 2^{0} {1}")
  @MethodSource("rpoCases")
  void rpoChain_provesAndVerifies(int log, String profile, ProofOptions o, AcceptablePolicy policy) {
    check(Proofs.rpo(log), o, policy);
  }

  static Stream<Arguments> rpoCases() {
    // Degree-8 constraints (selector x round) with ZK randomizers need n >= 2^9 at blowup 8, and
    // the standard profile reaches 100 bits from 2^10 rows.
    return Stream.of(10, 11)
        .flatMap(log -> profiles().limit(2).map(a -> Arguments.of(log, a.get()[0], a.get()[1], a.get()[2])));
  }

  @ParameterizedTest(name = "range-check 2^{0} {1}")
  @MethodSource("rangeCases")
  void rangeCheck_provesAndVerifies(int log, String profile, ProofOptions o, AcceptablePolicy policy) {
    check(Proofs.range(log, 5000, 7), o, policy);
  }

  static Stream<Arguments> rangeCases() {
    return Stream.of(16, 17)
        .flatMap(log -> profiles().limit(2).map(a -> Arguments.of(log, a.get()[0], a.get()[1], a.get()[2])));
  }

  @ParameterizedTest(name = "fast options {0} {1} arity {2} zk={3}")
  @MethodSource("optionMatrix")
  void everyOptionCombination_provesAndVerifies(HashFunction h, FieldExtension e, int arity, boolean zk) {
    ProofOptions o = Proofs.fast(h, e, arity, zk);
    check(Proofs.fibonacci(7), o, AcceptablePolicy.insecureAcceptAnythingForTests());
    // Degree-8 constraints: the quotient needs 8 chunks only while 8 (n + h - 1) - (n - 1) < 8 n,
    // i.e. h below about n/8; the 2q + 2d = 28 randomizers (rounded up to a^L) need 2^9 rows
    // with a final length of at least 2^5 (folding to 2^2 would round h up to n/4).
    ProofOptions rpoOptions = ProofOptions.insecureForTests(
        h, e, o.logBlowup(), o.numQueries(), o.grindingBits(), arity, 5, zk);
    check(Proofs.rpo(9), rpoOptions, AcceptablePolicy.insecureAcceptAnythingForTests());
  }

  static Stream<Arguments> optionMatrix() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (HashFunction h : HashFunction.values()) {
      for (FieldExtension e : FieldExtension.values()) {
        for (int arity : new int[] {2, 4, 8}) {
          for (boolean zk : new boolean[] {true, false}) {
            b.add(Arguments.of(h, e, arity, zk));
          }
        }
      }
    }
    return b.build();
  }

  private static void check(Proofs.Statement s, ProofOptions o, AcceptablePolicy policy) {
    byte[] proof = Prover.create(o).prove(s.air(), s.publicInputs(), s.witness());
    assertDoesNotThrow(() -> Verifier.verify(s.air(), s.publicInputs(), proof, policy));
  }
}
