package io.veridict.core.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.field.FieldExtension;
import io.veridict.core.hash.HashFunction;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/** REFERENCES pitfall 8: no insecure option set is constructible without saying so. */
class ProofOptionsTest {

  @Test
  void profilesAreSecureAndZeroKnowledgeByDefault() {
    for (ProofOptions o : new ProofOptions[] {ProofOptions.standard(), ProofOptions.high()}) {
      assertFalse(o.isInsecure(), o.toString());
      assertTrue(o.zeroKnowledge(), o.toString());
      assertTrue(SecurityEstimator.worstCaseConjecturedBits(o) >= ProofOptions.MIN_SECURE_BITS, o.toString());
    }
    assertEquals(FieldExtension.QUADRATIC, ProofOptions.standard().extension());
    assertEquals(FieldExtension.CUBIC, ProofOptions.high().extension());
    // The sizes the estimator was checked at (SecurityEstimatorTest.profilesSitOnTheirFloor_...).
    ProofOptions std = ProofOptions.standard();
    assertEquals(29, std.numQueries());
    assertEquals(20, std.grindingBits());
    ProofOptions high = ProofOptions.high();
    assertEquals(40, high.numQueries());
    assertEquals(21, high.grindingBits());
    for (ProofOptions o : new ProofOptions[] {std, high}) {
      assertEquals(3, o.logBlowup(), o.toString());
      assertEquals(8, o.foldingArity(), o.toString());
      assertEquals(5, o.logFinalPolyMinLength(), o.toString());
    }
  }

  @Test
  void zeroKnowledgeAtBlowupTwo_admitsNoProof_andIsFlaggedInsecure() {
    // D = n + h with h >= 2q + 2d > 0 never fits in N/2 = n: nothing can be proven, so the
    // options certify nothing, whatever their queries.
    ProofOptions o = ProofOptions.fromHeader(HashFunction.BLAKE3_256, FieldExtension.CUBIC, 1, 255, 32, 8, 5, true);
    assertTrue(o.isInsecure(), o.toString());
    assertFalse(ProofOptions.fromHeader(HashFunction.BLAKE3_256, FieldExtension.CUBIC, 1, 255, 32, 8, 5, false).isInsecure());
  }

  @Test
  void thereIsNoPublicConstructor() {
    for (Constructor<?> c : ProofOptions.class.getDeclaredConstructors()) {
      assertTrue(Modifier.isPrivate(c.getModifiers()), c.toString());
    }
  }

  @Test
  void weakOptionsAreOnlyBuiltThroughTheInsecureFactory_andAreFlagged() {
    ProofOptions weak = ProofOptions.insecureForTests(HashFunction.BLAKE3_256, FieldExtension.QUADRATIC, 1, 2, 0, 2, 0, true);
    assertTrue(weak.isInsecure());
    assertTrue(weak.toString().contains("INSECURE"));
    ProofOptions decoded = ProofOptions.fromHeader(HashFunction.BLAKE3_256, FieldExtension.QUADRATIC, 1, 2, 0, 2, 0, true);
    assertTrue(decoded.isInsecure(), "decoding weak options must flag them");
    ProofOptions std = ProofOptions.standard();
    ProofOptions redecoded = ProofOptions.fromHeader(std.hash(), std.extension(), std.logBlowup(), std.numQueries(),
        std.grindingBits(), std.foldingArity(), std.logFinalPolyMinLength(), std.zeroKnowledge());
    assertEquals(std, redecoded);
  }

  @Test
  void structuralRangesAreEnforced_withTheBadValueInTheMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ProofOptions.insecureForTests(HashFunction.BLAKE3_256, FieldExtension.QUADRATIC, 3, 20, 33, 4, 4, true));
    assertTrue(e.getMessage().contains("33"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ProofOptions.insecureForTests(HashFunction.BLAKE3_256, FieldExtension.QUADRATIC, 3, 20, 64, 4, 4, true));
    assertThrows(IllegalArgumentException.class,
        () -> ProofOptions.insecureForTests(HashFunction.BLAKE3_256, FieldExtension.QUADRATIC, 3, 20, 8, 3, 4, true));
    assertThrows(IllegalArgumentException.class,
        () -> ProofOptions.insecureForTests(HashFunction.BLAKE3_256, FieldExtension.QUADRATIC, 0, 20, 8, 4, 4, true));
    assertThrows(IllegalArgumentException.class,
        () -> ProofOptions.insecureForTests(HashFunction.BLAKE3_256, FieldExtension.QUADRATIC, 3, 0, 8, 4, 4, true));
    assertThrows(IllegalArgumentException.class,
        () -> ProofOptions.insecureForTests(HashFunction.BLAKE3_256, FieldExtension.QUADRATIC, 3, 256, 8, 4, 4, true));
    assertThrows(IllegalArgumentException.class, () -> ProofOptions.standard().withFoldingArity(16));
    IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
        () -> ProofOptions.insecureForTests(HashFunction.BLAKE3_256, FieldExtension.QUADRATIC, 3, 20, 8, 4, 11, true));
    assertTrue(f.getMessage().contains("logFinalPolyMinLength") && f.getMessage().contains("11"), f.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ProofOptions.insecureForTests(HashFunction.BLAKE3_256, FieldExtension.QUADRATIC, 3, 20, 8, 4, -1, true));
  }

  @Test
  void variationsKeepTheSecurityCheck() {
    assertFalse(ProofOptions.standard().withHash(HashFunction.KECCAK_256).isInsecure());
    assertFalse(ProofOptions.standard().withFoldingArity(8).isInsecure());
    assertFalse(ProofOptions.high().withoutZeroKnowledgeForBenchmarks().isInsecure());
    assertFalse(ProofOptions.standard().withoutZeroKnowledgeForBenchmarks().zeroKnowledge());
  }
}
