package io.veridict.prover.internal;

import io.veridict.core.air.Expr;
import io.veridict.core.field.Ext2;
import io.veridict.core.field.Ext3;
import io.veridict.core.field.Goldilocks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Constraint expressions compiled for block-wise evaluation over many points.
 *
 * <p>Compilation removes common subexpressions (expression records compare structurally), assigns
 * each distinct node a register holding one value per point of a block, and orders the nodes
 * bottom-up. Evaluation walks that list once per block, so the per-node interpretation cost is
 * amortised over the block and every inner loop runs on primitive arrays. Base-field nodes stay in
 * the base field; a node becomes extension-valued only when it depends on an auxiliary column or a
 * challenge.
 */
public final class ConstraintProgram {
  /** Points per block. */
  public static final int BLOCK = 256;

  private static final int CONST_B = 0;
  private static final int CONST_E = 1;
  private static final int MAIN = 2;
  private static final int AUX = 3;
  private static final int PERIODIC = 4;
  private static final int ADD = 5;
  private static final int SUB = 6;
  private static final int MUL = 7;
  private static final int NEG = 8;
  private static final int POW = 9;

  private final int d;
  private final List<int[]> ops = new ArrayList<>(); // {kind, dst, a, b, arg, ext?1:0}
  private final List<long[]> constValues = new ArrayList<>();
  private final Map<Expr, Integer> registerOf = new HashMap<>();
  private final List<Boolean> registerIsExt = new ArrayList<>();
  private final int[] outputs;
  private final boolean[] outputIsExt;

  /**
   * @param publicInputs values substituted for {@link Expr.PublicInput}
   * @param challenges extension values substituted for {@link Expr.Challenge} (interleaved)
   */
  public ConstraintProgram(List<Expr> exprs, int extDegree, long[] publicInputs, long[] challenges) {
    this.d = extDegree;
    outputs = new int[exprs.size()];
    outputIsExt = new boolean[exprs.size()];
    for (int i = 0; i < exprs.size(); i++) {
      outputs[i] = compile(exprs.get(i), publicInputs, challenges);
      outputIsExt[i] = registerIsExt.get(outputs[i]);
    }
  }

  private int newRegister(boolean ext) {
    registerIsExt.add(ext);
    return registerIsExt.size() - 1;
  }

  private int compile(Expr e, long[] pub, long[] ch) {
    Integer known = registerOf.get(e);
    if (known != null) {
      return known;
    }
    int r;
    switch (e) {
      case Expr.Const c -> {
        r = newRegister(false);
        ops.add(new int[] {CONST_B, r, constValues.size(), 0, 0, 0});
        constValues.add(new long[] {c.value()});
      }
      case Expr.PublicInput p -> {
        r = newRegister(false);
        ops.add(new int[] {CONST_B, r, constValues.size(), 0, 0, 0});
        constValues.add(new long[] {pub[p.index()]});
      }
      case Expr.Challenge c -> {
        r = newRegister(true);
        long[] v = new long[d];
        System.arraycopy(ch, c.index() * d, v, 0, d);
        ops.add(new int[] {CONST_E, r, constValues.size(), 0, 0, 1});
        constValues.add(v);
      }
      case Expr.Main m -> {
        r = newRegister(false);
        ops.add(new int[] {MAIN, r, m.column(), m.next() ? 1 : 0, 0, 0});
      }
      case Expr.Aux a -> {
        r = newRegister(true);
        ops.add(new int[] {AUX, r, a.column(), a.next() ? 1 : 0, 0, 1});
      }
      case Expr.Periodic p -> {
        r = newRegister(false);
        ops.add(new int[] {PERIODIC, r, p.index(), 0, 0, 0});
      }
      case Expr.Add a -> r = binary(ADD, a.left(), a.right(), pub, ch);
      case Expr.Sub s -> r = binary(SUB, s.left(), s.right(), pub, ch);
      case Expr.Mul m -> r = binary(MUL, m.left(), m.right(), pub, ch);
      case Expr.Neg n -> {
        int x = compile(n.operand(), pub, ch);
        boolean ext = registerIsExt.get(x);
        r = newRegister(ext);
        ops.add(new int[] {NEG, r, x, 0, 0, ext ? 1 : 0});
      }
      case Expr.Pow p -> {
        int x = compile(p.base(), pub, ch);
        boolean ext = registerIsExt.get(x);
        r = newRegister(ext);
        ops.add(new int[] {POW, r, x, 0, p.exponent(), ext ? 1 : 0});
      }
    }
    registerOf.put(e, r);
    return r;
  }

  private int binary(int kind, Expr l, Expr rr, long[] pub, long[] ch) {
    int a = compile(l, pub, ch);
    int b = compile(rr, pub, ch);
    boolean ext = registerIsExt.get(a) || registerIsExt.get(b);
    int r = newRegister(ext);
    ops.add(new int[] {kind, r, a, b, 0, ext ? 1 : 0});
    return r;
  }

  /** Whether output {@code i} is extension-valued (else base-field). */
  public boolean isExtOutput(int i) {
    return outputIsExt[i];
  }

  public int numOutputs() {
    return outputs.length;
  }

  /** Per-thread evaluation state: one array per register. */
  public final class Workspace {
    final long[][] regs;

    Workspace() {
      regs = new long[registerIsExt.size()][];
      for (int r = 0; r < regs.length; r++) {
        regs[r] = new long[BLOCK * (registerIsExt.get(r) ? d : 1)];
      }
      // Constants are filled once.
      for (int[] op : ops) {
        if (op[0] == CONST_B) {
          java.util.Arrays.fill(regs[op[1]], constValues.get(op[2])[0]);
        } else if (op[0] == CONST_E) {
          long[] v = constValues.get(op[2]);
          long[] dst = regs[op[1]];
          for (int i = 0; i < BLOCK; i++) {
            System.arraycopy(v, 0, dst, i * d, d);
          }
        }
      }
    }

    /** Values of output {@code i} for the last evaluated block (base: 1 word/point, ext: d). */
    public long[] output(int i) {
      return regs[outputs[i]];
    }
  }

  public Workspace newWorkspace() {
    return new Workspace();
  }

  /**
   * Evaluates all outputs at {@code count <= BLOCK} points. Point {@code k} reads main and aux
   * columns at index {@code (start + k * stride) mod size} and, for next-row references, at that
   * index {@code + nextOffset}; periodic column {@code p} reads {@code periodic[p][(periodicStart +
   * k) mod periodic[p].length]}.
   *
   * @param aux auxiliary columns as coordinate columns ({@code d} per extension column), or empty
   */
  public void evaluate(
      Workspace ws,
      long[][] main,
      long[][] aux,
      long[][] periodic,
      int size,
      int start,
      int stride,
      int nextOffset,
      int periodicStart,
      int count) {
    long[][] regs = ws.regs;
    int mask = size - 1;
    for (int[] op : ops) {
      long[] dst = regs[op[1]];
      switch (op[0]) {
        case CONST_B, CONST_E -> {}
        case MAIN -> {
          long[] col = main[op[2]];
          int off = start + (op[3] == 1 ? nextOffset : 0);
          for (int k = 0; k < count; k++) {
            dst[k] = col[(off + k * stride) & mask];
          }
        }
        case AUX -> {
          int off = start + (op[3] == 1 ? nextOffset : 0);
          for (int c = 0; c < d; c++) {
            long[] col = aux[op[2] * d + c];
            for (int k = 0; k < count; k++) {
              dst[k * d + c] = col[(off + k * stride) & mask];
            }
          }
        }
        case PERIODIC -> {
          long[] col = periodic[op[2]];
          int pm = col.length - 1;
          for (int k = 0; k < count; k++) {
            dst[k] = col[(periodicStart + k) & pm];
          }
        }
        case ADD, SUB, MUL -> arith(op[0], op[5] == 1, regs[op[2]], registerIsExt.get(op[2]), regs[op[3]], registerIsExt.get(op[3]), dst, count);
        case NEG -> {
          long[] a = regs[op[2]];
          int len = count * (op[5] == 1 ? d : 1);
          for (int k = 0; k < len; k++) {
            dst[k] = Goldilocks.neg(a[k]);
          }
        }
        case POW -> pow(op[5] == 1, regs[op[2]], op[4], dst, count);
        default -> throw new IllegalStateException("unknown op " + op[0]);
      }
    }
  }

  private void arith(int kind, boolean ext, long[] a, boolean aExt, long[] b, boolean bExt, long[] dst, int count) {
    if (!ext) {
      switch (kind) {
        case ADD -> {
          for (int k = 0; k < count; k++) {
            dst[k] = Goldilocks.add(a[k], b[k]);
          }
        }
        case SUB -> {
          for (int k = 0; k < count; k++) {
            dst[k] = Goldilocks.sub(a[k], b[k]);
          }
        }
        default -> {
          for (int k = 0; k < count; k++) {
            dst[k] = Goldilocks.mul(a[k], b[k]);
          }
        }
      }
      return;
    }
    if (aExt && bExt) {
      switch (kind) {
        case ADD -> {
          for (int k = 0; k < count * d; k++) {
            dst[k] = Goldilocks.add(a[k], b[k]);
          }
        }
        case SUB -> {
          for (int k = 0; k < count * d; k++) {
            dst[k] = Goldilocks.sub(a[k], b[k]);
          }
        }
        default -> {
          if (d == 2) {
            for (int k = 0; k < count; k++) {
              Ext2.mul2(a, 2 * k, b, 2 * k, dst, 2 * k);
            }
          } else {
            for (int k = 0; k < count; k++) {
              Ext3.mul3(a, 3 * k, b, 3 * k, dst, 3 * k);
            }
          }
        }
      }
      return;
    }
    // Mixed: one base operand, one extension operand.
    long[] e = aExt ? a : b;
    long[] s = aExt ? b : a;
    switch (kind) {
      case ADD -> {
        for (int k = 0; k < count; k++) {
          dst[k * d] = Goldilocks.add(e[k * d], s[k]);
          for (int c = 1; c < d; c++) {
            dst[k * d + c] = e[k * d + c];
          }
        }
      }
      case SUB -> {
        for (int k = 0; k < count; k++) {
          if (aExt) {
            dst[k * d] = Goldilocks.sub(a[k * d], b[k]);
            for (int c = 1; c < d; c++) {
              dst[k * d + c] = a[k * d + c];
            }
          } else {
            dst[k * d] = Goldilocks.sub(a[k], b[k * d]);
            for (int c = 1; c < d; c++) {
              dst[k * d + c] = Goldilocks.neg(b[k * d + c]);
            }
          }
        }
      }
      default -> {
        for (int k = 0; k < count; k++) {
          for (int c = 0; c < d; c++) {
            dst[k * d + c] = Goldilocks.mul(e[k * d + c], s[k]);
          }
        }
      }
    }
  }

  private void pow(boolean ext, long[] a, int e, long[] dst, int count) {
    if (!ext) {
      for (int k = 0; k < count; k++) {
        long base = a[k];
        long acc = 1;
        int x = e;
        while (true) {
          if ((x & 1) != 0) {
            acc = Goldilocks.mul(acc, base);
          }
          x >>>= 1;
          if (x == 0) {
            break;
          }
          base = Goldilocks.mul(base, base);
        }
        dst[k] = acc;
      }
      return;
    }
    long[] base = new long[d];
    long[] acc = new long[d];
    for (int k = 0; k < count; k++) {
      System.arraycopy(a, k * d, base, 0, d);
      java.util.Arrays.fill(acc, 0);
      acc[0] = 1;
      int x = e;
      while (true) {
        if ((x & 1) != 0) {
          mulExt(acc, base, acc);
        }
        x >>>= 1;
        if (x == 0) {
          break;
        }
        mulExt(base, base, base);
      }
      System.arraycopy(acc, 0, dst, k * d, d);
    }
  }

  private void mulExt(long[] a, long[] b, long[] out) {
    if (d == 2) {
      Ext2.mul2(a, 0, b, 0, out, 0);
    } else {
      Ext3.mul3(a, 0, b, 0, out, 0);
    }
  }
}
