package io.veridict.core.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.field.FieldExtension;
import io.veridict.core.hash.HashFunction;
import org.junit.jupiter.api.Test;

class SecurityEstimatorTest {

  private static ProtocolShape shape(int logN, int h, int logBlowup) {
    int n = 1 << logN;
    return new ProtocolShape(logN, n + h, logN + logBlowup, 2, 5, 4, 2, 6);
  }

  private static ProofOptions opts(int logBlowup, int queries, int grinding, FieldExtension e) {
    return ProofOptions.insecureForTests(HashFunction.BLAKE3_256, e, logBlowup, queries, grinding, 8, 5, false);
  }

  @Test
  void moreQueriesGrindingBlowupOrFieldNeverLowerTheEstimate() {
    ProtocolShape s = shape(16, 0, 3);
    SecurityReport base = SecurityEstimator.estimate(opts(3, 20, 8, FieldExtension.QUADRATIC), s);
    for (SecurityReport better : new SecurityReport[] {
      SecurityEstimator.estimate(opts(3, 21, 8, FieldExtension.QUADRATIC), s),
      SecurityEstimator.estimate(opts(3, 20, 9, FieldExtension.QUADRATIC), s),
      SecurityEstimator.estimate(opts(3, 20, 8, FieldExtension.CUBIC), s),
      SecurityEstimator.estimate(opts(4, 20, 8, FieldExtension.QUADRATIC), shape(16, 0, 4)),
    }) {
      assertTrue(better.conjecturedBits() >= base.conjecturedBits());
      assertTrue(better.provenUniqueDecodingBits() >= base.provenUniqueDecodingBits());
      assertTrue(better.provenListDecodingBits() >= base.provenListDecodingBits());
    }
  }

  @Test
  void workedExample_matchesAHandComputation() {
    // 28 queries, blowup 8 (rho = 1/8 without ZK), 16 grinding bits, quadratic field, N = 2^23:
    // conjectured query term = 28 * log2(1 / (1.125 / 8)) + 16 = 28 * 2.8301 + 16 = 95.24;
    // field terms: 128 - log2(2 * 2^23) = 104.0 and 128 - log2(1 * 2^20) = 108.0.
    // (The Winterfell reference run in issue 2 is reported at 99 conjectured bits by Winterfell's own,
    // capacity-based estimator; ours is lower because it assumes a gap below capacity.)
    ProofOptions o = opts(3, 28, 16, FieldExtension.QUADRATIC);
    ProtocolShape s = new ProtocolShape(20, 1 << 20, 23, 1, 3, 3, 1, 5);
    SecurityReport r = SecurityEstimator.estimate(o, s);
    assertEquals(95.24, r.conjecturedBits(), 0.01);
    // Unique decoding: 28 * log2(2 / 1.125) + 16 = 39.24.
    assertEquals(39.24, r.provenUniqueDecodingBits(), 0.01);
    assertTrue(r.provenListDecodingBits() > r.provenUniqueDecodingBits());
    assertTrue(r.provenListDecodingBits() < r.conjecturedBits());
    assertEquals(128, r.hashCollisionBits());
  }

  @Test
  void theHashBoundCapsTheTotal() {
    ProofOptions o = opts(4, 200, 30, FieldExtension.CUBIC);
    SecurityReport r = SecurityEstimator.estimate(o, shape(16, 0, 4));
    assertEquals(128.0, r.conjecturedBits(), 1e-9);
  }

  @Test
  void profilesMeetTheirFloors_fromTwoToTheTenRows() {
    for (int log = 10; log <= 22; log++) {
      for (boolean zk : new boolean[] {true, false}) {
        ProofOptions std = zk ? ProofOptions.standard() : ProofOptions.standard().withoutZeroKnowledgeForBenchmarks();
        ProofOptions high = zk ? ProofOptions.high() : ProofOptions.high().withoutZeroKnowledgeForBenchmarks();
        int hStd = zk ? std.numQueries() + 4 : 0;
        int hHigh = zk ? high.numQueries() + 6 : 0;
        ProtocolShape sStd = new ProtocolShape(log, (1 << log) + hStd, log + 3, 8, 20, 12, 8, 6);
        ProtocolShape sHigh = new ProtocolShape(log, (1 << log) + hHigh, log + 3, 8, 20, 12, 8, 6);
        assertTrue(SecurityEstimator.estimate(std, sStd).conjecturedBits() >= 100, "standard 2^" + log);
        assertTrue(SecurityEstimator.estimate(high, sHigh).conjecturedBits() >= 128, "high 2^" + log);
      }
    }
  }

  @Test
  void optionsBelowEightyBitsCannotBeBuiltWithoutTheInsecureFactory() {
    ProofOptions weak = opts(1, 4, 0, FieldExtension.QUADRATIC);
    assertTrue(SecurityEstimator.worstCaseConjecturedBits(weak) < 80);
    assertThrows(IllegalArgumentException.class, () -> ProofOptions.standard().withFoldingArity(3));
    ProofOptions decoded = ProofOptions.fromHeader(HashFunction.BLAKE3_256, FieldExtension.QUADRATIC, 1, 4, 0, 8, 5, false);
    assertTrue(decoded.isInsecure());
  }

  @Test
  void summaryListsEveryTerm() {
    SecurityReport r = SecurityEstimator.estimate(ProofOptions.standard(), shape(16, 33, 3));
    String s = r.summary();
    for (SecurityTerm t : r.terms()) {
      assertTrue(s.contains(t.name()), t.name());
    }
    assertEquals(10, r.terms().size());
  }
}
