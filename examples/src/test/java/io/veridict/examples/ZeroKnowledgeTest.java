package io.veridict.examples;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.proof.StarkProof;
import io.veridict.prover.Prover;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Statistical checks of zero knowledge. They cannot prove the ZK property (that is the argument in
 * docs/security.md); they catch the failures that matter in practice: unmasked openings, masks
 * reused between proofs, and opened values that are visibly non-uniform.
 */
class ZeroKnowledgeTest {
  /** Chi-square critical value, 15 degrees of freedom, significance ~1e-6 (Wilson–Hilferty). */
  static final double CHI2_15_DOF_1E6 = 57.35;

  @Test
  void twoProofsOfTheSameStatement_differInEveryMaskedValue() {
    Proofs.Statement s = Proofs.fibonacci(6);
    Prover prover = Prover.create(Proofs.fast(true));
    StarkProof a = Proofs.prove(prover, s);
    StarkProof b = Proofs.prove(prover, s);
    assertAllDiffer(a.oodMainCurrent(), b.oodMainCurrent(), "OOD main");
    assertAllDiffer(a.oodMainNext(), b.oodMainNext(), "OOD main next");
    assertAllDiffer(a.oodQuotientChunks(), b.oodQuotientChunks(), "OOD quotient chunks");
    assertAllDiffer(a.finalPolynomial(), b.finalPolynomial(), "final polynomial");
    assertAllDiffer(a.mainRoot(), b.mainRoot(), "main root");
    assertAllDiffer(a.compositionRoot(), b.compositionRoot(), "composition root");
    // Opened main-trace values at positions both proofs happen to open, and all salts.
    assertAllDiffer(a.mainOpening().salts(), b.mainOpening().salts(), "salts");
  }

  @Test
  void auxiliaryColumnsAreMaskedToo() {
    Proofs.Statement s = Proofs.range(16, 200, 4);
    Prover prover = Prover.create(Proofs.fast(true));
    StarkProof a = Proofs.prove(prover, s);
    StarkProof b = Proofs.prove(prover, s);
    assertAllDiffer(a.oodAuxCurrent(), b.oodAuxCurrent(), "OOD aux");
    assertAllDiffer(a.oodAuxNext(), b.oodAuxNext(), "OOD aux next");
  }

  private static void assertAllDiffer(long[] x, long[] y, String what) {
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      assertNotEquals(x[i], y[i], what + " element " + i + " repeated across proofs");
    }
  }

  /**
   * Over many proofs of one fixed statement, the opened main-trace values, the OOD frame and the
   * quotient chunk values fall uniformly into 16 buckets (top 4 bits of {@code v * 16 / p}): a
   * chi-square test with 15 degrees of freedom at significance about 1e-6 (critical value 57.35, by
   * the Wilson–Hilferty approximation; a strict threshold keeps CI from flaking, while a masking
   * failure gives statistics in the thousands — see the power test below). The
   * trace itself is a fixed Fibonacci sequence, so without masking the OOD frame would be
   * constant across proofs and the test would fail.
   */
  @Test
  void openedValues_areUniformOverManyProofs() {
    Proofs.Statement s = Proofs.fibonacci(5);
    Prover prover = Prover.create(Proofs.fast(true));
    List<Long> opened = new ArrayList<>();
    List<Long> ood = new ArrayList<>();
    for (int k = 0; k < 150; k++) {
      StarkProof p = Proofs.prove(prover, s);
      for (long v : p.mainOpening().values()) {
        opened.add(v);
      }
      for (long v : p.oodMainCurrent()) {
        ood.add(v);
      }
      for (long v : p.oodQuotientChunks()) {
        ood.add(v);
      }
    }
    double chiOpened = chiSquare(opened);
    double chiOod = chiSquare(ood);
    assertTrue(chiOpened < CHI2_15_DOF_1E6, "opened values not uniform: chi^2 = " + chiOpened + " over " + opened.size());
    assertTrue(chiOod < CHI2_15_DOF_1E6, "OOD values not uniform: chi^2 = " + chiOod + " over " + ood.size());
  }

  /**
   * The attack zero knowledge exists to stop: an observer who can guess the private values (a
   * low-entropy witness, say an applicant's income band) recomputes the trace commitment for each
   * guess and compares it with the proof. Without masks and salts the commitment is a
   * deterministic function of the witness and the guess is confirmed; with zero knowledge no
   * recomputation, not even with the true witness, reproduces the commitment.
   */
  @Test
  void witnessGuessing_confirmsGuessesWithoutZk_andNeverWithZk() {
    RangeCheckAir air = new RangeCheckAir(16);
    long[] secret = RangeCheckAir.exampleValues(50, 99);
    long[] wrongGuess = secret.clone();
    wrongGuess[7] = (wrongGuess[7] + 1) % RangeCheckAir.RANGE;

    Prover plain = Prover.create(Proofs.fast(false));
    StarkProof leaky = plain.proveToObject(air, new long[0], air.witness(secret));
    StarkProof rightGuess = plain.proveToObject(air, new long[0], air.witness(secret));
    StarkProof badGuess = plain.proveToObject(air, new long[0], air.witness(wrongGuess));
    org.junit.jupiter.api.Assertions.assertArrayEquals(leaky.mainRoot(), rightGuess.mainRoot(), "without ZK a right guess is confirmed");
    assertNotEquals(java.util.Arrays.toString(leaky.mainRoot()), java.util.Arrays.toString(badGuess.mainRoot()));

    Prover zk = Prover.create(Proofs.fast(true));
    StarkProof hidden = zk.proveToObject(air, new long[0], air.witness(secret));
    for (int k = 0; k < 3; k++) {
      StarkProof attempt = zk.proveToObject(air, new long[0], air.witness(secret));
      assertAllDiffer(hidden.mainRoot(), attempt.mainRoot(), "ZK root reproduced by a recomputation");
    }
  }

  @Test
  void theUniformityTestFailsWithoutZeroKnowledge() {
    // Without masks, proofs of one statement are identical, so the same "statistic" that passes
    // above explodes: the test can tell masked from unmasked proofs.
    Proofs.Statement s = Proofs.fibonacci(5);
    Prover prover = Prover.create(Proofs.fast(false));
    List<Long> ood = new ArrayList<>();
    for (int k = 0; k < 40; k++) {
      StarkProof p = Proofs.prove(prover, s);
      for (long v : p.oodMainCurrent()) {
        ood.add(v);
      }
      for (long v : p.oodQuotientChunks()) {
        ood.add(v);
      }
    }
    assertTrue(chiSquare(ood) > CHI2_15_DOF_1E6, "chi^2 = " + chiSquare(ood));
  }

  @Test
  void chiSquare_hasPowerAgainstAFixedValue() {
    // The statistic itself must be able to fail: a constant stream is wildly non-uniform.
    List<Long> constant = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      constant.add(42L);
    }
    assertTrue(chiSquare(constant) > CHI2_15_DOF_1E6);
  }

  static double chiSquare(List<Long> values) {
    int buckets = 16;
    long[] counts = new long[buckets];
    java.math.BigInteger p = java.math.BigInteger.valueOf(io.veridict.core.field.Goldilocks.P).and(java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE));
    for (long v : values) {
      java.math.BigInteger b = new java.math.BigInteger(Long.toUnsignedString(v));
      counts[b.multiply(java.math.BigInteger.valueOf(buckets)).divide(p).intValue()]++;
    }
    double expected = values.size() / (double) buckets;
    double chi = 0;
    for (long c : counts) {
      chi += (c - expected) * (c - expected) / expected;
    }
    return chi;
  }
}
