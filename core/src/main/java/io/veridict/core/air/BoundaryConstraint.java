package io.veridict.core.air;

/**
 * A constraint that must vanish at one row of the trace: {@code expr(row) = 0}.
 *
 * <p>{@code expr} may use current-row columns, public inputs, challenges and constants (no next-row
 * references, no periodic columns). {@code row} is an absolute row index; {@link #LAST_ROW} means
 * the last row of the trace.
 */
public record BoundaryConstraint(int row, Expr expr) {
  /** Marker for the last row, resolved against the trace length. */
  public static final int LAST_ROW = -1;

  public BoundaryConstraint {
    if (row < LAST_ROW) {
      throw new IllegalArgumentException("row must be >= 0 or LAST_ROW, got " + row);
    }
    if (expr == null) {
      throw new IllegalArgumentException("expr must not be null");
    }
  }

  public static BoundaryConstraint first(Expr expr) {
    return new BoundaryConstraint(0, expr);
  }

  public static BoundaryConstraint last(Expr expr) {
    return new BoundaryConstraint(LAST_ROW, expr);
  }

  /** The absolute row for a trace of {@code traceLength} rows. */
  public int resolveRow(int traceLength) {
    return row == LAST_ROW ? traceLength - 1 : row;
  }
}
