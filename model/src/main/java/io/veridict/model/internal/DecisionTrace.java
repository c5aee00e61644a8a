package io.veridict.model.internal;

import static io.veridict.model.internal.DecisionAir.*;

import io.veridict.core.field.ExtField;
import io.veridict.core.field.FieldExtension;
import io.veridict.core.field.Goldilocks;
import io.veridict.core.hash.Rpo256;
import io.veridict.model.ModelArchitecture;
import io.veridict.model.QuantizedModel;
import io.veridict.model.internal.DecisionProgram.Op;
import io.veridict.model.internal.DecisionProgram.Row;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the execution trace of a {@link DecisionAir} for one model and one input. The values are
 * computed here independently of {@link io.veridict.model.FixedPointEvaluator} (in the field, from
 * the tapes and the public program), so tests can compare the two.
 */
public final class DecisionTrace {
  private final long[][] main;
  private final long marginQ;

  public DecisionTrace(
      DecisionProgram program, QuantizedModel model, long[] x, long[] modelSalt, long[] inputSalt,
      long thresholdQ) {
    if (!model.architecture().equals(program.architecture())) {
      throw new IllegalArgumentException("the model's architecture is not the program's");
    }
    int n = program.rowsCount();
    main = new long[WIDTH][n];
    long[] modelTape = model.tape(modelSalt);
    long[] inputTape = QuantizedModel.inputTape(x, inputSalt);

    // Sponge and tapes.
    long[] tapeByRow = new long[n];
    System.arraycopy(modelTape, 0, tapeByRow, 0, modelTape.length);
    System.arraycopy(inputTape, 0, tapeByRow, program.inputStart(), inputTape.length);
    long[] state = new long[12];
    for (int row = 0; row < n; row++) {
      int r = row & 7;
      if (r == 0) {
        if (row == 0) {
          state = new long[12];
          state[0] = program.modelTapeLength() % 8;
        } else if (row == program.inputStart()) {
          state = new long[12];
          state[0] = program.inputTapeLength() % 8;
        }
        for (int j = 0; j < 8; j++) {
          state[4 + j] = tapeByRow[row + j];
        }
      }
      for (int k = 0; k < 12; k++) {
        main[S + k][row] = state[k];
      }
      int blockStart = row & ~7;
      for (int j = 0; j < 8; j++) {
        main[B + j][row] = tapeByRow[blockStart + j];
      }
      main[TAPE][row] = tapeByRow[row];
      main[CNT][row] = row;
      if (r < 7) {
        Rpo256.applyRound(state, r);
      }
    }

    // Memory: address -> value (tape cells readable on data rows, activations).
    Map<Long, Long> memory = new HashMap<>();
    Map<Long, Integer> reads = new HashMap<>();
    for (int i = 0; i < model.architecture().numParameters(); i++) {
      memory.put((long) i, tapeByRow[i]);
    }
    for (int i = 0; i < x.length; i++) {
      memory.put((long) program.inputStart() + i, tapeByRow[program.inputStart() + i]);
    }

    List<Row> rows = program.rows();
    long acc = 0;
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      main[ACC][i] = Goldilocks.fromSigned(acc);
      long u = 0;
      switch (row.op()) {
        case MAC -> {
          long w = read(memory, reads, row.pa1(), main, A1, V1, i);
          long v = read(memory, reads, row.pa2(), main, A2, V2, i);
          acc = (row.first() ? 0 : acc) + signed(w) * signed(v);
          u = signed(v) + DecisionAir.MAC_OFFSET; // the range check of the value read
        }
        case FIN -> {
          long bias = read(memory, reads, row.pa1(), main, A1, V1, i);
          long total = acc + signed(bias);
          long y = Math.floorDiv(total, RESCALE);
          u = total - y * RESCALE;
          main[Y][i] = Goldilocks.fromSigned(y);
          // The next row (ACT) applies ReLU to y.
          Row act = rows.get(i + 1);
          long relu = Math.max(y, 0);
          int bit = y >= 0 ? 1 : 0;
          main[BIT][i + 1] = bit;
          main[OUT][i + 1] = Goldilocks.fromSigned(relu);
          memory.put(act.wa(), Goldilocks.fromSigned(relu));
        }
        case ACT -> {
          long y = signed(main[Y][i - 1]);
          u = main[BIT][i] == 1 ? y : -y - 1;
        }
        case NODE -> {
          if (row.treeStart()) {
            main[NODE][i] = 0;
          }
          if (row.first()) {
            acc = 0;
          }
          long node = main[NODE][i];
          long f = read(memory, reads, row.pa1() + 2 * node, main, A1, V1, i);
          long t = read(memory, reads, row.pa1() + 2 * node + 1, main, A2, V2, i);
          long xv = read(memory, reads, row.pa3() + f, main, A3, V3, i);
          int bit = signed(xv) >= signed(t) ? 1 : 0;
          main[BIT][i] = bit;
          u = bit == 1 ? signed(xv) - signed(t) : signed(t) - 1 - signed(xv);
          main[NODE][i + 1] = 2 * node + 1 + bit;
        }
        case LEAF -> {
          long leaf = read(memory, reads, row.pa1() + main[NODE][i], main, A1, V1, i);
          acc = acc + signed(leaf);
        }
        case DECIDE -> {
          long bias = read(memory, reads, row.pa1(), main, A1, V1, i);
          acc = acc + signed(bias);
        }
        case NONE -> { }
      }
      setLimbs(main, i, u);
    }
    int dr = program.decideRow() + 1;
    main[ACC][dr] = Goldilocks.fromSigned(acc);
    this.marginQ = acc;
    boolean decision = acc >= thresholdQ;
    setLimbs(main, dr, decision ? acc - thresholdQ : thresholdQ - 1 - acc);

    // Multiplicities.
    for (Map.Entry<Long, Integer> e : reads.entrySet()) {
      long addr = e.getKey();
      if (addr >= DecisionProgram.ACTIVATION_BASE) {
        // The ACT row that wrote this activation.
        for (int i = 0; i < rows.size(); i++) {
          if (rows.get(i).op() == Op.ACT && rows.get(i).wa() == addr) {
            main[MOUT][i] = e.getValue();
          }
        }
      } else {
        main[MTAPE][(int) addr] = e.getValue();
      }
    }
    for (int i = 0; i < n; i++) {
      main[TAB][i] = Math.min(i, 255);
    }
    long[] counts = new long[256];
    for (int j = 0; j < NUM_LIMBS; j++) {
      for (int i = 0; i < n; i++) {
        counts[(int) main[LIMB + j][i]]++;
      }
    }
    for (int v = 0; v < 256; v++) {
      main[MTAB][v] = counts[v];
    }
  }

  private static long signed(long fe) {
    // Canonical field element back to a signed integer (values here are far below p/2).
    return Long.compareUnsigned(fe, Goldilocks.P >>> 1) > 0 ? fe - Goldilocks.P : fe;
  }

  private static long read(
      Map<Long, Long> memory, Map<Long, Integer> reads, long addr, long[][] main, int aCol, int vCol, int row) {
    Long v = memory.get(addr);
    if (v == null) {
      throw new IllegalStateException("program reads unwritten address " + addr + " at row " + row);
    }
    reads.merge(addr, 1, Integer::sum);
    main[aCol][row] = Goldilocks.fromUnsigned(addr);
    main[vCol][row] = v;
    return v;
  }

  private static void setLimbs(long[][] main, int row, long u) {
    if (u < 0 || u >= (1L << (8 * NUM_LIMBS))) {
      throw new IllegalStateException("range-checked value out of range at row " + row + ": " + u);
    }
    for (int j = 0; j < NUM_LIMBS; j++) {
      main[LIMB + j][row] = (u >>> (8 * j)) & 0xFF;
    }
  }

  public long[][] mainTrace() {
    return main;
  }

  /** The fixed-point margin the trace computed. */
  public long marginQ() {
    return marginQ;
  }

  /** The auxiliary (LogUp) columns, given the committed main trace and the challenges. */
  public static long[][] auxTrace(DecisionAir air, long[][] main, long[] challenges, int extDegree) {
    ExtField f = ExtField.of(extDegree == 2 ? FieldExtension.QUADRATIC : FieldExtension.CUBIC);
    int d = extDegree;
    int n = main[0].length;
    long[] alpha = java.util.Arrays.copyOfRange(challenges, 0, d);
    long[] beta = java.util.Arrays.copyOfRange(challenges, d, 2 * d);
    long[] gamma = java.util.Arrays.copyOfRange(challenges, 2 * d, 3 * d);
    // Denominators for the 13 fractions at every row, inverted in one batch.
    int nf = 13;
    long[] den = new long[n * nf * d];
    long[] num = new long[n * nf]; // base-field numerators (selectors, multiplicities, -1)
    List<long[]> per = air.periodicColumns();
    long[] isData = per.get(IS_DATA);
    long[] isAct = per.get(IS_ACT);
    long[] wa = per.get(WA);
    long[] isMac = per.get(IS_MAC);
    long[] isNode = per.get(IS_NODE);
    long[] isLeaf = per.get(IS_LEAF);
    long[] isFin = per.get(IS_FIN);
    long[] isDecide = per.get(IS_DECIDE);
    long[] tmp = new long[d];
    for (int i = 0; i < n; i++) {
      int o = i * nf;
      long r2 = isMac[i] + isNode[i];
      long r1 = r2 + isLeaf[i] + isFin[i] + isDecide[i];
      num[o] = Goldilocks.mul(isData[i], main[MTAPE][i]);
      num[o + 1] = Goldilocks.mul(isAct[i], main[MOUT][i]);
      num[o + 2] = Goldilocks.neg(r1);
      num[o + 3] = Goldilocks.neg(r2);
      num[o + 4] = Goldilocks.neg(isNode[i]);
      num[o + 5] = main[MTAB][i];
      long[][] keys = {
        {main[CNT][i], main[TAPE][i]}, {wa[i], main[OUT][i]}, {main[A1][i], main[V1][i]},
        {main[A2][i], main[V2][i]}, {main[A3][i], main[V3][i]}
      };
      for (int k = 0; k < 5; k++) {
        // alpha - (addr + beta * value)
        f.mulBase(beta, 0, keys[k][1], tmp, 0);
        tmp[0] = Goldilocks.add(tmp[0], keys[k][0]);
        f.sub(alpha, 0, tmp, 0, den, (o + k) * d);
      }
      System.arraycopy(gamma, 0, den, (o + 5) * d, d);
      den[(o + 5) * d] = Goldilocks.sub(gamma[0], main[TAB][i]);
      for (int j = 0; j < NUM_LIMBS; j++) {
        num[o + 6 + j] = Goldilocks.P - 1;
        System.arraycopy(gamma, 0, den, (o + 6 + j) * d, d);
        den[(o + 6 + j) * d] = Goldilocks.sub(gamma[0], main[LIMB + j][i]);
      }
    }
    f.batchInverse(den, 0, n * nf);
    long[][] aux = new long[NUM_H + 1][n * d];
    long[] term = new long[d];
    long[] hv = new long[d];
    long[] acc = new long[d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(acc, 0, aux[SUM], i * d, d);
      for (int h = 0; h < NUM_H; h++) {
        java.util.Arrays.fill(hv, 0);
        for (int s = 2 * h; s < Math.min(2 * h + 2, nf); s++) {
          f.mulBase(den, (i * nf + s) * d, num[i * nf + s], term, 0);
          f.add(hv, 0, term, 0, hv, 0);
        }
        System.arraycopy(hv, 0, aux[H + h], i * d, d);
        f.add(acc, 0, hv, 0, acc, 0);
      }
    }
    return aux;
  }
}
