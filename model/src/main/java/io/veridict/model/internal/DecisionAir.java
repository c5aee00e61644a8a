package io.veridict.model.internal;

import io.veridict.core.air.Air;
import io.veridict.core.air.BoundaryConstraint;
import io.veridict.core.air.Expr;
import io.veridict.core.field.Goldilocks;
import io.veridict.core.hash.Rpo256;
import io.veridict.model.internal.DecisionProgram.Op;
import io.veridict.model.internal.DecisionProgram.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * The decision circuit: proves that the model tape hashes (RPO-256, in the trace) to the public
 * model commitment, the input tape to the public input commitment, and that the program run on
 * those tapes yields a margin on the claimed side of the public threshold.
 *
 * <p>Column groups (one row per step, all groups side by side):
 *
 * <ul>
 *   <li><b>Sponge</b>: 12 RPO state columns, 8 block columns {@code B} (the 8 tape values absorbed
 *       by the current permutation, constant over its 8 rows), {@code tape} (the block's value for
 *       this row: {@code tape = B_{row mod 8}}), {@code cnt} (row index = tape address), {@code
 *       mTape} (how often each tape cell is read). Row {@code 8k} overwrites the rate with {@code
 *       B} (Miden's {@code hash_elements}); rows {@code 8k..8k+6} apply rounds; the capacity
 *       carries over block boundaries except where the input tape starts.
 *   <li><b>Computation</b>: reads {@code (a1, v1), (a2, v2), (a3, v3)}; {@code acc} (accumulator
 *       <em>before</em> the row), {@code y}, {@code bit}, {@code node}, {@code out}/{@code mOut} (an
 *       activation written to memory and its read count); 7 byte limbs of a range-checked value
 *       {@code u}; the byte table {@code tab} and its multiplicities.
 * </ul>
 *
 * <p>Memory and range checks are one LogUp sum (Haböck, eprint 2022/1530) over 7 auxiliary
 * helper columns (two fractions each) and a running sum: writes {@code (cnt, tape)} on data rows and
 * {@code (wa, out)} on ACT rows, reads on computation rows, keys {@code addr + beta * value} under
 * challenge {@code alpha}; limbs and table under challenge {@code gamma}. Write addresses are public
 * and distinct, so a read returns the one value written at its address.
 *
 * <p>Public inputs: model digest (4), input digest (4), fixed-point threshold {@code T} (signed,
 * as a field element), decision {@code d}, context digest (4; bound by the transcript only).
 */
public final class DecisionAir implements Air {
  // Main columns (public for tests that mutate single cells; this package is not API).
  public static final int S = 0; // 12
  public static final int B = 12; // 8
  public static final int TAPE = 20;
  public static final int CNT = 21;
  public static final int MTAPE = 22;
  public static final int V1 = 23;
  public static final int A1 = 24;
  public static final int V2 = 25;
  public static final int A2 = 26;
  public static final int V3 = 27;
  public static final int A3 = 28;
  public static final int ACC = 29;
  public static final int Y = 30;
  public static final int BIT = 31;
  public static final int NODE = 32;
  public static final int OUT = 33;
  public static final int MOUT = 34;
  /** First of the {@link #NUM_LIMBS} byte-limb columns of the range-checked value {@code u}. */
  public static final int LIMB = 35; // 7
  public static final int NUM_LIMBS = 7;
  public static final int TAB = 42;
  public static final int MTAB = 43;
  public static final int WIDTH = 44;

  // Periodic columns: period 8 first, then full period.
  static final int P = 0; // P_0..P_7: row mod 8 == j
  static final int ARK1 = 8; // 12
  static final int ARK2 = 20; // 12
  static final int IS_MAC = 32;
  static final int IS_FIRST = 33;
  static final int IS_FIN = 34;
  static final int IS_ACT = 35;
  static final int IS_NODE = 36;
  static final int IS_LEAF = 37;
  static final int IS_DECIDE = 38;
  static final int IS_TREE_START = 39;
  static final int PA1 = 40;
  static final int PA2 = 41;
  static final int PA3 = 42;
  static final int WA = 43;
  static final int IS_DATA = 44;
  static final int COPY_CAP = 45;
  static final int NUM_PERIODIC = 46;

  // Aux columns (extension field).
  /** First of the {@link #NUM_H} LogUp helper (aux) columns; {@link #SUM} is the running sum. */
  public static final int H = 0; // 7 helpers
  public static final int NUM_H = 7;
  public static final int SUM = 7;

  // Public inputs.
  public static final int PI_MODEL = 0;
  public static final int PI_INPUT = 4;
  public static final int PI_THRESHOLD = 8;
  public static final int PI_DECISION = 9;
  public static final int PI_CONTEXT = 10;
  public static final int NUM_PUBLIC_INPUTS = 14;

  static final long RESCALE = 1L << io.veridict.model.ModelArchitecture.RESCALE_BITS;
  /** MAC rows range-check {@code v2 + MAC_OFFSET} in {@code [0, 2^25)}. */
  public static final long MAC_OFFSET = 1L << 24;

  private final DecisionProgram program;
  private final String name;
  private final List<long[]> periodic;

  public DecisionAir(DecisionProgram program) {
    this.program = program;
    var a = program.architecture();
    this.name = "veridict-decision-v1/" + a.family().id();
    this.periodic = buildPeriodic();
  }

  public DecisionProgram program() {
    return program;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int logTraceLength() {
    return program.logRows();
  }

  @Override
  public int mainWidth() {
    return WIDTH;
  }

  @Override
  public int auxWidth() {
    return NUM_H + 1;
  }

  @Override
  public int numAuxChallenges() {
    return 3;
  }

  @Override
  public int numPublicInputs() {
    return NUM_PUBLIC_INPUTS;
  }

  @Override
  public List<long[]> periodicColumns() {
    return periodic;
  }

  private List<long[]> buildPeriodic() {
    List<long[]> cols = new ArrayList<>();
    for (int j = 0; j < 8; j++) {
      long[] c = new long[8];
      c[j] = 1;
      cols.add(c);
    }
    for (int i = 0; i < 12; i++) {
      long[] c = new long[8];
      for (int r = 0; r < Rpo256.NUM_ROUNDS; r++) {
        c[r] = Rpo256.ark1(r, i);
      }
      cols.add(c);
    }
    for (int i = 0; i < 12; i++) {
      long[] c = new long[8];
      for (int r = 0; r < Rpo256.NUM_ROUNDS; r++) {
        c[r] = Rpo256.ark2(r, i);
      }
      cols.add(c);
    }
    int n = program.rowsCount();
    long[][] full = new long[NUM_PERIODIC - IS_MAC][n];
    List<Row> rows = program.rows();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      switch (r.op()) {
        case MAC -> full[IS_MAC - IS_MAC][i] = 1;
        case FIN -> full[IS_FIN - IS_MAC][i] = 1;
        case ACT -> full[IS_ACT - IS_MAC][i] = 1;
        case NODE -> full[IS_NODE - IS_MAC][i] = 1;
        case LEAF -> full[IS_LEAF - IS_MAC][i] = 1;
        case DECIDE -> full[IS_DECIDE - IS_MAC][i] = 1;
        case NONE -> { }
      }
      full[IS_FIRST - IS_MAC][i] = r.first() ? 1 : 0;
      full[IS_TREE_START - IS_MAC][i] = r.treeStart() ? 1 : 0;
      full[PA1 - IS_MAC][i] = Goldilocks.fromUnsigned(r.pa1());
      full[PA2 - IS_MAC][i] = Goldilocks.fromUnsigned(r.pa2());
      full[PA3 - IS_MAC][i] = Goldilocks.fromUnsigned(r.pa3());
      full[WA - IS_MAC][i] = Goldilocks.fromUnsigned(r.wa());
    }
    int params = program.architecture().numParameters();
    for (int i = 0; i < params; i++) {
      full[IS_DATA - IS_MAC][i] = 1;
    }
    for (int i = 0; i < program.architecture().numFeatures(); i++) {
      full[IS_DATA - IS_MAC][program.inputStart() + i] = 1;
    }
    for (int row = 7; row < n - 1; row += 8) {
      full[COPY_CAP - IS_MAC][row] = row == program.inputStart() - 1 ? 0 : 1;
    }
    for (long[] c : full) {
      cols.add(c);
    }
    return List.copyOf(cols);
  }

  private static Expr m(int c) {
    return Expr.main(c);
  }

  private static Expr mn(int c) {
    return Expr.mainNext(c);
  }

  private static Expr p(int c) {
    return Expr.periodic(c);
  }

  /** {@code u = sum limb_j 256^j}. */
  static Expr limbValue(boolean next) {
    Expr u = Expr.constant(0);
    for (int j = 0; j < NUM_LIMBS; j++) {
      u = u.plus((next ? mn(LIMB + j) : m(LIMB + j)).times(1L << (8 * j)));
    }
    return u;
  }

  /**
   * Constraints from each row to the next, enforced on rows {@code 0 .. n-2}. Each one's last-row
   * instance is vacuous or covered otherwise (see {@code docs/decision-circuit.md}): the last row
   * ends a sponge block ({@code notBlockEnd = copyCap = 0}), holds no computation (every selector
   * 0), and the running sum's last step is the boundary constraint closing the LogUp sum.
   */
  @Override
  public List<Expr> transitionConstraints() {
    List<Expr> out = new ArrayList<>();
    Expr one = Expr.constant(1);
    Expr notBlockEnd = one.minus(p(P + 7));
    // --- Sponge: RPO rounds on rows 8k..8k+6; capacity copy at block ends.
    Expr[] sboxed = new Expr[12];
    for (int i = 0; i < 12; i++) {
      Expr t = p(ARK1 + i);
      for (int j = 0; j < 12; j++) {
        t = t.plus(m(S + j).times(Rpo256.mds(i, j)));
      }
      sboxed[i] = t.pow(7);
    }
    for (int k = 0; k < 12; k++) {
      Expr w = p(ARK2 + k);
      for (int i = 0; i < 12; i++) {
        w = w.plus(sboxed[i].times(Rpo256.mds(k, i)));
      }
      Expr c = notBlockEnd.times(w.minus(mn(S + k).pow(7)));
      if (k < 4) {
        c = c.plus(p(COPY_CAP).times(mn(S + k).minus(m(S + k))));
      }
      out.add(c);
    }
    for (int j = 0; j < 8; j++) {
      out.add(notBlockEnd.times(mn(B + j).minus(m(B + j)))); // block constant within a permutation
    }
    out.add(mn(CNT).minus(m(CNT)).minus(1));

    // --- Computation: the accumulator, ReLU on the row after FIN, the tree walk.
    Expr un = limbValue(true);
    out.add(p(IS_MAC).times(mn(ACC).minus(one.minus(p(IS_FIRST)).times(m(ACC))).minus(m(V1).times(m(V2)))));
    out.add(p(IS_NODE).times(mn(ACC).minus(one.minus(p(IS_FIRST)).times(m(ACC)))));
    out.add(p(IS_LEAF).plus(p(IS_DECIDE)).times(mn(ACC).minus(m(ACC)).minus(m(V1))));
    // ACT (the row after FIN): ReLU of the FIN row's y.
    Expr y = m(Y);
    Expr bitN = mn(BIT);
    out.add(p(IS_FIN).times(un.minus(bitN.times(y.times(2).plus(1)).minus(y).minus(1))));
    out.add(p(IS_FIN).times(mn(OUT).minus(bitN.times(y))));
    // NODE: walk to the child.
    out.add(p(IS_NODE).times(mn(NODE).minus(m(NODE).times(2)).minus(1).minus(m(BIT))));
    // Byte table: 0, then steps of 0 or 1.
    Expr dt = mn(TAB).minus(m(TAB));
    out.add(dt.times(dt.minus(1)));

    // --- LogUp running sum: S' = S + sum h (its last-row step is the closing boundary constraint).
    Expr sum = Expr.auxNext(SUM).minus(Expr.aux(SUM));
    for (int h = 0; h < NUM_H; h++) {
      sum = sum.minus(Expr.aux(H + h));
    }
    out.add(sum);
    return out;
  }

  /**
   * Constraints over one row, enforced on every row {@code 0 .. n-1}, the last row and padding
   * rows included. In particular the LogUp helper equations {@code h · den = num}: a helper left
   * free on any row could absorb the imbalance of every lookup in the trace.
   */
  @Override
  public List<Expr> everyRowConstraints() {
    List<Expr> out = new ArrayList<>();
    Expr one = Expr.constant(1);
    // --- Sponge: the block's values.
    for (int j = 0; j < 8; j++) {
      out.add(p(P).times(m(S + 4 + j).minus(m(B + j)))); // absorb: rate := block
      out.add(p(P + j).times(m(TAPE).minus(m(B + j)))); // tape = B_{row mod 8}
    }

    // --- Computation.
    Expr u = limbValue(false);
    // FIN: acc + bias = y * 2^24 + r, r = u < 2^24.
    out.add(p(IS_FIN).times(m(ACC).plus(m(V1)).minus(m(Y).times(RESCALE)).minus(u)));
    for (int j = 3; j < NUM_LIMBS; j++) {
      out.add(p(IS_FIN).times(m(LIMB + j)));
    }
    // MAC: the value read, v2 (a feature or an activation), is in [-2^24, 2^24): u = v2 + 2^24 with
    // limb 3 a bit and limbs 4..6 zero. With |w| < 2^23 (committed parameters) each product is below
    // 2^47 and a fan-in of at most 2^16 (the 2^17-weight limit) keeps every sum below 2^63 < p - 2^48: no accumulator congruent
    // to a value the FIN or decision checks accept can have wrapped. Without it one huge feature
    // made any margin provable (REFERENCES pitfall 24's family). Honest |v2| <= 2^23 + 1.
    out.add(p(IS_MAC).times(u.minus(m(V2)).minus(MAC_OFFSET)));
    out.add(p(IS_MAC).times(m(LIMB + 3)).times(m(LIMB + 3).minus(1)));
    for (int j = 4; j < NUM_LIMBS; j++) {
      out.add(p(IS_MAC).times(m(LIMB + j)));
    }
    // ACT: its u is y (y >= 0) or -y - 1 (y < 0) for the FIN row's y, in 3 byte limbs, so
    // -2^24 <= y < 2^24. Then y * 2^24 + r lies in [-2^48, 2^48), an interval shorter than p, and
    // the FIN equation has one solution (y, r) per value of acc + bias. With 7 limbs (|y| < 2^56),
    // y' = y - (2^40 - 2^8), r' = r - 1 also satisfied it, since (2^40 - 2^8) 2^24 = -1 mod p:
    // a forged activation (REFERENCES pitfall 24). Honest |y| <= 2^23 + 1 (|acc| < 2^47).
    for (int j = 3; j < NUM_LIMBS; j++) {
      out.add(p(IS_ACT).times(m(LIMB + j)));
    }
    // NODE: bit = [x >= t] with x = v3, t = v2.
    Expr bit = m(BIT);
    out.add(p(IS_NODE).times(
        u.minus(bit.times(m(V3).minus(m(V2)))).minus(one.minus(bit).times(m(V2).minus(1).minus(m(V3))))));
    out.add(p(IS_TREE_START).times(m(NODE)));
    out.add(bit.times(bit.minus(1)));
    // Addresses.
    out.add(m(A1).minus(p(PA1)).minus(p(IS_NODE).times(m(NODE).times(2))).minus(p(IS_LEAF).times(m(NODE))));
    out.add(m(A2).minus(p(PA2)).minus(p(IS_NODE).times(m(A1).plus(1))));
    out.add(p(IS_NODE).times(m(A3).minus(p(PA3)).minus(m(V1))));

    // --- LogUp helpers: h = num_a/den_a + num_b/den_b, multiplied out.
    Expr alpha = Expr.challenge(0);
    Expr beta = Expr.challenge(1);
    Expr gamma = Expr.challenge(2);
    Expr[][] fr = fractions(alpha, beta, gamma);
    for (int h = 0; h < NUM_H; h++) {
      Expr[] a = fr[2 * h];
      Expr[] b = fr[2 * h + 1];
      Expr hv = Expr.aux(H + h);
      if (b == null) {
        out.add(hv.times(a[1]).minus(a[0]));
      } else {
        out.add(hv.times(a[1]).times(b[1]).minus(a[0].times(b[1])).minus(b[0].times(a[1])));
      }
    }
    return out;
  }

  /** The 14 fraction slots {numerator, denominator} (slot 13 empty), paired per helper column. */
  static Expr[][] fractions(Expr alpha, Expr beta, Expr gamma) {
    Expr r1 = p(IS_MAC).plus(p(IS_NODE)).plus(p(IS_LEAF)).plus(p(IS_FIN)).plus(p(IS_DECIDE));
    Expr r2 = p(IS_MAC).plus(p(IS_NODE));
    Expr r3 = p(IS_NODE);
    Expr[][] fr = new Expr[14][];
    fr[0] = new Expr[] {p(IS_DATA).times(m(MTAPE)), alpha.minus(m(CNT).plus(beta.times(m(TAPE))))};
    fr[1] = new Expr[] {p(IS_ACT).times(m(MOUT)), alpha.minus(p(WA).plus(beta.times(m(OUT))))};
    fr[2] = new Expr[] {r1.negate(), alpha.minus(m(A1).plus(beta.times(m(V1))))};
    fr[3] = new Expr[] {r2.negate(), alpha.minus(m(A2).plus(beta.times(m(V2))))};
    fr[4] = new Expr[] {r3.negate(), alpha.minus(m(A3).plus(beta.times(m(V3))))};
    fr[5] = new Expr[] {m(MTAB), gamma.minus(m(TAB))};
    for (int j = 0; j < NUM_LIMBS; j++) {
      fr[6 + j] = new Expr[] {Expr.constant(-1), gamma.minus(m(LIMB + j))};
    }
    fr[13] = null;
    return fr;
  }

  @Override
  public List<BoundaryConstraint> boundaryConstraints() {
    List<BoundaryConstraint> out = new ArrayList<>();
    int n = program.rowsCount();
    // Sponge initial capacities (Miden: capacity[0] = length mod 8) and digests.
    out.add(new BoundaryConstraint(0, m(S).minus(program.modelTapeLength() % 8)));
    out.add(new BoundaryConstraint(program.inputStart(), m(S).minus(program.inputTapeLength() % 8)));
    for (int i = 1; i < 4; i++) {
      out.add(new BoundaryConstraint(0, m(S + i)));
      out.add(new BoundaryConstraint(program.inputStart(), m(S + i)));
    }
    for (int i = 0; i < 4; i++) {
      out.add(new BoundaryConstraint(program.modelDigestRow(), m(S + 4 + i).minus(Expr.publicInput(PI_MODEL + i))));
      out.add(new BoundaryConstraint(program.inputDigestRow(), m(S + 4 + i).minus(Expr.publicInput(PI_INPUT + i))));
    }
    // Zero padding of the last block of each tape.
    for (int r = program.modelTapeLength(); r < program.inputStart(); r++) {
      out.add(new BoundaryConstraint(r, m(TAPE)));
    }
    for (int r = program.inputStart() + program.inputTapeLength(); r < program.spongeRows(); r++) {
      out.add(new BoundaryConstraint(r, m(TAPE)));
    }
    out.add(BoundaryConstraint.first(m(CNT)));
    // Decision: the margin (acc after the DECIDE row) is on side d of T.
    int dr = program.decideRow() + 1;
    Expr acc = m(ACC);
    Expr t = Expr.publicInput(PI_THRESHOLD);
    Expr d = Expr.publicInput(PI_DECISION);
    out.add(new BoundaryConstraint(dr, limbValue(false).minus(d.times(acc.minus(t)))
        .minus(Expr.constant(1).minus(d).times(t.minus(1).minus(acc)))));
    out.add(new BoundaryConstraint(dr, d.times(d.minus(1))));
    // Byte table endpoints.
    out.add(BoundaryConstraint.first(m(TAB)));
    out.add(BoundaryConstraint.last(m(TAB).minus(255)));
    // LogUp: starts at 0 and the total over all rows is 0.
    out.add(BoundaryConstraint.first(Expr.aux(SUM)));
    Expr total = Expr.aux(SUM);
    for (int h = 0; h < NUM_H; h++) {
      total = total.plus(Expr.aux(H + h));
    }
    out.add(BoundaryConstraint.last(total));
    if (n < 256) {
      throw new IllegalStateException("the byte table needs at least 256 rows");
    }
    return out;
  }
}
