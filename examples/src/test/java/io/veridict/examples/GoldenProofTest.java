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
   * SHA-256 of the version-1 proof of Fibonacci 2^6, {@code Proofs.fast(true)}, seed 42. Last
   * changed by the AIR identity's v2 encoding (every-row constraints), which changes the {@code
   * air-id} the transcript absorbs; the proof format and the schedule are unchanged.
   */
  static final String GOLDEN_SHA256 = "12f6b5f0948f7c89e7b03b649764705dc4d50be0cb643aab3035247d39d2e975";

  @Test
  void proofBytesArePinned() throws Exception {
    Proofs.Statement fib = Proofs.fibonacci(6);
    Prover prover = Prover.insecureDeterministicForTests(Proofs.fast(true), 42);
    byte[] a = prover.prove(fib.air(), fib.publicInputs(), fib.witness());
    byte[] b = prover.prove(fib.air(), fib.publicInputs(), fib.witness());
    assertArrayEquals(a, b, "the insecure deterministic prover must be reproducible");
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(a));
    assertEquals(1, StarkProof.VERSION);
    assertEquals(GOLDEN_SHA256, digest, "proof bytes changed: transcript or format change? bump VERSION");
  }
}
