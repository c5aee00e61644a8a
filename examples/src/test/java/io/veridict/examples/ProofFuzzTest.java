package io.veridict.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.veridict.core.proof.ProofCodec;
import io.veridict.prover.Prover;
import io.veridict.verifier.AcceptablePolicy;
import io.veridict.verifier.VerificationException;
import io.veridict.verifier.Verifier;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile bytes: truncations, extensions, byte flips and random strings. Every one must be
 * rejected with a {@link VerificationException}; any other throwable (an unchecked exception, an
 * {@code OutOfMemoryError}) fails the test.
 */
class ProofFuzzTest {
  private static final AcceptablePolicy ANY = AcceptablePolicy.insecureAcceptAnythingForTests();
  private static final Proofs.Statement FIB = Proofs.fibonacci(6);
  private static final byte[] VALID =
      Prover.insecureDeterministicForTests(Proofs.fast(true), 9).prove(FIB.air(), FIB.publicInputs(), FIB.witness());

  private static void expectRejected(byte[] bytes, String what) {
    try {
      Verifier.verify(FIB.air(), FIB.publicInputs(), bytes, ANY);
      fail("accepted " + what);
    } catch (VerificationException e) {
      // expected: a typed rejection
    } catch (Throwable t) {
      throw new AssertionError("verifier crashed on " + what + ": " + t, t);
    }
  }

  @Test
  void validProof_verifies() throws Exception {
    Verifier.verify(FIB.air(), FIB.publicInputs(), VALID, ANY);
  }

  @Test
  void everyTruncation_isRejected() {
    for (int len = 0; len < VALID.length; len++) {
      expectRejected(Arrays.copyOf(VALID, len), "truncation to " + len + " bytes");
    }
  }

  @Test
  void extensions_areRejected() {
    SplittableRandom r = new SplittableRandom(1);
    for (int extra = 1; extra <= 64; extra++) {
      byte[] b = Arrays.copyOf(VALID, VALID.length + extra);
      for (int i = VALID.length; i < b.length; i++) {
        b[i] = (byte) r.nextInt(256);
      }
      expectRejected(b, "extension by " + extra + " bytes");
    }
  }

  @Test
  void everySingleBitFlipInEveryByte_isRejected() {
    // Every byte is either checked by the strict decoder, bound by the transcript, or
    // authenticated by a Merkle path: no flip may be accepted.
    for (int i = 0; i < VALID.length; i++) {
      byte[] b = VALID.clone();
      b[i] ^= (byte) (1 << (i % 8));
      expectRejected(b, "bit flip at byte " + i);
    }
  }

  @Test
  void randomByteStrings_areRejected() {
    long seed = 20261124L;
    SplittableRandom r = new SplittableRandom(seed);
    for (int k = 0; k < 3000; k++) {
      byte[] b = new byte[r.nextInt(0, 2 * VALID.length)];
      r.nextBytes(b);
      if (k % 3 == 0 && b.length >= 16) {
        // Keep a valid header so the fuzz reaches the deeper decoders.
        System.arraycopy(VALID, 0, b, 0, Math.min(b.length, 60));
      }
      expectRejected(b, "random string #" + k + " (seed " + seed + ")");
    }
  }

  @Test
  void hugeDeclaredSizes_doNotAllocate() {
    // Length fields set to their maximum must fail on the remaining-bytes check, not allocate.
    for (int off = 40; off < 80; off++) {
      byte[] b = VALID.clone();
      b[off] = (byte) 0xFF;
      if (off + 1 < b.length) {
        b[off + 1] = (byte) 0xFF;
      }
      expectRejected(b, "size field at " + off);
    }
  }

  @Test
  void oversizedInput_isRejectedByPolicyBeforeDecoding() {
    AcceptablePolicy small = new AcceptablePolicy(0, ANY.hashes(), ANY.extensions(), false, 1000, true);
    VerificationException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            VerificationException.class, () -> Verifier.verify(FIB.air(), FIB.publicInputs(), VALID, small));
    assertEquals(VerificationException.Reason.MALFORMED, e.reason());
  }

  @Test
  void codecRoundTrip_isCanonical() throws Exception {
    assertEquals(
        Arrays.toString(VALID), Arrays.toString(ProofCodec.encode(ProofCodec.decode(VALID))));
  }
}
