package io.veridict.examples;

import static io.veridict.verifier.VerificationException.Reason.UNACCEPTABLE_OPTIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.field.FieldExtension;
import io.veridict.core.hash.HashFunction;
import io.veridict.core.proof.ProofCodec;
import io.veridict.core.proof.ProofOptions;
import io.veridict.core.proof.StarkLayout;
import io.veridict.prover.Prover;
import io.veridict.verifier.AcceptablePolicy;
import io.veridict.verifier.VerificationException;
import io.veridict.verifier.Verifier;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verifier's policy pins the FRI shape (folding arity, final-length parameter): a real, valid
 * proof with another shape is refused with {@code UNACCEPTABLE_OPTIONS} and a message naming the
 * allowed values, by a policy that would otherwise accept it, while the same bytes verify under a
 * policy that accepts every shape.
 */
class FriShapePolicyTest {
  private static final Proofs.Statement FIB = Proofs.fibonacci(6);

  /** Accepts insecure options and every hash and extension, but only the named policies' FRI shapes. */
  private static final AcceptablePolicy PINNED =
      new AcceptablePolicy(
          0,
          EnumSet.allOf(HashFunction.class),
          EnumSet.allOf(FieldExtension.class),
          false,
          4 << 20,
          true,
          AcceptablePolicy.STANDARD_FOLDING_ARITIES,
          AcceptablePolicy.STANDARD_LOG_FINAL_POLY_MIN_LENGTHS);

  private static ProofOptions options(int arity, int logFinalPolyMinLength) {
    return ProofOptions.insecureForTests(
        HashFunction.BLAKE3_256, FieldExtension.QUADRATIC, 3, 12, 6, arity, logFinalPolyMinLength, true);
  }

  private static byte[] prove(ProofOptions o) {
    return Prover.insecureDeterministicForTests(o, 7).prove(FIB.air(), FIB.publicInputs(), FIB.witness());
  }

  @ParameterizedTest(name = "logFinalPolyMinLength {0}")
  @ValueSource(ints = {0, 3})
  void aValidProofWithAnUnpinnedFinalLength_isRefusedNamingTheAllowedValues(int f) throws Exception {
    ProofOptions o = options(4, f);
    // 2^6 rows, folding by 4, h >= 2*12 + 2*2 = 28. f = 0: three folds, h rounded up to 4^3 = 64
    // = n, so D = 2n and a final polynomial of 2 coefficients; f = 3: one fold, D = 92 = 23 * 4.
    // (f = 5 would not fold at all.) Both are consistent shapes, just not pinned ones.
    StarkLayout lay = StarkLayout.of(FIB.air(), o);
    assertEquals(f == 0 ? 3 : 1, lay.numFriLayers);
    assertEquals(f == 0 ? 128 : 92, lay.degreeBound);
    assertEquals(lay.degreeBound, lay.friCheckedDegreeBound());
    assertEquals(0, StarkLayout.of(FIB.air(), options(4, 5)).numFriLayers);
    byte[] proof = prove(o);

    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> Verifier.verify(FIB.air(), FIB.publicInputs(), proof, PINNED));
    assertEquals(UNACCEPTABLE_OPTIONS, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("final-length parameter " + f), e.getMessage());
    assertTrue(e.getMessage().contains("[5, 6, 7]"), e.getMessage());
    assertTrue(e.getMessage().contains("[2, 4, 8]"), e.getMessage());

    // The same bytes are a valid proof: a policy accepting every shape verifies them.
    Verifier.verify(FIB.air(), FIB.publicInputs(), proof, AcceptablePolicy.insecureAcceptAnythingForTests());
    // And the refusal is the shape's alone: a pinned final length passes the same policy.
    Verifier.verify(FIB.air(), FIB.publicInputs(), prove(options(4, 5)), PINNED);
  }

  @Test
  void anUnpinnedArity_isRefusedNamingTheAllowedValues() throws Exception {
    AcceptablePolicy onlyEight =
        new AcceptablePolicy(
            0, EnumSet.allOf(HashFunction.class), EnumSet.allOf(FieldExtension.class), false, 4 << 20,
            true, Set.of(8), AcceptablePolicy.STANDARD_LOG_FINAL_POLY_MIN_LENGTHS);
    byte[] proof = prove(options(4, 5));
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> Verifier.verify(FIB.air(), FIB.publicInputs(), proof, onlyEight));
    assertEquals(UNACCEPTABLE_OPTIONS, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("folding arity 4 (allowed [8])"), e.getMessage());
    Verifier.verify(FIB.air(), FIB.publicInputs(), proof, PINNED);
  }

  @Test
  void theNamedPolicies_acceptOnlyThePinnedShapes() {
    for (AcceptablePolicy p :
        new AcceptablePolicy[] {
          AcceptablePolicy.standard(), AcceptablePolicy.high(), AcceptablePolicy.standard().requiringZeroKnowledge()
        }) {
      for (int arity : new int[] {2, 4, 8}) {
        for (int f = 0; f <= ProofOptions.MAX_LOG_FINAL_POLY_MIN_LENGTH; f++) {
          assertEquals(f >= 5 && f <= 7, p.acceptsFriShape(options(arity, f)), p + " arity " + arity + " f " + f);
        }
      }
    }
    ProofOptions o = options(8, 0);
    assertTrue(AcceptablePolicy.insecureAcceptAnythingForTests().acceptsFriShape(o));
  }
}
