package io.veridict.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.air.Air;
import io.veridict.core.air.BoundaryConstraint;
import io.veridict.core.air.Expr;
import io.veridict.core.field.FieldExtension;
import io.veridict.core.hash.HashFunction;
import io.veridict.core.proof.ProofOptions;
import io.veridict.core.proof.StarkLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * REFERENCES pitfall 21: the degree bound FRI really checks must be the one the security estimate
 * prices. Over every option set the {@code standard} and {@code high} policies can meet (every
 * extension, blowup, FRI arity and final-length parameter they accept, zero knowledge on and off,
 * queries 1..120, grinding 0..32, each hash) and every trace length the layout admits, whenever
 * the verifier would accept the options for that size:
 *
 * <ul>
 *   <li>(a) the claimed conjectured bits are at most {@code q log2(N / D) + g}, the capacity bound,
 *       with {@code D} the degree bound FRI checks, computed here by replaying the verifier's FRI
 *       loop over the layout's fold count and final length;
 *   <li>(b) with zero knowledge, {@code h >= 2q + 2d} randomizers;
 *   <li>(c) that {@code D = n + h}: FRI checks exactly the committed bound, not more.
 * </ul>
 *
 * (b), (c) and the FRI replay are checked for every admitted layout, accepted or not; the set of
 * admitted sizes is checked against the layout rule, so no shape escapes by being refused.
 *
 * <p>Grinding and hash do not change the layout: each (shape, query count) pair is taken once,
 * with the grinding and hash walked through their whole ranges across the query sweep ({@code g =
 * 13 q + 7 k mod 33}, {@code k} the shape's index, so every grinding value meets every shape at
 * least three times), which keeps the sweep to 25,920 option sets and about 690,000 layouts tried
 * (585,000 admitted; the probe AIR, like every AIR, stops at 2^28 rows), in about 13 s.
 */
class FriShapePropertyTest {

  private static final AcceptablePolicy STANDARD = AcceptablePolicy.standard();
  private static final AcceptablePolicy HIGH = AcceptablePolicy.high();
  private static final int MAX_QUERIES = 120;
  private static final int GRINDING_VALUES = ProofOptions.MAX_GRINDING_BITS + 1;

  /** Fibonacci over two columns: degree-1 constraints, so the FRI shape is the only limit. */
  record ProbeAir(int logTraceLength) implements Air {
    @Override
    public String name() {
      return "fri-shape-probe";
    }

    @Override
    public int mainWidth() {
      return 2;
    }

    @Override
    public int numPublicInputs() {
      return 1;
    }

    @Override
    public List<Expr> transitionConstraints() {
      Expr a = Expr.main(0);
      Expr b = Expr.main(1);
      return List.of(Expr.mainNext(0).minus(a.plus(b)), Expr.mainNext(1).minus(a.plus(b.times(2))));
    }

    @Override
    public List<BoundaryConstraint> boundaryConstraints() {
      return List.of(
          BoundaryConstraint.first(Expr.main(0).minus(1)),
          BoundaryConstraint.last(Expr.main(1).minus(Expr.publicInput(0))));
    }
  }

  @Test
  void theNamedPoliciesPinTheDocumentedFriShapes() {
    for (AcceptablePolicy p : new AcceptablePolicy[] {STANDARD, HIGH}) {
      assertEquals(Set.of(2, 4, 8), p.foldingArities());
      assertEquals(Set.of(5, 6, 7), p.logFinalPolyMinLengths());
      assertEquals(Set.of(HashFunction.values()), p.hashes());
      assertEquals(Set.of(FieldExtension.values()), p.extensions());
    }
    assertEquals(100, STANDARD.minConjecturedBits());
    assertEquals(128, HIGH.minConjecturedBits());
  }

  /** Every FRI shape either policy accepts, with every extension, blowup and ZK setting. */
  static Stream<Arguments> shapes() {
    Set<Integer> arities = new TreeSet<>(STANDARD.foldingArities());
    arities.addAll(HIGH.foldingArities());
    Set<Integer> finals = new TreeSet<>(STANDARD.logFinalPolyMinLengths());
    finals.addAll(HIGH.logFinalPolyMinLengths());
    List<Arguments> out = new ArrayList<>();
    int k = 0;
    for (FieldExtension e : FieldExtension.values()) {
      for (int logBlowup = 1; logBlowup <= ProofOptions.MAX_LOG_BLOWUP; logBlowup++) {
        for (int arity : arities) {
          for (int f : finals) {
            for (boolean zk : new boolean[] {true, false}) {
              out.add(Arguments.of(k++, e, logBlowup, arity, f, zk));
            }
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{1} blowup 2^{2} arity {3} f={4} zk={5}")
  @MethodSource("shapes")
  void friChecksTheBoundTheEstimatePrices(
      int k, FieldExtension ext, int logBlowup, int arity, int f, boolean zk) {
    int logArity = Integer.numberOfTrailingZeros(arity);
    int d = ext.degree();
    int admitted = 0;
    int acceptedStandard = 0;
    int acceptedHigh = 0;
    for (int q = 1; q <= MAX_QUERIES; q++) {
      int g = (13 * q + 7 * k) % GRINDING_VALUES;
      HashFunction hash = HashFunction.values()[(q + k) % HashFunction.values().length];
      // What a verifier decodes from a proof header (flagged insecure below 80 bits).
      ProofOptions o = ProofOptions.fromHeader(hash, ext, logBlowup, q, g, arity, f, zk);
      boolean mayStandard = passesOptionChecks(STANDARD, o);
      boolean mayHigh = passesOptionChecks(HIGH, o);
      for (int logN = 1; logN + logBlowup <= 30; logN++) {
        String where = o + " at 2^" + logN + " rows";
        int n = 1 << logN;
        long bigN = 1L << (logN + logBlowup);
        StarkLayout lay = layoutOrNull(new ProbeAir(logN), o);
        // The rule, independently: L = floor((log n - f)/log a) folds (none if log n <= f), h =
        // 2q + 2d (ZK) rounded up to a^L, admitted iff 2(n + h) <= N (and the AIR's 2^28 cap).
        int folds = logN > f ? (logN - f) / logArity : 0;
        long step = 1L << (folds * logArity);
        long minimum = zk ? 2L * q + 2L * d : 0;
        long expectedH = (minimum + step - 1) / step * step;
        boolean expectAdmitted = logN <= 28 && 2 * (n + expectedH) <= bigN;
        assertEquals(expectAdmitted, lay != null, where);
        if (lay == null) {
          continue;
        }
        admitted++;

        // Replay the verifier's FRI loop: fold numFriLayers times by the arity, then compare with
        // a polynomial of finalPolyLength coefficients on what is left of the domain.
        long logDomain = lay.logLdeSize;
        for (int layer = 0; layer < lay.numFriLayers; layer++) {
          assertEquals(logDomain, lay.logFriDomain(layer), where);
          logDomain -= logArity;
        }
        long checked = lay.finalPolyLength;
        for (int layer = lay.numFriLayers - 1; layer >= 0; layer--) {
          checked *= arity; // a word of degree < B after a fold came from one of degree < a B
        }
        assertTrue(lay.finalPolyLength < 1L << logDomain, where + ": final polynomial fills its domain");
        assertEquals(checked, lay.degreeBound, where + ": FRI checks another bound than the committed one");
        assertEquals(checked, lay.friCheckedDegreeBound(), where);
        assertEquals(checked, lay.protocolShape().friCheckedDegreeBound(), where);
        assertEquals(folds, lay.numFriLayers, where);
        assertTrue(lay.finalPolyLength >= Math.min(1 << f, n), where);
        // (b) enough randomizers, and (c) FRI checks exactly n + h.
        if (zk) {
          assertTrue(lay.randomizerCount >= 2 * q + 2 * d, where + ": h = " + lay.randomizerCount);
          assertEquals(StarkLayout.minimumRandomizers(o), 2 * q + 2 * d, where);
        } else {
          assertEquals(0, lay.randomizerCount, where);
        }
        assertEquals(expectedH, lay.randomizerCount, where);
        assertEquals(n + (long) lay.randomizerCount, checked, where);

        if (!mayStandard && !mayHigh) {
          continue;
        }
        // (a) what the verifier would accept on: its estimate for this AIR's shape.
        double bits = lay.conjecturedBits(o);
        double capacity = q * (Math.log((double) bigN / checked) / Math.log(2)) + g;
        boolean byStandard = mayStandard && bits >= STANDARD.minConjecturedBits();
        boolean byHigh = mayHigh && bits >= HIGH.minConjecturedBits();
        if (byStandard || byHigh) {
          assertTrue(bits <= capacity + 1e-9,
              where + ": claims " + bits + " bits, capacity q log2(N/D) + g = " + capacity);
        }
        acceptedStandard += byStandard ? 1 : 0;
        acceptedHigh += byHigh ? 1 : 0;
      }
    }
    if (zk && logBlowup == 1) {
      // D = n + h > n = N/2 for every n: zero knowledge needs blowup 4 or more.
      assertEquals(0, admitted);
    } else {
      assertTrue(admitted > 0);
      assertTrue(acceptedStandard > 0, "nothing accepted: the sweep would prove nothing");
    }
    if (ext == FieldExtension.QUADRATIC) {
      // Over 2^128 the batching term 128 - log2 N stays below 128: high never accepts.
      assertEquals(0, acceptedHigh);
    } else if (!(zk && logBlowup == 1)) {
      assertTrue(acceptedHigh > 0, "high accepted nothing");
    }
  }

  /** The verifier's checks on the options alone, in its order (Verifier.checkPolicy). */
  private static boolean passesOptionChecks(AcceptablePolicy p, ProofOptions o) {
    return (!o.isInsecure() || p.acceptInsecure())
        && p.hashes().contains(o.hash())
        && p.extensions().contains(o.extension())
        && (!p.requireZeroKnowledge() || o.zeroKnowledge())
        && p.acceptsFriShape(o);
  }

  private static StarkLayout layoutOrNull(Air air, ProofOptions o) {
    try {
      return StarkLayout.of(air, o);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
