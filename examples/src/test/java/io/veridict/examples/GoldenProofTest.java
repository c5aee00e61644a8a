package io.veridict.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veridict.core.proof.StarkProof;
import io.veridict.prover.Prover;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Pins the exact proof bytes for a fixed statement, options and insecure test seed, so any change
 * to the transcript schedule, the proof format or the prover's arithmetic is deliberate: such a
 * change must update the digest below and bump {@link StarkProof#VERSION}.
 */
class GoldenProofTest {
  /**
   * SHA-256 of the version-2 proof of Fibonacci 2^6, {@code Proofs.fast(true)}, seed 42. Version 2
   * (issue 14): the degree bound folds exactly ({@code h} rounded up to a multiple of {@code a^L}),
   * {@code 2q + 2d} randomizers, and the transcript binds the derived sizes.
   */
  static final String GOLDEN_SHA256 = "8248994dde2555d598a2f1ac6ae52ed2ed517579e81f6e9ae593d8e4ef4759e7";

  @Test
  void proofBytesArePinned() throws Exception {
    Proofs.Statement fib = Proofs.fibonacci(6);
    Prover prover = Prover.insecureDeterministicForTests(Proofs.fast(true), 42);
    byte[] a = prover.prove(fib.air(), fib.publicInputs(), fib.witness());
    byte[] b = prover.prove(fib.air(), fib.publicInputs(), fib.witness());
    assertArrayEquals(a, b, "the insecure deterministic prover must be reproducible");
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(a));
    assertEquals(2, StarkProof.VERSION);
    assertEquals(GOLDEN_SHA256, digest, "proof bytes changed: transcript or format change? bump VERSION");
  }
}
