package io.veridict.model.internal;

import io.veridict.model.ModelArchitecture;
import io.veridict.model.QuantizedModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The public program of a decision circuit, derived from a {@link ModelArchitecture} alone: where
 * the model and input tapes sit in the trace, and what each computation row does (its operation
 * and the public memory addresses it reads and writes).
 *
 * <p>Memory: tape cell {@code i} of the trace (model tape from row 0, input tape from row {@link
 * #inputStart}) has address {@code i}; hidden activations have addresses {@code 2^32 + k}. Reads
 * name their address; an address's value is whatever was written there, enforced by a LogUp
 * argument in the AIR.
 */
public final class DecisionProgram {
  /** Row operations. */
  public enum Op {
    NONE, MAC, FIN, ACT, NODE, LEAF, DECIDE
  }

  /** One computation row. {@code first}: accumulator restarts; {@code treeStart}: node = 0. */
  public record Row(Op op, long pa1, long pa2, long pa3, long wa, boolean first, boolean treeStart) {}

  static final long ACTIVATION_BASE = 1L << 32;
  static final int MIN_LOG_ROWS = 9;

  private final ModelArchitecture arch;
  private final int modelTapeLength;
  private final int inputTapeLength;
  private final int inputStart;
  private final int spongeRows;
  private final List<Row> rows;
  private final int decideRow;
  private final int logRows;

  public DecisionProgram(ModelArchitecture arch) {
    this.arch = arch;
    this.modelTapeLength = arch.numParameters() + QuantizedModel.SALT_ELEMENTS;
    this.inputTapeLength = arch.numFeatures() + QuantizedModel.SALT_ELEMENTS;
    this.inputStart = 8 * blocks(modelTapeLength);
    this.spongeRows = inputStart + 8 * blocks(inputTapeLength);
    this.rows = arch.family().isDense() ? denseRows() : treeRows();
    this.decideRow = rows.size() - 1;
    int need = Math.max(spongeRows, rows.size() + 1);
    int log = MIN_LOG_ROWS;
    while ((1 << log) < need) {
      log++;
    }
    if (log > 20) {
      throw new IllegalArgumentException("the model needs more than 2^20 trace rows");
    }
    this.logRows = log;
  }

  private static int blocks(int len) {
    return (len + 7) / 8;
  }

  private List<Row> denseRows() {
    List<Row> out = new ArrayList<>();
    int layers = arch.numLayerSizes() - 1;
    int p = 0; // model tape position
    long actBase = ACTIVATION_BASE;
    long prevActBase = -1;
    for (int k = 0; k < layers; k++) {
      int in = arch.layerSize(k);
      int outN = arch.layerSize(k + 1);
      boolean last = k == layers - 1;
      for (int j = 0; j < outN; j++) {
        for (int i = 0; i < in; i++) {
          long operand = k == 0 ? inputStart + i : prevActBase + i;
          out.add(new Row(Op.MAC, p++, operand, 0, 0, i == 0, false));
        }
        long biasPos = p++;
        if (last) {
          out.add(new Row(Op.DECIDE, biasPos, 0, 0, 0, false, false));
        } else {
          out.add(new Row(Op.FIN, biasPos, 0, 0, 0, false, false));
          out.add(new Row(Op.ACT, 0, 0, 0, actBase + j, false, false));
        }
      }
      prevActBase = actBase;
      actBase += outN;
    }
    return out;
  }

  private List<Row> treeRows() {
    List<Row> out = new ArrayList<>();
    // Every feature is read once by a MAC row (as weight and operand: acc = x^2, restarted by the
    // first NODE row), whose range check puts it in [-2^24, 2^24): below the padded nodes' sentinel
    // 2^24, so no committed value can walk a padded node right into an unreachable leaf.
    for (int i = 0; i < arch.numFeatures(); i++) {
      out.add(new Row(Op.MAC, inputStart + i, inputStart + i, 0, 0, true, false));
    }
    int d = arch.treeDepth();
    int internal = (1 << d) - 1;
    int perTree = 2 * internal + (1 << d);
    for (int t = 0; t < arch.numTrees(); t++) {
      long base = (long) t * perTree;
      for (int level = 0; level < d; level++) {
        out.add(new Row(Op.NODE, base, 0, inputStart, 0, t == 0 && level == 0, level == 0));
      }
      // Leaf address: base + 2*internal + (node - internal) = (base + internal) + node.
      out.add(new Row(Op.LEAF, base + internal, 0, 0, 0, false, false));
    }
    out.add(new Row(Op.DECIDE, (long) arch.numTrees() * perTree, 0, 0, 0, false, false));
    return out;
  }

  public ModelArchitecture architecture() {
    return arch;
  }

  public int logRows() {
    return logRows;
  }

  public int rowsCount() {
    return 1 << logRows;
  }

  public int modelTapeLength() {
    return modelTapeLength;
  }

  public int inputTapeLength() {
    return inputTapeLength;
  }

  /** First row of the input tape (a multiple of 8). */
  public int inputStart() {
    return inputStart;
  }

  /** Rows covered by the two sponges. */
  public int spongeRows() {
    return spongeRows;
  }

  /** Last row of the model sponge (its digest is in the rate there). */
  public int modelDigestRow() {
    return inputStart - 1;
  }

  /** Last row of the input sponge. */
  public int inputDigestRow() {
    return spongeRows - 1;
  }

  public List<Row> rows() {
    return rows;
  }

  public int decideRow() {
    return decideRow;
  }
}
