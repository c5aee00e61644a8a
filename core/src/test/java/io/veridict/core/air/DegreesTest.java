package io.veridict.core.air;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.proof.ProofOptions;
import io.veridict.core.proof.StarkLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Degrees are inferred, never declared (REFERENCES pitfall 14). */
class DegreesTest {

  private static Air air(int log, List<Expr> transitions, List<long[]> periodic) {
    return air(log, transitions, List.of(), periodic);
  }

  private static Air air(int log, List<Expr> transitions, List<Expr> everyRow, List<long[]> periodic) {
    return new Air() {
      public String name() {
        return "t";
      }

      public int logTraceLength() {
        return log;
      }

      public int mainWidth() {
        return 2;
      }

      public int numPublicInputs() {
        return 0;
      }

      public List<long[]> periodicColumns() {
        return periodic;
      }

      public List<Expr> transitionConstraints() {
        return transitions;
      }

      public List<Expr> everyRowConstraints() {
        return everyRow;
      }

      public List<BoundaryConstraint> boundaryConstraints() {
        return List.of(BoundaryConstraint.first(Expr.main(0)));
      }
    };
  }

  @Test
  void degreesFollowTheExpressionTree() {
    Expr x = Expr.main(0);
    Expr y = Expr.mainNext(1);
    assertEquals(1, Degrees.traceDegreeMultiple(x.plus(y)));
    assertEquals(2, Degrees.traceDegreeMultiple(x.times(y)));
    assertEquals(7, Degrees.traceDegreeMultiple(x.plus(3).pow(7)));
    assertEquals(8, Degrees.traceDegreeMultiple(x.pow(7).times(y).minus(x)));
    assertEquals(0, Degrees.traceDegreeMultiple(Expr.constant(5).times(Expr.publicInput(0))));
    assertEquals(3, Degrees.traceDegreeMultiple(x.times(x).times(Expr.challenge(0).minus(x))));
  }

  @Test
  void periodicDegreesComeFromTheValues() {
    int n = 64;
    long[] constant = {5, 5, 5, 5};
    long[] alternating = {1, 0, 1, 0, 1, 0, 1, 0};
    long[] general = {1, 2, 3, 4, 5, 6, 7, 9};
    long[] d = Degrees.periodicDegrees(List.of(constant, alternating, general), n);
    assertEquals(0, d[0]);
    assertEquals(4 * (n / 8), d[1], "1,0,1,0,... = (1 + X^(n/2))/2 in X^(n/8) terms");
    assertEquals(7 * (n / 8), d[2]);
  }

  @Test
  void layoutSizesTheQuotientFromTheInferredDegree() {
    ProofOptions o = ProofOptions.standard().withoutZeroKnowledgeForBenchmarks();
    StarkLayout linear = StarkLayout.of(air(10, List.of(Expr.mainNext(0).minus(Expr.main(1))), List.of()), o);
    assertEquals(1, linear.numQuotientChunks);
    StarkLayout cubic = StarkLayout.of(air(10, List.of(Expr.mainNext(0).minus(Expr.main(1).pow(3))), List.of()), o);
    assertEquals(2, cubic.numQuotientChunks, "degree 3 -> quotient of degree ~2n");
    StarkLayout deg7 = StarkLayout.of(air(10, List.of(Expr.mainNext(0).minus(Expr.main(1).pow(7))), List.of()), o);
    assertEquals(6, deg7.numQuotientChunks);
    assertEquals(7, deg7.maxConstraintDegree);
  }

  @Test
  void aConstraintTooHighForTheBlowupIsRefused_notSilentlyMisproven() {
    ProofOptions o = ProofOptions.standard();
    Air tooHigh = air(10, List.of(Expr.mainNext(0).minus(Expr.main(1).pow(9))), List.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StarkLayout.of(tooHigh, o));
    assertTrue(e.getMessage().contains("constraint degree too high"), e.getMessage());
  }

  @Test
  void malformedAirsAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> AirIdentity.of(air(10, List.of(Expr.main(5)), List.of())));
    assertThrows(IllegalArgumentException.class,
        () -> AirIdentity.of(air(10, List.of(Expr.periodic(0)), List.of())));
    assertThrows(IllegalArgumentException.class,
        () -> AirIdentity.of(air(4, List.of(Expr.periodic(0)), List.of(new long[32]))));
    assertThrows(IllegalArgumentException.class,
        () -> AirIdentity.of(air(10, List.of(Expr.challenge(0)), List.of())));
  }

  @Test
  void aCurrentRowOnlyTransition_isRefused_becauseItWouldNotHoldOnTheLastRow() {
    Air lax = air(10, List.of(Expr.mainNext(0).minus(Expr.main(1)), Expr.main(0).times(Expr.main(1))), List.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AirIdentity.of(lax));
    assertTrue(e.getMessage().contains("transition constraint 1") && e.getMessage().contains("everyRowConstraints"),
        e.getMessage());
    // The same constraint as an every-row constraint is fine.
    AirIdentity.of(air(10, List.of(Expr.mainNext(0).minus(Expr.main(1))), List.of(Expr.main(0).times(Expr.main(1))), List.of()));
  }

  @Test
  void anEveryRowConstraintReadingTheNextRow_isRefused() {
    Air wraps = air(10, List.of(), List.of(Expr.mainNext(0).minus(Expr.main(1))), List.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AirIdentity.of(wraps));
    assertTrue(e.getMessage().contains("every-row constraint 0"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> AirIdentity.of(air(10, List.of(), List.of(Expr.aux(0)), List.of())), "references are checked too");
  }

  @Test
  void everyRowQuotientsAreOneDegreeLowerThanTransitionQuotients() {
    // A period-n column holding g^i interpolates to X (degree 1), so main^2 * X has degree 2n - 1
    // (non-ZK: trace polynomials of degree n - 1). Divided by a transition's (x^n - 1)/(x - g^(n-1))
    // the quotient has degree n (two chunks of n coefficients); divided by x^n - 1, degree n - 1
    // (one chunk).
    int log = 10;
    int n = 1 << log;
    long[] x = new long[n];
    long g = io.veridict.core.field.Goldilocks.rootOfUnity(log);
    x[0] = 1;
    for (int i = 1; i < n; i++) {
      x[i] = io.veridict.core.field.Goldilocks.mul(x[i - 1], g);
    }
    ProofOptions o = ProofOptions.standard().withoutZeroKnowledgeForBenchmarks();
    Expr square = Expr.main(0).times(Expr.main(0)).times(Expr.periodic(0));
    StarkLayout transition = StarkLayout.of(air(log, List.of(square.plus(Expr.mainNext(1))), List.of(x)), o);
    assertEquals(2, transition.numQuotientChunks);
    StarkLayout everyRow = StarkLayout.of(air(log, List.of(), List.of(square), List.of(x)), o);
    assertEquals(1, everyRow.numQuotientChunks);
    assertEquals(1, everyRow.numEveryRow);
    assertEquals(2, everyRow.numConstraints(), "one every-row plus the helper's boundary constraint");
  }

  @Test
  void airIdentityDependsOnEveryConstraint() {
    byte[] a = AirIdentity.of(air(10, List.of(Expr.mainNext(0).minus(Expr.main(1))), List.of()));
    byte[] b = AirIdentity.of(air(10, List.of(Expr.mainNext(0).minus(Expr.main(0))), List.of()));
    byte[] c = AirIdentity.of(air(11, List.of(Expr.mainNext(0).minus(Expr.main(1))), List.of()));
    assertTrue(!java.util.Arrays.equals(a, b) && !java.util.Arrays.equals(a, c));
    Expr t = Expr.mainNext(0).minus(Expr.main(1));
    byte[] d = AirIdentity.of(air(10, List.of(t), List.of(Expr.main(0)), List.of()));
    byte[] e = AirIdentity.of(air(10, List.of(t), List.of(Expr.main(1)), List.of()));
    assertTrue(!java.util.Arrays.equals(a, d) && !java.util.Arrays.equals(d, e), "every-row constraints are bound");
  }
}
