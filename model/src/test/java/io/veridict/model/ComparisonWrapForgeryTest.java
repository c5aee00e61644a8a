package io.veridict.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.air.BoundaryConstraint;
import io.veridict.core.air.Expr;
import io.veridict.core.field.Goldilocks;
import io.veridict.model.internal.DecisionAir;
import io.veridict.model.internal.DecisionProgram;
import io.veridict.model.internal.DecisionProgram.Op;
import io.veridict.model.internal.DecisionProgram.Row;
import io.veridict.prover.internal.ConstraintProgram;
import io.veridict.verifier.AcceptablePolicy;
import io.veridict.verifier.VerificationException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A wrapped comparison. Both comparisons of the decision circuit are "the value {@code u} is a
 * non-negative integer below {@code 2^56}", where {@code u} is built so that it is non-negative
 * exactly when the comparison bit is right: a tree node's {@code u = bit (x - t) + (1 - bit)(t - 1
 * - x)} (so {@code bit = [x >= t]}) and the final boundary's {@code u = d (acc - T) + (1 - d)(T - 1
 * - acc)} (so {@code d = [margin >= T]}). A cheating prover that flips the bit makes {@code u =
 * -k} for some {@code k >= 1}, whose field encoding is {@code p - k}, and must still write limbs
 * {@code limb_0 .. limb_6} with {@code sum limb_j 256^j = u (mod p)}. It gets its best shot:
 *
 * <ul>
 *   <li>{@link Limbs#NON_BYTE_TOP_LIMB}: the low six limbs are the bytes of {@code p - k} and the top
 *       limb holds the rest ({@code 0xFFFF} for a small {@code k}, not a byte), so the comparison equation holds in
 *       the field; the auxiliary columns are the honest ones. The top limb has no partner in the
 *       byte table, so the LogUp sum does not close.
 *   <li>{@link Limbs#NON_BYTE_TOP_LIMB_REBALANCED}: the same, with the LogUp imbalance subtracted
 *       from helper {@code h0} at the last row ({@link LastRowForgeryTest}'s attack), so the sum
 *       closes; {@code h0}'s every-row equation then fails there.
 *   <li>{@link Limbs#SATURATED_BYTES}: bytes only. Seven bytes encode at most {@code 2^56 - 1 < p -
 *       k} (checked with {@link BigInteger}; eight bytes would reach it), so no byte limbs equal the
 *       wrapped value; the nearest one, every limb 255, is written and the lookup balances, but the
 *       comparison equation fails on its row.
 * </ul>
 *
 * <p>Why every variant must fail: LogUp against the table {@code 0..255} makes every limb a byte,
 * so {@code u} is an integer in {@code [0, 2^56)}, while the wrapped value is {@code p - k} with
 * {@code 1 <= k <= 2^56} ({@code k = |x - t| + [x >= t] < 2^26} at a tree node, whose features
 * are below {@code 2^23} and thresholds at most the padding sentinel; {@code k = |margin - T| +
 * [margin >= T] <= 2^56} at the decision row): {@code u = p - k (mod p)} would need {@code u + k = 0
 * (mod p)} with {@code 1 <= u + k < 2^57 < p}. With the single failing constraint removed from the
 * AIR (checked by hand with a delegating AIR), each forged trace passes the prover's own witness
 * check and the verifier accepts it: nothing else in the circuit stands in the way.
 *
 * <p>Tree comparisons (tree ensemble, scorecard): a NODE row of the honest walk gets the other
 * bit, and the rest of the walk is redone from it (next nodes, reads, leaf, accumulator,
 * multiplicities, the decision row for the forged margin) by {@link #walk}, which reproduces the
 * generator's own trace when nothing is flipped. The policy threshold lies between the true and the
 * forged margin, so the forged bundle states APPROVED for an applicant the model declines, or the
 * reverse. The final threshold comparison (all four families): the honest trace, a threshold at
 * the true margin ({@code |u| = 1}, wrap {@code p - 1}), and the opposite decision in the statement
 * and the public inputs. In every case the prover's witness check is skipped and an oracle that
 * evaluates every constraint of the AIR on its rows checks that exactly one constraint instance
 * fails — the comparison's range argument, in one of its three places — before the verifier must
 * reject. The positive controls prove the same constructions with nothing flipped and must verify.
 */
class ComparisonWrapForgeryTest {
  private static final DecisionVerifier VERIFIER =
      DecisionVerifier.withPolicy(AcceptablePolicy.insecureAcceptAnythingForTests());
  private static final Context CTX =
      new Context(31337, "0x1111111111111111111111111111111111111111", "policy-7", "n-1", 0);
  private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
  private static final BigInteger P = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE.shiftLeft(32)).add(BigInteger.ONE);
  private static final BigInteger BYTES_7_MAX = BigInteger.ONE.shiftLeft(56).subtract(BigInteger.ONE);
  /** Extension degree of the oracle's challenges (the proofs use {@link CircuitFixtures#fast()}'s). */
  private static final int D = 2;
  private static final int NO_FLIP = -1;

  /** How the cheater writes the limbs of a wrapped {@code u = p - k}. */
  enum Limbs {
    /** (a) limbs 0..5 the low bytes of {@code p - k}, limb 6 the rest ({@code >= 256}); honest aux. */
    NON_BYTE_TOP_LIMB,
    /** (b) as (a), the LogUp imbalance absorbed by {@code h0} at the last row. */
    NON_BYTE_TOP_LIMB_REBALANCED,
    /** (c) bytes only: the largest 7-byte value, every limb 255; honest aux. */
    SATURATED_BYTES
  }

  static Stream<Arguments> treeForgeries() {
    return forgeries(treeFamilies());
  }

  static Stream<Arguments> thresholdForgeries() {
    return forgeries(allFamilies());
  }

  /** Each family, limb strategy and direction. */
  private static Stream<Arguments> forgeries(Object[][] families) {
    Stream.Builder<Arguments> b = Stream.builder();
    for (Object[] f : families) {
      for (Limbs l : Limbs.values()) {
        b.add(Arguments.of(f[0], f[1], l, true));
        b.add(Arguments.of(f[0], f[1], l, false));
      }
    }
    return b.build();
  }

  static Stream<Arguments> treeControls() {
    return Arrays.stream(treeFamilies()).flatMap(f -> Stream.of(Arguments.of(f[0], f[1], true), Arguments.of(f[0], f[1], false)));
  }

  static Stream<Arguments> thresholdControls() {
    return Arrays.stream(allFamilies()).flatMap(f -> Stream.of(Arguments.of(f[0], f[1], true), Arguments.of(f[0], f[1], false)));
  }

  private static Object[][] treeFamilies() {
    return new Object[][] {
      {"tree ensemble", CircuitFixtures.trees(5, 4, 3, 21)},
      {"scorecard", CircuitFixtures.scorecard(4, 22)}
    };
  }

  private static Object[][] allFamilies() {
    return new Object[][] {
      {"logistic regression", CircuitFixtures.linear(5, 23)},
      {"neural network", CircuitFixtures.mlp(new int[] {6, 5, 1}, 24)},
      {"tree ensemble", CircuitFixtures.trees(5, 4, 3, 21)},
      {"scorecard", CircuitFixtures.scorecard(4, 22)}
    };
  }

  // --- 1. a flipped tree comparison ---------------------------------------------------------------

  @ParameterizedTest(name = "{0}: flipped NODE bit, {2} limbs, forged {3} (true = APPROVED for a declined applicant)")
  @MethodSource("treeForgeries")
  void flippedTreeComparison_withWrappedLimbs_isRejectedByTheVerifier(
      String family, FloatModel m, Limbs limbs, boolean forgeApproval) throws Exception {
    Setup s = Setup.of(m, forgeApproval ? 31 : 32);
    TreeForgery f = TreeForgery.find(s, forgeApproval);
    long k = -f.wrappedU();
    assertTrue(k >= 1 && k < (1L << 26), "the flipped comparison's u is a small negative integer: " + f.wrappedU());
    assertEquals(forgeApproval, f.forgedMargin() >= f.threshold(), "the forged walk gives the forged decision");
    assertEquals(!forgeApproval, f.honestMargin() >= f.threshold(), "the applicant really is on the other side");

    long[][] main = copy(f.forgedMain());
    writeWrappedLimbs(main, f.flipRow(), f.wrappedU(), limbs);
    recountByteTable(main);
    DecisionStatement st = s.statement(f.xq(), f.inputSalt(), f.policy(), f.threshold(), forgeApproval);
    long[] pub = s.circuit().publicInputs(st, s.pkg().description());
    Cheat aux = auxFor(s.circuit(), limbs);

    // Apart from the range argument at one place, the forged trace satisfies every constraint.
    Violation v = onlyViolation(s.air(), pub, main, aux);
    switch (limbs) {
      case NON_BYTE_TOP_LIMB -> assertLogUpClosingFails(s.air(), v);
      case NON_BYTE_TOP_LIMB_REBALANCED -> assertH0FailsAtLastRow(s.air(), v);
      case SATURATED_BYTES -> {
        assertEquals(new Violation(Kind.EVERY_ROW, v.index(), f.flipRow()), v, "the comparison on the flipped row");
        Set<Integer> cols = mainColumns(s.air().everyRowConstraints().get(v.index()));
        assertTrue(cols.containsAll(List.of(DecisionAir.BIT, DecisionAir.V2, DecisionAir.V3, DecisionAir.LIMB + 6)),
            "the NODE comparison u = bit (x - t) + (1 - bit)(t - 1 - x): " + cols);
      }
    }
    assertRejected(s, st, pub, main, aux, family + ": flipped NODE row " + f.flipRow() + ", " + limbs);
  }

  @ParameterizedTest(name = "{0}: the honest walk, same construction and threshold as forged {1}, verifies")
  @MethodSource("treeControls")
  void honestTreeWalk_throughTheSameConstruction_verifies(String family, FloatModel m, boolean forgeApproval) throws Exception {
    Setup s = Setup.of(m, forgeApproval ? 31 : 32);
    TreeForgery f = TreeForgery.find(s, forgeApproval);
    boolean truth = f.honestMargin() >= f.threshold();
    long[][] main = walk(s.air().program(), f.honestMain(), NO_FLIP).main();
    setDecisionLimbs(main, s.air().program(), f.threshold(), truth);
    recountByteTable(main);
    DecisionStatement st = s.statement(f.xq(), f.inputSalt(), f.policy(), f.threshold(), truth);
    long[] pub = s.circuit().publicInputs(st, s.pkg().description());
    Cheat aux = auxFor(s.circuit(), null);
    assertEquals(List.of(), violations(s.air(), pub, main, aux));
    ProofBundle b = prove(s, st, pub, main, aux);
    assertDoesNotThrow(() -> VERIFIER.verify(b, Optional.of(s.pkg().description().modelCommitment()), NOW),
        family + ": the honest walk must verify");
  }

  // --- 2. a wrapped final threshold comparison ----------------------------------------------------

  @ParameterizedTest(name = "{0}: wrapped decision row, {2} limbs, forged {3} (true = APPROVED below the threshold)")
  @MethodSource("thresholdForgeries")
  void wrappedThresholdComparison_isRejectedByTheVerifier(String family, FloatModel m, Limbs limbs, boolean forgeApproval)
      throws Exception {
    Setup s = Setup.of(m, forgeApproval ? 41 : 42);
    Threshold th = Threshold.atMargin(s, forgeApproval);
    long[][] main = copy(th.honestMain());
    DecisionProgram program = s.air().program();
    int dr = program.decideRow() + 1;
    long margin = signed(main[DecisionAir.ACC][dr]);
    assertEquals(th.margin(), margin);
    long u = forgeApproval ? margin - th.threshold() : th.threshold() - 1 - margin;
    assertEquals(-1, u, "a threshold at the margin: the forged decision's u is -1, i.e. p - 1");
    writeWrappedLimbs(main, dr, u, limbs);
    recountByteTable(main);
    DecisionStatement st = s.statement(th.xq(), th.inputSalt(), th.policy(), th.threshold(), forgeApproval);
    long[] pub = s.circuit().publicInputs(st, s.pkg().description());
    assertEquals(forgeApproval ? 1 : 0, pub[DecisionAir.PI_DECISION], "the public inputs carry the forged decision");
    Cheat aux = auxFor(s.circuit(), limbs);

    Violation v = onlyViolation(s.air(), pub, main, aux);
    switch (limbs) {
      case NON_BYTE_TOP_LIMB -> assertLogUpClosingFails(s.air(), v);
      case NON_BYTE_TOP_LIMB_REBALANCED -> assertH0FailsAtLastRow(s.air(), v);
      case SATURATED_BYTES -> {
        assertEquals(new Violation(Kind.BOUNDARY, v.index(), dr), v, "the decision boundary on the row after DECIDE");
        Set<Integer> cols = mainColumns(s.air().boundaryConstraints().get(v.index()).expr());
        assertTrue(cols.containsAll(List.of(DecisionAir.ACC, DecisionAir.LIMB + 6)),
            "the decision u = d (acc - T) + (1 - d)(T - 1 - acc): " + cols);
      }
    }
    assertRejected(s, st, pub, main, aux, family + ": wrapped decision row, " + limbs);
  }

  @ParameterizedTest(name = "{0}: the honest decision, same construction and threshold as forged {1}, verifies")
  @MethodSource("thresholdControls")
  void honestThresholdComparison_throughTheSameConstruction_verifies(String family, FloatModel m, boolean forgeApproval)
      throws Exception {
    Setup s = Setup.of(m, forgeApproval ? 41 : 42);
    Threshold th = Threshold.atMargin(s, forgeApproval);
    long[][] main = copy(th.honestMain());
    recountByteTable(main);
    assertArrayEquals(th.honestMain(), main, "recounting the byte table keeps an honest trace");
    DecisionStatement st = s.statement(th.xq(), th.inputSalt(), th.policy(), th.threshold(), !forgeApproval);
    long[] pub = s.circuit().publicInputs(st, s.pkg().description());
    Cheat aux = auxFor(s.circuit(), null);
    assertEquals(List.of(), violations(s.air(), pub, main, aux));
    ProofBundle b = prove(s, st, pub, main, aux);
    assertDoesNotThrow(() -> VERIFIER.verify(b, Optional.of(s.pkg().description().modelCommitment()), NOW),
        family + ": the honest decision must verify");
  }

  // --- scenarios ----------------------------------------------------------------------------------

  /** A packaged model and its circuit. */
  record Setup(FloatModel m, ModelPackage pkg, QuantizedModel q, ModelArchitecture a, DecisionCircuit circuit, DecisionAir air,
      SecureRandom rnd) {
    static Setup of(FloatModel m, long seed) throws Exception {
      double[] bounds = new double[m.numFeatures()];
      Arrays.fill(bounds, 64);
      SecureRandom rnd = SecureRandom.getInstance("SHA1PRNG");
      rnd.setSeed(seed);
      ModelPackage pkg = ModelPackage.create(Quantizer.quantize(m, bounds), "wrap", "test", "00", OptionalDouble.empty(), rnd);
      QuantizedModel q = pkg.model();
      DecisionCircuit circuit = DecisionCircuit.of(q.architecture());
      return new Setup(m, pkg, q, q.architecture(), circuit, (DecisionAir) circuit.air(), rnd);
    }

    long[] quantize(double[] x) {
      long[] xq = new long[x.length];
      for (int i = 0; i < x.length; i++) {
        xq[i] = a.quantizeInput(i, x[i]);
      }
      return xq;
    }

    DecisionStatement statement(long[] xq, long[] inputSalt, Policy policy, long t, boolean decision) {
      return new DecisionStatement(DecisionStatement.VERSION, circuit.airId(), pkg.description().modelCommitment(),
          Commitments.toHex(QuantizedModel.inputCommitment(xq, inputSalt)), policy, t, decision, CTX);
    }
  }

  /**
   * A flip of one NODE row of an applicant's honest walk that moves the margin the wanted way, and a
   * threshold between the two margins (APPROVED for the forged walk only, or DECLINED).
   */
  record TreeForgery(long[] xq, long[] inputSalt, int flipRow, long[][] honestMain, long[][] forgedMain,
      long honestMargin, long forgedMargin, long wrappedU, Policy policy, long threshold) {
    static TreeForgery find(Setup s, boolean forgeApproval) {
      DecisionProgram program = s.air().program();
      SplittableRandom r = new SplittableRandom(forgeApproval ? 5 : 6);
      for (int attempt = 0; attempt < 40; attempt++) {
        long[] xq = s.quantize(CircuitFixtures.input(s.m().numFeatures(), r));
        long[] inputSalt = QuantizedModel.newSalt(s.rnd());
        long honestMargin = FixedPointEvaluator.margin(s.q(), xq);
        long[][] probe = s.circuit().witness(s.q(), s.pkg().salt(), xq, inputSalt, 0).main();
        for (int row : rowsOf(program, Op.NODE)) {
          Walk w = walk(program, probe, row);
          if (w.margin() == honestMargin || (w.margin() > honestMargin) != forgeApproval) {
            continue;
          }
          long target = forgeApproval ? honestMargin + 1 : honestMargin;
          Optional<Policy> policy = policyWithThreshold(s.a(), target);
          if (policy.isEmpty()) {
            continue;
          }
          long[][] honest = s.circuit().witness(s.q(), s.pkg().salt(), xq, inputSalt, target).main();
          // The re-evaluation reproduces the generator's trace when nothing is flipped.
          long[][] again = walk(program, honest, NO_FLIP).main();
          setDecisionLimbs(again, program, target, honestMargin >= target);
          recountByteTable(again);
          assertArrayEquals(honest, again, "walk() with nothing flipped is the honest trace");
          assertEquals(honestMargin, signed(honest[DecisionAir.ACC][program.decideRow() + 1]));
          Walk forged = walk(program, honest, row);
          assertEquals(w.margin(), forged.margin());
          setDecisionLimbs(forged.main(), program, target, forgeApproval);
          return new TreeForgery(xq, inputSalt, row, honest, forged.main(), honestMargin, forged.margin(),
              forged.wrappedU(), policy.get(), target);
        }
      }
      throw new AssertionError("no applicant and NODE row whose flip moves the margin the wanted way: nothing to try");
    }
  }

  /** An applicant's honest trace with the policy threshold at its margin ({@code T = m + 1} or {@code m}). */
  record Threshold(long[] xq, long[] inputSalt, long[][] honestMain, long margin, Policy policy, long threshold) {
    static Threshold atMargin(Setup s, boolean forgeApproval) {
      SplittableRandom r = new SplittableRandom(forgeApproval ? 7 : 8);
      for (int attempt = 0; attempt < 20; attempt++) {
        long[] xq = s.quantize(CircuitFixtures.input(s.m().numFeatures(), r));
        long margin = FixedPointEvaluator.margin(s.q(), xq);
        long target = forgeApproval ? margin + 1 : margin;
        Optional<Policy> policy = policyWithThreshold(s.a(), target);
        if (policy.isEmpty()) {
          continue;
        }
        long[] inputSalt = QuantizedModel.newSalt(s.rnd());
        DecisionCircuit.Columns cols = s.circuit().witness(s.q(), s.pkg().salt(), xq, inputSalt, target);
        assertEquals(margin, cols.marginQ());
        assertEquals(!forgeApproval, margin >= target, "the applicant really is on the other side");
        return new Threshold(xq, inputSalt, cols.main(), margin, policy.get(), target);
      }
      throw new AssertionError("no applicant whose margin is a representable policy threshold");
    }
  }

  /** An at-least policy whose circuit threshold is exactly {@code target}, if the link's rounding allows one. */
  private static Optional<Policy> policyWithThreshold(ModelArchitecture a, long target) {
    double ulp = Math.scalb(1.0, -a.marginExponent());
    for (double below : new double[] {0.5, 0.25, 0.75, 0.1, 0.9}) {
      try {
        Policy policy = new Policy(a.link().apply(a.marginValue(target) - below * ulp), Policy.Direction.AT_LEAST);
        if (policy.circuitThreshold(a) == target) {
          return Optional.of(policy);
        }
      } catch (IllegalArgumentException saturated) {
        // a probability of 0 or 1: no logit to recover
      }
    }
    return Optional.empty();
  }

  // --- the cheating prover's trace ----------------------------------------------------------------

  /** A re-evaluated trace, its margin, and the flipped row's (negative) comparison value. */
  record Walk(long[][] main, long margin, long wrappedU) {}

  /**
   * {@code base}'s trace re-evaluated from its tapes by the AIR's rules, with the bit of NODE row
   * {@code flipRow} (or none, {@link #NO_FLIP}) the wrong way: the walk goes on from the other child,
   * so every later read (feature index, threshold, feature, leaf), bit, node and accumulator and the
   * tape multiplicities follow it. The flipped row's limbs are left 0 (its {@code u} is negative);
   * the decision row's limbs and the byte table are not set here.
   */
  static Walk walk(DecisionProgram program, long[][] base, int flipRow) {
    long[][] main = copy(base);
    ModelArchitecture a = program.architecture();
    Map<Long, Long> memory = new HashMap<>();
    for (int i = 0; i < a.numParameters(); i++) {
      memory.put((long) i, main[DecisionAir.TAPE][i]);
    }
    for (int i = 0; i < a.numFeatures(); i++) {
      memory.put((long) program.inputStart() + i, main[DecisionAir.TAPE][program.inputStart() + i]);
    }
    Map<Long, Long> reads = new HashMap<>();
    List<Row> rows = program.rows();
    long acc = 0;
    long wrappedU = 0;
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      main[DecisionAir.ACC][i] = Goldilocks.fromSigned(acc);
      long u = 0;
      switch (row.op()) {
        case MAC -> {
          long w = signed(read(memory, reads, main, i, DecisionAir.A1, DecisionAir.V1, row.pa1()));
          long v = signed(read(memory, reads, main, i, DecisionAir.A2, DecisionAir.V2, row.pa2()));
          acc = (row.first() ? 0 : acc) + w * v;
          u = v + DecisionAir.MAC_OFFSET;
        }
        case NODE -> {
          if (row.treeStart()) {
            main[DecisionAir.NODE][i] = 0;
          }
          if (row.first()) {
            acc = 0;
          }
          long node = main[DecisionAir.NODE][i];
          long feature = read(memory, reads, main, i, DecisionAir.A1, DecisionAir.V1, row.pa1() + 2 * node);
          long t = signed(read(memory, reads, main, i, DecisionAir.A2, DecisionAir.V2, row.pa1() + 2 * node + 1));
          long x = signed(read(memory, reads, main, i, DecisionAir.A3, DecisionAir.V3, row.pa3() + feature));
          int bit = x >= t ? 1 : 0;
          if (i == flipRow) {
            bit ^= 1;
          }
          main[DecisionAir.BIT][i] = bit;
          u = bit == 1 ? x - t : t - 1 - x;
          main[DecisionAir.NODE][i + 1] = 2 * node + 1 + bit;
          if (i == flipRow) {
            assertTrue(u < 0, "a flipped comparison is negative");
            wrappedU = u;
            u = 0;
          }
        }
        case LEAF -> {
          long leafAddr = row.pa1() + main[DecisionAir.NODE][i];
          acc += signed(read(memory, reads, main, i, DecisionAir.A1, DecisionAir.V1, leafAddr));
        }
        case DECIDE -> acc += signed(read(memory, reads, main, i, DecisionAir.A1, DecisionAir.V1, row.pa1()));
        case NONE -> { }
        default -> throw new IllegalArgumentException("not a tree-family row: " + row.op());
      }
      assertTrue(u >= 0 && u < (1L << 56), "row " + i + ": u out of range: " + u);
      setLimbs(main, i, u);
    }
    main[DecisionAir.ACC][program.decideRow() + 1] = Goldilocks.fromSigned(acc);
    for (int i = 0; i < main[DecisionAir.MTAPE].length; i++) {
      main[DecisionAir.MTAPE][i] = reads.getOrDefault((long) i, 0L);
    }
    if (flipRow != NO_FLIP) {
      assertTrue(wrappedU < 0, "row " + flipRow + " is a NODE row");
    }
    return new Walk(main, acc, wrappedU);
  }

  private static long read(Map<Long, Long> memory, Map<Long, Long> reads, long[][] main, int row, int aCol, int vCol, long addr) {
    Long v = memory.get(addr);
    assertTrue(v != null, "row " + row + " reads unwritten address " + addr);
    reads.merge(addr, 1L, Long::sum);
    main[aCol][row] = Goldilocks.fromUnsigned(addr);
    main[vCol][row] = v;
    return v;
  }

  /**
   * The limbs of {@code u = -k < 0} (field element {@code p - k}), written as {@code variant} says;
   * the integer arithmetic is checked against {@link BigInteger}.
   */
  static void writeWrappedLimbs(long[][] main, int row, long u, Limbs variant) {
    assertTrue(u < 0);
    BigInteger wrapped = P.add(BigInteger.valueOf(u)); // p - k
    assertEquals(Goldilocks.fromSigned(u), wrapped.longValue());
    // The range argument: 7 bytes reach 2^56 - 1, the wrapped value is above that (8 would reach it).
    assertTrue(BYTES_7_MAX.compareTo(wrapped) < 0, "2^56 - 1 < p - k");
    assertTrue(wrapped.compareTo(BigInteger.ONE.shiftLeft(64)) < 0, "8 byte limbs could encode p - k");
    long fe = Goldilocks.fromSigned(u);
    switch (variant) {
      case NON_BYTE_TOP_LIMB, NON_BYTE_TOP_LIMB_REBALANCED -> {
        for (int j = 0; j < DecisionAir.NUM_LIMBS - 1; j++) {
          main[DecisionAir.LIMB + j][row] = (fe >>> (8 * j)) & 0xFF;
        }
        main[DecisionAir.LIMB + DecisionAir.NUM_LIMBS - 1][row] = fe >>> (8 * (DecisionAir.NUM_LIMBS - 1));
        assertTrue(main[DecisionAir.LIMB + DecisionAir.NUM_LIMBS - 1][row] > 255, "the top limb is not a byte");
        assertEquals(wrapped, limbSum(main, row).mod(P), "sum limb_j 256^j = u (mod p)");
      }
      case SATURATED_BYTES -> {
        for (int j = 0; j < DecisionAir.NUM_LIMBS; j++) {
          main[DecisionAir.LIMB + j][row] = 255;
        }
        assertEquals(BYTES_7_MAX, limbSum(main, row), "the largest 7-byte value");
        assertNotEquals(wrapped, limbSum(main, row).mod(P));
      }
    }
  }

  private static BigInteger limbSum(long[][] main, int row) {
    BigInteger s = BigInteger.ZERO;
    for (int j = DecisionAir.NUM_LIMBS - 1; j >= 0; j--) {
      s = s.shiftLeft(8).add(new BigInteger(Long.toUnsignedString(main[DecisionAir.LIMB + j][row])));
    }
    return s;
  }

  private static void setLimbs(long[][] main, int row, long u) {
    for (int j = 0; j < DecisionAir.NUM_LIMBS; j++) {
      main[DecisionAir.LIMB + j][row] = (u >>> (8 * j)) & 0xFF;
    }
  }

  private static void setDecisionLimbs(long[][] main, DecisionProgram program, long t, boolean claim) {
    int dr = program.decideRow() + 1;
    long acc = signed(main[DecisionAir.ACC][dr]);
    long u = claim ? acc - t : t - 1 - acc;
    assertTrue(u >= 0, "the decision row's u for the claimed decision");
    setLimbs(main, dr, u);
  }

  /** The byte table's multiplicities for the limbs that are bytes (a non-byte limb has no entry). */
  static void recountByteTable(long[][] main) {
    int n = main[0].length;
    long[] counts = new long[256];
    for (int j = 0; j < DecisionAir.NUM_LIMBS; j++) {
      for (int i = 0; i < n; i++) {
        long v = main[DecisionAir.LIMB + j][i];
        if (v >= 0 && v < 256) {
          counts[(int) v]++;
        }
      }
    }
    for (int v = 0; v < 256; v++) {
      main[DecisionAir.MTAB][v] = counts[v];
    }
  }

  /** The auxiliary columns a cheating prover commits to, given the challenges. */
  interface Cheat {
    long[][] aux(long[][] main, long[] challenges, int d);
  }

  /** Honest LogUp columns, or for (b) the honest ones with the imbalance absorbed by {@code h0} at the last row. */
  private static Cheat auxFor(DecisionCircuit circuit, Limbs variant) {
    return (mainTrace, challenges, d) -> {
      long[][] aux = circuit.auxColumns(mainTrace, challenges, d);
      if (variant == Limbs.NON_BYTE_TOP_LIMB_REBALANCED) {
        int last = (mainTrace[0].length - 1) * d;
        for (int c = 0; c < d; c++) {
          long total = aux[DecisionAir.SUM][last + c];
          for (int h = 0; h < DecisionAir.NUM_H; h++) {
            total = Goldilocks.add(total, aux[DecisionAir.H + h][last + c]);
          }
          aux[DecisionAir.H][last + c] = Goldilocks.sub(aux[DecisionAir.H][last + c], total);
        }
      }
      return aux;
    };
  }

  // --- proving and verifying ----------------------------------------------------------------------

  private static ProofBundle prove(Setup s, DecisionStatement st, long[] pub, long[][] main, Cheat aux) {
    byte[] proof = CircuitFixtures.cheatingProof(s.air(), pub, main, aux::aux);
    return new ProofBundle(st, s.pkg().description(), proof);
  }

  private static void assertRejected(Setup s, DecisionStatement st, long[] pub, long[][] main, Cheat aux, String what) {
    ProofBundle b = prove(s, st, pub, main, aux);
    DecisionVerificationException e = assertThrows(DecisionVerificationException.class,
        () -> VERIFIER.verify(b, Optional.of(s.pkg().description().modelCommitment()), NOW),
        what + ": the forged " + (st.decision() ? "approval" : "decline") + " was accepted");
    assertEquals(DecisionVerificationException.Reason.PROOF_REJECTED, e.reason(), e.getMessage());
    assertTrue(e.proofReason().isPresent(), e.getMessage());
    assertNotEquals(Optional.of(VerificationException.Reason.MALFORMED), e.proofReason(), e.getMessage());
  }

  // --- the constraint oracle ----------------------------------------------------------------------

  enum Kind { TRANSITION, EVERY_ROW, BOUNDARY }

  /** Constraint {@code index} of its {@link Kind}'s list fails at {@code row}. */
  record Violation(Kind kind, int index, int row) {}

  private static Violation onlyViolation(DecisionAir air, long[] pub, long[][] main, Cheat aux) {
    List<Violation> v = violations(air, pub, main, aux);
    assertEquals(1, v.size(), "exactly one constraint instance fails: " + v);
    return v.get(0);
  }

  /** {@code h0}'s every-row helper equation, at the last row (variant b). */
  private static void assertH0FailsAtLastRow(DecisionAir air, Violation v) {
    assertEquals(new Violation(Kind.EVERY_ROW, v.index(), air.traceLength() - 1), v, "h0 at the last row");
    assertEquals(Set.of(DecisionAir.H), auxColumns(air.everyRowConstraints().get(v.index())), "h0's helper equation");
  }

  /** The boundary constraint closing the LogUp sum, {@code S + sum h = 0} at the last row (variant a). */
  private static void assertLogUpClosingFails(DecisionAir air, Violation v) {
    assertEquals(new Violation(Kind.BOUNDARY, v.index(), air.traceLength() - 1), v, "the LogUp sum's closing boundary");
    assertTrue(auxColumns(air.boundaryConstraints().get(v.index()).expr()).contains(DecisionAir.SUM), "reads the running sum");
  }

  /**
   * Every constraint instance of {@code air} that fails on ({@code main}, {@code aux}) under random
   * challenges: transitions on rows {@code 0 .. n-2}, every-row constraints on all rows, boundary
   * constraints at their row.
   */
  static List<Violation> violations(DecisionAir air, long[] pub, long[][] main, Cheat cheat) {
    int n = air.traceLength();
    SplittableRandom r = new SplittableRandom(99);
    long[] challenges = new long[air.numAuxChallenges() * D];
    for (int i = 0; i < challenges.length; i++) {
      challenges[i] = Math.floorMod(r.nextLong(), Long.MAX_VALUE);
    }
    long[][] interleaved = cheat.aux(main, challenges, D);
    long[][] aux = new long[air.auxWidth() * D][n];
    for (int c = 0; c < air.auxWidth(); c++) {
      for (int i = 0; i < n; i++) {
        for (int e = 0; e < D; e++) {
          aux[c * D + e][i] = interleaved[c][i * D + e];
        }
      }
    }
    List<Expr> exprs = new ArrayList<>();
    List<Violation> where = new ArrayList<>(); // kind, index, row (-1: its kind's rows)
    for (int i = 0; i < air.transitionConstraints().size(); i++) {
      exprs.add(air.transitionConstraints().get(i));
      where.add(new Violation(Kind.TRANSITION, i, -1));
    }
    for (int i = 0; i < air.everyRowConstraints().size(); i++) {
      exprs.add(air.everyRowConstraints().get(i));
      where.add(new Violation(Kind.EVERY_ROW, i, -1));
    }
    for (int i = 0; i < air.boundaryConstraints().size(); i++) {
      BoundaryConstraint b = air.boundaryConstraints().get(i);
      exprs.add(b.expr());
      where.add(new Violation(Kind.BOUNDARY, i, b.resolveRow(n)));
    }
    ConstraintProgram program = new ConstraintProgram(exprs, D, pub, challenges);
    long[][] periodic = air.periodicColumns().toArray(new long[0][]);
    ConstraintProgram.Workspace ws = program.newWorkspace();
    List<Violation> out = new ArrayList<>();
    for (int from = 0; from < n; from += ConstraintProgram.BLOCK) {
      int count = Math.min(ConstraintProgram.BLOCK, n - from);
      program.evaluate(ws, main, aux, periodic, n, from, 1, 1, from, count);
      for (int ci = 0; ci < exprs.size(); ci++) {
        Violation c = where.get(ci);
        long[] vals = ws.output(ci);
        int words = program.isExtOutput(ci) ? D : 1;
        for (int k = 0; k < count; k++) {
          int row = from + k;
          boolean applies = switch (c.kind()) {
            case TRANSITION -> row < n - 1;
            case EVERY_ROW -> true;
            case BOUNDARY -> row == c.row();
          };
          boolean zero = true;
          for (int e = 0; e < words; e++) {
            zero &= vals[k * words + e] == 0;
          }
          if (applies && !zero) {
            out.add(new Violation(c.kind(), c.index(), row));
          }
        }
      }
    }
    return out;
  }

  private static Set<Integer> mainColumns(Expr e) {
    Set<Integer> s = new TreeSet<>();
    collect(e, s, true);
    return s;
  }

  private static Set<Integer> auxColumns(Expr e) {
    Set<Integer> s = new TreeSet<>();
    collect(e, s, false);
    return s;
  }

  private static void collect(Expr e, Set<Integer> out, boolean main) {
    switch (e) {
      case Expr.Main m -> {
        if (main) {
          out.add(m.column());
        }
      }
      case Expr.Aux a -> {
        if (!main) {
          out.add(a.column());
        }
      }
      case Expr.Add a -> {
        collect(a.left(), out, main);
        collect(a.right(), out, main);
      }
      case Expr.Sub s -> {
        collect(s.left(), out, main);
        collect(s.right(), out, main);
      }
      case Expr.Mul m -> {
        collect(m.left(), out, main);
        collect(m.right(), out, main);
      }
      case Expr.Neg n -> collect(n.operand(), out, main);
      case Expr.Pow p -> collect(p.base(), out, main);
      default -> { }
    }
  }

  // --- helpers ------------------------------------------------------------------------------------

  private static List<Integer> rowsOf(DecisionProgram program, Op op) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < program.rows().size(); i++) {
      if (program.rows().get(i).op() == op) {
        out.add(i);
      }
    }
    return out;
  }

  /** The field element's signed representative in (-p/2, p/2). */
  private static long signed(long fe) {
    return Long.compareUnsigned(fe, Goldilocks.P >>> 1) > 0 ? fe - Goldilocks.P : fe;
  }

  private static long[][] copy(long[][] a) {
    long[][] c = new long[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
