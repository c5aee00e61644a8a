package io.veridict.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.air.Expr;
import io.veridict.core.field.Goldilocks;
import io.veridict.model.internal.DecisionAir;
import io.veridict.prover.ConstraintViolationException;
import io.veridict.prover.Prover;
import io.veridict.prover.Witness;
import io.veridict.verifier.AcceptablePolicy;
import io.veridict.verifier.VerificationException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 20's forgery, per model family and in both directions: the helper equations {@code h · den
 * = num} of the LogUp arguments were transition constraints, which hold on rows {@code 0 .. n-2}
 * only, so the last row's helpers were free and could absorb any imbalance. The cheating prover
 * puts a non-byte field element into the decision row's range-checked limb (making {@code u = d
 * (acc - T) + (1 - d)(T - 1 - acc)} hold for the wrong decision {@code d}), recomputes the
 * auxiliary columns honestly and then subtracts the total imbalance from {@code h0} at the last
 * row, so the running sum closes. Every constraint then holds except {@code h0}'s equation at the
 * last row; before the fix the prover's own witness check passed and the verifier accepted:
 * APPROVED for an applicant below the threshold, DECLINED for one above it.
 */
class LastRowForgeryTest {
  private static final DecisionVerifier VERIFIER =
      DecisionVerifier.withPolicy(AcceptablePolicy.insecureAcceptAnythingForTests());
  private static final Context CTX =
      new Context(31337, "0x1111111111111111111111111111111111111111", "policy-7", "n-1", 0);
  private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

  static Stream<Arguments> forgeries() {
    Stream.Builder<Arguments> b = Stream.builder();
    Object[][] families = {
      {"logistic regression", CircuitFixtures.linear(12, 11)},
      {"neural network", CircuitFixtures.mlp(new int[] {6, 5, 3, 1}, 12)},
      {"tree ensemble", CircuitFixtures.trees(7, 6, 3, 13)},
      {"scorecard", CircuitFixtures.scorecard(5, 14)}
    };
    for (Object[] f : families) {
      b.add(Arguments.of(f[0], f[1], true));
      b.add(Arguments.of(f[0], f[1], false));
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0}: forged {2} (true = APPROVED below the threshold)")
  @MethodSource("forgeries")
  void nonByteLimbRebalancedThroughTheLastRowHelper_isRejected(String family, FloatModel m, boolean forgeApproval)
      throws Exception {
    double[] bounds = new double[m.numFeatures()];
    java.util.Arrays.fill(bounds, 64);
    SecureRandom rnd = SecureRandom.getInstance("SHA1PRNG");
    rnd.setSeed(forgeApproval ? 1 : 2);
    ModelPackage pkg = ModelPackage.create(Quantizer.quantize(m, bounds), "forged", "test", "00", OptionalDouble.empty(), rnd);
    QuantizedModel q = pkg.model();
    ModelArchitecture a = q.architecture();
    double[] x = CircuitFixtures.input(m.numFeatures(), new SplittableRandom(5));
    long[] xq = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      xq[i] = a.quantizeInput(i, x[i]);
    }
    long margin = FixedPointEvaluator.margin(q, xq);
    // A threshold on the other side of this applicant's margin from the forged decision.
    double marginValue = a.marginValue(margin);
    Policy policy = new Policy(m.link().apply(marginValue + (forgeApproval ? 0.5 : -0.5)), Policy.Direction.AT_LEAST);
    long t = policy.circuitThreshold(a);
    assertEquals(!forgeApproval, margin >= t, "the applicant really is on the other side");

    DecisionCircuit circuit = DecisionCircuit.of(a);
    DecisionAir air = (DecisionAir) circuit.air();
    int n = circuit.traceLength();
    long[] inputSalt = QuantizedModel.newSalt(rnd);
    DecisionStatement s = new DecisionStatement(DecisionStatement.VERSION, circuit.airId(),
        pkg.description().modelCommitment(), Commitments.toHex(QuantizedModel.inputCommitment(xq, inputSalt)),
        policy, t, forgeApproval, CTX);

    // The honest trace, with the decision row's u = d (acc - T) + (1 - d)(T - 1 - acc) for the
    // forged d: a negative integer, i.e. a field element far outside [0, 2^56), all in limb 0.
    long[][] main = deepCopy(circuit.witness(q, pkg.salt(), xq, inputSalt, t).main());
    int dr = air.program().decideRow() + 1;
    long u = forgeApproval ? margin - t : t - 1 - margin;
    assertTrue(u < 0);
    main[DecisionAir.LIMB][dr] = Goldilocks.fromSigned(u);
    for (int j = 1; j < DecisionAir.NUM_LIMBS; j++) {
      main[DecisionAir.LIMB + j][dr] = 0;
    }
    Witness forged = new Witness() {
      @Override
      public long[][] mainTrace() {
        return main;
      }

      @Override
      public long[][] auxTrace(long[][] mainTrace, long[] challenges, int extDegree) {
        long[][] aux = circuit.auxColumns(mainTrace, challenges, extDegree);
        // The LogUp total S(n-1) + sum h(n-1) is the imbalance of the forged limbs; absorb it in
        // h0 at the last row, where (before the fix) no constraint read h0.
        int last = (n - 1) * extDegree;
        for (int c = 0; c < extDegree; c++) {
          long total = aux[DecisionAir.SUM][last + c];
          for (int h = 0; h < DecisionAir.NUM_H; h++) {
            total = Goldilocks.add(total, aux[DecisionAir.H + h][last + c]);
          }
          aux[DecisionAir.H][last + c] = Goldilocks.sub(aux[DecisionAir.H][last + c], total);
        }
        return aux;
      }
    };
    long[] pub = circuit.publicInputs(s, pkg.description());
    Prover honest = Prover.insecureDeterministicForTests(CircuitFixtures.fast(), 3);
    byte[] proof = honest.insecureSkippingWitnessCheckForTests().prove(air, pub, forged);
    ProofBundle bundle = new ProofBundle(s, pkg.description(), proof);

    DecisionVerificationException e = assertThrows(DecisionVerificationException.class,
        () -> VERIFIER.verify(bundle, Optional.of(pkg.description().modelCommitment()), NOW),
        family + ": the forged " + (forgeApproval ? "approval" : "decline") + " must be rejected");
    assertEquals(DecisionVerificationException.Reason.PROOF_REJECTED, e.reason());
    assertEquals(Optional.of(VerificationException.Reason.OOD_MISMATCH), e.proofReason());
    // The prover's own check now sees it too (before the fix it passed): h0's helper equation, an
    // every-row constraint, fails at the last row and nowhere else.
    ConstraintViolationException v =
        assertThrows(ConstraintViolationException.class, () -> honest.prove(air, pub, forged));
    assertEquals(ConstraintViolationException.Kind.EVERY_ROW, v.kind(), v.getMessage());
    Expr h0 = air.everyRowConstraints().get(v.constraintIndex());
    assertEquals(Expr.aux(DecisionAir.H), firstAux(h0), v.getMessage());
    assertEquals(n - 1, v.row(), v.getMessage());
  }

  /** The first auxiliary-column leaf of {@code e} (left to right). */
  private static Expr firstAux(Expr e) {
    return switch (e) {
      case Expr.Aux a -> a;
      case Expr.Add a -> firstNonNull(firstAux(a.left()), a.right());
      case Expr.Sub s -> firstNonNull(firstAux(s.left()), s.right());
      case Expr.Mul m -> firstNonNull(firstAux(m.left()), m.right());
      case Expr.Neg n -> firstAux(n.operand());
      case Expr.Pow p -> firstAux(p.base());
      default -> null;
    };
  }

  private static Expr firstNonNull(Expr found, Expr right) {
    return found != null ? found : firstAux(right);
  }

  private static long[][] deepCopy(long[][] a) {
    long[][] c = new long[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
