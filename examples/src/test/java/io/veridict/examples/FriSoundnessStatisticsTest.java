package io.veridict.examples;

import static io.veridict.verifier.VerificationException.Reason.DEEP_MISMATCH;
import static io.veridict.verifier.VerificationException.Reason.FINAL_POLYNOMIAL;
import static io.veridict.verifier.VerificationException.Reason.OOD_MISMATCH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.field.FieldExtension;
import io.veridict.core.hash.HashFunction;
import io.veridict.core.proof.ProofCodec;
import io.veridict.core.proof.ProofOptions;
import io.veridict.core.proof.SecurityEstimator;
import io.veridict.core.proof.SecurityTerm;
import io.veridict.core.proof.StarkLayout;
import io.veridict.core.proof.StarkProof;
import io.veridict.examples.CheatingProver.DeepWord;
import io.veridict.prover.Prover;
import io.veridict.verifier.AcceptablePolicy;
import io.veridict.verifier.VerificationException;
import io.veridict.verifier.VerificationException.Reason;
import io.veridict.verifier.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FRI soundness measured against a real cheating prover ({@link CheatingProver}): for a false
 * Fibonacci statement (the claimed {@code F(2n)} is wrong) the cheater commits to an edited trace
 * and low-degree quotient chunks, lies about one out-of-domain value so the OOD check passes, and
 * replaces the DEEP word (far from low degree because of that lie) by an interpolant of degree
 * {@code < D}, {@code D = layout.friCheckedDegreeBound()}, through the true DEEP word on a set
 * {@code S} of {@code |S| = D} LDE points. FRI then passes at every layer, and a query passes the
 * DEEP check exactly when it lands in {@code S}: the proof is accepted with probability {@code
 * (D/N)^q = rho^q}. That is the best generic attack the conjectured estimate prices, {@code
 * p_pred = 2^-(q * -log2(rho + eta) + g)} (the conjectured "FRI queries + grinding" term of {@link
 * SecurityEstimator}), slightly above {@code rho^q}.
 *
 * <p>For each option set (tiny trace, {@code q = 1} or {@code 2}, no grinding, folding arity 2, 4,
 * 8, several final-length parameters, zero knowledge on and off) the test runs {@code T} cheating
 * proofs, verifies every one with {@link Verifier#verify} (no shortcut: a proof counts as accepted
 * only if the verifier returns), and asserts
 *
 * <ul>
 *   <li>per proof: accepted exactly when all queries fell in {@code S}, and otherwise rejected
 *       with {@code DEEP_MISMATCH} (so the lies get past every other check);
 *   <li>the estimate holds: {@code P[Binomial(T, p_pred) >= A] >= 1e-6} for the observed {@code
 *       A} acceptances;
 *   <li>the estimate is nearly tight, not vacuous: {@code P[Binomial(T, rho^q) <= A] >= 1e-6}, i.e.
 *       the attack really achieves its rate (a broken attack accepting nothing would fail this).
 * </ul>
 *
 * Both tail bounds are exact binomial sums (log space). The run is deterministic (seeded masks,
 * seeded subsets), so it either always passes or always fails; under the binomial model each bound
 * fails for a correct implementation with probability below {@code 1e-6} per option set.
 *
 * <h2>Why this would have caught the old defect</h2>
 *
 * Before the fix the layout rounded the degree bound up at every fold ({@code dcur = ceil(dcur /
 * a)}), so FRI checked {@code D_eff = finalPolyLength * a^L}, up to {@code N/2}, while the
 * estimator priced {@code rho = (n + h)/N}, about {@code 1/8} at blowup 8. With {@code D_checked =
 * finalPolyLength * a^L} the attack here would then have been accepted at {@code (D_eff/N)^q}, e.g.
 * {@code 1/2} per query at {@code n = 2^6}, blowup 8, arity 4, final length 1 ({@code D = 70}
 * rounded to {@code 256 = N/2}; the pre-fix {@code h} was {@code q + 2d = 6}), against a prediction
 * of {@code 0.1413}: with {@code T = 80} about 40 acceptances where the upper bound allows at most
 * 28 ({@code P[Binomial(80, 0.1413) >= 40] = 3e-14}). Without zero knowledge {@code D = n} is a
 * power of two and folded exactly before and after the fix, so the defect needed ZK. The table
 * printed at the end lists, per option set, the bound the pre-fix rule would have checked ({@code
 * old-D_eff}). {@link #halfDomainInterpolant_isRejectedByTheFriDegreeCheck} shows the fixed FRI
 * no longer admits degree {@code N/2}: an interpolant of degree {@code < N/2} through the true DEEP
 * word on half the domain passes the DEEP check at every query about {@code 2^-q} of the time, and
 * every such proof is now rejected by the final-polynomial (degree) check.
 */
class FriSoundnessStatisticsTest {
  private static final AcceptablePolicy ANY = AcceptablePolicy.insecureAcceptAnythingForTests();
  private static final int LOG_ROWS = 6;
  private static final FibonacciAir AIR = new FibonacciAir(LOG_ROWS);
  private static final long TRUE_RESULT = FibonacciAir.result(LOG_ROWS);
  /** The false claim: every cheating proof is for this public output. */
  private static final long[] FALSE_CLAIM = {io.veridict.core.field.Goldilocks.add(TRUE_RESULT, 1)};

  /** Smallest tail probability an observation may have before the test calls it impossible. */
  private static final double MIN_TAIL = 1e-6;

  private static final ConcurrentLinkedQueue<String> TABLE = new ConcurrentLinkedQueue<>();
  private static final double[] POOLED = new double[3]; // A, sum T rho^q, sum T p_pred

  /** One option set. */
  record Setting(int logBlowup, int q, int arity, int f, boolean zk) {
    ProofOptions options() {
      return ProofOptions.insecureForTests(
          HashFunction.BLAKE3_256, FieldExtension.QUADRATIC, logBlowup, q, 0, arity, f, zk);
    }

    StarkLayout layout() {
      return StarkLayout.of(AIR, options());
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "b=%d q=%d a=%d f=%d zk=%s", 1 << logBlowup, q, arity, f, zk ? "on" : "off");
    }
  }

  private static Setting s(int logBlowup, int q, int arity, int f, boolean zk) {
    return new Setting(logBlowup, q, arity, f, zk);
  }

  /** The option sets of the interpolant attack: {@code 2^6} rows, every arity, several {@code f}. */
  static List<Setting> attackSettings() {
    List<Setting> out = new ArrayList<>();
    for (int arity : new int[] {2, 4, 8}) {
      for (int f : new int[] {0, 2, 3, 5}) {
        out.add(s(3, 1, arity, f, true)); // N = 512, q = 1
      }
    }
    out.add(s(3, 1, 2, 0, false));
    out.add(s(3, 1, 4, 3, false));
    out.add(s(3, 1, 8, 5, false));
    // q = 2 at blowup 4 (N = 256), where rho^2 is large enough to count.
    out.add(s(2, 2, 2, 3, true));
    out.add(s(2, 2, 4, 2, true));
    out.add(s(2, 2, 8, 3, true));
    out.add(s(2, 2, 8, 0, true)); // D = N/2: the largest rate the layout admits
    out.add(s(2, 2, 4, 0, false));
    return out;
  }

  static Stream<Arguments> attackCases() {
    return attackSettings().stream()
        .flatMap(st -> Stream.of(DeepWord.STRUCTURED, DeepWord.ARBITRARY)
            .map(w -> Arguments.of(st, w, st.q() == 1 ? 80 : 120)));
  }

  // --- the honest path ---------------------------------------------------------------------------

  static Stream<Setting> honestSettings() {
    return Stream.of(
        s(3, 1, 2, 0, true), s(3, 2, 4, 3, true), s(3, 1, 8, 5, true), s(2, 2, 8, 0, true),
        s(3, 2, 2, 2, false), s(2, 1, 4, 5, false), s(3, 12, 4, 2, true));
  }

  @ParameterizedTest(name = "honest {0}")
  @MethodSource("honestSettings")
  void honestCheatingProver_reproducesTheProverBitForBitAndVerifies(Setting st) throws Exception {
    ProofOptions o = st.options();
    long seed = 17;
    long[] pub = {TRUE_RESULT};
    CheatingProver cheater = new CheatingProver(o);
    CheatingProver.Run run = cheater.proveHonestly(AIR, pub, FibonacciAir.trace(LOG_ROWS), seed);
    StarkProof real =
        Prover.insecureDeterministicForTests(o, seed).proveToObject(AIR, pub, FibonacciAir.witness(LOG_ROWS));
    byte[] mine = ProofCodec.encode(run.proof());
    assertArrayEquals(ProofCodec.encode(real), mine, "the cheater's schedule must be the prover's");
    Verifier.verify(AIR, pub, mine, ANY);
    // The OOD "lie" is a no-op for a true statement: the claimed value is the committed one.
    CheatingProver.Run lie =
        cheater.prove(AIR, pub, FibonacciAir.trace(LOG_ROWS), seed, true, DeepWord.TRUE_WORD, 0);
    assertFalse(lie.oodLied());
    assertArrayEquals(mine, ProofCodec.encode(lie.proof()));
    // An interpolant of degree < D through the true DEEP word is the DEEP word itself.
    CheatingProver.Run interp =
        cheater.prove(AIR, pub, FibonacciAir.trace(LOG_ROWS), seed, false, DeepWord.ARBITRARY, 3);
    assertEquals(st.layout().ldeSize, interp.agreementSize());
    assertArrayEquals(mine, ProofCodec.encode(interp.proof()));
  }

  // --- the attack --------------------------------------------------------------------------------

  @ParameterizedTest(name = "{1} interpolant, {0}, T={2}")
  @MethodSource("attackCases")
  void interpolantAttack_isAcceptedAtItsRateAndNeverAboveTheEstimate(Setting st, DeepWord word, int trials) {
    ProofOptions o = st.options();
    StarkLayout lay = st.layout();
    assertEquals(lay.degreeBound, lay.friCheckedDegreeBound(), "the fixed layout folds D exactly");
    int bigN = lay.ldeSize;
    int dChecked = (int) lay.friCheckedDegreeBound();
    double rho = dChecked / (double) bigN;
    double pAttack = Math.pow(rho, st.q());
    double pPred = predictedAcceptance(o, lay);
    assertTrue(pAttack <= pPred, "the estimate prices at least the generic attack");

    CheatingProver cheater = new CheatingProver(o);
    long base = seedOf(st + "/" + word);
    int accepted = 0;
    for (int i = 0; i < trials; i++) {
      long seed = base + i;
      long[][] trace = CheatingProver.editedFibonacciTrace(LOG_ROWS, FALSE_CLAIM[0], seed);
      CheatingProver.Run run = cheater.prove(AIR, FALSE_CLAIM, trace, seed, true, word, ~seed);
      assertTrue(run.oodLied(), "the false statement needs the OOD lie");
      assertEquals(dChecked, run.subsetSize());
      assertEquals(dChecked, run.agreementSize(), "the interpolant agrees with the DEEP word on S only");
      Reason reason = verify(FALSE_CLAIM, run.proof());
      if (reason == null) {
        accepted++;
        assertTrue(run.allQueriesAgree(), "accepted although a query fell outside S");
      } else {
        assertFalse(run.allQueriesAgree(), "rejected (" + reason + ") although every query fell in S");
        assertEquals(DEEP_MISMATCH, reason, "only the DEEP check at a query outside S may catch the lie");
      }
    }
    double upper = upperTail(trials, pPred, accepted);
    double lower = lowerTail(trials, pAttack, accepted);
    addRow(st, lay, word.toString(), trials, accepted, pAttack, pPred, upper, lower);
    synchronized (POOLED) {
      POOLED[0] += accepted;
      POOLED[1] += trials * pAttack;
      POOLED[2] += trials * pPred;
    }
    assertTrue(upper >= MIN_TAIL, String.format(Locale.ROOT,
        "SOUNDNESS: %d/%d accepted, estimator predicts p = %.5f: P[Bin >= A] = %.3g", accepted, trials, pPred, upper));
    assertTrue(lower >= MIN_TAIL, String.format(Locale.ROOT,
        "attack too weak: %d/%d accepted, rate rho^q = %.5f: P[Bin <= A] = %.3g", accepted, trials, pAttack, lower));
  }

  // --- the lies matter ---------------------------------------------------------------------------

  static Stream<Setting> negativeSettings() {
    return Stream.of(s(3, 1, 2, 3, true), s(3, 1, 4, 0, true), s(3, 1, 4, 5, true), s(3, 1, 8, 2, true),
        s(3, 1, 2, 0, false), s(2, 2, 8, 3, true));
  }

  @ParameterizedTest(name = "true DEEP word, {0}")
  @MethodSource("negativeSettings")
  void trueDeepWordAfterTheOodLie_isNeverAccepted(Setting st) {
    // Without the replacement the committed word is the DEEP word itself, far from degree < D: every
    // query passes the DEEP check and FRI's final polynomial (the degree check) catches it.
    StarkLayout lay = st.layout();
    int trials = 25;
    CheatingProver cheater = new CheatingProver(st.options());
    long base = seedOf(st + "/true-word");
    Reason expected = lay.numFriLayers == 0 ? DEEP_MISMATCH : FINAL_POLYNOMIAL;
    for (int i = 0; i < trials; i++) {
      long seed = base + i;
      CheatingProver.Run run = cheater.prove(
          AIR, FALSE_CLAIM, CheatingProver.editedFibonacciTrace(LOG_ROWS, FALSE_CLAIM[0], seed), seed, true,
          DeepWord.TRUE_WORD, 0);
      assertEquals(expected, verify(FALSE_CLAIM, run.proof()));
    }
    addRow(st, lay, "TRUE_WORD", trials, 0, 0, predictedAcceptance(st.options(), lay), 1, 1);
  }

  @Test
  void interpolantWithoutTheOodLie_failsTheOodCheck() {
    Setting st = s(3, 1, 4, 3, true);
    CheatingProver cheater = new CheatingProver(st.options());
    for (int i = 0; i < 10; i++) {
      long seed = 900 + i;
      CheatingProver.Run run = cheater.prove(
          AIR, FALSE_CLAIM, CheatingProver.editedFibonacciTrace(LOG_ROWS, FALSE_CLAIM[0], seed), seed, false,
          DeepWord.ARBITRARY, seed);
      assertEquals(OOD_MISMATCH, verify(FALSE_CLAIM, run.proof()));
    }
  }

  // --- the old defect: degree N/2 is no longer admitted -------------------------------------------

  static Stream<Setting> halfDomainSettings() {
    return Stream.of(s(3, 1, 2, 3, true), s(3, 1, 4, 0, true), s(3, 1, 4, 5, true), s(3, 1, 8, 2, true),
        s(3, 1, 2, 0, false), s(3, 1, 8, 5, false));
  }

  @ParameterizedTest(name = "degree < N/2 interpolant, {0}")
  @MethodSource("halfDomainSettings")
  void halfDomainInterpolant_isRejectedByTheFriDegreeCheck(Setting st) {
    StarkLayout lay = st.layout();
    int bigN = lay.ldeSize;
    assertTrue(lay.friCheckedDegreeBound() < bigN / 2);
    int trials = 40;
    double pDeep = Math.pow(0.5, st.q()); // every query in the half where the word agrees
    CheatingProver cheater = new CheatingProver(st.options());
    long base = seedOf(st + "/half");
    Reason degreeCheck = lay.numFriLayers == 0 ? DEEP_MISMATCH : FINAL_POLYNOMIAL;
    int passedDeep = 0;
    for (int i = 0; i < trials; i++) {
      long seed = base + i;
      CheatingProver.Run run = cheater.prove(
          AIR, FALSE_CLAIM, CheatingProver.editedFibonacciTrace(LOG_ROWS, FALSE_CLAIM[0], seed), seed, true,
          DeepWord.HALF_DOMAIN, ~seed);
      assertEquals(bigN / 2, run.agreementSize());
      Reason reason = verify(FALSE_CLAIM, run.proof());
      if (run.allQueriesAgree()) {
        // A FRI that checked only degree < N/2 would have accepted this proof.
        passedDeep++;
        assertEquals(degreeCheck, reason, "a degree-N/2 word got past the DEEP check: FRI must reject it");
      } else {
        assertEquals(DEEP_MISMATCH, reason);
      }
    }
    double lower = lowerTail(trials, pDeep, passedDeep);
    addRow(st, lay, "HALF_DOMAIN (A = passed DEEP, all rejected)", trials, passedDeep, pDeep,
        predictedAcceptance(st.options(), lay), 1, lower);
    assertTrue(lower >= MIN_TAIL, "the half-domain word should pass the DEEP check about 2^-q of the time");
  }

  // --- helpers -----------------------------------------------------------------------------------

  /** {@code 2^-bits} of the conjectured "FRI queries + grinding" term for this layout. */
  static double predictedAcceptance(ProofOptions o, StarkLayout lay) {
    SecurityTerm term = SecurityEstimator.estimate(o, lay.protocolShape()).termsOf(SecurityTerm.CONJECTURED).stream()
        .filter(x -> x.name().equals("FRI queries + grinding"))
        .findFirst()
        .orElseThrow();
    return Math.pow(2, -term.bits());
  }

  /** The verifier's reason, or {@code null} if it accepts. */
  private static Reason verify(long[] pub, StarkProof proof) {
    try {
      Verifier.verify(AIR, pub, ProofCodec.encode(proof), ANY);
      return null;
    } catch (VerificationException e) {
      return e.reason();
    }
  }

  private static long seedOf(String label) {
    long h = 1125899906842597L;
    for (char c : label.toCharArray()) {
      h = 31 * h + c;
    }
    return h * 1_000_003L;
  }

  /**
   * The degree bound the pre-fix layout would have let FRI check for this option set (for the
   * table only): {@code h = q + 2d} randomizers, then {@code dcur = ceil(dcur / a)} while {@code
   * dcur > 2^f} and the next layer keeps rate at most 1/2; {@code D_eff = dcur * a^layers}.
   */
  static long preFixCheckedDegreeBound(Setting st) {
    int n = 1 << LOG_ROWS;
    long m = (long) n << st.logBlowup();
    long dcur = n + (st.zk() ? st.q() + 2L * 2 : 0);
    int a = st.arity();
    long scale = 1;
    while (dcur > (1L << st.f()) && m / a >= 2 * ((dcur + a - 1) / a)) {
      dcur = (dcur + a - 1) / a;
      m /= a;
      scale *= a;
    }
    return dcur * scale;
  }

  private static void addRow(Setting st, StarkLayout lay, String attack, int trials, int accepted, double pAttack,
      double pPred, double upper, double lower) {
    TABLE.add(String.format(Locale.ROOT,
        "%-22s %-44s L=%d fin=%-3d D=%-3d N=%-3d rho=%.4f old-D_eff=%-3d rho^q=%.4f p_pred=%.4f T=%-3d A=%-3d"
            + " A/T=%.3f P[>=A|p_pred]=%.3g P[<=A|rho^q]=%.3g",
        st, attack, lay.numFriLayers, lay.finalPolyLength, lay.degreeBound, lay.ldeSize,
        lay.friCheckedDegreeBound() / (double) lay.ldeSize, preFixCheckedDegreeBound(st), pAttack, pPred, trials,
        accepted, accepted / (double) trials, upper, lower));
  }

  @AfterAll
  static void printTable() {
    System.out.println("FRI soundness statistics (Fibonacci 2^" + LOG_ROWS + " rows, false public output):");
    TABLE.forEach(System.out::println);
    if (POOLED[1] > 0) {
      System.out.printf(Locale.ROOT, "pooled interpolant attacks: A = %.0f, sum T rho^q = %.1f, sum T p_pred = %.1f%n",
          POOLED[0], POOLED[1], POOLED[2]);
    }
  }

  // --- exact binomial tails, in log space -------------------------------------------------------------

  private static double logChoose(int t, int k) {
    double r = 0;
    for (int i = 1; i <= k; i++) {
      r += Math.log(t - k + i) - Math.log(i);
    }
    return r;
  }

  private static double logTerm(int t, int k, double p) {
    return logChoose(t, k) + k * Math.log(p) + (t - k) * Math.log1p(-p);
  }

  /** {@code P[Binomial(t, p) >= a]}. */
  static double upperTail(int t, double p, int a) {
    if (a <= 0 || p >= 1) {
      return 1;
    }
    if (p <= 0) {
      return 0;
    }
    return sumExp(t, p, a, t);
  }

  /** {@code P[Binomial(t, p) <= a]}. */
  static double lowerTail(int t, double p, int a) {
    if (a >= t || p <= 0) {
      return 1;
    }
    if (p >= 1) {
      return 0;
    }
    return sumExp(t, p, 0, a);
  }

  private static double sumExp(int t, double p, int from, int to) {
    double max = Double.NEGATIVE_INFINITY;
    double[] logs = new double[to - from + 1];
    for (int k = from; k <= to; k++) {
      logs[k - from] = logTerm(t, k, p);
      max = Math.max(max, logs[k - from]);
    }
    double s = 0;
    for (double l : logs) {
      s += Math.exp(l - max);
    }
    return Math.min(1, Math.exp(max + Math.log(s)));
  }

  @Test
  void binomialTails_areExact() {
    // Bin(4, 1/2): P[X >= 3] = 5/16, P[X <= 1] = 5/16.
    assertEquals(5 / 16.0, upperTail(4, 0.5, 3), 1e-12);
    assertEquals(5 / 16.0, lowerTail(4, 0.5, 1), 1e-12);
    assertEquals(1.0, upperTail(10, 0.3, 0), 0);
    assertEquals(Math.pow(0.1, 10), upperTail(10, 0.1, 10), 1e-20);
  }
}
